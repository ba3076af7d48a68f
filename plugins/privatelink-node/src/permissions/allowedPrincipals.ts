import {
  EC2Client,
  paginateDescribeVpcEndpointServicePermissions,
} from '@aws-sdk/client-ec2';

/** Page size of Describe calls: the largest EC2 accepts, so that calls = minimum pages. */
export const PAGE_SIZE = 1000;

/** Gathers what `pick` selects from every page of a paginator. */
export async function collect<P, T>(
  pages: AsyncIterable<P>,
  pick: (page: P) => T[] | undefined,
): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(pick(page) ?? []));
  return all;
}

/** Reads the principals allowed to create endpoints to one endpoint service, over every page. */
export async function readAllowedPrincipals(
  ec2: EC2Client,
  serviceId: string,
): Promise<string[]> {
  const principals = await collect(
    paginateDescribeVpcEndpointServicePermissions(
      { client: ec2 },
      { ServiceId: serviceId, MaxResults: PAGE_SIZE },
    ),
    p => p.AllowedPrincipals,
  );
  return principals.map(p => p.Principal!).filter(Boolean);
}
