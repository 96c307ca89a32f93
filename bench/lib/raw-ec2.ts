/** The baseline: what a user writes with the raw AWS SDK v3 (modular client, its paginator). */
import { EC2Client, paginateDescribeInstances, type Instance } from '@aws-sdk/client-ec2';

/** A plain EC2 client for one region against the fake, configured as a user would. */
export function rawEc2Client(region: string, endpoint: string): EC2Client {
  return new EC2Client({ region, endpoint, credentials: { accessKeyId: 'AKIDBENCHMARK', secretAccessKey: 'bench-secret' } });
}

/** Every instance of one region, page by page through the SDK's paginator. */
export async function rawListInstances(client: EC2Client, pageSize?: number): Promise<Instance[]> {
  const instances: Instance[] = [];
  for await (const page of paginateDescribeInstances({ client, ...(pageSize === undefined ? {} : { pageSize }) }, {})) {
    for (const reservation of page.Reservations ?? []) instances.push(...(reservation.Instances ?? []));
  }
  return instances;
}
