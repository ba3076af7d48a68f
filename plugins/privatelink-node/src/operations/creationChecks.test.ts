import { privatelinkResourceCreatePermission } from '@privatelink-backstage/plugin-privatelink-common';
import { accountResource, privatelinkAccountRules } from '../permissions/accountRules';
import { creationChecks } from './creationChecks';

const config = {
  accounts: [
    { accountId: '123456789012', regions: ['us-east-1'], owner: 'group:default/platform', owners: ['payments'] },
    { accountId: '345678901234', regions: ['us-east-1'], owner: 'group:default/orders' },
  ],
};
const mine = (...refs: string[]) => async () => ['user:default/guest', ...refs];

describe('creationChecks', () => {
  it('asks for the create permission on the account', () => {
    const checks = creationChecks({ config, accountId: '123456789012', owner: 'group:default/platform', ownershipRefs: mine() });
    expect(checks.checks).toEqual([{ permission: privatelinkResourceCreatePermission, resourceRef: '123456789012', on: 'account 123456789012' }]);
  });

  it('refuses an account that is not configured', () => {
    const checks = creationChecks({ config, accountId: '999999999999', owner: 'group:default/platform', ownershipRefs: mine('group:default/platform') });
    expect(() => checks.validate()).toThrow('Account 999999999999 is not configured under privatelink.accounts');
  });

  it.each([
    ['the owner is one of the creator’s groups', '123456789012', 'group:default/platform', ['group:default/platform']],
    ['a short ref of a delegated owner', '123456789012', 'payments', ['group:default/payments']],
    ['the creator themselves, where the account lists no owners', '345678901234', 'user:default/guest', []],
  ])('accepts %s', async (_what, accountId, owner, refs) => {
    const checks = creationChecks({ config, accountId, owner, ownershipRefs: mine(...refs) });
    await expect(checks.precondition()).resolves.toBeUndefined();
  });

  it.each([
    ['no owner', '123456789012', undefined, ['group:default/platform'], 'owner: the owner of what is created is required'],
    ['not an entity ref', '123456789012', 'group:default/', ['group:default/platform'], "owner: 'group:default/' is not an entity ref"],
    ['an owner the creator does not belong to', '345678901234', 'group:default/orders', ['group:default/payments'], 'not by group:default/orders'],
    ['an owner the account does not permit', '123456789012', 'group:default/identity', ['group:default/identity'], 'does not permit the owner group:default/identity; it permits group:default/platform, group:default/payments'],
  ])('refuses %s', async (_what, accountId, owner, refs, refusal) => {
    const checks = creationChecks({ config, accountId, owner, ownershipRefs: mine(...refs) });
    await expect(checks.precondition()).rejects.toThrow(refusal);
  });
});

describe('the account rules', () => {
  const { isAccountOwner, isDelegatedOwner } = privatelinkAccountRules;

  it('loads configured accounts with full owner refs, and no other', () => {
    expect(accountResource(config, '123456789012')).toEqual({ accountId: '123456789012', owner: 'group:default/platform', owners: ['group:default/payments'] });
    expect(accountResource(config, '999999999999')).toBeUndefined();
  });

  it("match members of the account's owner, or of an owner it delegates to", () => {
    const shared = accountResource(config, '123456789012')!;
    expect(isAccountOwner.apply(shared, { claims: ['group:default/platform'] })).toBe(true);
    expect(isAccountOwner.apply(shared, { claims: ['group:default/payments'] })).toBe(false);
    expect(isDelegatedOwner.apply(shared, { claims: ['group:default/payments'] })).toBe(true);
    expect(isDelegatedOwner.apply(shared, { claims: ['group:default/orders'] })).toBe(false);
    expect(isDelegatedOwner.apply(accountResource(config, '345678901234')!, { claims: ['group:default/orders'] })).toBe(false);
  });
});
