// The demo's AWS organisation in moto: the provider account is its management account, the consumer accounts
// are members of one organizational unit and carry the account tags that account discovery reads
// (`privatelink.discovery.organizations` in app-config.yaml). Only erasable TypeScript syntax.
import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  DescribeCreateAccountStatusCommand,
  DescribeOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
  paginateListAccounts,
  paginateListOrganizationalUnitsForParent,
  TagResourceCommand,
} from '@aws-sdk/client-organizations';
import type { Account, Organization, OrganizationalUnit } from '@aws-sdk/client-organizations';

/** The CreateAccount tag with which the emulator layer gives a new account a known id (moto draws one). */
export const EMULATOR_ACCOUNT_ID_TAG = 'privatelink-emulator:account-id';

/** The organisation, or undefined when the management account is in none. */
export async function findOrganization(client: OrganizationsClient): Promise<Organization | undefined> {
  try {
    return (await client.send(new DescribeOrganizationCommand({}))).Organization;
  } catch (error) {
    if ((error as Error).name === 'AWSOrganizationsNotInUseException') return undefined;
    throw error;
  }
}

/** Creates the organisation with all features. */
export async function createOrganization(client: OrganizationsClient): Promise<Organization> {
  const { Organization: created } = await client.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  if (!created) throw new Error('CreateOrganization returned no organization');
  return created;
}

/** The id of the organisation's root. */
export async function rootId(client: OrganizationsClient): Promise<string> {
  const id = (await client.send(new ListRootsCommand({}))).Roots?.[0]?.Id;
  if (!id) throw new Error('The organisation has no root');
  return id;
}

/** The organizational unit of this name right under `parentId`, if there is one. */
export async function findUnit(
  client: OrganizationsClient,
  parentId: string,
  name: string,
): Promise<OrganizationalUnit | undefined> {
  for await (const page of paginateListOrganizationalUnitsForParent({ client }, { ParentId: parentId })) {
    const unit = page.OrganizationalUnits?.find(u => u.Name === name);
    if (unit) return unit;
  }
  return undefined;
}

/** Creates an organizational unit under `parentId`. */
export async function createUnit(client: OrganizationsClient, parentId: string, name: string): Promise<OrganizationalUnit> {
  const unit = (await client.send(new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: name })))
    .OrganizationalUnit;
  if (!unit) throw new Error('CreateOrganizationalUnit returned no unit');
  return unit;
}

/** The member account with this id, if the organisation has it. */
export async function findAccount(client: OrganizationsClient, accountId: string): Promise<Account | undefined> {
  for await (const page of paginateListAccounts({ client }, {})) {
    const account = page.Accounts?.find(a => a.Id === accountId);
    if (account) return account;
  }
  return undefined;
}

/**
 * Creates a member account with a known id (through the emulator layer's tag) and its account tags, and moves
 * it from the root into `unitId`.
 */
export async function createAccount(
  client: OrganizationsClient,
  options: { accountId: string; name: string; tags: Record<string, string>; rootId: string; unitId: string },
): Promise<Account> {
  const { CreateAccountStatus: status } = await client.send(
    new CreateAccountCommand({
      AccountName: options.name,
      Email: `${options.name}@example.com`,
      Tags: [
        { Key: EMULATOR_ACCOUNT_ID_TAG, Value: options.accountId },
        ...Object.entries(options.tags).map(([Key, Value]) => ({ Key, Value })),
      ],
    }),
  );
  const { CreateAccountStatus: done } = await client.send(
    new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: status?.Id }),
  );
  if (done?.AccountId !== options.accountId) {
    throw new Error(
      `moto created account ${done?.AccountId} instead of ${options.accountId}: is the emulator layer loaded?`,
    );
  }
  await client.send(
    new MoveAccountCommand({ AccountId: options.accountId, SourceParentId: options.rootId, DestinationParentId: options.unitId }),
  );
  return { Id: options.accountId, Name: options.name };
}

/** Sets an existing account's tags to at least these values (a second seed run changes nothing else). */
export async function tagAccount(client: OrganizationsClient, accountId: string, tags: Record<string, string>) {
  await client.send(
    new TagResourceCommand({
      ResourceId: accountId,
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
}
