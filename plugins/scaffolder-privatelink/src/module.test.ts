import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { scaffolderModulePrivateLink } from './module';

async function start(privatelink: object) {
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
      'aws:privatelink:endpoint:create',
      'aws:privatelink:nlb:create',
      'aws:privatelink:principals:allow',
      'aws:privatelink:principals:revoke',
      'aws:privatelink:private-dns:verify',
    ]);
  });

  it("accepts moto's load balancer ARNs only when an emulator endpoint is configured", async () => {
    const input = {
      accountId: '123456789012',
      region: 'us-east-1',
      networkLoadBalancerArns: [MOTO_ARN],
    };
    const dryRun = () => ({
      ...createMockActionContext({ input }),
      isDryRun: true,
    });

    const real = await start({});
    await expect(
      real.get('aws:privatelink:endpoint-service:create')!.handler(dryRun()),
    ).rejects.toThrow('must be a Network or Gateway Load Balancer ARN');

    // A closed loopback port: the dry run sends nothing anyway.
    const emulated = await start({ endpoint: 'http://127.0.0.1:9' });
    const ctx = dryRun();
    await emulated.get('aws:privatelink:endpoint-service:create')!.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('created', true);
  });

  it('refuses * as a principal unless the configuration allows it', async () => {
    const input = {
      accountId: '123456789012',
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
    const open = await start({ allowWildcardPrincipal: true });
    await expect(
      open.get('aws:privatelink:principals:allow')!.handler(dryRun()),
    ).resolves.toBeUndefined();
  });
});
