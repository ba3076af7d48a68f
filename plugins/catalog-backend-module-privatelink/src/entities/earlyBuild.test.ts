import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readPrivateLinkConfig } from '@privatelink-backstage/plugin-privatelink-node';
import { CONSUMER, PROVIDER, REGION, serviceRecord } from '../__fixtures__/ec2';
import { AccountRegionSnapshot } from '../aws/types';
import { buildEntities } from '.';
import { EarlyEntityBuild } from './earlyBuild';

const config = readPrivateLinkConfig(
  new ConfigReader({
    privatelink: {
      regions: [REGION],
      accounts: [
        { accountId: PROVIDER, name: 'shared-services' },
        { accountId: CONSUMER, name: 'payments-prod' },
      ],
      defaultOwner: 'group:default/cloud',
    },
  }),
);
const KEYS = [`${PROVIDER}/${REGION}`, `${CONSUMER}/${REGION}`];
const PRINCIPAL = `arn:aws:iam::${CONSUMER}:root`;

function snapshot(accountId: string, services: AccountRegionSnapshot['services']): AccountRegionSnapshot {
  return { accountId, region: REGION, readAt: '2026-12-01T00:00:00.000Z', services, endpoints: [], warnings: [] };
}

/** The lists' snapshots (no principals yet) and the final ones: the same endpoints, the principals read. */
function reads() {
  const lists = [snapshot(PROVIDER, [serviceRecord(1), serviceRecord(2)]), snapshot(CONSUMER, [])];
  const final = lists.map(s => ({ ...s, services: s.services.map(r => ({ ...r, allowedPrincipals: r.serviceId.endsWith('1') ? [PRINCIPAL] : [] })) }));
  const read = new Map(KEYS.map((k, i) => [k, final[i]]));
  return { lists, final, read };
}

describe('EarlyEntityBuild', () => {
  const build = jest.fn((s: AccountRegionSnapshot[]) => buildEntities(s, config));
  beforeEach(() => build.mockClear());

  it('builds once every list is read, and hands over the entities a build of the final snapshots gives', () => {
    const { lists, final, read } = reads();
    const early = new EarlyEntityBuild(KEYS, build, mockServices.logger.mock());
    early.onLists(KEYS[1], lists[1]);
    expect(build).not.toHaveBeenCalled();
    early.onLists(KEYS[0], lists[0]);
    expect(build).toHaveBeenCalledTimes(1);
    expect(early.entitiesFor(final, read)).toEqual(buildEntities(final, config));
  });

  it('hands over nothing when a read did not end (its lists never came) or a snapshot moved since the build', () => {
    const { lists, final, read } = reads();
    const unfinished = new EarlyEntityBuild(KEYS, build, mockServices.logger.mock());
    unfinished.onLists(KEYS[0], lists[0]);
    expect(unfinished.entitiesFor(final, read)).toBeUndefined();

    const moved = new EarlyEntityBuild(KEYS, build, mockServices.logger.mock());
    lists.forEach((s, i) => moved.onLists(KEYS[i], s));
    // A targeted refresh replaced the provider's snapshot after the read.
    const refreshed = [{ ...final[0], services: [serviceRecord(1)] }, final[1]];
    expect(moved.entitiesFor(refreshed, read)).toBeUndefined();
    // The final snapshot's endpoints are not the lists' (another read).
    const reread = new Map(read).set(KEYS[1], { ...final[1], endpoints: [] });
    expect(moved.entitiesFor([final[0], reread.get(KEYS[1])!], reread)).toBeUndefined();
  });

  it('logs and hands over nothing when the early build throws', () => {
    const { lists, final, read } = reads();
    const logger = mockServices.logger.mock();
    const early = new EarlyEntityBuild(
      KEYS,
      () => {
        throw new Error('boom');
      },
      logger,
    );
    lists.forEach((s, i) => early.onLists(KEYS[i], s));
    expect(early.entitiesFor(final, read)).toBeUndefined();
    expect(logger.debug).toHaveBeenCalledWith(expect.stringContaining('Could not build the entities'), { error: 'boom' });
  });
});
