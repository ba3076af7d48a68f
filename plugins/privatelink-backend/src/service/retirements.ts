import { ServiceChangedEvent } from '@privatelink-backstage/plugin-privatelink-common';
import { configuredAccount, Ec2ClientFactory, PrivateLinkConfig, readServiceConfiguration } from '@privatelink-backstage/plugin-privatelink-node';

/**
 * Whether AWS no longer has an endpoint service, read with the plugin's role in its account: what a retirement's
 * announcement is checked against before the service's access requests are closed. An account that is not
 * configured is never "gone" (nothing is read or closed there).
 */
export async function serviceIsGone(options: {
  ec2: Ec2ClientFactory;
  config: Pick<PrivateLinkConfig, 'accounts'>;
  target: ServiceChangedEvent;
}): Promise<boolean> {
  const { target } = options;
  if (!configuredAccount(options.config, target.accountId)) return false;
  const client = await options.ec2({ accountId: target.accountId, region: target.region });
  try {
    return (await readServiceConfiguration(client, target.serviceId)) === undefined;
  } finally {
    client.destroy();
  }
}
