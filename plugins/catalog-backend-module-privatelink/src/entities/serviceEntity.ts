// The entity of an endpoint service: a Resource of type vpc-endpoint-service, read in the provider account.
import { ANNOTATION_LOCATION, ANNOTATION_ORIGIN_LOCATION, ANNOTATION_VIEW_URL, Entity } from '@backstage/catalog-model';
import {
  ANNOTATIONS,
  RETIREMENT_ANNOUNCED_TAG,
  VPC_ENDPOINT_SERVICE_TYPE,
  encodeAnnotationList,
} from '@privatelink-backstage/plugin-privatelink-common';
import { EndpointServiceRecord } from '../aws/types';
import { consoleUrl, locationOf, StaleSince } from './common';
import { Placement } from './placement';

/** The announced retirement's time from the service's tag, as ISO 8601; undefined when unset or not a time. */
function announcedAt(tags: Record<string, string>): string | undefined {
  const at = Date.parse(tags[RETIREMENT_ANNOUNCED_TAG] ?? '');
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
}

/**
 * The `vpc-endpoint-service` Resource of a service, named `name` (chosen among every service: see
 * `serviceEntityNames`), placed by `placement`, marked stale when its account and region's read is.
 */
export function serviceEntity(service: EndpointServiceRecord, name: string, placement: Placement, staleSince: StaleSince): Entity {
  const stale = staleSince(service.accountId, service.region);
  const owner = placement.ownerOf(service.tags, service.accountId);
  const component = placement.componentOf(service.tags);
  const system = placement.systemOf(service.tags, service.accountId);
  const location = locationOf({ accountId: service.accountId, region: service.region });
  const retirementAnnounced = announcedAt(service.tags);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      title: service.tags.Name || name,
      description: `AWS PrivateLink endpoint service ${service.serviceId} in ${placement.accountLabel(service.accountId)}, ${service.region}`,
      labels: placement.labelsOf(service.tags),
      tags: ['aws', 'privatelink'],
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        [ANNOTATION_VIEW_URL]: consoleUrl(service.region, `EndpointServiceDetails:endpointServiceId=${service.serviceId}`),
        [ANNOTATIONS.arn]: `arn:aws:ec2:${service.region}:${service.accountId}:vpc-endpoint-service/${service.serviceId}`,
        [ANNOTATIONS.accountId]: service.accountId,
        [ANNOTATIONS.region]: service.region,
        [ANNOTATIONS.serviceId]: service.serviceId,
        [ANNOTATIONS.serviceName]: service.serviceName,
        [ANNOTATIONS.state]: service.state,
        [ANNOTATIONS.acceptanceRequired]: String(service.acceptanceRequired),
        [ANNOTATIONS.dnsNames]: encodeAnnotationList(service.baseEndpointDnsNames),
        [ANNOTATIONS.loadBalancerArns]: encodeAnnotationList(service.loadBalancerArns),
        [ANNOTATIONS.allowedPrincipals]: encodeAnnotationList([...service.allowedPrincipals].sort()),
        [ANNOTATIONS.supportedRegions]: encodeAnnotationList(service.supportedRegions),
        ...(service.privateDnsName ? { [ANNOTATIONS.privateDnsName]: service.privateDnsName } : {}),
        ...(service.privateDnsState ? { [ANNOTATIONS.privateDnsState]: service.privateDnsState } : {}),
        ...(stale ? { [ANNOTATIONS.staleSince]: stale } : {}),
        ...(owner.warning ? { [ANNOTATIONS.ownerWarning]: owner.warning } : {}),
        ...(service.supportedIpAddressTypes.length
          ? { [ANNOTATIONS.supportedIpAddressTypes]: encodeAnnotationList([...service.supportedIpAddressTypes].sort()) }
          : {}),
        ...(retirementAnnounced ? { [ANNOTATIONS.retirementAnnounced]: retirementAnnounced } : {}),
      },
    },
    spec: {
      type: VPC_ENDPOINT_SERVICE_TYPE,
      owner: owner.owner,
      ...(system ? { system } : {}),
      ...(component ? { dependencyOf: [component] } : {}),
    },
  };
}
