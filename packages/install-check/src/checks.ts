// What the new app must do once the README's lines are in: the checks talk to its backend over HTTP as a
// client would (a static token of the app's own config), and open its frontend in headless Chromium.
import { chromium } from '@playwright/test';

/** Waits for a condition by polling it; the error names what was awaited and the last answer. */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: {
    timeoutMs: number;
    intervalMs?: number;
    /** Settles when the process being waited on is gone. */
    exited?: Promise<unknown>;
    /** A reason to stop waiting, e.g. the backend's log reports a failed start. */
    failed?: () => Promise<string | undefined>;
  },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let last = 'no answer';
  let gone = false;
  options.exited?.then(() => {
    gone = true;
  });
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      last = 'not yet';
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (gone) throw new Error(`${what}: the backend exited (last answer: ${last})`);
    const failure = await options.failed?.();
    if (failure) throw new Error(`${what}: ${failure}`);
    if (Date.now() > deadline) throw new Error(`${what}: not within ${options.timeoutMs} ms (last answer: ${last})`);
    await new Promise(r => setTimeout(r, options.intervalMs ?? 500));
  }
}

/** A client of the new app's backend. */
export type BackendClient = {
  baseUrl: string;
  get(path: string): Promise<{ status: number; body: any }>;
};

/** A client that sends the static token of the app's `backend.auth.externalAccess`. */
export function backendClient(baseUrl: string, token: string): BackendClient {
  return {
    baseUrl,
    async get(path) {
      const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: kept as text
      }
      return { status: response.status, body };
    },
  };
}

/** An endpoint service the check expects in the catalog. */
export type ExpectedService = { serviceId: string; serviceName: string; accountId: string };

/** A synced endpoint service as the catalog serves it. */
export type SyncedService = { entityRef: string; name: string; serviceId: string; serviceName: string };

/**
 * The catalog's `vpc-endpoint-service` Resources, once every expected service is among them.
 *
 * @returns undefined while one is missing (to be polled)
 */
export async function syncedServices(
  client: BackendClient,
  expected: ExpectedService[],
): Promise<SyncedService[] | undefined> {
  const { status, body } = await client.get(
    '/api/catalog/entities/by-query?filter=kind=resource,spec.type=vpc-endpoint-service&limit=500',
  );
  if (status !== 200) throw new Error(`catalog answered ${status}: ${JSON.stringify(body).slice(0, 300)}`);
  const items = (body.items ?? []) as any[];
  const synced = items.map(e => ({
    entityRef: `resource:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`,
    name: e.metadata.name as string,
    serviceId: e.metadata.annotations?.['privatelink.io/service-id'] as string,
    serviceName: e.metadata.annotations?.['privatelink.io/service-name'] as string,
  }));
  const ids = new Set(synced.map(s => s.serviceId));
  if (!expected.every(s => ids.has(s.serviceId))) return undefined;
  return synced;
}

/** The ids of the scaffolder's installed actions. */
export async function scaffolderActionIds(client: BackendClient): Promise<string[]> {
  const { status, body } = await client.get('/api/scaffolder/v2/actions');
  if (status !== 200) throw new Error(`/api/scaffolder/v2/actions answered ${status}`);
  return (body as { id: string }[]).map(a => a.id);
}

/**
 * Opens a service's entity page in headless Chromium as the app's guest, and waits for the PrivateLink card
 * with the service's name and for the PrivateLink page in the sidebar.
 *
 * @param screenshot - where the card's screenshot goes
 */
export async function checkCardInBrowser(options: {
  appUrl: string;
  service: SyncedService;
  executablePath?: string;
  screenshot: string;
}): Promise<string> {
  const browser = await chromium.launch({ executablePath: options.executablePath, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const timeout = 60_000;
    await page.goto(`${options.appUrl}/catalog/default/resource/${options.service.name}`, { timeout });
    const enter = page.getByRole('button', { name: 'Enter' });
    const card = page.locator('article, .MuiCard-root').filter({ hasText: 'PrivateLink' }).filter({
      hasText: options.service.serviceName,
    });
    await enter.or(card).first().waitFor({ timeout });
    if (await enter.isVisible()) await enter.click();
    await card.first().waitFor({ timeout });
    await page.screenshot({ path: options.screenshot });
    // The plugin's page is discovered with the card: its nav item leads to it.
    const nav = page.getByRole('link', { name: 'PrivateLink', exact: true }).first();
    await nav.waitFor({ timeout });
    await nav.click();
    await page.getByText(options.service.name, { exact: true }).first().waitFor({ timeout });
    return `card with ${options.service.serviceName} on ${options.service.entityRef}; the PrivateLink page lists it`;
  } finally {
    await browser.close();
  }
}
