import {
  EC2Client,
  paginateDescribeVpcEndpointServicePermissions,
} from '@aws-sdk/client-ec2';

/**
 * Page size (`MaxResults`, in items) of the Describe calls: the largest EC2 accepts, so that the number of calls
 * is the least number of pages.
 *
 * @public
 */
export const PAGE_SIZE = 1000;

/**
 * Gathers what `pick` selects from every page of a paginator, in page order; a page for which `pick` gives
 * undefined adds nothing. Rejects with the paginator's error when a page cannot be read.
 *
 * @param pages - The pages, e.g. an AWS SDK v3 `paginate…` iterator.
 * @param pick - Selects the items of one page.
 * @public
 */
export async function collect<P, T>(
  pages: AsyncIterable<P>,
  pick: (page: P) => T[] | undefined,
): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(pick(page) ?? []));
  return all;
}

/**
 * Reads the principals allowed to create endpoints to one endpoint service (ARNs, or `*`), over every page of
 * `DescribeVpcEndpointServicePermissions` ({@link PAGE_SIZE} a page), in the order EC2 returns them; entries
 * without a principal are left out. Rejects with the EC2 error, e.g. for an unknown service id.
 *
 * @param ec2 - A client for the service's account and region.
 * @param serviceId - The endpoint service id, e.g. `vpce-svc-0123456789abcdef0`.
 * @public
 */
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
