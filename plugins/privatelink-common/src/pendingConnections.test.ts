import { PRIVATELINK_CONNECTION_PENDING_TOPIC, pendingConnectionEventSchema } from './pendingConnections';

describe('pendingConnectionEventSchema', () => {
  const event = {
    accountId: '123456789012',
    region: 'us-east-1',
    serviceId: 'vpce-svc-0123456789abcdef0',
    endpointId: 'vpce-0123456789abcdef0',
    consumerAccountId: '210987654321',
    createdAt: '2026-12-01T10:00:00.000Z',
  };

  it('is published on privatelink.connection.pending', () => {
    expect(PRIVATELINK_CONNECTION_PENDING_TOPIC).toBe('privatelink.connection.pending');
  });

  it('accepts a full payload and one without the optional fields, dropping unknown fields', () => {
    expect(pendingConnectionEventSchema.parse({ ...event, owner: 'group:default/mallory' })).toEqual(event);
    const { consumerAccountId, createdAt, ...required } = event;
    expect(pendingConnectionEventSchema.parse(required)).toEqual(required);
  });

  it.each([
    ['accountId', '12345'],
    ['region', 'mars-east-1'],
    ['serviceId', 'vpce-0123456789abcdef0'],
    ['endpointId', 'vpce-svc-0123456789abcdef0'],
    ['consumerAccountId', 'someone'],
    ['createdAt', 'yesterday'],
  ])('refuses a malformed %s', (field, value) => {
    const parsed = pendingConnectionEventSchema.safeParse({ ...event, [field]: value });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map(i => i.path.join('.'))).toEqual([field]);
  });

  it('refuses a payload without an endpoint id', () => {
    const { endpointId, ...rest } = event;
    expect(pendingConnectionEventSchema.safeParse(rest).success).toBe(false);
  });
});
