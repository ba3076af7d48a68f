import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { privatelinkPrincipalManagePermission } from '@privatelink-backstage/plugin-privatelink-common';
import { AuditAttempt, AuditOutcome, PrivateLinkAuditLog } from './audit';
import { WriteGate, WriteOperation } from './WriteGate';

const TARGET = { accountId: '123456789012', region: 'us-east-1', serviceId: 'vpce-svc-0123456789abcdef0' };
const SERVICE_REF = 'resource:default/orders-api';
const OLIVIA = 'user:default/olivia';

function memoryAudit() {
  const rows: Array<AuditAttempt & { id: number; result: string; message?: string; outcome?: AuditOutcome }> = [];
  const log: PrivateLinkAuditLog = {
    refused: jest.fn(async (attempt, message) => {
      rows.push({ ...attempt, id: rows.length + 1, result: 'refused', message });
    }),
    start: jest.fn(async attempt => {
      rows.push({ ...attempt, id: rows.length + 1, result: 'started' });
      return rows.length;
    }),
    complete: jest.fn(async (id, outcome) => {
      Object.assign(rows[id - 1], { result: outcome.result, message: outcome.message, outcome });
    }),
  };
  return { rows, log };
}

function setUp(decision: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW) {
  const { rows, log } = memoryAudit();
  const published: unknown[] = [];
  const logger = mockServices.logger.mock();
  const permissions = mockServices.permissions.mock({
    authorize: (async (requests: unknown[]) => requests.map(() => ({ result: decision }))) as any,
  });
  const gate = new WriteGate({ permissions, audit: log, publish: async e => void published.push(e), logger });
  return { gate, rows, log, published, permissions, logger };
}

function operation<T>(overrides: Partial<WriteOperation<T>> = {}): WriteOperation<T> {
  return {
    actor: { credentials: mockCredentials.user(OLIVIA), via: 'api' },
    action: 'principals.allow',
    subject: { serviceRef: SERVICE_REF, ...TARGET },
    details: { principals: ['arn:aws:iam::210987654321:root'] },
    checks: [{ permission: privatelinkPrincipalManagePermission, resourceRef: SERVICE_REF, on: SERVICE_REF }],
    preview: () => 'preview' as unknown as T,
    change: jest.fn(async () => ({ value: 'changed' as unknown as T })),
    ...overrides,
  };
}

