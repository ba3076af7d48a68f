import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Create an internal NLB with a TCP listener in front of IP targets',
    example: yaml.stringify({
      steps: [
        {
          id: 'nlb',
          action: 'aws:privatelink:nlb:create',
          name: 'Create the load balancer',
          input: {
            accountId: '123456789012',
            region: 'us-east-1',
            name: 'orders-api',
            vpcId: 'vpc-0123456789abcdef0',
            subnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
            port: 443,
            targetPort: 8080,
            targetType: 'ip',
            targetSecurityGroupId: 'sg-0123456789abcdef0',
            owner: 'group:default/orders',
            component: 'component:default/orders-api',
          },
        },
      ],
    }),
  },
  {
    description: 'Terminate TLS on the NLB with an ACM certificate',
    example: yaml.stringify({
      steps: [
        {
          id: 'nlb',
          action: 'aws:privatelink:nlb:create',
          name: 'Create the load balancer',
          input: {
            accountId: '123456789012',
            region: 'eu-west-1',
            name: 'ledger',
            vpcId: 'vpc-0123456789abcdef0',
            subnetIds: [
              'subnet-0123456789abcdef0',
              'subnet-0fedcba9876543210',
              'subnet-00112233445566778',
            ],
            protocol: 'TLS',
            port: 443,
            certificateArn:
              'arn:aws:acm:eu-west-1:123456789012:certificate/0b6c5a2e-1111-2222-3333-444455556666',
            targetType: 'alb',
            targetPort: 443,
            timeoutSeconds: 900,
          },
        },
      ],
    }),
  },
];
