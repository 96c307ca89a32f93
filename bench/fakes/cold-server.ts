/**
 * The smallest loopback answers the cold-start benchmarks need for one first request: an EC2
 * DescribeInstances (Query/XML) with one running instance and an empty Compute Engine instance
 * list (REST/JSON).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One running instance, as a first listing of a real account usually finds: the driver maps and
 * prices it (loading its price catalog), the SDK parses it. An empty answer would spare the driver
 * its catalog and flatter it.
 */
const ONE_INSTANCE_DESCRIBE =
  '<?xml version="1.0" encoding="UTF-8"?>\n<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>cold-1</requestId><reservationSet><item><reservationId>r-0c01d0000000000001</reservationId><ownerId>123456789012</ownerId><groupSet/><instancesSet><item><instanceId>i-0c01d000000000001</instanceId><imageId>ami-0c01d000000000001</imageId><instanceState><code>16</code><name>running</name></instanceState><privateDnsName>ip-10-0-0-1.ec2.internal</privateDnsName><dnsName/><instanceType>t3.micro</instanceType><launchTime>2026-12-01T00:00:00.000Z</launchTime><placement><availabilityZone>us-east-1a</availabilityZone><tenancy>default</tenancy></placement><privateIpAddress>10.0.0.1</privateIpAddress><ipAddress>203.0.113.10</ipAddress><architecture>x86_64</architecture><tagSet><item><key>Name</key><value>cold-1</value></item></tagSet></item></instancesSet></item></reservationSet></DescribeInstancesResponse>';

/** A running cold-start server. */
export interface ColdServer {
  readonly url: string;
  /** Requests answered so far, by kind. */
  readonly counts: { ec2: number; compute: number; other: number };
  close(): Promise<void>;
}

export async function startColdServer(): Promise<ColdServer> {
  const counts = { ec2: 0, compute: 0, other: 0 };
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const path = request.url ?? '/';
      if (request.method === 'POST' && path === '/') {
        counts.ec2 += 1;
        response.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' }).end(ONE_INSTANCE_DESCRIBE);
      } else if (path.startsWith('/compute/v1/projects/')) {
        counts.compute += 1;
        const body = path.includes('/aggregated/')
          ? { kind: 'compute#instanceAggregatedList', items: {} }
          : { kind: 'compute#instanceList', items: [] };
        response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
      } else {
        counts.other += 1;
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":404,"message":"not found"}}');
      }
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
