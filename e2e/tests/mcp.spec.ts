import { APIRequestContext, expect, request as playwrightRequest, test } from '@playwright/test';
import { BACKEND, exposeValues, identityToken, runTaskThroughApi, waitForEntity } from './helpers';

const PAYMENTS_PROD = '210987654321';

/** One JSON-RPC call to the MCP endpoint of the running backend (streamable HTTP, stateless), as an MCP client makes it. */
async function rpc(api: APIRequestContext, token: string, method: string, params: Record<string, unknown>) {
  const res = await api.post(`${BACKEND}/api/mcp-actions/v1`, {
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json, text/event-stream', 'Content-Type': 'application/json' },
    data: { jsonrpc: '2.0', id: 1, method, params },
  });
  expect(res.status(), `${method}: ${await res.text()}`).toBe(200);
  const body = await res.text();
  // The answer comes as one server-sent event, or as JSON.
  const json = body.trimStart().startsWith('{') ? body : body.split('\n').find(l => l.startsWith('data: '))!.slice('data: '.length);
  return JSON.parse(json) as { result?: any; error?: { message: string } };
}

/** A call that must succeed: its result. */
async function mcp(api: APIRequestContext, token: string, method: string, params: Record<string, unknown>) {
  const message = await rpc(api, token, method, params);
  expect(message.error, JSON.stringify(message.error)).toBeUndefined();
  expect(message.result?.isError ?? false, JSON.stringify(message.result?.content)).toBe(false);
  return message.result;
}

test('mcp: an assistant finds a service and files an access request through the MCP endpoint; the owners see it and are notified', async () => {
  const name = `ledger-${Date.now().toString(36)}`;
  await runTaskThroughApi(
    'template:default/expose-service-privately',
    await exposeValues({ component: 'component:default/inventory-api', name, principals: [] }),
  );
  const serviceRef = `resource:default/${name}`;
  await waitForEntity(serviceRef);

  const api = await playwrightRequest.newContext();
  try {
    // Bob, of payments, asks through his assistant; the guest, of platform, owns the new service.
    const bob = await identityToken(api, 'bob');
    const owner = await identityToken(api, 'guest');

    const { tools } = await mcp(api, bob, 'tools/list', {});
    const tool = (action: string) => {
      const found = (tools as Array<{ name: string; annotations?: Record<string, unknown> }>).find(t => t.name === action || t.name.endsWith(`.${action}`));
      expect(found, `the MCP endpoint offers ${action}`).toBeDefined();
      return found!;
    };
    for (const action of ['find-endpoint-services', 'get-endpoint-service', 'get-consumer-connections', 'request-access', 'review-access-request']) tool(action);
    expect(tool('find-endpoint-services').annotations).toMatchObject({ readOnlyHint: true });

    const found = await mcp(api, bob, 'tools/call', { name: tool('find-endpoint-services').name, arguments: { text: name } });
    expect(found.structuredContent.items).toEqual([expect.objectContaining({ entityRef: serviceRef, access: 'none' })]);

    const filed = await mcp(api, bob, 'tools/call', {
      name: tool('request-access').name,
      arguments: { serviceRef, consumerRef: 'component:default/payments-api', accountId: PAYMENTS_PROD, reason: 'payments-api posts to the ledger' },
    });
    const request = filed.structuredContent.request;
    expect(request).toMatchObject({ status: 'pending', requestedBy: 'user:default/bob', serviceRef });

    // The owners' tab lists it, and their notifications name it.
    const listed = await api.get(`${BACKEND}/api/privatelink/v1/access-requests?serviceRef=${encodeURIComponent(serviceRef)}`, {
      headers: { Authorization: `Bearer ${owner}` },
    });
    expect((await listed.json()).items).toEqual([expect.objectContaining({ id: request.id, status: 'pending' })]);
    await expect
      .poll(
        async () => {
          const res = await api.get(`${BACKEND}/api/notifications/notifications?limit=50`, { headers: { Authorization: `Bearer ${owner}` } });
          const { notifications } = await res.json();
          return (notifications as Array<{ payload: { title: string; link?: string } }>).some(n => n.payload.link?.includes(name));
        },
        { timeout: 15_000 },
      )
      .toBe(true);

    // The assistant of someone who is not an owner cannot decide it.
    const refused = await rpc(api, bob, 'tools/call', { name: tool('review-access-request').name, arguments: { id: request.id, decision: 'approve' } });
    expect(JSON.stringify(refused.error ?? refused.result?.content)).toContain('is not allowed');
  } finally {
    await api.dispose();
  }
});
