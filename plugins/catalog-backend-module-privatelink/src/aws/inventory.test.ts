import {
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { configurationsPage, connection, CONSUMER, PROVIDER, REGION, serviceConfiguration, serviceId, vpcEndpoint } from '../__fixtures__/ec2';
import { AccountRegionSnapshot } from './types';
import { readAccountRegion } from './inventory';

const target = { accountId: PROVIDER, region: REGION };
const flush = async () => {
  for (let i = 0; i < 20; i++) await new Promise(resolve => setImmediate(resolve));
};

/** A client with `services` endpoint services whose permissions calls answer only when `answer(n)` is called. */
function setup(services: number) {
  const ec2 = new EC2Client({ region: REGION });
  const mock = mockClient(ec2);
  const answers = new Map<string, () => void>();
  mock.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves(
    configurationsPage(Array.from({ length: services }, (_, i) => serviceConfiguration(i + 1))),
  );
  mock.on(DescribeVpcEndpointServicePermissionsCommand).callsFake(
    ({ ServiceId }) =>
      new Promise(resolve =>
        answers.set(ServiceId, () => resolve({ AllowedPrincipals: [{ Principal: `arn:aws:iam::${CONSUMER}:root`, PrincipalType: 'Account' }] })),
      ),
  );
  mock.on(DescribeVpcEndpointConnectionsCommand).resolves({ VpcEndpointConnections: [connection(10, 1)] });
  mock.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [vpcEndpoint(20, 1, { account: PROVIDER })] });
  return {
    ec2,
    answer: async (n: number) => {
      await flush();
      answers.get(serviceId(n))!();
      await flush();
    },
    permissionsCalls: () => mock.commandCalls(DescribeVpcEndpointServicePermissionsCommand).length,
    listCalls: () => mock.commandCalls(DescribeVpcEndpointConnectionsCommand).length + mock.commandCalls(DescribeVpcEndpointsCommand).length,
  };
}

describe('readAccountRegion', () => {
  it('reads the connections and endpoints at once by default', async () => {
    const { ec2, answer, listCalls } = setup(2);
    const read = readAccountRegion(ec2, target, { concurrency: 1 });
    await flush();
    expect(listCalls()).toBe(2);
    await answer(1);
    await answer(2);
    await read;
  });

  it('starts the connections and endpoints reads once `listsAfter` permissions calls have started', async () => {
    const { ec2, answer, permissionsCalls, listCalls } = setup(5);
    const read = readAccountRegion(ec2, target, { concurrency: 2, listsAfter: 3 });
    await flush();
    expect(permissionsCalls()).toBe(2);
    expect(listCalls()).toBe(0);

    await answer(1);
    expect(permissionsCalls()).toBe(3);
    expect(listCalls()).toBe(2);

    for (const n of [2, 3, 4, 5]) await answer(n);
    const snapshot = await read;
    expect(snapshot.services.map(s => s.connections?.length)).toEqual([1, 0, 0, 0, 0]);
    expect(snapshot.endpoints).toHaveLength(1);
  });

  it('starts them once the configurations are read when there are fewer services than `listsAfter`', async () => {
    const { ec2, answer, permissionsCalls, listCalls } = setup(2);
    const read = readAccountRegion(ec2, target, { concurrency: 1, listsAfter: 3 });
    await flush();
    expect(permissionsCalls()).toBe(1);
    expect(listCalls()).toBe(2);
    await answer(1);
    await answer(2);
    await read;
  });

  it('starts them after the configurations when there is no service', async () => {
    const { ec2, listCalls } = setup(0);
    const snapshot = await readAccountRegion(ec2, target, { concurrency: 1, listsAfter: 100 });
    expect(listCalls()).toBe(2);
    expect(snapshot.services).toEqual([]);
  });

  it('hands out the snapshot without the allowed principals while the last permissions calls still run', async () => {
    const { ec2, answer } = setup(2);
    const early: AccountRegionSnapshot[] = [];
    const read = readAccountRegion(ec2, target, { concurrency: 1, onLists: s => early.push(s) });
    await answer(1);
    expect(early).toHaveLength(1);
    expect(early[0].services.map(s => s.allowedPrincipals)).toEqual([[], []]);

    await answer(2);
    const snapshot = await read;
    expect(early).toHaveLength(1);
    expect(snapshot).toEqual({
      ...early[0],
      services: early[0].services.map(s => ({ ...s, allowedPrincipals: [`arn:aws:iam::${CONSUMER}:root`] })),
    });
    expect(snapshot.endpoints).toBe(early[0].endpoints);
  });
});
