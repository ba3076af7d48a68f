import type { AuditResult, WriteChannel } from './changes';
import { EndpointState } from './entityModel';

/** A consumer of an endpoint service: its endpoint, seen from the provider's and, where readable, its own account. @public */
export interface PrivateLinkConsumer {
  /** Entity ref of the vpc-endpoint Resource. */
  entityRef: string;
  endpointId: string;
  accountId?: string;
  region: string;
  state: EndpointState;
  /** Owner entity ref of the endpoint. */
  owner?: string;
  /** Component entity ref the endpoint belongs to, when tagged. */
  component?: string;
  createdAt?: string;
  dnsNames: string[];
  vpcId?: string;
  privateDnsEnabled?: boolean;
  /** Set when the consumer's account could not be read lately: ISO time of the last good read. */
  staleSince?: string;
}

/** What the entity card shows of an endpoint service, from the synced catalog state. @public */
export interface PrivateLinkServiceDetails {
  /** Entity ref of the vpc-endpoint-service Resource. */
  entityRef: string;
  title?: string;
  owner?: string;
  system?: string;
  serviceId: string;
  serviceName: string;
  accountId: string;
  region: string;
  state: string;
  acceptanceRequired: boolean;
  privateDnsName?: string;
  privateDnsState?: string;
  dnsNames: string[];
  loadBalancerArns: string[];
  supportedRegions: string[];
  allowedPrincipals: string[];
  staleSince?: string;
  consumers: PrivateLinkConsumer[];
  /** Number of consumers per state. */
  counts: Partial<Record<EndpointState, number>>;
}

/** Status of an access request. @public */
export type AccessRequestStatus = 'pending' | 'approved' | 'denied' | 'failed';

/** A consumer's request to be allowed on an endpoint service. @public */
export interface AccessRequest {
  id: string;
  serviceRef: string;
  /** The component or group that will consume. */
  consumerRef: string;
  /** The account that will create the endpoint; it becomes an allowed principal on approval. */
  accountId: string;
  reason: string;
  status: AccessRequestStatus;
  requestedBy: string;
  requestedAt: string;
  decidedBy?: string;
  decidedAt?: string;
  decisionReason?: string;
  /** Endpoint ids whose connections were accepted on approval. */
  acceptedEndpointIds?: string[];
  error?: string;
  /** True when the account is not one of the configured accounts (`accessRequests.allowExternalAccounts`). */
  external: boolean;
  /** The AWS service the request is for, as it was when the request was filed. */
  target?: { accountId: string; region: string; serviceId: string };
  /**
   * After approval, where the follow-up that accepts the consumer's connections stands: `active` (it looks
   * once a minute), or why it stopped: `accepted` (done), `revoked` (the account is no longer allowed),
   * `rejected` (an owner rejected one of its connections).
   */
  followUp: AccessRequestFollowUp;
  /** Connections of the account that the owners had rejected when they approved (they do not stop the follow-up). */
  rejectedAtApproval?: string[];
}

/** Where the acceptance follow-up of an approved request stands. @public */
export type AccessRequestFollowUp = 'active' | 'accepted' | 'revoked' | 'rejected';

/** Body of a new access request. @public */
export interface CreateAccessRequest {
  serviceRef: string;
  consumerRef: string;
  accountId: string;
  reason: string;
}

/**
 * One line of the audit log: one attempt to change AWS through Backstage (refused, failed or done), who made it,
 * through which door, on which service or account, and how it ended. The row is written before AWS is called and
 * completed after it answers, so a crash halfway leaves a `started` row behind.
 * @public
 */
export interface AuditEntry {
  id: number;
  /** The person who caused the change (user entity ref), or `plugin:privatelink` for its scheduled job. */
  actor: string;
  via: WriteChannel;
  action: string;
  /** The endpoint service's entity ref, when the change is on a service the catalog knows. */
  serviceRef?: string;
  accountId?: string;
  region?: string;
  serviceId?: string;
  details: Record<string, unknown>;
  result: AuditResult;
  message?: string;
  createdAt: string;
  completedAt?: string;
}
