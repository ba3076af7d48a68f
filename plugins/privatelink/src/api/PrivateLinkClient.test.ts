import { ResponseError } from '@backstage/errors';
import { mockApis } from '@backstage/frontend-test-utils';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { PrivateLinkClient } from './PrivateLinkClient';

const base = 'http://example.com/api/privatelink';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = new PrivateLinkClient({
  discoveryApi: mockApis.discovery(),
  fetchApi: mockApis.fetch(),
});

/** Records each request's method, URL and JSON body, and answers with `reply`. */
function record(
  method: 'get' | 'post',
  path: string,
  reply: unknown,
  status = 200,
) {
  const seen: Array<{ url: URL; body?: unknown }> = [];
  server.use(
    http[method](`${base}${path}`, async ({ request }) => {
      const body = method === 'post' ? await request.clone().json() : undefined;
      seen.push({ url: new URL(request.url), body });
      return HttpResponse.json(reply as any, { status });
    }),
  );
  return seen;
}

function backstageError(status: number, name: string, message: string) {
  return HttpResponse.json(
    { error: { name, message }, response: { statusCode: status } },
    { status },
  );
}

describe('PrivateLinkClient', () => {
  it('reads the service details of an entity, encoding the ref', async () => {
    const seen = record('get', '/v1/services', { entityRef: 'x' });
    await expect(
      client.getServiceDetails('component:team a/payments&api'),
    ).resolves.toEqual({ entityRef: 'x' });
    expect(seen[0].url.search).toBe(
      '?entityRef=component%3Ateam+a%2Fpayments%26api',
    );
    expect(seen[0].url.searchParams.get('entityRef')).toBe(
      'component:team a/payments&api',
    );
  });

  it('returns undefined when the backend has no service for the entity', async () => {
    server.use(
      http.get(`${base}/v1/services`, () =>
        backstageError(404, 'NotFoundError', 'No entity'),
      ),
    );
    await expect(
      client.getServiceDetails('component:default/x'),
    ).resolves.toBeUndefined();
  });

  it('reads the consumer details of a component or group, encoding the ref', async () => {
    const details = {
      entityRef: 'component:default/payments-api',
      endpoints: [],
      requests: [],
    };
    const seen = record('get', '/v1/consumers', details);
    await expect(
      client.getConsumerDetails('component:team a/payments&api'),
    ).resolves.toEqual(details);
    expect(seen[0].url.pathname).toBe('/api/privatelink/v1/consumers');
    expect(seen[0].url.searchParams.get('entityRef')).toBe(
      'component:team a/payments&api',
    );
  });

  it('keeps the backend’s message when the consumer details are refused', async () => {
    server.use(
      http.get(`${base}/v1/consumers`, ({ request }) =>
        new URL(request.url).searchParams.get('entityRef') === 'bad'
          ? backstageError(400, 'InputError', 'Malformed entity ref')
          : backstageError(404, 'NotFoundError', 'No such entity'),
      ),
    );
    const notFound = await client
      .getConsumerDetails('component:default/gone')
      .then(
        () => undefined,
        e => e,
      );
    // Unlike a service, an entity that is not visible is an error: one without endpoints answers 200.
    expect(notFound).toBeInstanceOf(ResponseError);
    expect(notFound.statusCode).toBe(404);
    expect(notFound.body.error.message).toBe('No such entity');
    await expect(client.getConsumerDetails('bad')).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 400,
      body: { error: { message: 'Malformed entity ref' } },
    });
  });

  it('reads the settings', async () => {
    const settings = {
      regions: ['us-east-1'],
      accounts: [],
      allowWildcardPrincipal: false,
      syncEnabled: true,
    };
    record('get', '/v1/settings', settings);
    await expect(client.getSettings()).resolves.toEqual(settings);
  });

  it('lists access requests of a service, or the caller’s own', async () => {
    const seen = record('get', '/v1/access-requests', {
      items: [{ id: '1' }],
    });
    await expect(
      client.listAccessRequests('resource:default/svc'),
    ).resolves.toEqual([{ id: '1' }]);
    await client.listAccessRequests();
    expect(seen.map(s => s.url.search)).toEqual([
      '?serviceRef=resource%3Adefault%2Fsvc',
      '',
    ]);
  });

  it('posts an access request', async () => {
    const body = {
      serviceRef: 'resource:default/svc',
      consumerRef: 'component:default/checkout',
      accountId: '222222222222',
      reason: 'Checkout pays through it',
    };
    const seen = record('post', '/v1/access-requests', { id: 'r1' }, 201);
    await expect(client.createAccessRequest(body)).resolves.toEqual({
      id: 'r1',
    });
    expect(seen[0].body).toEqual(body);
  });

  it('approves with an optional reason and denies with one', async () => {
    const approve = record('post', '/v1/access-requests/:id/approve', {
      status: 'approved',
    });
    const deny = record('post', '/v1/access-requests/:id/deny', {
      status: 'denied',
    });
    await client.approveAccessRequest('a/b');
    await client.approveAccessRequest('id-1', 'fine');
    await client.denyAccessRequest('id-2', 'not yet');
    expect(approve.map(s => [s.url.pathname, s.body])).toEqual([
      ['/api/privatelink/v1/access-requests/a%2Fb/approve', {}],
      ['/api/privatelink/v1/access-requests/id-1/approve', { reason: 'fine' }],
    ]);
    expect(deny.map(s => [s.url.pathname, s.body])).toEqual([
      ['/api/privatelink/v1/access-requests/id-2/deny', { reason: 'not yet' }],
    ]);
  });

  it('accepts and rejects connections', async () => {
    const result = { changed: ['vpce-1'], failed: [] };
    const accept = record('post', '/v1/connections/accept', result);
    const reject = record('post', '/v1/connections/reject', result);
    await expect(
      client.acceptConnections('resource:default/svc', ['vpce-1']),
    ).resolves.toEqual(result);
    await client.rejectConnections('resource:default/svc', ['vpce-2']);
    expect(accept[0].body).toEqual({
      serviceRef: 'resource:default/svc',
      endpointIds: ['vpce-1'],
    });
    expect(reject[0].body).toEqual({
      serviceRef: 'resource:default/svc',
      endpointIds: ['vpce-2'],
    });
  });

  it('allows and revokes principals', async () => {
    const allow = record('post', '/v1/principals/allow', { changed: ['p'] });
    const revoke = record('post', '/v1/principals/revoke', { changed: [] });
    const principal = 'arn:aws:iam::222222222222:root';
    await expect(
      client.allowPrincipals('resource:default/svc', [principal]),
    ).resolves.toEqual({ changed: ['p'] });
    await client.revokePrincipals('resource:default/svc', [principal]);
    for (const seen of [allow, revoke]) {
      expect(seen[0].body).toEqual({
        serviceRef: 'resource:default/svc',
        principals: [principal],
      });
    }
  });

  it('searches the endpoint services with the search fields, leaving out the empty ones', async () => {
    const page = {
      items: [{ entityRef: 'resource:default/a' }],
      totalItems: 41,
      nextCursor: 'c2',
    };
    const seen = record('get', '/v1/services/search', page);
    await expect(
      client.searchServices({
        q: 'orders & co',
        owner: 'group:default/orders',
        system: '',
        access: 'connectable',
        limit: 20,
      }),
    ).resolves.toEqual(page);
    expect(Object.fromEntries(seen[0].url.searchParams)).toEqual({
      q: 'orders & co',
      owner: 'group:default/orders',
      access: 'connectable',
      limit: '20',
    });
    await client.searchServices({ cursor: 'c2', limit: 20 });
    expect(seen[1].url.search).toBe('?cursor=c2&limit=20');
  });

  it('throws the backend’s error of a search', async () => {
    server.use(
      http.get(`${base}/v1/services/search`, () =>
        backstageError(400, 'InputError', 'Invalid query: limit: too big'),
      ),
    );
    await expect(client.searchServices({ limit: 500 })).rejects.toBeInstanceOf(
      ResponseError,
    );
  });

  it('reads the audit log', async () => {
    const seen = record('get', '/v1/audit', { items: [{ id: 1 }] });
    await expect(client.listAudit('resource:default/svc')).resolves.toEqual([
      { id: 1 },
    ]);
    expect(seen[0].url.searchParams.get('serviceRef')).toBe(
      'resource:default/svc',
    );
  });

  it('reads a page of the audit log with the before cursor and limit, and returns the next cursor', async () => {
    const seen = record('get', '/v1/audit', {
      items: [{ id: 7 }, { id: 6 }],
      nextBefore: '6',
    });
    await expect(
      client.listAuditPage('resource:default/svc', { before: '8', limit: 2 }),
    ).resolves.toEqual({ items: [{ id: 7 }, { id: 6 }], nextBefore: '6' });
    expect(Object.fromEntries(seen[0].url.searchParams)).toEqual({
      serviceRef: 'resource:default/svc',
      before: '8',
      limit: '2',
    });
  });

  it('reads the first page of the audit log without a cursor, and no next cursor on the last page', async () => {
    const seen = record('get', '/v1/audit', { items: [{ id: 1 }] });
    await expect(client.listAuditPage('resource:default/svc')).resolves.toEqual(
      { items: [{ id: 1 }] },
    );
    expect(seen[0].url.search).toBe('?serviceRef=resource%3Adefault%2Fsvc');
  });

  it('reads pages of access requests, of a service or the caller’s own', async () => {
    const seen = record('get', '/v1/access-requests', {
      items: [{ id: 'r2' }],
      nextBefore: 'cursor-r2',
    });
    await expect(
      client.listAccessRequestsPage('resource:default/svc', {
        before: 'cursor-r3',
      }),
    ).resolves.toEqual({ items: [{ id: 'r2' }], nextBefore: 'cursor-r2' });
    await client.listAccessRequestsPage(undefined, { limit: 50 });
    await client.listAccessRequestsPage();
    expect(seen.map(s => Object.fromEntries(s.url.searchParams))).toEqual([
      { serviceRef: 'resource:default/svc', before: 'cursor-r3' },
      { limit: '50' },
      {},
    ]);
  });

  it('keeps listAudit and listAccessRequests to the items of the first page', async () => {
    const audit = record('get', '/v1/audit', {
      items: [{ id: 2 }],
      nextBefore: '2',
    });
    const requests = record('get', '/v1/access-requests', {
      items: [{ id: 'r1' }],
      nextBefore: 'c1',
    });
    await expect(client.listAudit('resource:default/svc')).resolves.toEqual([
      { id: 2 },
    ]);
    await expect(client.listAccessRequests()).resolves.toEqual([{ id: 'r1' }]);
    expect(audit[0].url.searchParams.has('before')).toBe(false);
    expect(requests[0].url.search).toBe('');
  });

  it('posts a settings change with the service ref and only the given fields', async () => {
    const result = {
      serviceRef: 'resource:default/svc',
      changed: ['acceptanceRequired', 'privateDnsName'],
      cuts: [],
      privateDnsState: 'pendingVerification',
    };
    const seen = record('post', '/v1/services/settings', result);
    await expect(
      client.updateServiceSettings('resource:default/svc', {
        acceptanceRequired: false,
        privateDnsName: 'api.internal.example.com',
      }),
    ).resolves.toEqual(result);
    await client.updateServiceSettings('resource:default/svc', {
      removeSupportedRegions: ['us-east-1'],
      privateDnsName: null,
      confirmCuts: true,
    });
    expect(seen.map(s => [s.url.pathname, s.body])).toEqual([
      [
        '/api/privatelink/v1/services/settings',
        {
          serviceRef: 'resource:default/svc',
          acceptanceRequired: false,
          privateDnsName: 'api.internal.example.com',
        },
      ],
      [
        '/api/privatelink/v1/services/settings',
        {
          serviceRef: 'resource:default/svc',
          removeSupportedRegions: ['us-east-1'],
          privateDnsName: null,
          confirmCuts: true,
        },
      ],
    ]);
  });

  it('posts a retirement with the typed name and force', async () => {
    const result = {
      serviceRef: 'resource:default/svc',
      serviceId: 'vpce-svc-0123456789abcdef0',
      deleted: true,
      rejectedConnections: [],
      notified: [],
      closedRequests: 0,
      loadBalancerArns: [],
    };
    const seen = record('post', '/v1/services/retire', result);
    const request = {
      serviceRef: 'resource:default/svc',
      confirmName: 'svc',
      force: true,
    };
    await expect(client.retireService(request)).resolves.toEqual(result);
    expect(seen.map(s => [s.url.pathname, s.body])).toEqual([
      ['/api/privatelink/v1/services/retire', request],
    ]);
  });

  it('posts the deletion of an endpoint by its entity ref', async () => {
    const result = {
      endpointRef: 'resource:default/checkout-vpce',
      endpointId: 'vpce-0123456789abcdef0',
      deleted: true,
    };
    const seen = record('post', '/v1/endpoints/delete', result);
    await expect(
      client.deleteEndpoint('resource:default/checkout-vpce'),
    ).resolves.toEqual(result);
    expect(seen.map(s => [s.url.pathname, s.body])).toEqual([
      [
        '/api/privatelink/v1/endpoints/delete',
        { endpointRef: 'resource:default/checkout-vpce' },
      ],
    ]);
  });

  it('keeps the backend’s message of a refused settings change or retirement', async () => {
    server.use(
      http.post(`${base}/v1/services/settings`, () =>
        backstageError(
          409,
          'ConflictError',
          'The change cuts off vpce-0123456789abcdef0 (connects from us-east-1)',
        ),
      ),
      http.post(`${base}/v1/services/retire`, () =>
        backstageError(400, 'InputError', 'confirmName must be svc'),
      ),
    );
    const conflict = await client
      .updateServiceSettings('resource:default/svc', {
        removeSupportedRegions: ['us-east-1'],
      })
      .then(
        () => undefined,
        e => e,
      );
    expect(conflict).toBeInstanceOf(ResponseError);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.body.error.message).toBe(
      'The change cuts off vpce-0123456789abcdef0 (connects from us-east-1)',
    );
    await expect(
      client.retireService({
        serviceRef: 'resource:default/svc',
        confirmName: 'x',
      }),
    ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 400 });
  });

  it('maps error responses to ResponseError', async () => {
    server.use(
      http.get(`${base}/v1/audit`, () =>
        backstageError(403, 'NotAllowedError', 'owners only'),
      ),
      http.post(`${base}/v1/access-requests`, () =>
        backstageError(409, 'ConflictError', 'already pending'),
      ),
      http.get(`${base}/v1/settings`, () =>
        HttpResponse.text('bad gateway', { status: 502 }),
      ),
    );

    const forbidden = await client.listAudit('resource:default/svc').then(
      () => undefined,
      e => e,
    );
    expect(forbidden).toBeInstanceOf(ResponseError);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.body.error).toEqual({
      name: 'NotAllowedError',
      message: 'owners only',
    });
    expect(forbidden.cause.message).toBe('owners only');

    await expect(
      client.createAccessRequest({
        serviceRef: 's',
        consumerRef: 'c',
        accountId: '1',
        reason: 'r',
      }),
    ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 409 });
    await expect(client.getSettings()).rejects.toMatchObject({
      statusCode: 502,
    });
  });
});
