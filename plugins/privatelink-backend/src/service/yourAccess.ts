import { BackstageCredentials, UserInfoService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATIONS,
  decodeAnnotationList,
  isSyncedEntity,
  VPC_ENDPOINT_TYPE,
  YourAccess,
} from '@privatelink-backstage/plugin-privatelink-common';
import { PrivateLinkConfig } from '@privatelink-backstage/plugin-privatelink-node';
import { PrivateLinkStore } from './store';

/** Where the caller's teams stand with a service; defined in the common package, which the frontend shares. */
export type { YourAccess } from '@privatelink-backstage/plugin-privatelink-common';

/** Works out {@link YourAccess} of a user for many services at once, from the synced catalog and the requests. */
export interface AccessResolver {
  /** The access of the user of `credentials` to each service (by entity ref); `none` for every other principal. */
  accessTo(services: Entity[], credentials: BackstageCredentials): Promise<Map<string, YourAccess>>;
}

/** Creates the {@link AccessResolver}: one catalog query and one request query per call, whatever the number of services. */
export function createAccessResolver(options: {
  catalog: CatalogService;
  store: Pick<PrivateLinkStore, 'listRequests'>;
  config: Pick<PrivateLinkConfig, 'accounts'>;
  userInfo: UserInfoService;
}): AccessResolver {
  return {
    async accessTo(services, credentials) {
      const refs = services.map(s => stringifyEntityRef(s));
      const access = new Map<string, YourAccess>(refs.map(r => [r, 'none']));
      const principal = credentials.principal as { type: string; userEntityRef?: string };
      if (principal.type !== 'user' || !principal.userEntityRef || refs.length === 0) return access;
      const mine = new Set((await options.userInfo.getUserInfo(credentials)).ownershipEntityRefs);
      // Allowed outranks requested: a team that may connect now need not wait for a request (and "I can connect",
      // connected or allowed, then agrees with the value shown).
      const rank: Record<YourAccess, number> = { none: 0, requested: 1, allowed: 2, connected: 3 };
      const raise = (ref: string, to: YourAccess) => {
        if (rank[to] > rank[access.get(ref) ?? 'none']) access.set(ref, to);
      };

      const myAccounts = new Set(
        options.config.accounts.filter(a => (a.owner && mine.has(a.owner)) || (a.owners ?? []).some(o => mine.has(o))).map(a => a.accountId),
      );
      for (const s of services) {
        const principals = decodeAnnotationList(s.metadata.annotations?.[ANNOTATIONS.allowedPrincipals]);
        if (principals.some(p => p === '*' || myAccounts.has(p.split(':')[4] ?? ''))) raise(stringifyEntityRef(s), 'allowed');
      }

      const pending = await options.store.listRequests({ requestedBy: principal.userEntityRef, status: 'pending' }, { limit: 500 });
      for (const r of pending) if (access.has(r.serviceRef)) raise(r.serviceRef, 'requested');

      const { items } = await options.catalog.getEntities(
        {
          // Only the caller's teams' endpoints: a service with hundreds of consumers costs no more than one without.
          filter: { kind: 'Resource', 'spec.type': VPC_ENDPOINT_TYPE, 'relations.dependsOn': refs, 'spec.owner': [...mine] },
          fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.annotations', 'spec.owner', 'relations'],
        },
        { credentials },
      );
      for (const e of items) {
        if (!isSyncedEntity(e) || !mine.has(e.spec?.owner as string)) continue;
        for (const r of e.relations ?? []) if (r.type === 'dependsOn' && access.has(r.targetRef)) raise(r.targetRef, 'connected');
      }
      return access;
    },
  };
}
