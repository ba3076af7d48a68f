import { EndpointState } from '@privatelink-backstage/plugin-privatelink-common';

/** A consumer's connection to an endpoint service, as the provider account sees it. */
export interface ConnectionRecord {
  endpointId: string;
  ownerAccountId?: string;
  state: EndpointState;
  createdAt?: string;
  dnsNames: string[];
}

/** An endpoint service with its permissions and connections, read in the account that owns it. */
export interface EndpointServiceRecord {
  accountId: string;
  region: string;
  serviceId: string;
  serviceName: string;
  serviceType?: string;
  state: string;
  acceptanceRequired: boolean;
  privateDnsName?: string;
  privateDnsState?: string;
  baseEndpointDnsNames: string[];
  loadBalancerArns: string[];
  supportedIpAddressTypes: string[];
  supportedRegions: string[];
  tags: Record<string, string>;
  allowedPrincipals: string[];
  /** Connections from the provider's view; undefined when DescribeVpcEndpointConnections could not be read. */
  connections?: ConnectionRecord[];
}

/** A VPC endpoint, read in the consumer account that owns it. */
export interface EndpointRecord {
  accountId: string;
  region: string;
  endpointId: string;
  endpointType?: string;
  serviceName: string;
  vpcId?: string;
  subnetIds: string[];
  state: EndpointState;
  privateDnsEnabled: boolean;
  dnsNames: string[];
  tags: Record<string, string>;
  createdAt?: string;
}

/** Everything read in one account and region at one time. */
export interface AccountRegionSnapshot {
  accountId: string;
  region: string;
  /** ISO time of the read. */
  readAt: string;
  services: EndpointServiceRecord[];
  endpoints: EndpointRecord[];
  /** Set when this snapshot is an older one kept because the latest read failed: ISO time of that failure. */
  staleSince?: string;
  /** Why the latest read failed, when stale. */
  error?: string;
  warnings: string[];
}
