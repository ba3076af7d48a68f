import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Require the owners to accept each new connection',
    example: yaml.stringify({
      steps: [
        {
          id: 'acceptance',
          action: 'aws:privatelink:endpoint-service:update',
          name: 'Require acceptance',
          input: { accountId: '123456789012', region: 'us-east-1', serviceId: 'vpce-svc-0123456789abcdef0', acceptanceRequired: true },
        },
      ],
    }),
  },
  {
    description: 'Move to a new private DNS name, cutting the consumers of the old one on purpose',
    example: yaml.stringify({
      steps: [
        {
          id: 'rename',
          action: 'aws:privatelink:endpoint-service:update',
          name: 'New private DNS name',
          input: {
            accountId: '123456789012',
            region: 'us-east-1',
            serviceId: '${{ parameters.serviceId }}',
            privateDnsName: 'orders.internal.example.com',
            confirmCuts: true,
          },
        },
      ],
    }),
  },
];
