import {
  DescribeVpcEndpointServicePermissionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { collect, PAGE_SIZE, readAllowedPrincipals } from './allowedPrincipals';

const SERVICE = 'vpce-svc-0123456789abcdef0';

describe('readAllowedPrincipals', () => {
  const ec2 = new EC2Client({ region: 'eu-west-1' });
  const mock = mockClient(ec2);
  afterEach(() => mock.reset());

  it('reads every page, in order, with the largest page size', async () => {
    const pages = [
      {
        AllowedPrincipals: [
          { Principal: 'arn:aws:iam::111111111111:root' },
          { Principal: 'arn:aws:iam::222222222222:role/app' },
        ],
        NextToken: 'page-2',
      },
      {
        AllowedPrincipals: [{ Principal: 'arn:aws:iam::333333333333:root' }],
        NextToken: 'page-3',
      },
      { AllowedPrincipals: [{ Principal: '*' }] },
    ];
    // The paginator reuses one input object across pages: each call's input is copied when it is sent.
    const inputs: object[] = [];
    mock.on(DescribeVpcEndpointServicePermissionsCommand).callsFake(input => {
      inputs.push({ ...input });
      return pages.shift();
    });

    await expect(readAllowedPrincipals(ec2, SERVICE)).resolves.toEqual([
      'arn:aws:iam::111111111111:root',
      'arn:aws:iam::222222222222:role/app',
      'arn:aws:iam::333333333333:root',
      '*',
    ]);

    expect(PAGE_SIZE).toBe(1000);
    expect(inputs).toEqual([
      { ServiceId: SERVICE, MaxResults: 1000 },
      { ServiceId: SERVICE, MaxResults: 1000, NextToken: 'page-2' },
      { ServiceId: SERVICE, MaxResults: 1000, NextToken: 'page-3' },
    ]);
  });

  it('skips empty pages and entries without a principal', async () => {
    mock
      .on(DescribeVpcEndpointServicePermissionsCommand)
      .resolvesOnce({ NextToken: 'page-2' })
      .resolvesOnce({
        AllowedPrincipals: [
          {},
          { Principal: 'arn:aws:iam::111111111111:root' },
          { Principal: '' },
        ],
      });

    await expect(readAllowedPrincipals(ec2, SERVICE)).resolves.toEqual([
      'arn:aws:iam::111111111111:root',
    ]);
    expect(
      mock.commandCalls(DescribeVpcEndpointServicePermissionsCommand),
    ).toHaveLength(2);
  });

  it('returns nothing for a service without permissions', async () => {
    mock
      .on(DescribeVpcEndpointServicePermissionsCommand)
      .resolves({ AllowedPrincipals: [] });
    await expect(readAllowedPrincipals(ec2, SERVICE)).resolves.toEqual([]);
  });

  it('passes an EC2 error on', async () => {
    mock.on(DescribeVpcEndpointServicePermissionsCommand).rejects(
      Object.assign(new Error('not found'), {
        name: 'InvalidVpcEndpointServiceId.NotFound',
      }),
    );
    await expect(readAllowedPrincipals(ec2, SERVICE)).rejects.toThrow(
      'not found',
    );
  });
});

describe('collect', () => {
  it('gathers what is picked from every page', async () => {
    async function* pages() {
      yield { items: [1, 2] };
      yield {};
      yield { items: [3] };
    }
    await expect(
      collect(pages(), (p: { items?: number[] }) => p.items),
    ).resolves.toEqual([1, 2, 3]);
  });
});
