import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Retire a service nobody is connected to any more',
    example: yaml.stringify({
      steps: [
        {
          id: 'retire',
          action: 'aws:privatelink:endpoint-service:delete',
          name: 'Retire the service',
          input: {
            accountId: '123456789012',
            region: 'us-east-1',
            serviceId: 'vpce-svc-0123456789abcdef0',
            confirmName: 'orders-api',
          },
        },
      ],
    }),
  },
  {
    description: 'Retire a service and its load balancer, even with consumers still connected',
    example: yaml.stringify({
      steps: [
        {
          id: 'retire',
          action: 'aws:privatelink:endpoint-service:delete',
          name: 'Retire the service',
          input: {
            accountId: '123456789012',
            region: 'us-east-1',
            serviceId: '${{ parameters.serviceId }}',
            confirmName: '${{ parameters.confirmName }}',
            force: true,
          },
        },
        {
          id: 'nlb',
          action: 'aws:privatelink:nlb:delete',
          name: 'Delete its load balancer',
          each: '${{ steps.retire.output.loadBalancerArns }}',
          input: { accountId: '123456789012', region: 'us-east-1', loadBalancerArn: '${{ each.value }}' },
        },
      ],
    }),
  },
];
