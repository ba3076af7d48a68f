import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  AccessRequest,
  PrivateLinkConsumer,
  PrivateLinkConsumerDetails,
  PrivateLinkConsumerEndpoint,
  PrivateLinkServiceDetails,
  RetirementAnnouncement,
  normalizeEndpointState,
} from '@privatelink-backstage/plugin-privatelink-common';
import { PrivateLinkApi } from '../src/api';
import {
  sampleComponent,
  sampleEndpoints,
  sampleService,
} from './sampleEntities';

/**
 * The retirement grace period of the sandbox: short, so that both an announced retirement and the retirement
 * after it can be tried.
 */
const GRACE_PERIOD_MS = 2 * 60 * 1000;

/** A Backstage error response of the backend, as the client throws it. */
function refusal(
  status: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json' } },
    ),
  );
}

/** A full entity ref of the given default kind, as the write path makes of a placing tag. */
function fullRef(ref: string, defaultKind: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
  );
}

/**
 * An in-memory PrivateLink API over the sample entities, for `yarn start` without a backend. Settings changes
 * (IP address types, owner, system and component included) are kept; retiring with connected consumers is
 * refused unless forced, and a forced retirement first announces it, for a short grace period.
 */
export function createSamplePrivateLinkApi(): PrivateLinkApi {
  const serviceRef = stringifyEntityRef(sampleService);
  const a = sampleService.metadata.annotations!;
  const consumers: PrivateLinkConsumer[] = sampleEndpoints.map(e => ({
    entityRef: stringifyEntityRef(e),
    endpointId: e.metadata.annotations!['privatelink.io/endpoint-id'],
    accountId: e.metadata.annotations!['amazonaws.com/account-id'],
    region: 'eu-west-1',
    state: normalizeEndpointState(
      e.metadata.annotations!['privatelink.io/state'],
    ),
    owner: e.spec?.owner as string,
    component: (e.spec?.dependencyOf as string[] | undefined)?.[0],
    createdAt: '2024-05-01T09:00:00Z',
    // As AWS names an interface endpoint's DNS names: the regional one first, then one per zone.
    dnsNames: ['', '-eu-west-1a', '-eu-west-1b'].map(
      zone =>
        `${
          e.metadata.annotations!['privatelink.io/endpoint-id']
        }-abcd1234${zone}.${
          a['privatelink.io/service-id']
        }.eu-west-1.vpce.amazonaws.com`,
    ),
    vpcId: 'vpc-0a1b2c3d4e5f60718',
    privateDnsEnabled: true,
  }));
  const principals = [
    'arn:aws:iam::222222222222:root',
    'arn:aws:iam::333333333333:root',
  ];
  const requests: AccessRequest[] = [];
  const settings = {
    acceptanceRequired: true,
    supportedRegions: ['eu-west-1'],
    privateDnsName: a['privatelink.io/private-dns-name'] as string | undefined,
    privateDnsState: a['privatelink.io/private-dns-state'],
    supportedIpAddressTypes: ['ipv4'] as Array<'ipv4' | 'ipv6'>,
    owner: 'group:default/payments',
    system: 'system:default/payments' as string | undefined,
    component: undefined as string | undefined,
  };
  let retired = false;
  let retirement: RetirementAnnouncement | undefined;

  const details = (): PrivateLinkServiceDetails => {
    const counts: PrivateLinkServiceDetails['counts'] = {};
    for (const c of consumers) counts[c.state] = (counts[c.state] ?? 0) + 1;
    return {
      entityRef: serviceRef,
      title: sampleService.metadata.title,
      owner: settings.owner,
      system: settings.system,
      serviceId: a['privatelink.io/service-id'],
      serviceName: a['privatelink.io/service-name'],
      accountId: a['amazonaws.com/account-id'],
      region: a['amazonaws.com/region'],
      state: a['privatelink.io/state'],
      acceptanceRequired: settings.acceptanceRequired,
      privateDnsName: settings.privateDnsName,
      privateDnsState: settings.privateDnsName
        ? settings.privateDnsState
        : undefined,
      dnsNames: a['privatelink.io/dns-names'].split(','),
      loadBalancerArns: [],
      supportedRegions: [...settings.supportedRegions],
      supportedIpAddressTypes: [...settings.supportedIpAddressTypes],
      ...(retirement ? { retirement: { ...retirement } } : {}),
      allowedPrincipals: [...principals],
      consumers: consumers.map(c => ({ ...c })),
      counts,
    };
  };
  /**
   * The consumer card's view, as the backend builds it: the endpoints tagged with the component (or owned by the
   * group), with the DNS name to use, and the consumer's pending and denied requests, newest first.
   */
  const consumerDetails = (entityRef: string): PrivateLinkConsumerDetails => {
    const service = details();
    const privateDns =
      service.privateDnsName && service.privateDnsState === 'verified'
        ? service.privateDnsName
        : undefined;
    const endpoints: PrivateLinkConsumerEndpoint[] = retired
      ? []
      : consumers
          .filter(c => c.component === entityRef || c.owner === entityRef)
          .map(c => {
            const usePrivate = Boolean(privateDns && c.privateDnsEnabled);
            return {
              entityRef: c.entityRef,
              endpointId: c.endpointId,
              accountId: c.accountId,
              region: c.region,
              state: c.state,
              vpcId: c.vpcId,
              privateDnsEnabled: c.privateDnsEnabled,
              createdAt: c.createdAt,
              dnsNameToUse: usePrivate ? privateDns : c.dnsNames[0],
              dnsNameSource: usePrivate ? 'private-dns' : 'endpoint',
              otherDnsNames: usePrivate ? c.dnsNames : c.dnsNames.slice(1),
              service: {
                entityRef: serviceRef,
                title: service.title,
                serviceName: service.serviceName,
                privateDnsName: service.privateDnsName,
                privateDnsState: service.privateDnsState,
                owner: service.owner,
              },
            };
          });
    return {
      entityRef,
      endpoints,
      requests: requests
        .filter(
          r =>
            r.consumerRef === entityRef &&
            (r.status === 'pending' || r.status === 'denied'),
        )
        .map(r => ({ ...r }))
        .reverse(),
    };
  };
  const decide = (
    id: string,
    status: AccessRequest['status'],
    reason?: string,
  ) => {
    const request = requests.find(r => r.id === id)!;
    Object.assign(request, {
      status,
      decidedBy: 'user:default/guest',
      decidedAt: new Date().toISOString(),
      decisionReason: reason,
    });
    if (status === 'approved')
      principals.push(`arn:aws:iam::${request.accountId}:root`);
    return { ...request };
  };
  const review = (state: 'available' | 'rejected', ids: string[]) => {
    for (const c of consumers) if (ids.includes(c.endpointId)) c.state = state;
    return { changed: ids, failed: [] };
  };

  return {
    async getServiceDetails(entityRef) {
      const known = [serviceRef, stringifyEntityRef(sampleComponent)];
      return known.includes(entityRef) && !retired ? details() : undefined;
    },
    async getConsumerDetails(entityRef) {
      return consumerDetails(entityRef);
    },
    async getSettings() {
      return {
        regions: ['eu-west-1'],
        accounts: [],
        allowWildcardPrincipal: false,
        syncEnabled: false,
      };
    },
    async searchServices(query) {
      // One service: the search's text and the account filter are all there is to apply.
      const service = details();
      const text = query.q?.toLocaleLowerCase('en-US');
      const matches =
        !retired &&
        (!text ||
          `${sampleService.metadata.name} ${service.title} ${service.serviceName}`
            .toLocaleLowerCase('en-US')
            .includes(text)) &&
        (!query.accountId || query.accountId === service.accountId);
      const items = matches
        ? [
            {
              entityRef: serviceRef,
              name: sampleService.metadata.name,
              title: service.title,
              owner: service.owner,
              system: service.system,
              serviceName: service.serviceName,
              privateDnsName: service.privateDnsName,
              privateDnsState: service.privateDnsState,
              acceptanceRequired: service.acceptanceRequired,
              accountId: service.accountId,
              region: service.region,
              consumers: consumers.length,
              access: requests.some(r => r.status === 'pending')
                ? ('requested' as const)
                : ('none' as const),
            },
          ]
        : [];
      return query.access === 'connectable'
        ? { items: [], totalItems: items.length, scanned: items.length }
        : { items, totalItems: items.length };
    },
    async listAccessRequests() {
      return requests.map(r => ({ ...r }));
    },
    async listAccessRequestsPage() {
      return { items: requests.map(r => ({ ...r })) };
    },
    async createAccessRequest(body) {
      const request: AccessRequest = {
        ...body,
        id: `request-${requests.length + 1}`,
        status: 'pending',
        external: false,
        followUp: 'active',
        requestedBy: 'user:default/guest',
        requestedAt: new Date().toISOString(),
      };
      requests.push(request);
      return { ...request };
    },
    async approveAccessRequest(id, reason) {
      return decide(id, 'approved', reason);
    },
    async denyAccessRequest(id, reason) {
      return decide(id, 'denied', reason);
    },
    async acceptConnections(_ref, ids) {
      return review('available', ids);
    },
    async rejectConnections(_ref, ids) {
      return review('rejected', ids);
    },
    async allowPrincipals(_ref, added) {
      principals.push(...added);
      return { changed: added };
    },
    async revokePrincipals(_ref, removed) {
      removed.forEach(p => principals.splice(principals.indexOf(p), 1));
      return { changed: removed };
    },
    async listAudit() {
      return [];
    },
    async listAuditPage() {
      return { items: [] };
    },
    async updateServiceSettings(ref, change) {
      const changed: string[] = [];
      if (
        change.acceptanceRequired !== undefined &&
        change.acceptanceRequired !== settings.acceptanceRequired
      ) {
        settings.acceptanceRequired = change.acceptanceRequired;
        changed.push('acceptanceRequired');
      }
      const regions = [
        ...settings.supportedRegions.filter(
          r => !change.removeSupportedRegions?.includes(r),
        ),
        ...(change.addSupportedRegions ?? []).filter(
          r => !settings.supportedRegions.includes(r),
        ),
      ];
      if (regions.join() !== settings.supportedRegions.join()) {
        settings.supportedRegions = regions;
        changed.push('supportedRegions');
      }
      if (
        change.privateDnsName !== undefined &&
        (change.privateDnsName ?? undefined) !== settings.privateDnsName
      ) {
        settings.privateDnsName = change.privateDnsName ?? undefined;
        settings.privateDnsState = 'pendingVerification';
        changed.push('privateDnsName');
      }
      if (
        change.supportedIpAddressTypes &&
        [...change.supportedIpAddressTypes].sort().join() !==
          [...settings.supportedIpAddressTypes].sort().join()
      ) {
        settings.supportedIpAddressTypes = [...change.supportedIpAddressTypes];
        changed.push('supportedIpAddressTypes');
      }
      if (change.owner !== undefined) {
        const owner = fullRef(change.owner, 'group');
        if (owner !== settings.owner) {
          settings.owner = owner;
          changed.push('owner');
        }
      }
      for (const key of ['system', 'component'] as const) {
        const value = change[key];
        if (value === undefined) continue;
        const next = value === null ? undefined : fullRef(value, key);
        if (next !== settings[key]) {
          settings[key] = next;
          changed.push(key);
        }
      }
      return {
        serviceRef: ref,
        changed,
        cuts: [],
        privateDnsState: settings.privateDnsName
          ? settings.privateDnsState
          : undefined,
      };
    },
    async retireService(request) {
      const serviceId = a['privatelink.io/service-id'];
      const connected = consumers.filter(c => c.state === 'available');
      const owners = [
        ...new Set(connected.map(c => c.owner).filter(Boolean) as string[]),
      ];
      const result = {
        serviceRef: request.serviceRef,
        serviceId,
        deleted: true,
        rejectedConnections: [] as string[],
        notified: [] as string[],
        closedRequests: 0,
        loadBalancerArns: [],
      };
      if (connected.length > 0) {
        if (!request.force) {
          throw await refusal(
            409,
            'ConflictError',
            `${serviceRef} has ${
              connected.length
            } connected consumer(s): ${connected
              .map(c => c.endpointId)
              .join(
                ', ',
              )}. Ask them to remove their endpoints, or retire it with force`,
          );
        }
        if (!retirement) {
          const now = Date.now();
          retirement = {
            announcedAt: new Date(now).toISOString(),
            retireAfter: new Date(now + GRACE_PERIOD_MS).toISOString(),
          };
          return {
            ...result,
            deleted: false,
            notified: owners,
            announced: { ...retirement },
          };
        }
        if (Date.now() < Date.parse(retirement.retireAfter)) {
          throw await refusal(
            409,
            'ConflictError',
            `The retirement of ${serviceRef} was announced to its consumers at ${retirement.announcedAt}; it can be retired with force from ${retirement.retireAfter} (or once no consumer is connected)`,
          );
        }
        result.rejectedConnections = connected.map(c => c.endpointId);
        result.notified = owners;
      }
      retired = true;
      return result;
    },
    async deleteEndpoint(endpointRef) {
      const index = consumers.findIndex(c => c.entityRef === endpointRef);
      const [removed] = index >= 0 ? consumers.splice(index, 1) : [];
      return {
        endpointRef,
        endpointId: removed?.endpointId ?? endpointRef,
        deleted: Boolean(removed),
      };
    },
  };
}
