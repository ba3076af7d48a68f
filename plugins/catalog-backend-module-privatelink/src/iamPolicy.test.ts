import { EC2Client } from '@aws-sdk/client-ec2';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { mockClient } from 'aws-sdk-client-mock';
import fs from 'node:fs';
import path from 'node:path';
import { PrivateLinkEntityProvider } from './PrivateLinkEntityProvider';
import { readPrivateLinkConfig } from '@privatelink-backstage/plugin-privatelink-node';
import { CONSUMER, PROVIDER, REGION, serviceConfiguration, serviceId } from './__fixtures__/ec2';

const policyFile = path.resolve(__dirname, '../../../docs/iam/privatelink-read-policy.json');

function policyActions(): string[] {
  const policy = JSON.parse(fs.readFileSync(policyFile, 'utf8'));
  return policy.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat()).sort();
}

describe('the least-privilege read policy', () => {
  it('grants exactly the EC2 actions the read path sends', async () => {
    const client = new EC2Client({ region: REGION });
    const mock = mockClient(client);
    // Every command answers with one service, so that the per-service calls run too.
    mock.onAnyCommand().resolves({ ServiceConfigurations: [serviceConfiguration(1, { name: 'orders-api' })] });
    const config = readPrivateLinkConfig(
      new ConfigReader({ privatelink: { accounts: [{ accountId: PROVIDER }, { accountId: CONSUMER }] } }),
    );
    const provider = new PrivateLinkEntityProvider({
      config,
      clients: { ec2: async () => client },
      logger: mockServices.logger.mock(),
    });
    await provider.connect({ applyMutation: async () => {}, refresh: async () => {} });

    await provider.refresh();
    await provider.refreshService({ accountId: PROVIDER, region: REGION, serviceId: serviceId(1) });

    const sent = [...new Set(mock.calls().map(call => `ec2:${(call.args[0] as object).constructor.name.replace(/Command$/, '')}`))].sort();
    expect(sent.length).toBeGreaterThan(0);
    expect(policyActions()).toEqual(sent);
  });
});
