// moto helpers shared by the benchmark scripts that create data in a real moto_server: credentials in another
// account through STS AssumeRole (moto maps arn:aws:iam::<account>:role/<name> to that account), tags in the
// SDK's shape. Erasable TypeScript only.
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { MOTO_CREDENTIALS } from '@privatelink-backstage/dev-aws';

/** moto's default account: the one the static `testing` credentials act in. */
export const MOTO_DEFAULT_ACCOUNT = '123456789012';

export type Credentials = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
};

/** Credentials acting in `accountId`: moto's static ones for its default account, else an assumed `role`. */
export async function credentialsFor(endpoint: string, accountId: string, role: string): Promise<Credentials> {
  let credentials: Credentials = { ...MOTO_CREDENTIALS };
  if (accountId !== MOTO_DEFAULT_ACCOUNT) {
    const sts = new STSClient({ endpoint, region: 'us-east-1', credentials });
    const c = (
      await sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${accountId}:role/${role}`,
          RoleSessionName: 'bench-seed',
          DurationSeconds: 3600,
        }),
      )
    ).Credentials!;
    credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
    sts.destroy();
  }
  const sts = new STSClient({ endpoint, region: 'us-east-1', credentials });
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  sts.destroy();
  if (identity.Account !== accountId) throw new Error(`expected to act in ${accountId}, moto says ${identity.Account}`);
  return credentials;
}

export const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
