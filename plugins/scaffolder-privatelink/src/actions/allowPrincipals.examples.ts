import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Allow a consumer account to connect to an endpoint service',
    example: yaml.stringify({
      steps: [
        {
          id: 'allow',
          action: 'aws:privatelink:principals:allow',
          name: 'Allow the payments account',
          input: {
            accountId: '123456789012',
            region: 'us-east-1',
            serviceId: 'vpce-svc-0123456789abcdef0',
            principals: ['arn:aws:iam::210987654321:root'],
          },
        },
      ],
    }),
  },
  {
    description: 'Allow one role of a consumer account',
    example: yaml.stringify({
      steps: [
        {
          id: 'allow-role',
          action: 'aws:privatelink:principals:allow',
          name: 'Allow the order worker role',
          input: {
            accountId: '123456789012',
            region: 'us-east-1',
            serviceId: '${{ steps.service.output.serviceId }}',
            principals: ['arn:aws:iam::345678901234:role/order-worker'],
          },
        },
      ],
    }),
  },
];
