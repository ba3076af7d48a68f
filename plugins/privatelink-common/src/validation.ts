import { z } from 'zod';

/**
 * Isomorphic validators for the identifiers PrivateLink deals in. They are used at every boundary: config,
 * scaffolder input, HTTP bodies and the frontend's forms, so that a bad value is refused before any AWS call.
 */

/** A 12-digit AWS account id. @public */
export const accountIdSchema = z
  .string()
  .regex(/^\d{12}$/, 'must be a 12-digit AWS account id, e.g. 123456789012');

/**
 * Regions PrivateLink is offered in (commercial, GovCloud and China partitions). A region outside this list
 * is almost always a typo, which is why config and input are checked against it.
 * @public
 */
export const AWS_REGIONS = [
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4',
  'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', 'ca-central-1', 'ca-west-1', 'cn-north-1',
  'cn-northwest-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1',
  'eu-west-2', 'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1', 'sa-east-1',
  'us-east-1', 'us-east-2', 'us-gov-east-1', 'us-gov-west-1', 'us-west-1', 'us-west-2',
] as const;

/** A known AWS region. @public */
export const regionSchema = z.enum(AWS_REGIONS, {
  error: issue => `unknown AWS region '${String(issue.input)}'`,
});

/** An endpoint service id, `vpce-svc-` followed by 17 hex digits. @public */
export const endpointServiceIdSchema = z
  .string()
  .regex(/^vpce-svc-[0-9a-f]{8,17}$/, 'must be an endpoint service id like vpce-svc-0123456789abcdef0');

/** An endpoint service name as consumers use it. @public */
export const endpointServiceNameSchema = z
  .string()
  .regex(
    /^(com\.amazonaws\.vpce\.[a-z0-9-]+\.vpce-svc-[0-9a-f]{8,17}|com\.amazonaws\.[a-z0-9-]+\.[a-z0-9.-]+|aws\.[a-z0-9.-]+)$/,
    'must be an endpoint service name like com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0',
  );

/** A VPC endpoint id. @public */
export const endpointIdSchema = z
  .string()
  .regex(/^vpce-[0-9a-f]{8,17}$/, 'must be a VPC endpoint id like vpce-0123456789abcdef0');

const PRINCIPAL = /^arn:aws(?:-cn|-us-gov)?:iam::\d{12}:(?:root|role\/[\w+=,.@-]{1,64}|user\/[\w+=,.@-]{1,64})$/;

/**
 * An allowed principal in a form AWS accepts for endpoint service permissions: an account root, a role or a
 * user ARN, without IAM paths. `*` is a separate, explicitly allowed case (see {@link principalSchema}).
 * @public
 */
export const principalArnSchema = z
  .string()
  .regex(
    PRINCIPAL,
    'must be an IAM principal ARN: arn:aws:iam::<12-digit account>:root, :role/<name> or :user/<name> (no paths)',
  );

/**
 * A principal, where `*` (everyone) is accepted only when `allowWildcard` says so: configuration must opt in.
 * @public
 */
export function principalSchema(options: { allowWildcard: boolean }) {
  return z.string().superRefine((value, ctx) => {
    if (value === '*') {
      if (!options.allowWildcard) {
        ctx.addIssue({
          code: 'custom',
          message:
            "the principal '*' lets every AWS account connect; it is refused unless privatelink.allowWildcardPrincipal is true",
        });
      }
      return;
    }
    if (!PRINCIPAL.test(value)) {
      ctx.addIssue({
        code: 'custom',
        message: `'${value}' is not an IAM principal ARN: use arn:aws:iam::<12-digit account>:root, :role/<name> or :user/<name> (no paths)`,
      });
    }
  });
}

/** A DNS name for private DNS: lower-case labels, at least two, no trailing dot. @public */
export const dnsNameSchema = z
  .string()
  .max(253)
  .regex(
    /^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'must be a lower-case DNS name like api.internal.example.com',
  );

/** An Elastic Load Balancing v2 ARN (Network or Gateway Load Balancer). @public */
export const loadBalancerArnSchema = z
  .string()
  .regex(
    /^arn:aws(?:-cn|-us-gov)?:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/(?:net|gwy)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/,
    'must be a Network or Gateway Load Balancer ARN',
  );

/**
 * Formats zod issues as one sentence naming each field, for InputError messages and start-up failures.
 * @public
 */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map(issue => {
      const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/**
 * An entity ref as a placing tag holds it: `kind:namespace/name`, `namespace/name` or `name`, of the given kind when
 * it names one (at most 255 characters, the limit of an AWS tag value). Kept as written; the write path makes it a
 * full ref.
 */
function placementRefSchema(kind: string) {
  return z
    .string()
    .min(1)
    .max(255)
    .regex(/^(?:[A-Za-z]+:)?(?:[a-z0-9][a-z0-9-]{0,62}\/)?[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'must be an entity ref, e.g. team-a or group:default/team-a')
    .refine(ref => !ref.includes(':') || ref.split(':')[0].toLocaleLowerCase('en-US') === kind, `must be a ${kind} ref`);
}

/**
 * The fields of an {@link EndpointServiceSettingsChange}, validated: at least one setting, no region both added and
 * removed, at most 20 regions each way, entity refs for the placing tags, one to two IP address types. The route and the action share it.
 * @public
 */
export const endpointServiceSettingsChangeSchema = z
  .object({
    acceptanceRequired: z.boolean().optional(),
    addSupportedRegions: z.array(regionSchema).max(20).optional(),
    removeSupportedRegions: z.array(regionSchema).max(20).optional(),
    privateDnsName: dnsNameSchema.nullable().optional(),
    supportedIpAddressTypes: z
      .array(z.enum(['ipv4', 'ipv6']))
      .min(1, 'name at least one IP address type (ipv4, ipv6)')
      .max(2)
      .refine(t => new Set(t).size === t.length, 'name each IP address type once')
      .optional(),
    owner: placementRefSchema('group').optional(),
    system: placementRefSchema('system').nullable().optional(),
    component: placementRefSchema('component').nullable().optional(),
    confirmCuts: z.boolean().optional(),
  })
  .strict()
  .refine(
    c =>
      c.acceptanceRequired !== undefined ||
      (c.addSupportedRegions?.length ?? 0) > 0 ||
      (c.removeSupportedRegions?.length ?? 0) > 0 ||
      c.privateDnsName !== undefined ||
      c.supportedIpAddressTypes !== undefined ||
      c.owner !== undefined ||
      c.system !== undefined ||
      c.component !== undefined,
    {
      message:
        'name at least one setting to change (acceptanceRequired, addSupportedRegions, removeSupportedRegions, privateDnsName, supportedIpAddressTypes, owner, system, component)',
    },
  )
  .refine(c => !(c.addSupportedRegions ?? []).some(r => (c.removeSupportedRegions ?? []).includes(r)), {
    message: 'a region cannot be both added and removed',
    path: ['removeSupportedRegions'],
  });
