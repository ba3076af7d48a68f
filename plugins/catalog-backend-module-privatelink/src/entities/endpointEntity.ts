// The entity of a consumer's VPC endpoint: a Resource of type vpc-endpoint, read in its own account when that
// account is configured, else known only from the provider's connection.
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_VIEW_URL,
  Entity,
  parseEntityRef,
} from '@backstage/catalog-model';
import { ANNOTATIONS, VPC_ENDPOINT_TYPE, encodeAnnotationList } from '@privatelink-backstage/plugin-privatelink-common';
import { consoleUrl, locationOf, StaleSince } from './common';
import { Consumer } from './consumers';
import { Placement } from './placement';

/**
 * The `vpc-endpoint` Resource of a consumer. `serviceRef` is the entity ref of the service it connects to, when a
 * configured account provides it (the entity then depends on it); `serviceLabel` names that service in the title
 * (its entity name, else its service name). Placed by `placement`, marked stale when the read it comes from is.
 */
export function endpointEntity(
  consumer: Consumer,
  serviceRef: string | undefined,
  serviceLabel: string,
  placement: Placement,
  staleSince: StaleSince,
): Entity {
  const e = consumer.endpoint;
  const tags = e?.tags ?? {};
  const component = placement.componentOf(tags);
  const system = placement.systemOf(tags, consumer.accountId);
  // An endpoint is read in its own account when that account is configured; else only the provider saw it.
  const stale = e ? staleSince(e.accountId, e.region) : staleSince(consumer.accountId, consumer.region);
  const loc = e
    ? locationOf({ accountId: e.accountId, region: e.region })
    : locationOf({ accountId: consumer.accountId ?? 'unknown', region: consumer.region });
  const who = component ? parseEntityRef(component).name : tags.Name || placement.accountLabel(consumer.accountId);
  const owner = placement.ownerOf(tags, consumer.accountId);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: consumer.endpointId,
      title: `${who} → ${serviceLabel}`,
      description: `VPC endpoint ${consumer.endpointId} in ${placement.accountLabel(consumer.accountId)}, ${consumer.region}, to ${e?.serviceName ?? serviceLabel}`,
      labels: placement.labelsOf(tags),
      tags: ['aws', 'privatelink'],
      annotations: {
        [ANNOTATION_LOCATION]: loc,
        [ANNOTATION_ORIGIN_LOCATION]: loc,
        [ANNOTATION_VIEW_URL]: consoleUrl(consumer.region, `EndpointDetails:vpcEndpointId=${consumer.endpointId}`),
        ...(consumer.accountId
          ? {
              [ANNOTATIONS.arn]: `arn:aws:ec2:${consumer.region}:${consumer.accountId}:vpc-endpoint/${consumer.endpointId}`,
              [ANNOTATIONS.accountId]: consumer.accountId,
            }
          : {}),
        [ANNOTATIONS.region]: consumer.region,
        [ANNOTATIONS.endpointId]: consumer.endpointId,
        [ANNOTATIONS.state]: consumer.state,
        [ANNOTATIONS.dnsNames]: encodeAnnotationList(consumer.dnsNames),
        ...(e ? { [ANNOTATIONS.serviceName]: e.serviceName } : {}),
        ...(e?.vpcId ? { [ANNOTATIONS.vpcId]: e.vpcId } : {}),
        ...(e?.endpointType ? { [ANNOTATIONS.endpointType]: e.endpointType } : {}),
        ...(e ? { [ANNOTATIONS.privateDnsEnabled]: String(e.privateDnsEnabled) } : {}),
        ...(consumer.createdAt ? { [ANNOTATIONS.createdAt]: consumer.createdAt } : {}),
        ...(stale ? { [ANNOTATIONS.staleSince]: stale } : {}),
        ...(owner.warning ? { [ANNOTATIONS.ownerWarning]: owner.warning } : {}),
      },
    },
    spec: {
      type: VPC_ENDPOINT_TYPE,
      owner: owner.owner,
      ...(system ? { system } : {}),
      ...(serviceRef ? { dependsOn: [serviceRef] } : {}),
      ...(component ? { dependencyOf: [component] } : {}),
    },
  };
}
