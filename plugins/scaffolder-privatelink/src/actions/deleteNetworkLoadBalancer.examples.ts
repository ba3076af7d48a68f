import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Delete the load balancer of a retired service',
    example: yaml.stringify({
      steps: [
        {
          id: 'nlb',
          action: 'aws:privatelink:nlb:delete',
          name: 'Delete the load balancer',
          input: {
            accountId: '123456789012',
            region: 'us-east-1',
            loadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/orders-api/0123456789abcdef',
          },
        },
      ],
    }),
  },
];
