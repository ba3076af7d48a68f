import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Accept one pending connection request',
    example: yaml.stringify({
      steps: [
        {
          id: 'accept',
          action: 'aws:privatelink:connections:accept',
          name: 'Accept the payments endpoint',
          input: {
            accountId: '123456789012',
            region: 'us-east-1',
            serviceId: 'vpce-svc-0123456789abcdef0',
            endpointIds: ['vpce-0a1b2c3d4e5f60718'],
          },
        },
      ],
    }),
  },
  {
    description: 'Accept the endpoints a template parameter lists',
    example: yaml.stringify({
      steps: [
        {
          id: 'accept-many',
          action: 'aws:privatelink:connections:accept',
          name: 'Accept the selected endpoints',
          input: {
            accountId: '123456789012',
            region: 'eu-west-1',
            serviceId: '${{ parameters.serviceId }}',
            endpointIds: '${{ parameters.endpointIds }}',
          },
        },
      ],
    }),
  },
];
