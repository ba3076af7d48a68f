import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DescribeLoadBalancerAttributesCommand,
  ElasticLoadBalancingV2Client,
  ModifyLoadBalancerAttributesCommand,
  waitUntilLoadBalancerAvailable,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { IDEMPOTENCY_TAG_KEY, resourceTags, TagKeys, toAwsTags } from '../tags';
import { Cleanup } from './cleanup';
import {
  elbTags,
  listenerByArn,
  listenerOnPort,
  loadBalancerByName,
  loadBalancersByArn,
  targetGroupByArn,
  targetGroupByName,
} from './elb';
import { EnsureContext, ensureResource } from './ensure';
import { messageOf } from './errors';
import { sameOwner } from './owners';

/** The parts of an internal NLB for an endpoint service, as aws:privatelink:nlb:create takes them. */
export type LoadBalancerSpec = {
  accountId: string;
  region: string;
  name: string;
  vpcId: string;
  subnetIds: string[];
  port: number;
  protocol: 'TCP' | 'TLS';
  certificateArn?: string;
  targetType: 'instance' | 'ip' | 'alb';
  targetPort?: number;
  /** `dualstack` lets the endpoint service behind it support IPv6. Default `ipv4`. */
  ipAddressType?: 'ipv4' | 'dualstack';
  owner?: string;
  system?: string;
  component?: string;
  tags?: Record<string, string>;
};

/** NLB, cross-zone attribute, target group and listener, each found or created. */
export async function ensureLoadBalancerParts(
  ctx: EnsureContext,
  deps: {
    elb: ElasticLoadBalancingV2Client;
    elbOnce: ElasticLoadBalancingV2Client;
    input: LoadBalancerSpec;
    tagKeys: TagKeys;
    cleanup: Cleanup;
  },
) {
  const { elb, elbOnce, input, cleanup } = deps;
  const { accountId, region, name } = input;
  const targetGroupName = `${name}-tg`;
  const targetPort = input.targetPort ?? input.port;
  // Names are unique per account and region: the key marks what Backstage created under this name.
  const tagsFor = (resourceName: string, kind: string) =>
    toAwsTags(
      resourceTags({
        keys: deps.tagKeys,
        placement: {
          owner: input.owner,
          system: input.system,
          component: input.component,
        },
        idempotencyKey: `${kind}:${resourceName}`,
        extra: { Name: resourceName, ...input.tags },
      }),
    );
  const ours = async (
    arn: string,
    kind: string,
    resourceName: string,
    what: string,
  ) => {
    const tags = await elbTags(elb, arn);
    if (tags[IDEMPOTENCY_TAG_KEY] !== `${kind}:${resourceName}`) {
      throw new InputError(
        `A ${what} named ${resourceName} already exists (${arn}) and was not created by Backstage for this name; choose another name`,
      );
    }
    // Never hand over what was created for another owner under the same name.
    if (!sameOwner(tags[deps.tagKeys.owner], input.owner)) {
      throw new InputError(
        `A ${what} named ${resourceName} already exists (${arn}) for another owner (${tags[deps.tagKeys.owner] ?? 'none'}); choose another name`,
      );
    }
  };

  const lb = await ensureResource(ctx, {
    what: `load balancer ${name}`,
    checkpointKey: `privatelink-nlb-${accountId}-${region}-${name}`,
    find: async () => {
      const found = await loadBalancerByName(elb, name);
      if (!found?.LoadBalancerArn) return undefined;
      await ours(found.LoadBalancerArn, 'nlb', name, 'load balancer');
      if (
        found.Type !== 'network' ||
        found.Scheme !== 'internal' ||
        found.VpcId !== input.vpcId
      ) {
        throw new InputError(
          `Load balancer ${name} exists but is not an internal network load balancer in ${input.vpcId}`,
        );
      }
      return { arn: found.LoadBalancerArn, dnsName: found.DNSName ?? '' };
    },
    create: async () => {
      const res = await elbOnce.send(
        new CreateLoadBalancerCommand({
          Name: name,
          Type: 'network',
          Scheme: 'internal',
          IpAddressType: input.ipAddressType ?? 'ipv4',
          Subnets: input.subnetIds,
          Tags: tagsFor(name, 'nlb'),
        }),
      );
      const created = res.LoadBalancers?.[0];
      return {
        arn: created?.LoadBalancerArn ?? '',
        dnsName: created?.DNSName ?? '',
      };
    },
    get: async recorded => {
      const [found] = (await loadBalancersByArn(elb, [recorded.arn])) ?? [];
      return found ? recorded : undefined;
    },
  });
  if (lb.created) {
    cleanup.add(`load balancer ${lb.value.arn}`, () =>
      elb.send(
        new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.value.arn }),
      ),
    );
  }

  const attributes = await elb.send(
    new DescribeLoadBalancerAttributesCommand({
      LoadBalancerArn: lb.value.arn,
    }),
  );
  const crossZone = attributes.Attributes?.find(
    a => a.Key === 'load_balancing.cross_zone.enabled',
  )?.Value;
  if (crossZone !== 'true') {
    await elb.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: lb.value.arn,
        Attributes: [
          { Key: 'load_balancing.cross_zone.enabled', Value: 'true' },
        ],
      }),
    );
    ctx.logger.info(`Turned cross-zone load balancing on for ${name}`);
  }

  const tg = await ensureResource(ctx, {
    what: `target group ${targetGroupName}`,
    checkpointKey: `privatelink-tg-${accountId}-${region}-${targetGroupName}`,
    find: async () => {
      const found = await targetGroupByName(elb, targetGroupName);
      if (!found?.TargetGroupArn) return undefined;
      await ours(found.TargetGroupArn, 'tg', targetGroupName, 'target group');
      if (
        found.Protocol !== 'TCP' ||
        found.Port !== targetPort ||
        found.VpcId !== input.vpcId ||
        found.TargetType !== input.targetType
      ) {
        throw new InputError(
          `Target group ${targetGroupName} exists with other settings (${found.Protocol}/${found.Port}, ${found.TargetType}, ${found.VpcId})`,
        );
      }
      return { arn: found.TargetGroupArn };
    },
    create: async () => {
      const res = await elbOnce.send(
        new CreateTargetGroupCommand({
          Name: targetGroupName,
          Protocol: 'TCP',
          Port: targetPort,
          VpcId: input.vpcId,
          TargetType: input.targetType,
          Tags: tagsFor(targetGroupName, 'tg'),
        }),
      );
      return { arn: res.TargetGroups?.[0]?.TargetGroupArn ?? '' };
    },
    get: async recorded =>
      (await targetGroupByArn(elb, recorded.arn)) ? recorded : undefined,
  });
  if (tg.created) {
    cleanup.add(`target group ${tg.value.arn}`, () =>
      elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.value.arn })),
    );
  }

  const listener = await ensureResource(ctx, {
    what: `${input.protocol} listener on port ${input.port} of ${name}`,
    checkpointKey: `privatelink-listener-${accountId}-${region}-${name}-${input.port}`,
    find: async () => {
      const found = await listenerOnPort(elb, lb.value.arn, input.port);
      if (!found?.ListenerArn) return undefined;
      const forwardsTo = found.DefaultActions?.find(
        a => a.Type === 'forward',
      )?.TargetGroupArn;
      if (found.Protocol !== input.protocol || forwardsTo !== tg.value.arn) {
        throw new InputError(
          `Port ${input.port} of ${name} already has a ${found.Protocol} listener that does not forward to ${targetGroupName}`,
        );
      }
      return { arn: found.ListenerArn };
    },
    create: async () => {
      const res = await elbOnce.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb.value.arn,
          Protocol: input.protocol,
          Port: input.port,
          ...(input.certificateArn
            ? { Certificates: [{ CertificateArn: input.certificateArn }] }
            : {}),
          DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.value.arn }],
          Tags: tagsFor(`${name}-${input.port}`, 'listener'),
        }),
      );
      return { arn: res.Listeners?.[0]?.ListenerArn ?? '' };
    },
    get: async recorded =>
      (await listenerByArn(elb, recorded.arn)) ? recorded : undefined,
  });
  if (listener.created) {
    cleanup.add(`listener ${listener.value.arn}`, () =>
      elb.send(new DeleteListenerCommand({ ListenerArn: listener.value.arn })),
    );
  }

  return {
    loadBalancerArn: lb.value.arn,
    dnsName: lb.value.dnsName,
    targetGroupArn: tg.value.arn,
    listenerArn: listener.value.arn,
    created: lb.created || tg.created || listener.created,
  };
}

