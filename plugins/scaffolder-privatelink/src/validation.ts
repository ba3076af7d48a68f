import { z } from 'zod';

/**
 * Validators for the identifiers that only the scaffolder actions take; the shared ones (account, region,
 * service id and name, principal, DNS name, load balancer ARN) live in plugin-privatelink-common.
 */

const hexId = (prefix: string, example: string) =>
  z
    .string()
    .regex(
      new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`),
      `must be an id like ${example}`,
    );

/** A subnet id. */
export const subnetIdSchema = hexId('subnet', 'subnet-0123456789abcdef0');
/** A VPC id. */
export const vpcIdSchema = hexId('vpc', 'vpc-0123456789abcdef0');
/** A security group id. */
export const securityGroupIdSchema = hexId('sg', 'sg-0123456789abcdef0');
/** A route table id. */
export const routeTableIdSchema = hexId('rtb', 'rtb-0123456789abcdef0');

/** An ACM certificate ARN, for TLS listeners. */
export const acmCertificateArnSchema = z
  .string()
  .regex(
    /^arn:aws(?:-cn|-us-gov)?:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/,
    'must be an ACM certificate ARN like arn:aws:acm:us-east-1:123456789012:certificate/<uuid>',
  );

/** A Route 53 hosted zone id, with or without the `/hostedzone/` prefix the API sometimes returns. */
export const hostedZoneIdSchema = z
  .string()
  .regex(
    /^(?:\/hostedzone\/)?[A-Z0-9]{1,32}$/,
    'must be a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ',
  )
  .transform(id => id.replace(/^\/hostedzone\//, ''));

/**
 * A name for a load balancer that also leaves room for the `-tg` suffix of its target group (32 characters).
 * ELBv2 refuses names that start with `internal-`.
 */
export const loadBalancerNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,27}[A-Za-z0-9])?$/,
    'must be 1-29 letters, digits or hyphens, not starting or ending with a hyphen',
  )
  .refine(name => !name.includes('--'), 'must not contain two hyphens in a row')
  .refine(
    name => !name.toLowerCase().startsWith('internal-'),
    "must not start with 'internal-'",
  );

/**
 * A catalog-friendly name (the `backstage:name` tag names the catalog entity), also used in resource names.
 */
export const resourceNameSchema = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    'must be lower-case letters, digits and hyphens (at most 63), e.g. orders-api',
  );

/** An entity reference such as `group:default/payments` or `payments`, as tag values that place a resource. */
export const entityRefSchema = z
  .string()
  .regex(
    /^(?:[a-z]+:)?(?:[a-z0-9][a-z0-9._-]*\/)?[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$/,
    'must be an entity reference like group:default/payments',
  );

/** Extra AWS tags; `aws:` keys are reserved by AWS. */
export const extraTagsSchema = z
  .record(z.string(), z.string().max(256))
  .superRefine((tags, ctx) => {
    const keys = Object.keys(tags);
    if (keys.length > 40) {
      ctx.addIssue({ code: 'custom', message: 'at most 40 extra tags' });
    }
    for (const key of keys) {
      if (key.length < 1 || key.length > 128 || key.startsWith('aws:')) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message:
            "tag keys are 1-128 characters and must not start with 'aws:'",
        });
      }
    }
  });

/** A TCP port. */
export const portSchema = z.number().int().min(1).max(65535);

/** An upper bound on waiting for a resource, in seconds. */
export const timeoutSecondsSchema = z.number().int().min(1).max(3600);

/** An idempotency key given by the template (else derived from the name or the task). */
export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x20-\x7e]+$/, 'must be printable ASCII');

/** Items that occur more than once in a list. */
export function duplicates<T>(items: readonly T[]): T[] {
  return [...new Set(items.filter((item, i) => items.indexOf(item) !== i))];
}

/**
 * A load balancer ARN as moto writes it: moto names every load balancer `loadbalancer/app/…`, even a network
 * one. Accepted only when `privatelink.emulator` is true; the type is then checked with
 * DescribeLoadBalancers like any other.
 */
export const emulatorLoadBalancerArnSchema = z
  .string()
  .regex(
    /^arn:aws:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/(?:net|gwy|app)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/,
    'must be a Network Load Balancer ARN',
  );

/** The account and region that an ARN names. */
export function arnAccountAndRegion(arn: string): {
  region: string;
  accountId: string;
} {
  const [, , , region = '', accountId = ''] = arn.split(':');
  return { region, accountId };
}