describe('WriteGate', () => {
  it('authorises the caller, writes the row before the change, completes it and announces the service', async () => {
    const { gate, rows, log, published, permissions } = setUp();
    const order: string[] = [];
    (log.start as jest.Mock).mockImplementationOnce(async (attempt: AuditAttempt) => {
      order.push('start');
      rows.push({ ...attempt, id: 1, result: 'started' });
      return 1;
    });
    const change = jest.fn(async () => {
      order.push('change');
      return { value: 'done', details: { changed: ['x'] } };
    });
    await expect(gate.run(operation({ change }))).resolves.toBe('done');
    expect(order).toEqual(['start', 'change']);
    expect(permissions.authorize).toHaveBeenCalledWith(
      [{ permission: privatelinkPrincipalManagePermission, resourceRef: SERVICE_REF }],
      { credentials: expect.objectContaining({ principal: expect.objectContaining({ userEntityRef: OLIVIA }) }) },
    );
    expect(rows).toEqual([
      expect.objectContaining({ actor: OLIVIA, via: 'api', action: 'principals.allow', ...TARGET, serviceRef: SERVICE_REF, result: 'success' }),
    ]);
    expect(rows[0].outcome!.details).toEqual({ changed: ['x'] });
    expect(published).toEqual([TARGET]);
  });

  it('refuses without a permission: one refused row, no change, nothing announced, in a dry run too', async () => {
    for (const dryRun of [false, true]) {
      const { gate, rows, published } = setUp(AuthorizeResult.DENY);
      const op = operation({ dryRun });
      await expect(gate.run(op)).rejects.toThrow('privatelink.principal.manage is not allowed on resource:default/orders-api');
      expect(op.change).not.toHaveBeenCalled();
      expect(published).toEqual([]);
      expect(rows).toEqual([expect.objectContaining({ result: 'refused', actor: OLIVIA, message: 'privatelink.principal.manage is not allowed on resource:default/orders-api' })]);
      expect(rows[0].details).toEqual(dryRun ? { principals: ['arn:aws:iam::210987654321:root'], dryRun: true } : { principals: ['arn:aws:iam::210987654321:root'] });
    }
  });

  it('refuses a change without a person: only its own job may act with service credentials', async () => {
    const { gate, rows } = setUp();
    const op = operation({ actor: { credentials: mockCredentials.service('plugin:catalog'), via: 'api' } });
    await expect(gate.run(op)).rejects.toThrow('PrivateLink changes are made for a signed-in user only');
    expect(op.change).not.toHaveBeenCalled();
    expect(rows).toEqual([expect.objectContaining({ result: 'refused', actor: 'plugin:catalog' })]);

    const job = operation({ actor: { credentials: mockCredentials.service('plugin:privatelink'), via: 'job' } });
    await expect(gate.run(job)).resolves.toBe('changed');
    expect(rows[1]).toMatchObject({ actor: 'plugin:privatelink', via: 'job', result: 'success' });
  });

  it('records a refusal of the checks (validate, precondition) with its message, and no row for a dry run that passes', async () => {
    const { gate, rows } = setUp();
    await expect(gate.run(operation({ validate: () => { throw new InputError('accountId: not configured'); } }))).rejects.toThrow(InputError);
    await expect(gate.run(operation({ precondition: async () => { throw new InputError('endpointIds: vpce-1 is not a connection'); } }))).rejects.toThrow('vpce-1');
    await expect(gate.run(operation({ dryRun: true }))).resolves.toBe('preview');
    expect(rows.map(r => [r.result, r.message])).toEqual([
      ['refused', 'accountId: not configured'],
      ['refused', 'endpointIds: vpce-1 is not a connection'],
    ]);
  });

  it('never calls AWS when the row cannot be written', async () => {
    const { gate, log } = setUp();
    (log.start as jest.Mock).mockRejectedValueOnce(new Error('database is down'));
    const op = operation();
    await expect(gate.run(op)).rejects.toThrow('database is down');
    expect(op.change).not.toHaveBeenCalled();
  });

  it('turns an AWS failure into a 503 that says what failed, records it, and announces a synced service anyway', async () => {
    const { gate, rows, published } = setUp();
    const op = operation({
      failure: `Could not allow principals on ${TARGET.serviceId}`,
      change: async () => {
        throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
      },
    });
    const error = await gate.run(op).catch(e => e);
    expect(error).toMatchObject({ name: 'ServiceUnavailableError', message: `Could not allow principals on ${TARGET.serviceId}: Rate exceeded` });
    expect(rows).toEqual([expect.objectContaining({ result: 'error', message: `Could not allow principals on ${TARGET.serviceId}: Rate exceeded` })]);
    expect(published).toEqual([TARGET]);
  });

  it("never passes on the SDK's text of an answer that is not AWS's: a short message with a reference, the full error in the log", async () => {
    const { gate, rows, logger } = setUp();
    const raw =
      '@aws-sdk XML parse error: mismatched tags <html> and </title>. Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.';
    const op = operation({
      failure: `Could not accept connections on ${TARGET.serviceId}`,
      change: async () => {
        throw Object.assign(new Error(raw), { name: 'Error', $metadata: { httpStatusCode: 502 } });
      },
    });
    const error = (await gate.run(op).catch(e => e)) as Error;
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toMatch(
      new RegExp(`^Could not accept connections on ${TARGET.serviceId}: AWS sent an answer that is not an AWS response \\(HTTP 502\\); a proxy or the configured endpoint may be in the way \\(ref [0-9a-f]{8}\\)$`),
    );
    expect(error.message).not.toContain('Deserialization');
    expect(rows[0].message).toBe(error.message);
    const ref = /ref ([0-9a-f]{8})/.exec(error.message)![1];
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining(raw), expect.objectContaining({ ref }));
  });

  it('says AWS could not be reached when the connection fails, with a reference', async () => {
    const { gate } = setUp();
    const op = operation({
      failure: 'Could not allow principals',
      change: async () => {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });
      },
    });
    const error = (await gate.run(op).catch(e => e)) as Error;
    expect(error.message).toMatch(/^Could not allow principals: AWS could not be reached \(ECONNREFUSED\); try again later \(ref [0-9a-f]{8}\)$/);
  });

  it('keeps errors of its own kind as they are', async () => {
    const { gate, rows } = setUp();
    const op = operation({ change: async () => { throw new InputError('name taken'); } });
    await expect(gate.run(op)).rejects.toThrow(InputError);
    expect(rows[0]).toMatchObject({ result: 'error', message: 'name taken' });
  });

  it('records a partial failure as an error but returns the value; announces only what changed', async () => {
    const { gate, rows, published } = setUp();
    await expect(gate.run(operation({ change: async () => ({ value: 'partly', failure: 'vpce-2 (InvalidState)' }) }))).resolves.toBe('partly');
    await gate.run(operation({ change: async () => ({ value: 'nothing', changed: false }) }));
    const announce = { accountId: '123456789012', region: 'us-east-1', serviceId: 'vpce-svc-0fedcba9876543210' };
    await gate.run(operation({ subject: { accountId: '210987654321', region: 'us-east-1' }, change: async () => ({ value: 'endpoint', announce }) }));
    expect(rows.map(r => r.result)).toEqual(['error', 'success', 'success']);
    expect(rows[0].message).toBe('vpce-2 (InvalidState)');
    expect(published).toEqual([TARGET, announce]);
  });

  it('writes no row for the job when there is nothing to do', async () => {
    const { gate, rows } = setUp();
    const op = operation({ actor: { credentials: mockCredentials.service('plugin:privatelink'), via: 'job' }, nothingToDo: () => true });
    await expect(gate.run(op)).resolves.toBe('preview');
    expect(op.change).not.toHaveBeenCalled();
    expect(rows).toEqual([]);
  });

  it('still answers when the outcome or the announcement cannot be recorded, and logs it', async () => {
    const { log, logger } = setUp();
    (log.complete as jest.Mock).mockRejectedValueOnce(new Error('database is down'));
    const failing = new WriteGate({
      permissions: mockServices.permissions({ result: AuthorizeResult.ALLOW }),
      audit: log,
      publish: async () => {
        throw new Error('events are down');
      },
      logger,
    });
    await expect(failing.run(operation())).resolves.toBe('changed');
    expect(logger.error).toHaveBeenCalledWith('Could not record the outcome of a PrivateLink change', expect.objectContaining({ error: 'database is down' }));
    expect(logger.warn).toHaveBeenCalledWith('Could not announce a PrivateLink change', expect.objectContaining({ error: 'events are down' }));
  });
});
