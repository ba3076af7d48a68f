import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Write the verification record to a public Route 53 zone and start the verification',
    example: yaml.stringify({
      steps: [
        {
          id: 'dns',
          action: 'aws:privatelink:private-dns:verify',
          name: 'Verify the private DNS name',
          input: {
            accountId: '123456789012',
            region: 'us-east-1',
            serviceId: '${{ steps.service.output.serviceId }}',
            hostedZoneId: 'Z0123456789ABCDEFGHIJ',
          },
        },
      ],
    }),
  },
  {
    description:
      'Only show the record, for a domain whose DNS is not in Route 53',
    example: yaml.stringify({
      steps: [
        {
          id: 'dns',
          action: 'aws:privatelink:private-dns:verify',
          name: 'Show the verification record',
          input: {
            accountId: '123456789012',
            region: 'us-east-1',
            serviceId: 'vpce-svc-0123456789abcdef0',
          },
        },
      ],
    }),
  },
];
