import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  Listener,
  LoadBalancer,
  paginateDescribeListeners,
  TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { isNotFound } from './errors';

/** Look-ups by name and ARN that return undefined, not an error, when there is nothing. */

export async function loadBalancerByName(
  elb: ElasticLoadBalancingV2Client,
  name: string,
): Promise<LoadBalancer | undefined> {
  return orUndefined(async () => {
    const res = await elb.send(
      new DescribeLoadBalancersCommand({ Names: [name] }),
    );
    return res.LoadBalancers?.[0];
  });
}

export async function loadBalancersByArn(
  elb: ElasticLoadBalancingV2Client,
  arns: string[],
): Promise<LoadBalancer[] | undefined> {
  return orUndefined(async () => {
    const res = await elb.send(
      new DescribeLoadBalancersCommand({ LoadBalancerArns: arns }),
    );
    return res.LoadBalancers ?? [];
  });
}

export async function targetGroupByName(
  elb: ElasticLoadBalancingV2Client,
  name: string,
): Promise<TargetGroup | undefined> {
  return orUndefined(async () => {
    const res = await elb.send(
      new DescribeTargetGroupsCommand({ Names: [name] }),
    );
    return res.TargetGroups?.[0];
  });
}

export async function targetGroupByArn(
  elb: ElasticLoadBalancingV2Client,
  arn: string,
): Promise<TargetGroup | undefined> {
  return orUndefined(async () => {
    const res = await elb.send(
      new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] }),
    );
    return res.TargetGroups?.[0];
  });
}

export async function listenerOnPort(
  elb: ElasticLoadBalancingV2Client,
  loadBalancerArn: string,
  port: number,
): Promise<Listener | undefined> {
  for await (const page of paginateDescribeListeners(
    { client: elb },
    { LoadBalancerArn: loadBalancerArn, PageSize: 400 },
  )) {
    const found = page.Listeners?.find(l => l.Port === port);
    if (found) return found;
  }
  return undefined;
}

export async function listenerByArn(
  elb: ElasticLoadBalancingV2Client,
  arn: string,
): Promise<Listener | undefined> {
  return orUndefined(async () => {
    const res = await elb.send(
      new DescribeListenersCommand({ ListenerArns: [arn] }),
    );
    return res.Listeners?.[0];
  });
}

/** The tags of one ELBv2 resource, as a record. */
export async function elbTags(
  elb: ElasticLoadBalancingV2Client,
  arn: string,
): Promise<Record<string, string>> {
  const res = await elb.send(new DescribeTagsCommand({ ResourceArns: [arn] }));
  const tags: Record<string, string> = {};
  for (const t of res.TagDescriptions?.[0]?.Tags ?? []) {
    if (t.Key) tags[t.Key] = t.Value ?? '';
  }
  return tags;
}

async function orUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
