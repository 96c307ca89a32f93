/**
 * The smallest loopback answers the cold-start benchmarks need for one first request: an empty
 * EC2 DescribeInstances (Query/XML) and an empty Compute Engine instance list (REST/JSON).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const EMPTY_DESCRIBE =
  '<?xml version="1.0" encoding="UTF-8"?>\n<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>cold-1</requestId><reservationSet/></DescribeInstancesResponse>';

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
        response.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' }).end(EMPTY_DESCRIBE);
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
