// The demo's public DNS: a Route 53 hosted zone of the demo domain, and the TXT records that prove the endpoint
// services' private DNS names (the emulator verifies them as EC2 does). Only erasable TypeScript syntax.
import {
  DescribeVpcEndpointServiceConfigurationsCommand,
  EC2Client,
  StartVpcEndpointServicePrivateDnsVerificationCommand,
} from '@aws-sdk/client-ec2';
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  ListHostedZonesByNameCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import type { HostedZone } from '@aws-sdk/client-route-53';

const normalise = (name: string) => name.replace(/\.$/, '').toLowerCase();

/** The public hosted zone named `name`, if there is one. */
export async function findPublicZone(
  route53: Route53Client,
  name: string,
): Promise<HostedZone | undefined> {
  const res = await route53.send(
    new ListHostedZonesByNameCommand({ DNSName: name, MaxItems: 10 }),
  );
  return (res.HostedZones ?? []).find(
    z => normalise(z.Name ?? '') === normalise(name) && !z.Config?.PrivateZone,
  );
}

/** Creates the public hosted zone `name` (the caller looked it up first). */
export async function createPublicZone(
  route53: Route53Client,
  name: string,
): Promise<HostedZone> {
  const res = await route53.send(
    new CreateHostedZoneCommand({
      Name: name,
      CallerReference: `privatelink-demo-${name}`,
      HostedZoneConfig: {
        Comment: 'PrivateLink demo: proves the private DNS names',
        PrivateZone: false,
      },
    }),
  );
  if (!res.HostedZone) throw new Error(`Route 53 created no zone ${name}`);
  return res.HostedZone;
}

/**
 * Publishes the TXT record that proves the service's private DNS name in `zoneId` (UPSERT: running it again
 * changes nothing) and starts the verification unless the name is verified already. Returns the state after.
 */
export async function verifyPrivateDnsName(options: {
  ec2: EC2Client;
  route53: Route53Client;
  zoneId: string;
  serviceId: string;
  log: (line: string) => void;
}): Promise<string | undefined> {
  const { ec2, route53, zoneId, serviceId, log } = options;
  const describe = async () =>
    (
      await ec2.send(
        new DescribeVpcEndpointServiceConfigurationsCommand({
          ServiceIds: [serviceId],
        }),
      )
    ).ServiceConfigurations?.[0];
  const config = await describe();
  const dns = config?.PrivateDnsNameConfiguration;
  if (!config?.PrivateDnsName || !dns?.Name || !dns.Value) {
    throw new Error(`${serviceId} has no private DNS name to verify`);
  }
  if (dns.State === 'verified') {
    log(`reused  private DNS name ${config.PrivateDnsName} (verified)`);
    return dns.State;
  }
  const recordName = `${dns.Name}.${config.PrivateDnsName.replace(/^\*\./, '')}`;
  await route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: {
        Changes: [
          {
            Action: 'UPSERT',
            ResourceRecordSet: {
              Name: recordName,
              Type: 'TXT',
              TTL: 300,
              ResourceRecords: [{ Value: `"${dns.Value}"` }],
            },
          },
        ],
      },
    }),
  );
  await ec2.send(
    new StartVpcEndpointServicePrivateDnsVerificationCommand({
      ServiceId: serviceId,
    }),
  );
  const state = (await describe())?.PrivateDnsNameConfiguration?.State;
  log(`verified private DNS name ${config.PrivateDnsName} (${state})`);
  return state;
}
