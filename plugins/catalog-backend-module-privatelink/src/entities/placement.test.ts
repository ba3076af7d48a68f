import { CONSUMER, PROVIDER, REGION } from '../__fixtures__/ec2';
import { EntityConfig } from './common';
import { createPlacement } from './placement';

const tagKeys = { owner: 'backstage:owner', system: 'backstage:system', component: 'backstage:component', name: 'backstage:name' };
const OTHER = '999999999999';

const config: EntityConfig = {
  accounts: [
    // The provider lists the owners its tags may name; the consumer does not (any tag is taken as written).
    { accountId: PROVIDER, regions: [REGION], name: 'shared-services', owner: 'platform', system: 'networking', owners: ['group:default/orders', 'payments'] },
    { accountId: CONSUMER, regions: [REGION], owner: 'group:default/consumers' },
  ],
  defaultOwner: 'cloud',
  tagKeys,
};

describe('createPlacement', () => {
  const placement = createPlacement(config);

  describe('ownerOf', () => {
    it('takes the owner tag, as a full group ref, when the account permits it', () => {
      expect(placement.ownerOf({ 'backstage:owner': 'orders' }, PROVIDER)).toEqual({ owner: 'group:default/orders' });
      expect(placement.ownerOf({ 'backstage:owner': 'group:default/payments' }, PROVIDER)).toEqual({ owner: 'group:default/payments' });
      // The account's own owner is always permitted.
      expect(placement.ownerOf({ 'backstage:owner': 'group:default/platform' }, PROVIDER)).toEqual({ owner: 'group:default/platform' });
    });

    it('takes any owner tag as written in an account that lists no owners, in an unconfigured one and in none', () => {
      expect(placement.ownerOf({ 'backstage:owner': 'user:default/jane' }, CONSUMER)).toEqual({ owner: 'user:default/jane' });
      expect(placement.ownerOf({ 'backstage:owner': 'anyone' }, OTHER)).toEqual({ owner: 'group:default/anyone' });
      expect(placement.ownerOf({ 'backstage:owner': 'anyone' })).toEqual({ owner: 'group:default/anyone' });
    });

    it("falls back to the account's owner, else the default owner, when there is no tag", () => {
      expect(placement.ownerOf({}, PROVIDER)).toEqual({ owner: 'group:default/platform' });
      expect(placement.ownerOf({}, CONSUMER)).toEqual({ owner: 'group:default/consumers' });
      expect(placement.ownerOf({}, OTHER)).toEqual({ owner: 'group:default/cloud' });
      expect(placement.ownerOf({})).toEqual({ owner: 'group:default/cloud' });
    });

    it('treats a tag that is no entity ref as no tag', () => {
      expect(placement.ownerOf({ 'backstage:owner': '' }, PROVIDER)).toEqual({ owner: 'group:default/platform' });
      expect(placement.ownerOf({ 'backstage:owner': 'group:' }, PROVIDER)).toEqual({ owner: 'group:default/platform' });
    });

    it("gives a tag the account does not permit to the account's owner, with the warning the entity carries", () => {
      expect(placement.ownerOf({ 'backstage:owner': 'billing' }, PROVIDER)).toEqual({
        owner: 'group:default/platform',
        warning: `The backstage:owner tag names group:default/billing, which account ${PROVIDER} does not permit (privatelink.accounts[].owners); owned by group:default/platform instead`,
      });
    });

    it('falls back to the default owner when an account that lists owners has no owner of its own', () => {
      const strict = createPlacement({ ...config, accounts: [{ accountId: PROVIDER, regions: [REGION], owners: ['orders'] }] });
      expect(strict.ownerOf({ 'backstage:owner': 'orders' }, PROVIDER)).toEqual({ owner: 'group:default/orders' });
      expect(strict.ownerOf({ 'backstage:owner': 'billing' }, PROVIDER)).toEqual({
        owner: 'group:default/cloud',
        warning: `The backstage:owner tag names group:default/billing, which account ${PROVIDER} does not permit (privatelink.accounts[].owners); owned by group:default/cloud instead`,
      });
      // An empty list permits only the account's owner (here: none).
      const none = createPlacement({ ...config, accounts: [{ accountId: PROVIDER, regions: [REGION], owners: [] }] });
      expect(none.ownerOf({ 'backstage:owner': 'orders' }, PROVIDER).warning).toContain('does not permit');
    });
  });

  describe('systemOf', () => {
    it("takes the system tag as a full system ref, else the account's system", () => {
      expect(placement.systemOf({ 'backstage:system': 'checkout' }, PROVIDER)).toBe('system:default/checkout');
      expect(placement.systemOf({ 'backstage:system': 'system:shop/checkout' }, CONSUMER)).toBe('system:shop/checkout');
      expect(placement.systemOf({}, PROVIDER)).toBe('system:default/networking');
    });

    it('has none when neither the tag nor the account names one', () => {
      expect(placement.systemOf({}, CONSUMER)).toBeUndefined();
      expect(placement.systemOf({}, OTHER)).toBeUndefined();
      expect(placement.systemOf({})).toBeUndefined();
    });
  });

  describe('componentOf', () => {
    it('takes the component tag as a full component ref; none without it', () => {
      expect(placement.componentOf({ 'backstage:component': 'orders-api' })).toBe('component:default/orders-api');
      expect(placement.componentOf({ 'backstage:component': 'api:default/orders' })).toBe('api:default/orders');
      expect(placement.componentOf({})).toBeUndefined();
      expect(placement.componentOf({ 'backstage:component': '' })).toBeUndefined();
    });
  });

  it('names an account by id and, when configured, its name', () => {
    expect(placement.accountLabel(PROVIDER)).toBe(`${PROVIDER} (shared-services)`);
    expect(placement.accountLabel(CONSUMER)).toBe(CONSUMER);
    expect(placement.accountLabel(OTHER)).toBe(OTHER);
    expect(placement.accountLabel(undefined)).toBe('an unknown account');
  });

  it('makes labels of the tags that do not place the resource', () => {
    expect(
      placement.labelsOf({
        'backstage:owner': 'orders',
        'backstage:system': 'checkout',
        'backstage:component': 'api',
        'backstage:name': 'orders',
        'privatelink:retirement-announced': '2026-12-01T10:00:00Z',
        Name: 'Orders',
        'aws:cloudformation:stack-name': 'stack',
        'Cost Center': 'CC 1234/shared',
        team: '--',
      }),
    ).toEqual({ 'aws-tag.privatelink.io/cost-center': 'CC-1234-shared' });
  });

  it('parses the configured owners and systems once, not per call', () => {
    const accounts = config.accounts.map(a => ({ ...a }));
    const once = createPlacement({ ...config, accounts });
    // Changing the config after the fact changes nothing: what placement needs was read when it was created.
    accounts[0].owner = 'someone-else';
    accounts[0].system = 'elsewhere';
    expect(once.ownerOf({}, PROVIDER)).toEqual({ owner: 'group:default/platform' });
    expect(once.systemOf({}, PROVIDER)).toBe('system:default/networking');
  });
});
