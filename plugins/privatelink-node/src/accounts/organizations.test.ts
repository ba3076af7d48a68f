import {
  Account,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { mockClient } from 'aws-sdk-client-mock';
import fs from 'node:fs';
import path from 'node:path';
import { readPrivateLinkConfig } from '../config/privatelinkConfig';
import { AccountDirectory } from './accountDirectory';
import { listOrganizationAccounts, mergeAccounts, OrganizationsListing } from './organizations';

const ROOT = 'r-ab12';
const UNIT = 'ou-ab12-11111111';
const CHILD = 'ou-ab12-22222222';
const account = (id: string, extra: Partial<Account> = {}): Account => ({ Id: id, Name: `acct-${id.slice(-2)}`, State: 'ACTIVE', ...extra });

function discovery(organizations: Record<string, unknown> = {}) {
  const config = readPrivateLinkConfig(
    new ConfigReader({
      privatelink: { regions: ['us-east-1'], discovery: { organizations: { accountId: '999999999999', ...organizations } } },
    }),
  );
  return { discovery: config.discovery.organizations!, defaultRegions: config.regions };
}

function organisation() {
  const client = new OrganizationsClient({ region: 'us-east-1' });
  const mock = mockClient(client);
  // Two pages of accounts, so that pagination is followed.
  mock
    .on(ListAccountsCommand)
    .resolves({ Accounts: [account('111111111111'), account('222222222222')], NextToken: 'page-2' })
    .on(ListAccountsCommand, { NextToken: 'page-2' })
    .resolves({ Accounts: [account('333333333333', { State: 'SUSPENDED' }), account('444444444444')] });
  mock.on(ListAccountsForParentCommand, { ParentId: UNIT }).resolves({ Accounts: [account('111111111111')] });
  mock.on(ListAccountsForParentCommand, { ParentId: CHILD }).resolves({ Accounts: [account('222222222222')] });
  mock.on(ListAccountsForParentCommand, { ParentId: ROOT }).resolves({ Accounts: [account('444444444444')] });
  mock.on(ListOrganizationalUnitsForParentCommand, { ParentId: UNIT }).resolves({ OrganizationalUnits: [{ Id: CHILD }] });
  mock.on(ListOrganizationalUnitsForParentCommand, { ParentId: CHILD }).resolves({ OrganizationalUnits: [] });
  mock.on(ListTagsForResourceCommand).resolves({ Tags: [] });
  mock.on(ListTagsForResourceCommand, { ResourceId: '111111111111' }).resolves({
    Tags: [
      { Key: 'privatelink', Value: 'enabled' },
      { Key: 'team', Value: 'group:default/payments' },
    ],
  });
  return { client, mock };
}

describe('listOrganizationAccounts', () => {
  it('follows every page, skips accounts that are not ACTIVE, and reads each account’s tags', async () => {
    const { client, mock } = organisation();
    const { discovery: d, defaultRegions } = discovery({ ownerTagKey: 'team' });
    const listing = await listOrganizationAccounts(client, d, { defaultRegions });
    expect(listing.accounts.map(a => a.accountId)).toEqual(['111111111111', '222222222222', '444444444444']);
    expect(listing.accounts[0]).toEqual({ accountId: '111111111111', name: 'acct-11', regions: ['us-east-1'], owner: 'group:default/payments' });
    expect(listing.listed).toBe(4);
    // Two account pages and three tag listings (not for the suspended account).
    expect(listing.calls).toBe(5);
    expect(mock.commandCalls(ListTagsForResourceCommand).map(c => c.args[0].input.ResourceId)).not.toContain('333333333333');
  });

  it('walks a unit and the units below it, and stops at the unit without includeChildren', async () => {
    const { client } = organisation();
    const withChildren = discovery({ organizationalUnits: [{ id: UNIT, regions: ['eu-west-1'] }] });
    expect((await listOrganizationAccounts(client, withChildren.discovery, withChildren)).accounts).toEqual([
      expect.objectContaining({ accountId: '111111111111', regions: ['eu-west-1'] }),
      expect.objectContaining({ accountId: '222222222222', regions: ['eu-west-1'] }),
    ]);
    const alone = discovery({ organizationalUnits: [{ id: UNIT, includeChildren: false }] });
    expect((await listOrganizationAccounts(client, alone.discovery, alone)).accounts.map(a => a.accountId)).toEqual(['111111111111']);
  });

  it('stops when its signal fires', async () => {
    const { client } = organisation();
    const { discovery: d, defaultRegions } = discovery();
    const controller = new AbortController();
    controller.abort();
    await expect(listOrganizationAccounts(client, d, { defaultRegions, signal: controller.signal })).rejects.toThrow();
  });

  it('sends exactly the actions of the Organizations policy in docs/iam', async () => {
    const { client, mock } = organisation();
    const all = discovery({ tags: { privatelink: 'enabled' } });
    await listOrganizationAccounts(client, all.discovery, all);
    const units = discovery({ organizationalUnits: [{ id: UNIT }, { id: ROOT, includeChildren: false }] });
    await listOrganizationAccounts(client, units.discovery, units);
    const sent = [...new Set(mock.calls().map(c => `organizations:${(c.args[0] as object).constructor.name.replace(/Command$/, '')}`))].sort();
    const policy = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../docs/iam/privatelink-organizations-policy.json'), 'utf8'));
    expect(policy.Statement.flatMap((s: { Action: string[] }) => s.Action).sort()).toEqual(sent);
  });
});

describe('mergeAccounts', () => {
  it('keeps configured accounts as configured, first, and adds discovered ones that are not configured', () => {
    const configured = [{ accountId: '111111111111', name: 'configured', regions: ['us-east-1'] }];
    const discovered = [
      { accountId: '222222222222', regions: ['us-east-1'] },
      { accountId: '111111111111', name: 'discovered', regions: ['eu-west-1'], owner: 'group:default/x' },
    ];
    expect(mergeAccounts(configured, discovered)).toEqual([configured[0], discovered[0]]);
  });
});

describe('AccountDirectory', () => {
  const listing = (ids: string[]): OrganizationsListing => ({
    accounts: ids.map(accountId => ({ accountId, regions: ['us-east-1'] })),
    listed: ids.length,
    warnings: [],
    calls: 1,
  });
  const liveConfig = () =>
    readPrivateLinkConfig(new ConfigReader({ privatelink: { accounts: [{ accountId: '111111111111' }] } }));

  it('is off without a listing, and leaves the configured accounts alone', async () => {
    const directory = new AccountDirectory({ config: liveConfig(), logger: mockServices.logger.mock() });
    expect(await directory.refresh()).toEqual({ discovery: 'off', accounts: 1, discovered: 0 });
  });

  it('runs one listing at a time: a refresh during one joins it', async () => {
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>(resolve => {
      release = resolve;
    });
    const directory = new AccountDirectory({
      config: liveConfig(),
      logger: mockServices.logger.mock(),
      list: async () => {
        calls += 1;
        await gate;
        return listing(['222222222222']);
      },
    });
    const first = directory.refresh();
    const second = directory.refresh();
    release();
    expect(await first).toEqual(await second);
    expect(calls).toBe(1);
    expect(directory.config.accounts.map(a => a.accountId)).toEqual(['111111111111', '222222222222']);
  });

  it('keeps the last good accounts when a listing fails, and says why in words', async () => {
    const logger = mockServices.logger.mock();
    let fail = false;
    const directory = new AccountDirectory({
      config: liveConfig(),
      logger,
      list: async () => {
        if (fail) throw Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' });
        return listing(['222222222222', '333333333333']);
      },
    });
    await directory.refresh();
    fail = true;
    const status = await directory.refresh();
    expect(status).toMatchObject({ discovery: 'failed', accounts: 3, discovered: 2 });
    expect(status.lastError).toMatch(/^AccessDeniedException: the role may not list the organisation's accounts/);
    expect(directory.config.accounts).toHaveLength(3);
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not list the AWS organisation; keeping the accounts of the last good listing',
      expect.objectContaining({ accounts: 3 }),
    );
  });
});
