import { DescribeVpcEndpointServiceConfigurationsCommand } from '@aws-sdk/client-ec2';
import { ServiceChangedEvent } from '@privatelink-backstage/plugin-privatelink-common';
import { configuredAccount, Ec2ClientFactory, PrivateLinkConfig } from '@privatelink-backstage/plugin-privatelink-node';

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
    const out = await client.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [target.serviceId] }));
    return !out.ServiceConfigurations?.some(c => c.ServiceId === target.serviceId && c.ServiceState !== 'Deleted');
  } catch (e) {
    if (/NotFound/.test((e as Error).name)) return true;
    throw e;
  } finally {
    client.destroy();
  }
}
