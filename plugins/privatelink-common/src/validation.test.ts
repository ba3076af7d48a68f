import {
  accountIdSchema,
  describeIssues,
  endpointServiceSettingsChangeSchema,
  dnsNameSchema,
  endpointServiceIdSchema,
  endpointServiceNameSchema,
  loadBalancerArnSchema,
  principalArnSchema,
  principalSchema,
  regionSchema,
} from './validation';
import { normalizeEndpointState } from './entityModel';

describe('validators', () => {
  it.each(['123456789012', '000000000000'])('accepts account id %s', id => {
    expect(accountIdSchema.safeParse(id).success).toBe(true);
  });
  it.each(['12345678901', '1234567890123', '12345678901a', ' 123456789012'])('refuses account id %j', id => {
    expect(accountIdSchema.safeParse(id).success).toBe(false);
  });

  it('knows regions and refuses typos', () => {
    expect(regionSchema.safeParse('eu-west-1').success).toBe(true);
    const bad = regionSchema.safeParse('eu-west-7');
    expect(bad.success).toBe(false);
    expect(describeIssues(bad.error!, 'region')).toBe("region: unknown AWS region 'eu-west-7'");
  });

  it.each([
    'arn:aws:iam::123456789012:root',
    'arn:aws:iam::123456789012:role/consumer-app',
    'arn:aws:iam::123456789012:user/deploy.bot',
    'arn:aws-us-gov:iam::123456789012:root',
  ])('accepts principal %s', arn => {
    expect(principalArnSchema.safeParse(arn).success).toBe(true);
  });

  it.each([
    'arn:aws:iam::123456789012:role/path/to/role',
    'arn:aws:iam::12345678901:root',
    'arn:aws:sts::123456789012:assumed-role/x/y',
    '123456789012',
    '*',
  ])('refuses principal %s', arn => {
    expect(principalArnSchema.safeParse(arn).success).toBe(false);
  });

  it('refuses * unless configuration allows it', () => {
    const strict = principalSchema({ allowWildcard: false }).safeParse('*');
    expect(strict.success).toBe(false);
    expect(strict.error!.issues[0].message).toContain('allowWildcardPrincipal');
    expect(principalSchema({ allowWildcard: true }).safeParse('*').success).toBe(true);
    expect(principalSchema({ allowWildcard: true }).safeParse('arn:aws:iam::1:root').success).toBe(false);
  });

  it('checks service ids, service names, DNS names and load balancer ARNs', () => {
    expect(endpointServiceIdSchema.safeParse('vpce-svc-0123456789abcdef0').success).toBe(true);
    expect(endpointServiceIdSchema.safeParse('vpce-0123456789abcdef0').success).toBe(false);
    expect(endpointServiceNameSchema.safeParse('com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0').success).toBe(true);
    expect(endpointServiceNameSchema.safeParse('com.amazonaws.us-east-1.s3').success).toBe(true);
    expect(endpointServiceNameSchema.safeParse('vpce-svc-0123456789abcdef0').success).toBe(false);
    expect(dnsNameSchema.safeParse('auth.internal.example.com').success).toBe(true);
    expect(dnsNameSchema.safeParse('Auth.Example.com').success).toBe(false);
    expect(dnsNameSchema.safeParse('-bad.example.com').success).toBe(false);
    expect(dnsNameSchema.safeParse('localhost').success).toBe(false);
    expect(
      loadBalancerArnSchema.safeParse(
        'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/orders-api/0123456789abcdef',
      ).success,
    ).toBe(true);
    expect(
      loadBalancerArnSchema.safeParse(
        'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/orders-api/0123456789abcdef',
      ).success,
    ).toBe(false);
  });
});

describe('normalizeEndpointState', () => {
  it.each([
    ['pendingAcceptance', 'pendingAcceptance'],
    ['PendingAcceptance', 'pendingAcceptance'],
    ['pending-acceptance', 'pendingAcceptance'],
    ['Available', 'available'],
    ['rejected', 'rejected'],
    ['somethingNew', 'unknown'],
    [undefined, 'unknown'],
  ])('%s → %s', (raw, state) => {
    expect(normalizeEndpointState(raw)).toBe(state);
  });
});

describe('endpointServiceSettingsChangeSchema', () => {
  const issues = (value: unknown) => {
    const parsed = endpointServiceSettingsChangeSchema.safeParse(value);
    return parsed.success ? undefined : describeIssues(parsed.error);
  };

  it('takes IP address types and the placing tags as entity refs', () => {
    expect(issues({ supportedIpAddressTypes: ['ipv4', 'ipv6'], owner: 'group:default/payments', system: null, component: 'orders-api' })).toBeUndefined();
    expect(issues({ system: 'checkout' })).toBeUndefined();
  });

  it.each([
    [{ supportedIpAddressTypes: [] }, 'supportedIpAddressTypes: name at least one IP address type'],
    [{ supportedIpAddressTypes: ['ipv4', 'ipv4'] }, 'supportedIpAddressTypes: name each IP address type once'],
    [{ supportedIpAddressTypes: ['dualstack'] }, 'supportedIpAddressTypes.0'],
    [{ owner: 'user:default/bob' }, 'owner: must be a group ref'],
    [{ owner: null }, 'owner'],
    [{ system: 'component:default/x' }, 'system: must be a system ref'],
    [{ component: 'not a ref!' }, 'component: must be an entity ref'],
    [{ confirmCuts: true }, 'name at least one setting to change'],
  ])('refuses %j, naming the field', (value, message) => {
    expect(issues(value)).toContain(message);
  });
});
