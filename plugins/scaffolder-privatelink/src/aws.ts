import { EC2Client } from '@aws-sdk/client-ec2';
import { Config } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';

/** Creates an EC2 client for one account and region, with credentials from the root `aws` block. */
export type Ec2ClientFactory = (target: { accountId: string; region: string }) => Promise<EC2Client>;

/**
 * Clients are created per call, never shared and mutated across requests. `privatelink.endpoint` points them
 * at moto in the demo and the integration tests; the SDK's adaptive retry mode absorbs EC2 throttling.
 */
export function createEc2ClientFactory(config: Config): Ec2ClientFactory {
  const credentials = DefaultAwsCredentialsManager.fromConfig(config);
  const endpoint = config.getOptionalString('privatelink.endpoint');
  return async ({ accountId, region }) => {
    const { sdkCredentialProvider } = await credentials.getCredentialProvider({ accountId });
    return new EC2Client({
      region,
      credentials: sdkCredentialProvider,
      retryMode: 'adaptive',
      maxAttempts: 8,
      ...(endpoint ? { endpoint } : {}),
    });
  };
}
