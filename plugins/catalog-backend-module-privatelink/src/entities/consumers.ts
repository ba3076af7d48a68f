// Consumer matching: who consumes each service — the connections the provider account sees, joined with the
// endpoints read in the consumer accounts — and the endpoints left over, to services no configured account
// provides (AWS services, other organisations' services).
import { EndpointState } from '@privatelink-backstage/plugin-privatelink-common';
import { AccountRegionSnapshot, EndpointRecord, EndpointServiceRecord } from '../aws/types';

/** A consumer of a service: a connection seen by the provider, an endpoint seen in the consumer's account, or both. */
export interface Consumer {
  /** The VPC endpoint's id: the consumer's entity name. */
  endpointId: string;
  /** The account that owns the endpoint, when known. */
  accountId?: string;
  region: string;
  state: EndpointState;
  createdAt?: string;
  dnsNames: string[];
  /** The endpoint as read in its own account, when that account is configured and was read. */
  endpoint?: EndpointRecord;
}

/** A consumer that an endpoint read in the consumer's account shows (with or without a connection). */
export type EndpointConsumer = Consumer & { endpoint: EndpointRecord };

/** The consumers of the services of some snapshots: see {@link matchConsumers}. */
export interface ConsumerMatching {
  /**
   * The consumers of a service, by endpoint id: each of its connections (with the endpoint read in the consumer
   * account, if any), then each endpoint to its service name that no connection already brought.
   */
  consumersOf(service: EndpointServiceRecord): Consumer[];
  /**
   * The endpoints, by endpoint id, that were the consumer of no service passed to {@link ConsumerMatching.consumersOf}
   * so far: call it after every service's consumers were taken.
   */
  unmatched(): EndpointConsumer[];
}

const byEndpointId = (a: Consumer, b: Consumer) => a.endpointId.localeCompare(b.endpointId);

/** The consumer an endpoint read in the consumer's account shows, when no connection brought it. */
const endpointConsumer = (e: EndpointRecord): EndpointConsumer => ({
  endpointId: e.endpointId,
  accountId: e.accountId,
  region: e.region,
  state: e.state,
  createdAt: e.createdAt,
  dnsNames: e.dnsNames,
  endpoint: e,
});

/**
 * Matches the endpoints of the snapshots to services: the endpoints are grouped by service name once, so that
 * matching costs endpoints + services, not their product. An endpoint read twice (in two snapshots) counts once,
 * as read last.
 */
export function matchConsumers(snapshots: AccountRegionSnapshot[]): ConsumerMatching {
  const endpoints = new Map<string, EndpointRecord>();
  for (const s of snapshots) for (const e of s.endpoints) endpoints.set(e.endpointId, e);
  const endpointsByService = new Map<string, EndpointRecord[]>();
  for (const e of endpoints.values()) {
    const group = endpointsByService.get(e.serviceName);
    if (group) group.push(e);
    else endpointsByService.set(e.serviceName, [e]);
  }
  const matched = new Set<string>();

  return {
    consumersOf(service) {
      const consumers = new Map<string, Consumer>();
      for (const c of service.connections ?? []) {
        consumers.set(c.endpointId, {
          endpointId: c.endpointId,
          accountId: c.ownerAccountId,
          region: service.region,
          state: c.state,
          createdAt: c.createdAt,
          dnsNames: c.dnsNames,
          endpoint: endpoints.get(c.endpointId),
        });
      }
      for (const e of endpointsByService.get(service.serviceName) ?? []) {
        if (!consumers.has(e.endpointId)) consumers.set(e.endpointId, endpointConsumer(e));
      }
      const sorted = [...consumers.values()].sort(byEndpointId);
      for (const consumer of sorted) matched.add(consumer.endpointId);
      return sorted;
    },
    unmatched() {
      const left: EndpointConsumer[] = [];
      for (const e of endpoints.values()) if (!matched.has(e.endpointId)) left.push(endpointConsumer(e));
      return left.sort(byEndpointId);
    },
  };
}

/**
 * The snapshots cut down to one service: in each, only that service and the endpoints that connect to it. With
 * the services' entity names of the whole set ({@link buildEntities}' `serviceEntityName`), buildEntities makes
 * from them exactly that service's entities of a full build (its own and its consumers'), in the time one
 * service takes.
 */
export function snapshotsOfService(snapshots: AccountRegionSnapshot[], serviceName: string): AccountRegionSnapshot[] {
  return snapshots.map(s => ({
    ...s,
    services: s.services.filter(x => x.serviceName === serviceName),
    endpoints: s.endpoints.filter(e => e.serviceName === serviceName),
  }));
}
