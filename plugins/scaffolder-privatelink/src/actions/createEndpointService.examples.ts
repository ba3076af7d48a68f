import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publish the NLB of a previous step, tagged with its owner, system and component',
    example: yaml.stringify({
      steps: [
        {
          id: 'service',
          action: 'aws:privatelink:endpoint-service:create',
          name: 'Create the endpoint service',
          input: {
            accountId: '123456789012',
            region: 'us-east-1',
            networkLoadBalancerArns: [
              '${{ steps.nlb.output.loadBalancerArn }}',
            ],
            acceptanceRequired: true,
            name: 'orders-api',
            owner: 'group:default/orders',
            system: 'system:default/commerce',
            component: 'component:default/orders-api',
          },
        },
      ],
    }),
  },
  {
    description:
      'Publish an existing NLB with a private DNS name, offered to a second region',
    example: yaml.stringify({
      steps: [
        {
          id: 'service',
          action: 'aws:privatelink:endpoint-service:create',
          name: 'Create the endpoint service',
          input: {
            accountId: '123456789012',
            region: 'us-east-1',
            networkLoadBalancerArns: [
              'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/auth/0123456789abcdef',
            ],
            acceptanceRequired: false,
            privateDnsName: 'auth.internal.example.com',
            supportedRegions: ['us-west-2'],
            name: 'auth-service',
            owner: 'group:default/identity',
            tags: { CostCenter: 'identity-1234' },
          },
        },
      ],
    }),
  },
];
