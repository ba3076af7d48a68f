import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Stop a consumer account from creating new endpoints',
    example: yaml.stringify({
      steps: [
        {
          id: 'revoke',
          action: 'aws:privatelink:principals:revoke',
          name: 'Revoke the payments account',
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
    description: 'Take away an open permission (*) left by hand',
    example: yaml.stringify({
      steps: [
        {
          id: 'revoke-everyone',
          action: 'aws:privatelink:principals:revoke',
          name: 'Revoke *',
          input: {
            accountId: '123456789012',
            region: 'us-east-1',
            serviceId: '${{ parameters.serviceId }}',
            principals: ['*'],
          },
        },
      ],
    }),
  },
];
