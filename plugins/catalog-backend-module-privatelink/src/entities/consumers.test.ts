import { AccountRegionSnapshot, EndpointRecord, EndpointServiceRecord } from '../aws/types';
import { CONSUMER, endpointId, PROVIDER, REGION, serviceName, serviceRecord } from '../__fixtures__/ec2';
import { matchConsumers } from './consumers';

const service = (n: number, connections: EndpointServiceRecord['connections']) => serviceRecord(n, { connections });

const endpoint = (n: number, toService: string, extra: Partial<EndpointRecord> = {}): EndpointRecord => ({
  accountId: CONSUMER,
  region: REGION,
  endpointId: endpointId(n),
  serviceName: toService,
  subnetIds: [],
  state: 'available',
  privateDnsEnabled: false,
  dnsNames: [`endpoint-${n}`],
  tags: {},
  ...extra,
});

const snapshot = (accountId: string, services: EndpointServiceRecord[], endpoints: EndpointRecord[]): AccountRegionSnapshot => ({
  accountId,
  region: REGION,
  readAt: '2026-11-01T00:00:00.000Z',
  warnings: [],
  services,
  endpoints,
});

describe('matchConsumers', () => {
  it('joins a connection with the endpoint read in the consumer account, taking the state and account the provider sees', () => {
    const read = endpoint(1, serviceName(1), { state: 'pendingAcceptance', createdAt: '2026-10-01T00:00:00.000Z' });
    const s = service(1, [{ endpointId: endpointId(1), ownerAccountId: CONSUMER, state: 'available', dnsNames: ['connection-1'] }]);
    const matching = matchConsumers([snapshot(PROVIDER, [s], []), snapshot(CONSUMER, [], [read])]);

    expect(matching.consumersOf(s)).toEqual([
      { endpointId: endpointId(1), accountId: CONSUMER, region: REGION, state: 'available', createdAt: undefined, dnsNames: ['connection-1'], endpoint: read },
    ]);
    expect(matching.unmatched()).toEqual([]);
  });

  it('keeps a connection whose endpoint no configured account read, and an endpoint no connection shows', () => {
    const s = service(1, [{ endpointId: endpointId(2), state: 'rejected', dnsNames: [] }]);
    const read = endpoint(3, serviceName(1));
    const matching = matchConsumers([snapshot(PROVIDER, [s], []), snapshot(CONSUMER, [], [read])]);

    expect(matching.consumersOf(s)).toEqual([
      { endpointId: endpointId(2), accountId: undefined, region: REGION, state: 'rejected', createdAt: undefined, dnsNames: [], endpoint: undefined },
      { endpointId: endpointId(3), accountId: CONSUMER, region: REGION, state: 'available', createdAt: undefined, dnsNames: ['endpoint-3'], endpoint: read },
    ]);
  });

  it('orders the consumers by endpoint id, whatever order connections and endpoints came in', () => {
    const s = service(1, [
      { endpointId: endpointId(5), state: 'available', dnsNames: [] },
      { endpointId: endpointId(2), state: 'available', dnsNames: [] },
    ]);
    const matching = matchConsumers([snapshot(PROVIDER, [s], []), snapshot(CONSUMER, [], [endpoint(4, serviceName(1)), endpoint(1, serviceName(1))])]);

    expect(matching.consumersOf(s).map(c => c.endpointId)).toEqual([1, 2, 4, 5].map(endpointId));
  });

  it('matches a service without connections (not read yet) by its endpoints alone', () => {
    const s = service(1, undefined);
    const matching = matchConsumers([snapshot(PROVIDER, [s], []), snapshot(CONSUMER, [], [endpoint(1, serviceName(1)), endpoint(2, serviceName(2))])]);

    expect(matching.consumersOf(s).map(c => c.endpointId)).toEqual([endpointId(1)]);
  });

  it('counts an endpoint read in two snapshots once, as read last', () => {
    const first = endpoint(1, serviceName(1), { tags: { read: 'first' } });
    const last = endpoint(1, serviceName(1), { tags: { read: 'last' } });
    const s = service(1, []);
    const matching = matchConsumers([snapshot(CONSUMER, [], [first]), snapshot(PROVIDER, [s], []), snapshot(CONSUMER, [], [last])]);

    expect(matching.consumersOf(s).map(c => c.endpoint)).toEqual([last]);
  });

  it('leaves, by endpoint id, the endpoints no service took: those to services no configured account provides', () => {
    const s = service(1, [{ endpointId: endpointId(1), state: 'available', dnsNames: [] }]);
    const toS3 = endpoint(7, `com.amazonaws.${REGION}.s3`);
    const toElsewhere = endpoint(3, serviceName(9));
    const matching = matchConsumers([snapshot(PROVIDER, [s], []), snapshot(CONSUMER, [], [toS3, endpoint(1, serviceName(1)), toElsewhere])]);

    // Before the services are matched every endpoint is left; after, only the ones no service took.
    expect(matching.unmatched().map(c => c.endpointId)).toEqual([1, 3, 7].map(endpointId));
    matching.consumersOf(s);
    expect(matching.unmatched()).toEqual([
      { endpointId: endpointId(3), accountId: CONSUMER, region: REGION, state: 'available', createdAt: undefined, dnsNames: ['endpoint-3'], endpoint: toElsewhere },
      { endpointId: endpointId(7), accountId: CONSUMER, region: REGION, state: 'available', createdAt: undefined, dnsNames: ['endpoint-7'], endpoint: toS3 },
    ]);
  });
});
