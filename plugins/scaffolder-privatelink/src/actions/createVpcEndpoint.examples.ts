import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Connect a consumer VPC to an endpoint service of the organisation',
    example: yaml.stringify({
      steps: [
        {
          id: 'endpoint',
          action: 'aws:privatelink:endpoint:create',
          name: 'Create the endpoint',
          input: {
            accountId: '210987654321',
            region: 'us-east-1',
            serviceName:
              'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0',
            serviceAccountId: '123456789012',
            vpcId: 'vpc-0123456789abcdef0',
            subnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
            name: 'payments-api-to-orders-api',
            owner: 'group:default/payments',
            component: 'component:default/payments-api',
          },
        },
      ],
    }),
  },
  {
    description:
      'An interface endpoint to an AWS service, with a given security group',
    example: yaml.stringify({
      steps: [
        {
          id: 'ec2-endpoint',
          action: 'aws:privatelink:endpoint:create',
          name: 'Reach the EC2 API privately',
          input: {
            accountId: '210987654321',
            region: 'us-east-1',
            serviceName: 'com.amazonaws.us-east-1.ec2',
            vpcId: 'vpc-0123456789abcdef0',
            subnetIds: ['subnet-0123456789abcdef0'],
            securityGroupIds: ['sg-0123456789abcdef0'],
            privateDnsEnabled: true,
            owner: 'group:default/payments',
          },
        },
      ],
    }),
  },
  {
    description: 'An S3 gateway endpoint on the route tables of a VPC',
    example: yaml.stringify({
      steps: [
        {
          id: 's3',
          action: 'aws:privatelink:endpoint:create',
          name: 'Reach S3 without a NAT gateway',
          input: {
            accountId: '210987654321',
            region: 'us-east-1',
            serviceName: 'com.amazonaws.us-east-1.s3',
            type: 'Gateway',
            vpcId: 'vpc-0123456789abcdef0',
            routeTableIds: ['rtb-0123456789abcdef0'],
            owner: 'group:default/payments',
          },
        },
      ],
    }),
  },
];
