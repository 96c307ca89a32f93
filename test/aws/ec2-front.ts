/**
 * A loopback front for moto that adds what real EC2 does and moto does not: `RunInstances`
 * idempotency by `ClientToken`. EC2 answers a repeated `RunInstances` with the same token (in the
 * same account and region) with the launch it already made, instead of launching again, and a
 * repeat with other parameters with `IdempotentParameterMismatch`. Moto launches again, so the
 * front remembers each token's first answer and replays it.
 *
 * It also records every request it receives (action, region, parameters), so the tests can count
 * the requests that reached the "server", and which of them were forwarded to moto.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest, createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request as the front received it. */
export interface FrontRequest {
  readonly action: string;
  /** The region from the SigV4 credential scope. */
  readonly region: string;
  /** The form parameters. */
  readonly params: Readonly<Record<string, string>>;
  /** False when the front answered from its ClientToken memory instead of forwarding. */
  readonly forwarded: boolean;
}

/** A running front. */
export interface Ec2Front {
  /** `http://127.0.0.1:<port>`: the driver's endpoint. */
  readonly url: string;
  /** Every request received, oldest first. */
  readonly requests: readonly FrontRequest[];
  /** Requests received (of one action). */
  count(action?: string): number;
  /** Requests forwarded to moto (of one action). */
  forwarded(action?: string): number;
  close(): Promise<void>;
}

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Starts a front on 127.0.0.1 forwarding to moto at `upstream`. */
export async function startEc2Front(upstream: string): Promise<Ec2Front> {
  const target = new URL(upstream);
  const requests: FrontRequest[] = [];
  const launches = new Map<string, { readonly fingerprint: string; readonly answer: Promise<Answer> }>();
  const sockets = new Set<Socket>();

  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const params = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
      const action = params.Action ?? '';
      const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(incoming.headers.authorization ?? ''))?.[1] ?? 'unknown';
      const send = (answer: Answer) => {
        const headers = { ...answer.headers };
        delete headers['transfer-encoding'];
        delete headers.connection;
        response.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) });
        response.end(answer.body);
      };
      const forward = () => relay(target, incoming.method ?? 'POST', incoming.url ?? '/', incoming.headers, body);

      const token = action === 'RunInstances' ? params.ClientToken : undefined;
      if (!token) {
        requests.push({ action, region, params, forwarded: true });
        forward().then(send, () => response.socket?.destroy());
        return;
      }
      const key = `${region}\u0000${token}`;
      const fingerprint = fingerprintOf(params);
      const earlier = launches.get(key);
      if (earlier && earlier.fingerprint !== fingerprint) {
        requests.push({ action, region, params, forwarded: false });
        send(
          ec2Error(
            400,
            'IdempotentParameterMismatch',
            `Arguments on this idempotent request are inconsistent with arguments used in previous request(s).`,
          ),
        );
        return;
      }
      requests.push({ action, region, params, forwarded: !earlier });
      const answer = earlier?.answer ?? forward();
      if (!earlier) {
        launches.set(key, { fingerprint, answer });
        // Only a launch that happened is remembered; a failed one may be tried again.
        answer.then(
          (result) => result.status >= 300 && launches.delete(key),
          () => launches.delete(key),
        );
      }
      answer.then(send, () => response.socket?.destroy());
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    count: (action) => requests.filter((each) => action === undefined || each.action === action).length,
    forwarded: (action) => requests.filter((each) => each.forwarded && (action === undefined || each.action === action)).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The parameters that must match for EC2 to treat a request as a repeat (the SDK varies none between attempts). */
function fingerprintOf(params: Readonly<Record<string, string>>): string {
  return createHash('sha256')
    .update(JSON.stringify(Object.entries(params).sort(([a], [b]) => a.localeCompare(b))))
    .digest('hex');
}

function relay(target: URL, method: string, path: string, headers: IncomingHttpHeaders, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method,
        path,
        headers: { ...headers, 'content-length': String(body.length), connection: 'keep-alive' },
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
        answer.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function ec2Error(status: number, code: string, message: string): Answer {
  const requestId = createHash('sha256').update(`${Date.now()}${Math.random()}`).digest('hex').slice(0, 32);
  return {
    status,
    headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId },
    body: Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
    ),
  };
}
