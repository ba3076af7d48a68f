import type { EndpointServiceRecord } from '../aws/types';
import {
  DescribeVpcEndpointConnectionsCommandOutput,
  DescribeVpcEndpointsCommandOutput,
  DescribeVpcEndpointServiceConfigurationsCommandOutput,
} from '@aws-sdk/client-ec2';

/** Fixtures shaped like real EC2 responses (lowerCamel states, Date timestamps, tags, DnsEntries). */
export const PROVIDER = '123456789012';
export const CONSUMER = '210987654321';
export const REGION = 'us-east-1';

export const serviceId = (n: number) => `vpce-svc-${n.toString(16).padStart(17, '0')}`;
export const serviceName = (n: number) => `com.amazonaws.vpce.${REGION}.${serviceId(n)}`;
export const endpointId = (n: number) => `vpce-${n.toString(16).padStart(17, '0')}`;

export function serviceConfiguration(n: number, extra: { name?: string; owner?: string; component?: string; privateDnsName?: string; acceptanceRequired?: boolean } = {}) {
  return {
    ServiceType: [{ ServiceType: 'Interface' as const }],
    ServiceId: serviceId(n),
    ServiceName: serviceName(n),
    ServiceState: 'Available' as const,
    AvailabilityZones: ['us-east-1a', 'us-east-1b'],
    AcceptanceRequired: extra.acceptanceRequired ?? true,
    ManagesVpcEndpoints: false,
    NetworkLoadBalancerArns: [`arn:aws:elasticloadbalancing:${REGION}:${PROVIDER}:loadbalancer/net/nlb-${n}/${n.toString(16).padStart(16, '0')}`],
    SupportedIpAddressTypes: ['ipv4' as const],
    BaseEndpointDnsNames: [`${serviceId(n)}.${REGION}.vpce.amazonaws.com`],
    PrivateDnsName: extra.privateDnsName,
    PrivateDnsNameConfiguration: extra.privateDnsName
      ? { State: 'pendingVerification' as const, Type: 'TXT', Value: 'vpce:abc', Name: '_abc' }
      : undefined,
    PayerResponsibility: 'ServiceOwner' as const,
    Tags: [
      ...(extra.name ? [{ Key: 'backstage:name', Value: extra.name }, { Key: 'Name', Value: extra.name }] : []),
      ...(extra.owner ? [{ Key: 'backstage:owner', Value: extra.owner }] : []),
      ...(extra.component ? [{ Key: 'backstage:component', Value: extra.component }] : []),
      { Key: 'cost-center', Value: 'CC 1234/shared' },
    ],
  };
}

export function configurationsPage(
  items: ReturnType<typeof serviceConfiguration>[],
  NextToken?: string,
): Partial<DescribeVpcEndpointServiceConfigurationsCommandOutput> {
  return { ServiceConfigurations: items, NextToken };
}

export function connection(n: number, service: number, state = 'available', owner = CONSUMER): NonNullable<DescribeVpcEndpointConnectionsCommandOutput['VpcEndpointConnections']>[number] {
  return {
    ServiceId: serviceId(service),
    VpcEndpointId: endpointId(n),
    VpcEndpointOwner: owner,
    VpcEndpointState: state as any,
    CreationTimestamp: new Date('2026-10-01T10:00:00Z'),
    DnsEntries: [{ DnsName: `${endpointId(n)}-abc.${serviceId(service)}.${REGION}.vpce.amazonaws.com`, HostedZoneId: 'Z7HUB22UULQXV' }],
    IpAddressType: 'ipv4',
  };
}

export function vpcEndpoint(n: number, service: number, extra: { owner?: string; component?: string; account?: string; serviceName?: string } = {}): NonNullable<DescribeVpcEndpointsCommandOutput['VpcEndpoints']>[number] {
  return {
    VpcEndpointId: endpointId(n),
    VpcEndpointType: 'Interface',
    VpcId: 'vpc-0a1b2c3d4e5f60718',
    ServiceName: extra.serviceName ?? serviceName(service),
    // The wire sends lowerCamel, whatever the SDK's enum says.
    State: 'available' as any,
    SubnetIds: ['subnet-0aaa', 'subnet-0bbb'],
    PrivateDnsEnabled: false,
    RequesterManaged: false,
    OwnerId: extra.account ?? CONSUMER,
    CreationTimestamp: new Date('2026-10-01T10:00:00Z'),
    DnsEntries: [{ DnsName: `${endpointId(n)}-abc.${serviceId(service)}.${REGION}.vpce.amazonaws.com` }],
    Tags: [
      ...(extra.owner ? [{ Key: 'backstage:owner', Value: extra.owner }] : []),
      ...(extra.component ? [{ Key: 'backstage:component', Value: extra.component }] : []),
    ],
  };
}

/**
 * Endpoint service `n` of the provider account as the inventory records it (an available service requiring
 * acceptance, no tags, no principals, no connections), with `overrides`.
 */
export function serviceRecord(n: number, overrides: Partial<EndpointServiceRecord> = {}): EndpointServiceRecord {
  return {
    accountId: PROVIDER,
    region: REGION,
    serviceId: serviceId(n),
    serviceName: serviceName(n),
    state: 'Available',
    acceptanceRequired: true,
    baseEndpointDnsNames: [],
    loadBalancerArns: [],
    supportedIpAddressTypes: [],
    supportedRegions: [],
    tags: {},
    allowedPrincipals: [],
    connections: [],
    ...overrides,
  };
}
