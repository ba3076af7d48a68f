import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { scaffolderModulePrivateLink } from './module';

/** The account the dry runs act in, configured so that the write path lets them through. */
const ACCOUNT = '123456789012';
/** The initiator of `createMockActionContext`; the mock user info gives them no groups. */
const USER = 'user:default/mock';
/** A permissions service that denies everything (AuthorizeResult.DENY, without importing permission-common). */
const DENY = { result: 'DENY' } as Parameters<
  typeof mockServices.permissions.factory
>[0];

async function start(privatelink: object, services: any[] = []) {
  const actions: TemplateAction<any, any, any>[] = [];
  await startTestBackend({
    extensionPoints: [
      [
        scaffolderActionsExtensionPoint,
        {
          addActions: (...added: TemplateAction<any, any, any>[]) =>
            actions.push(...added),
        },
      ],
    ],
    features: [
      scaffolderModulePrivateLink,
      mockServices.rootConfig.factory({ data: { privatelink } }),
      mockServices.events.factory(),
      // permissions, userInfo, auth and discovery come from the test backend's defaults.
      catalogServiceMock.factory(),
      ...services,
    ],
  });
  return new Map(actions.map(a => [a.id, a]));
}

const MOTO_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/orders-api/0123456789abcdef';

describe('scaffolderModulePrivateLink', () => {
  it('registers every aws:privatelink action', async () => {
    const actions = await start({});
    expect([...actions.keys()].sort()).toEqual([
      'aws:privatelink:connections:accept',
      'aws:privatelink:connections:reject',
      'aws:privatelink:endpoint-service:create',
      'aws:privatelink:endpoint-service:delete',
      'aws:privatelink:endpoint-service:update',
      'aws:privatelink:endpoint:create',
      'aws:privatelink:endpoint:delete',
      'aws:privatelink:nlb:create',
      'aws:privatelink:nlb:delete',
      'aws:privatelink:principals:allow',
      'aws:privatelink:principals:revoke',
      'aws:privatelink:private-dns:verify',
    ]);
  });

  it("accepts moto's load balancer ARNs only when privatelink.emulator is true", async () => {
    const input = {
      accountId: ACCOUNT,
      region: 'us-east-1',
      networkLoadBalancerArns: [MOTO_ARN],
      owner: USER,
    };
    const dryRun = () => ({
      ...createMockActionContext({ input }),
      isDryRun: true,
    });
    const accounts = [{ accountId: ACCOUNT, owner: USER }];

    const real = await start({ accounts });
    await expect(
      real.get('aws:privatelink:endpoint-service:create')!.handler(dryRun()),
    ).rejects.toThrow('must be a Network or Gateway Load Balancer ARN');

    // A closed loopback port: the dry run sends nothing anyway. An endpoint alone is no emulator.
    const endpointOnly = await start({ endpoint: 'http://127.0.0.1:9', accounts });
    await expect(
      endpointOnly.get('aws:privatelink:endpoint-service:create')!.handler(dryRun()),
    ).rejects.toThrow('must be a Network or Gateway Load Balancer ARN');

    const emulated = await start({ endpoint: 'http://127.0.0.1:9', emulator: true, accounts });
    const ctx = dryRun();
    await emulated.get('aws:privatelink:endpoint-service:create')!.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('created', true);
  });

  describe('binds the write path to the backend services', () => {
    const input = {
      accountId: ACCOUNT,
      region: 'us-east-1',
      networkLoadBalancerArns: [MOTO_ARN],
      owner: USER,
    };
    const dryRun = (override: object = {}) => ({
      ...createMockActionContext({ input: { ...input, ...override } }),
      isDryRun: true,
    });
    const emulated = { endpoint: 'http://127.0.0.1:9', emulator: true };
    const accounts = [{ accountId: ACCOUNT, owner: USER }];

    it('to the configured accounts', async () => {
      const actions = await start(emulated);
      await expect(
        actions
          .get('aws:privatelink:endpoint-service:create')!
          .handler(dryRun()),
      ).rejects.toThrow(
        `Account ${ACCOUNT} is not configured under privatelink.accounts`,
      );
    });

    it('to the permissions service', async () => {
      const actions = await start({ ...emulated, accounts }, [
        mockServices.permissions.factory(DENY),
      ]);
      await expect(
        actions
          .get('aws:privatelink:endpoint-service:create')!
          .handler(dryRun()),
      ).rejects.toThrow(
        `privatelink.resource.create is not allowed on account ${ACCOUNT}`,
      );
    });

    it("to the user info service, for the initiator's ownership refs", async () => {
      const actions = await start({ ...emulated, accounts });
      await expect(
        actions
          .get('aws:privatelink:endpoint-service:create')!
          .handler(dryRun({ owner: 'group:default/platform' })),
      ).rejects.toThrow(
        'You may only create resources owned by yourself or a group you belong to, not by group:default/platform',
      );
    });
  });

  it('refuses * as a principal unless the configuration allows it', async () => {
    const input = {
      accountId: ACCOUNT,
      region: 'us-east-1',
      serviceId: 'vpce-svc-0123456789abcdef0',
      principals: ['*'],
    };
    const dryRun = () => ({
      ...createMockActionContext({ input }),
      isDryRun: true,
    });
    const strict = await start({});
    await expect(
      strict.get('aws:privatelink:principals:allow')!.handler(dryRun()),
    ).rejects.toThrow('allowWildcardPrincipal');
    // The service is not in the catalog: the dry run of a configured account previews without an AWS call.
    const open = await start({
      allowWildcardPrincipal: true,
      accounts: [{ accountId: ACCOUNT, owner: USER }],
    });
    await expect(
      open.get('aws:privatelink:principals:allow')!.handler(dryRun()),
    ).resolves.toBeUndefined();
  });
});
