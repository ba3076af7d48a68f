import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  /**
   * AWS PrivateLink for Backstage. Credentials come from the root `aws` block of
   * `@backstage/integration-aws-node` (mainAccount, accounts[], accountDefaults with roleName and externalId);
   * this block says which accounts and regions to read and how to place what it finds in the catalog.
   */
  privatelink?: {
    /**
     * Endpoint override for every AWS client the plugins create (EC2, ELBv2, Route 53, STS), e.g. a local
     * moto server `http://127.0.0.1:5000` for the demo and the integration tests. Leave unset for real AWS.
     * Only an http or https URL on a loopback host (127.0.0.0/8, ::1, localhost) is accepted, without a user
     * name or password; the logs show its scheme, host and port only.
     */
    endpoint?: string;
    /**
     * Set to true when the clients talk to an emulator (moto): its quirks are then accepted, such as the
     * `loadbalancer/app/…` ARNs moto gives network load balancers. Setting `endpoint` alone does not turn this
     * on. Default: false.
     */
    emulator?: boolean;
    /** Limits of every AWS call, so that none can hang. */
    aws?: {
      /** Time to establish the connection of one attempt, in milliseconds (100 to 60000). Default: 3000. */
      connectionTimeoutMs?: number;
      /**
       * Time from sending one attempt's request to its response's headers, in milliseconds (100 to 300000); a
       * response whose body then stalls for as long fails too. A timed-out attempt is retried within the
       * call's attempts. Default: 20000.
       */
      requestTimeoutMs?: number;
      /**
       * Attempts in all of a call a user waits on (the API's changes, the scheduled acceptance of approved
       * consumers, the scaffolder actions), 1 to 10. The sync makes up to 8. Default: 3.
       */
      interactiveMaxAttempts?: number;
    };
    /** Regions read in every account that does not list its own. Default: ['us-east-1']. */
    regions?: string[];
    /**
     * The AWS accounts to read. Credentials for each come from the root `aws` block (an entry in
     * aws.accounts, or aws.accountDefaults for an assumed role).
     */
    accounts?: Array<{
      /** 12-digit account id. */
      accountId: string;
      /** Readable name, used in titles and logs. */
      name?: string;
      /** Regions to read in this account; default: privatelink.regions. */
      regions?: string[];
      /**
       * Owner entity ref of resources in this account that carry no owner tag, e.g. group:default/payments. Its
       * members may create PrivateLink resources in the account under the demo's permission policy.
       */
      owner?: string;
      /**
       * The owners an owner tag in this account may name, and so the teams the account delegates to: a tag
       * naming another owner is not trusted (the resource is owned by `owner` instead, with a
       * `privatelink.io/owner-warning` annotation), and members of these teams may create resources in the account
       * for their own team. Unset: any owner tag is taken as written.
       */
      owners?: string[];
      /** System entity ref of resources in this account that carry no system tag. */
      system?: string;
    }>;
    /** Where accounts come from besides `accounts` (configured accounts win over discovered ones). */
    discovery?: {
      /**
       * The accounts of an AWS organisation, listed from its management account or a delegated administrator
       * (only while the sync is on). Listed at start and every `refreshMinutes`; a failed listing keeps the
       * accounts of the last good one. Accounts that leave the organisation or stop matching lose their entities
       * at the next sync after a good listing.
       */
      organizations?: {
        /** False keeps the block but discovers nothing. Default: true. */
        enabled?: boolean;
        /** The management account or a delegated administrator; credentials from the root `aws` block. */
        accountId: string;
        /** Region of the Organizations client. Default: us-east-1. */
        region?: string;
        /**
         * Organizational units (`ou-…`) or the root (`r-…`) whose accounts are read, with the units below them
         * unless `includeChildren: false`, and optionally their own regions. Unset: every account.
         */
        organizationalUnits?: Array<{ id: string; includeChildren?: boolean; regions?: string[] }>;
        /** Account tags that must all be present with these values, e.g. { privatelink: enabled }. */
        tags?: { [key: string]: string };
        /** Account ids never read. */
        exclude?: string[];
        /** Account tag holding the account's owner entity ref. Default: backstage:owner. */
        ownerTagKey?: string;
        /** Account tag holding the account's system entity ref. Default: backstage:system. */
        systemTagKey?: string;
        /** Owner of an account without an owner tag. Default: privatelink.defaultOwner applies. */
        owner?: string;
        /** System of an account without a system tag. */
        system?: string;
        /** Regions of discovered accounts whose unit names none. Default: privatelink.regions. */
        regions?: string[];
        /** Minutes between listings (1 to 1440). Default: 10. */
        refreshMinutes?: number;
      };
    };
    /** Owner of resources with neither an owner tag nor an account owner. Default: group:default/platform. */
    defaultOwner?: string;
    /** AWS tag keys that place a resource in the catalog. */
    tagKeys?: {
      /** Tag holding the owner entity ref. Default: backstage:owner. */
      owner?: string;
      /** Tag holding the system entity ref. Default: backstage:system. */
      system?: string;
      /** Tag holding the component entity ref that the service exposes or the endpoint belongs to. Default: backstage:component. */
      component?: string;
      /** Tag holding the entity name to use. Default: backstage:name. */
      name?: string;
    };
    /**
     * Whether the principal `*` (every AWS account) may be allowed on an endpoint service through Backstage.
     * Default: false.
     */
    allowWildcardPrincipal?: boolean;
    /** Access requests of consumers to endpoint services. */
    accessRequests?: {
      /**
       * Whether a request may name an AWS account that is not under privatelink.accounts (an account of another
       * organisation). Such requests are flagged as external wherever the owners see them. Default false.
       */
      allowExternalAccounts?: boolean;
      /** Whether an owner may approve or deny a request they filed themselves. Default false. */
      allowSelfApproval?: boolean;
      /** Open (pending) requests one user may have on one service at a time; more are answered 429. Default 5. */
      maxOpenPerUser?: number;
    };
    /** The actions PrivateLink registers with Backstage's actions registry (served to AI agents over MCP). */
    actions?: {
      /**
       * The actions to register (without the `privatelink:` prefix): find-endpoint-services, get-endpoint-service,
       * get-consumer-connections, request-access, review-access-request. Default all of them; list fewer to keep
       * some out (e.g. only the read-only ones).
       */
      enabled?: Array<
        'find-endpoint-services' | 'get-endpoint-service' | 'get-consumer-connections' | 'request-access' | 'review-access-request'
      >;
    };
    /** How endpoint services are retired. */
    retirement?: {
      /**
       * How long the connected consumers of a service get between the announcement of a forced retirement and the
       * retirement: the first forced retirement tells them and tags the service; a forced retirement after the
       * period retires it. A duration (`{ days: 7 }` or `P7D`), at most 90 days. Default: none (retired at once).
       */
      gracePeriod?: HumanDuration | string;
    };
    /**
     * The cards' data (`GET /api/privatelink/v1/services` and `/v1/consumers`) is served from the synced catalog;
     * this keeps each answer for a few seconds (the service card's serialised and compressed). Callers whose catalog read decision is an
     * unconditional allow share one answer per service; others get their own, read with their credentials.
     */
    detailsCache?: {
      /** How long an answer and a caller's read decision are reused. 0 turns the cache off. Default: 5. */
      ttlSeconds?: number;
      /**
       * Bound on the memory the answers take, least recently used dropped first: 3/4 for the service cards', 1/4
       * for the consumer cards'. Default: 64.
       */
      maxMegabytes?: number;
    };
    /** The scheduled sync of endpoint services, permissions and connections into the catalog. */
    sync?: {
      /** Set to false to run the plugins without reading AWS. Default: true. */
      enabled?: boolean;
      /** When the full sync runs. Default: every 10 minutes, timeout 5 minutes. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * How many DescribeVpcEndpointServicePermissions calls (one per service) may run at once in one
       * account and region. Default: 4.
       */
      concurrency?: number;
      /**
       * Client-side pacing of the sync's Describe* calls per account and region, in front of EC2's own token
       * bucket (100 calls, refilled at 20 per second). Lower it when other tools share the accounts' budget.
       */
      rateLimit?: {
        /**
         * Calls that may go at once. Default: 100, EC2's own; a call's token counts against it until the call is
         * answered, so that the client never gets ahead of EC2's bucket.
         */
        burst?: number;
        /** Calls per second after the burst. Default: 20. */
        perSecond?: number;
      };
    };
  };
}
