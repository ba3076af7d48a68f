import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Remove an endpoint the consumer no longer needs',
    example: yaml.stringify({
      steps: [
        {
          id: 'remove',
          action: 'aws:privatelink:endpoint:delete',
          name: 'Remove the endpoint',
          input: { accountId: '210987654321', region: 'us-east-1', endpointId: 'vpce-0123456789abcdef0' },
        },
      ],
    }),
  },
];
