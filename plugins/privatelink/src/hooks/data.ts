import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  AccessRequest,
  AuditEntry,
} from '@privatelink-backstage/plugin-privatelink-common';
import { PrivateLinkListPage, privatelinkApiRef } from '../api';

/**
 * The endpoint service of an entity from the backend; `value` is undefined once loaded when the entity has
 * none. A retry keeps the previous value while it loads, so that views do not flash.
 */
export function useServiceDetails(entityRef: string) {
  const api = useApi(privatelinkApiRef);
  return useAsyncRetry(
    () => api.getServiceDetails(entityRef),
    [api, entityRef],
  );
}

/**
 * What a consumer (a component or a group) reaches privately, from the backend: its endpoints and its pending or
 * denied access requests. A retry keeps the previous value while it loads, so that views do not flash.
 */
export function useConsumerDetails(entityRef: string) {
  const api = useApi(privatelinkApiRef);
  return useAsyncRetry(
    () => api.getConsumerDetails(entityRef),
    [api, entityRef],
  );
}

/**
 * Access requests of a service (all for owners, own for others), or the user's own when no service is given:
 * the first, newest page only (see {@link usePagedAccessRequests} for the older ones).
 */
export function useAccessRequests(serviceRef?: string) {
  const api = useApi(privatelinkApiRef);
  return useAsyncRetry(
    () => api.listAccessRequests(serviceRef),
    [api, serviceRef],
  );
}

/** Reads one page of a list: the newest without `before`, else the one older than that cursor. */
export type PageLoader<T> = (
  before?: string,
) => Promise<PrivateLinkListPage<T>>;

/** A list read a page at a time, newest first, with the older pages appended on demand. */
export interface PagedList<T> {
  /** The items of the pages loaded so far; undefined until the first page is in, or after it failed. */
  value?: T[];
  /** True while the first page loads, and while {@link PagedList.retry} reloads (`value` is kept meanwhile). */
  loading: boolean;
  /** Why the first page, or a reload, failed. */
  error?: Error;
  /** Reloads as many pages as are shown, from the newest, replacing them once all are in. */
  retry: () => void;
  /** True when the backend has an older page than those loaded. */
  hasOlder: boolean;
  /** True while the next older page loads. */
  loadingOlder: boolean;
  /** Why the last attempt to load an older page failed; cleared by the next attempt. */
  olderError?: Error;
  /** Loads the next older page and appends its items. */
  loadOlder: () => void;
}

interface Loaded<T> {
  items: T[];
  nextBefore?: string;
}

/**
 * A list paged with a `before` cursor. `load` must keep its identity while it reads the same list (wrap it in
 * `useCallback`): a new `load` starts over from the first page.
 */
export function usePagedList<T>(load: PageLoader<T>): PagedList<T> {
  const [first, setFirst] = useState<{
    value?: Loaded<T>;
    loading: boolean;
    error?: Error;
  }>({ loading: true });
  const [older, setOlder] = useState<{ loading: boolean; error?: Error }>({
    loading: false,
  });
  const [attempt, setAttempt] = useState(0);
  // Pages shown, so that a reload (after a decision, say) does not drop the older ones the user asked for.
  const pages = useRef(1);
  const loader = useRef(load);
  // Bumped by every (re)load and on unmount: answers to an earlier generation are dropped.
  const generation = useRef(0);

  useEffect(() => {
    if (loader.current !== load) {
      loader.current = load;
      pages.current = 1;
    }
    const current = ++generation.current;
    const wanted = pages.current;
    setFirst(s => ({ ...s, loading: true }));
    setOlder({ loading: false });
    (async () => {
      const items: T[] = [];
      let nextBefore: string | undefined;
      let read = 0;
      do {
        const page = await load(nextBefore);
        items.push(...page.items);
        nextBefore = page.nextBefore;
        read += 1;
      } while (nextBefore && read < wanted);
      pages.current = read;
      return { items, nextBefore };
    })().then(
      value => {
        if (current === generation.current) setFirst({ value, loading: false });
      },
      error => {
        if (current === generation.current) {
          setFirst({ error: toError(error), loading: false });
        }
      },
    );
    return () => {
      generation.current += 1;
    };
  }, [load, attempt]);

  const retry = useCallback(() => setAttempt(n => n + 1), []);

  const before = first.value?.nextBefore;
  const loadingOlder = older.loading;
  const loadOlder = useCallback(() => {
    if (!before || loadingOlder) return;
    const current = generation.current;
    setOlder({ loading: true });
    load(before).then(
      page => {
        if (current !== generation.current) return;
        pages.current += 1;
        setFirst(s =>
          s.value
            ? {
                ...s,
                value: {
                  items: [...s.value.items, ...page.items],
                  nextBefore: page.nextBefore,
                },
              }
            : s,
        );
        setOlder({ loading: false });
      },
      error => {
        if (current === generation.current) {
          setOlder({ loading: false, error: toError(error) });
        }
      },
    );
  }, [load, before, loadingOlder]);

  return {
    value: first.value?.items,
    loading: first.loading,
    error: first.error,
    retry,
    hasOlder: Boolean(before),
    loadingOlder,
    olderError: older.error,
    loadOlder,
  };
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Access requests of a service (all for owners, own for others), or the user's own when no service is given,
 * a page at a time, newest first.
 */
export function usePagedAccessRequests(
  serviceRef?: string,
): PagedList<AccessRequest> {
  const api = useApi(privatelinkApiRef);
  const load = useCallback(
    (before?: string) =>
      before
        ? api.listAccessRequestsPage(serviceRef, { before })
        : api.listAccessRequestsPage(serviceRef),
    [api, serviceRef],
  );
  return usePagedList(load);
}

/** The audit log of a service (owners only), a page at a time, newest first. */
export function useAuditLog(serviceRef: string): PagedList<AuditEntry> {
  const api = useApi(privatelinkApiRef);
  const load = useCallback(
    (before?: string) =>
      before
        ? api.listAuditPage(serviceRef, { before })
        : api.listAuditPage(serviceRef),
    [api, serviceRef],
  );
  return usePagedList(load);
}

/** What the backend tells of the installation (regions, accounts, whether `*` may be allowed). */
export function useSettings() {
  const api = useApi(privatelinkApiRef);
  return useAsync(() => api.getSettings(), [api]);
}