/** The SDK's waiter, bounded by the input's timeout, with one progress line per poll. */
export async function waitUntilActive(options: {
  elb: ElasticLoadBalancingV2Client;
  arn: string;
  name: string;
  logger: LoggerService;
  timeoutSeconds: number;
  minDelaySeconds?: number;
  signal?: AbortSignal;
}) {
  const { elb, logger, timeoutSeconds, name } = options;
  const started = Date.now();
  elb.middlewareStack.add(
    next => async args => {
      const result = await next(args);
      const states = ((result.output as any)?.LoadBalancers ?? []).map(
        (lb: any) => lb?.State?.Code,
      );
      const elapsed = Math.round((Date.now() - started) / 1000);
      logger.info(
        `Load balancer ${name} is ${
          states.join(', ') || 'not visible yet'
        } (${elapsed}s of at most ${timeoutSeconds}s)`,
      );
      return result;
    },
    { step: 'initialize', name: 'privatelinkWaitProgress' },
  );
  const minDelay = Math.min(options.minDelaySeconds ?? 15, timeoutSeconds / 2);
  try {
    await waitUntilLoadBalancerAvailable(
      {
        client: elb,
        maxWaitTime: timeoutSeconds,
        minDelay,
        maxDelay: Math.max(minDelay, 60),
        abortSignal: options.signal,
      },
      { LoadBalancerArns: [options.arn] },
    );
  } catch (err) {
    throw new Error(
      `Load balancer ${name} did not become active within ${timeoutSeconds}s: ${messageOf(
        err,
      )}`,
    );
  } finally {
    elb.destroy();
  }
}
