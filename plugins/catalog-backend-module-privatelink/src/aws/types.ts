import { EndpointState } from '@privatelink-backstage/plugin-privatelink-common';

/**
 * A consumer's connection to an endpoint service, as the provider account sees it
 * (DescribeVpcEndpointConnections).
 *
 * Not a stable API: for this repository's benchmarks and tests.
 *
 * @public
 */
export interface ConnectionRecord {
  /** The id of the consumer's VPC endpoint (`vpce-…`). */
  endpointId: string;
  /** The account that owns the endpoint, when EC2 reports it. */
  ownerAccountId?: string;
  /** The connection's state, normalised by `normalizeEndpointState` (`unknown` for a value it does not know). */
  state: EndpointState;
  /** ISO time the endpoint was created, when EC2 reports it. */
  createdAt?: string;
  /** The DNS names of the endpoint's DNS entries. */
  dnsNames: string[];
}

/**
 * An endpoint service with its permissions and connections, read in the account that owns it.
 *
 * Not a stable API: for this repository's benchmarks and tests.
 *
 * @public
 */
export interface EndpointServiceRecord {
  /** The account the service was read in, which owns it. */
  accountId: string;
  /** The region the service was read in. */
  region: string;
  /** The service id (`vpce-svc-…`). */
  serviceId: string;
  /** The service name consumers connect to (`com.amazonaws.vpce.<region>.vpce-svc-…`). */
  serviceName: string;
  /** The first of the service's types (e.g. `Interface`), when EC2 reports one. */
  serviceType?: string;
  /** The service state as EC2 reports it (e.g. `Available`); `unknown` when EC2 reports none. */
  state: string;
  /** Whether connection requests must be accepted; `true` when EC2 does not say. */
  acceptanceRequired: boolean;
  /** The service's private DNS name, when it has one. */
  privateDnsName?: string;
  /** The verification state of the private DNS name (e.g. `pendingVerification`, `verified`), when reported. */
  privateDnsState?: string;
  /** The service's base DNS names. */
  baseEndpointDnsNames: string[];
  /** The ARNs of its Network Load Balancers, then of its Gateway Load Balancers. */
  loadBalancerArns: string[];
  /** The IP address types the service supports (`ipv4`, `ipv6`). */
  supportedIpAddressTypes: string[];
  /** The regions consumers may connect from (cross-region access); empty when EC2 lists none. */
  supportedRegions: string[];
  /** The service's AWS tags, by key. */
  tags: Record<string, string>;
  /** The principals allowed to connect (DescribeVpcEndpointServicePermissions); empty until they are read. */
  allowedPrincipals: string[];
  /** Connections from the provider's view; undefined when DescribeVpcEndpointConnections could not be read. */
  connections?: ConnectionRecord[];
}

/**
 * A VPC endpoint, read in the consumer account that owns it.
 *
 * Not a stable API: for this repository's benchmarks and tests.
 *
 * @public
 */
export interface EndpointRecord {
  /** The account that owns the endpoint (EC2's `OwnerId`, else the account it was read in). */
  accountId: string;
  /** The region the endpoint was read in. */
  region: string;
  /** The endpoint id (`vpce-…`). */
  endpointId: string;
  /** The endpoint type (`Interface`, `Gateway`, `GatewayLoadBalancer`), when EC2 reports it. */
  endpointType?: string;
  /** The name of the service the endpoint connects to. */
  serviceName: string;
  /** The VPC the endpoint is in, when EC2 reports it. */
  vpcId?: string;
  /** The subnets of its network interfaces (interface endpoints). */
  subnetIds: string[];
  /** The endpoint's state, normalised by `normalizeEndpointState` (`unknown` for a value it does not know). */
  state: EndpointState;
  /** Whether private DNS is enabled on the endpoint; `false` when EC2 does not say. */
  privateDnsEnabled: boolean;
  /** The DNS names of the endpoint's DNS entries. */
  dnsNames: string[];
  /** The endpoint's AWS tags, by key. */
  tags: Record<string, string>;
  /** ISO time the endpoint was created, when EC2 reports it. */
  createdAt?: string;
}

/**
 * Everything read in one account and region at one time.
 *
 * Not a stable API: for this repository's benchmarks and tests.
 *
 * @public
 */
export interface AccountRegionSnapshot {
  /** The account that was read. */
  accountId: string;
  /** The region that was read. */
  region: string;
  /** ISO time of the read. */
  readAt: string;
  /** The endpoint services this account owns in this region. */
  services: EndpointServiceRecord[];
  /** The VPC endpoints of this account in this region, to services of any account. */
  endpoints: EndpointRecord[];
  /** Set when this snapshot is an older one kept because the latest read failed: ISO time of that failure. */
  staleSince?: string;
  /** Why the latest read failed, when stale. */
  error?: string;
  /** What the read could not fully see (e.g. DescribeVpcEndpointConnections refused), to be logged. */
  warnings: string[];
}
