import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Reject one pending connection request',
    example: yaml.stringify({
      steps: [
        {
          id: 'reject',
          action: 'aws:privatelink:connections:reject',
          name: 'Reject the payments endpoint',
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
    description: 'Reject the endpoints a template parameter lists',
    example: yaml.stringify({
      steps: [
        {
          id: 'reject-many',
          action: 'aws:privatelink:connections:reject',
          name: 'Reject the selected endpoints',
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
