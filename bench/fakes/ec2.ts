/**
 * A minimal, fast EC2 Query-protocol fake for the benchmarks: DescribeInstances (MaxResults /
 * NextToken pages, instance-id, state and tag filters), TerminateInstances and DescribeRegions,
 * per-region instance sets (the region comes from the SigV4 credential scope, as every region's
 * client signs for its own region), injected latency and a token-bucket request limit that
 * answers `RequestLimitExceeded` like EC2. Instances are pre-rendered once, so serving 10,000 of
 * them costs the fake next to nothing; moto is far too slow for that.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake behaves; set before each scenario. */
export interface Ec2FakeConfig {
  /** Instances per region, e.g. `{ 'us-east-1': 10000 }`. */
  readonly regions: Readonly<Record<string, number>>;
  /** Added to every answer, in ms. Default: 0. */
  readonly latencyMs?: number;
  /** Requests per second accepted; beyond, `RequestLimitExceeded` (HTTP 503). Default: unlimited. */
  readonly ratePerSecond?: number;
  /** Token-bucket size: how many requests may arrive at once. Default: `ratePerSecond / 10`. */
  readonly burst?: number;
  /** Largest page whatever MaxResults asks for (EC2: 1000). Default: 1000. */
  readonly maxPage?: number;
}

/** What reached the fake since the last reset. */
export interface Ec2FakeStats {
  readonly requests: Record<string, number>;
  readonly throttled: number;
  readonly maxInFlight: number;
  /** Accepted TerminateInstances per instance id > 1. */
  readonly duplicateTerminations: number;
  readonly terminated: number;
  /** MaxResults of each DescribeInstances request, in order (`all` when absent). */
  readonly pageRequests: string[];
  /** Time from the first to the last request, ms. */
  readonly spanMs: number;
}

interface Instance {
  readonly id: string;
  readonly region: string;
  readonly tags: Readonly<Record<string, string>>;
  state: 'running' | 'shutting-down' | 'terminated';
  readonly xml: (state: string) => string;
}

const STATE_CODES: Record<string, number> = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 };
const XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

function renderInstance(id: string, region: string, index: number, tags: Record<string, string>): (state: string) => string {
  const octets = `${(index >> 8) & 255}.${index & 255}`;
  const zone = `${region}${'abc'[index % 3]}`;
  const tagXml = Object.entries(tags)
    .map(([key, value]) => `<item><key>${key}</key><value>${value}</value></item>`)
    .join('');
  const head = `<item><instanceId>${id}</instanceId><imageId>ami-0c7217cdde317cfec</imageId><instanceState>`;
  const tail =
    `</instanceState><privateDnsName>ip-10-0-${octets.replace('.', '-')}.ec2.internal</privateDnsName>` +
    `<dnsName>ec2-54-1-${octets.replace('.', '-')}.compute-1.amazonaws.com</dnsName><reason/><keyName>bench</keyName>` +
    `<amiLaunchIndex>0</amiLaunchIndex><productCodes/><instanceType>t3.micro</instanceType>` +
    `<launchTime>2026-11-01T10:00:00.000Z</launchTime><placement><availabilityZone>${zone}</availabilityZone><groupName/><tenancy>default</tenancy></placement>` +
    `<monitoring><state>disabled</state></monitoring><subnetId>subnet-0a1b2c3d</subnetId><vpcId>vpc-0a1b2c3d</vpcId>` +
    `<privateIpAddress>10.0.${octets}</privateIpAddress><ipAddress>54.1.${octets}</ipAddress><sourceDestCheck>true</sourceDestCheck>` +
    `<architecture>x86_64</architecture><rootDeviceType>ebs</rootDeviceType><rootDeviceName>/dev/sda1</rootDeviceName>` +
    `<virtualizationType>hvm</virtualizationType><clientToken>${id}-token</clientToken><tagSet>${tagXml}</tagSet><hypervisor>xen</hypervisor>` +
    `<platformDetails>Linux/UNIX</platformDetails><bootMode>uefi-preferred</bootMode></item>`;
  return (state) => `${head}<code>${STATE_CODES[state] ?? 16}</code><name>${state}</name>${tail}`;
}

function regionOf(request: IncomingMessage): string {
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\/ec2\//.exec(request.headers.authorization ?? '');
  return match?.[1] ?? 'us-east-1';
}

function indexed(params: URLSearchParams, prefix: string): string[] {
  const values: string[] = [];
  for (let index = 1; params.has(`${prefix}.${index}`); index += 1) values.push(params.get(`${prefix}.${index}`) as string);
  return values;
}

/** Filters of a DescribeInstances request, as predicates on an instance. */
function filtersOf(params: URLSearchParams): ((instance: Instance) => boolean)[] {
  const predicates: ((instance: Instance) => boolean)[] = [];
  const ids = indexed(params, 'InstanceId');
  if (ids.length > 0) predicates.push((instance) => ids.includes(instance.id));
  for (let index = 1; params.has(`Filter.${index}.Name`); index += 1) {
    const name = params.get(`Filter.${index}.Name`) as string;
    const values = indexed(params, `Filter.${index}.Value`);
    if (name === 'instance-state-name') predicates.push((instance) => values.includes(instance.state));
    else if (name === 'instance-id') predicates.push((instance) => values.includes(instance.id));
    else if (name.startsWith('tag:')) predicates.push((instance) => values.includes(instance.tags[name.slice(4)] ?? '\u0000'));
    else if (name === 'tag-key') predicates.push((instance) => values.some((key) => key in instance.tags));
  }
  return predicates;
}

function errorXml(code: string, message: string, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
}

/** The fake: a loopback server whose scenario is set with {@link Ec2Fake.reset}. */
export class Ec2Fake {
  #config: Ec2FakeConfig = { regions: {} };
  #byRegion = new Map<string, Instance[]>();
  #byId = new Map<string, Instance>();
  #terminateCalls = new Map<string, number>();
  #requests: Record<string, number> = {};
  #pageRequests: string[] = [];
  #throttled = 0;
  #inFlight = 0;
  #maxInFlight = 0;
  #tokens = 0;
  #refilledAt = 0;
  #first = 0;
  #last = 0;
  #requestCounter = 0;
  #server: Server | undefined;

  /** Starts listening on 127.0.0.1; returns the endpoint URL. */
  async listen(): Promise<string> {
    const server = createServer((request, response) => this.#receive(request, response));
    server.keepAliveTimeout = 5_000;
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server?.closeAllConnections();
      this.#server?.close(() => resolve());
    });
  }

  /** Replaces every instance and counter with a fresh scenario. */
  reset(config: Ec2FakeConfig): void {
    this.#config = config;
    this.#byRegion.clear();
    this.#byId.clear();
    this.#terminateCalls.clear();
    this.#requests = {};
    this.#pageRequests = [];
    this.#throttled = 0;
    this.#maxInFlight = 0;
    this.#first = 0;
    this.#last = 0;
    this.#tokens = this.#burst();
    this.#refilledAt = performance.now();
    Object.entries(config.regions).forEach(([region, count], regionIndex) => {
      const instances: Instance[] = [];
      for (let index = 0; index < count; index += 1) {
        const id = `i-${(regionIndex + 1).toString(16).padStart(4, '0')}${index.toString(16).padStart(13, '0')}`;
        const tags = { Name: `bench-${regionIndex}-${index}`, team: index % 2 === 0 ? 'blue' : 'green', env: 'bench' };
        const instance: Instance = { id, region, tags, state: 'running', xml: renderInstance(id, region, index, tags) };
        instances.push(instance);
        this.#byId.set(id, instance);
      }
      this.#byRegion.set(region, instances);
    });
  }

  stats(): Ec2FakeStats {
    let duplicates = 0;
    for (const count of this.#terminateCalls.values()) if (count > 1) duplicates += 1;
    return {
      requests: { ...this.#requests },
      throttled: this.#throttled,
      maxInFlight: this.#maxInFlight,
      duplicateTerminations: duplicates,
      terminated: this.#terminateCalls.size,
      pageRequests: [...this.#pageRequests],
      spanMs: this.#last - this.#first,
    };
  }

  #burst(): number {
    const rate = this.#config.ratePerSecond;
    return rate === undefined ? Number.POSITIVE_INFINITY : (this.#config.burst ?? Math.max(1, rate / 10));
  }

  /** Takes a token from the bucket; false when the request is over the limit. */
  #admit(now: number): boolean {
    const rate = this.#config.ratePerSecond;
    if (rate === undefined) return true;
    this.#tokens = Math.min(this.#burst(), this.#tokens + ((now - this.#refilledAt) * rate) / 1000);
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  #receive(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const now = performance.now();
      if (this.#first === 0) this.#first = now;
      this.#last = now;
      this.#inFlight += 1;
      this.#maxInFlight = Math.max(this.#maxInFlight, this.#inFlight);
      const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const action = params.get('Action') ?? '(none)';
      this.#requests[action] = (this.#requests[action] ?? 0) + 1;
      const requestId = `req-${(this.#requestCounter += 1)}`;
      const admitted = this.#admit(now);
      const answer = (): void => {
        this.#inFlight -= 1;
        if (!admitted) {
          this.#throttled += 1;
          this.#send(response, 503, errorXml('RequestLimitExceeded', 'Request limit exceeded.', requestId));
          return;
        }
        const [status, body] = this.#handle(action, params, regionOf(request), requestId);
        this.#send(response, status, body);
      };
      const latency = this.#config.latencyMs ?? 0;
      if (latency > 0) setTimeout(answer, latency);
      else answer();
    });
  }

  #send(response: ServerResponse, status: number, body: string): void {
    response.writeHead(status, { 'content-type': 'text/xml;charset=UTF-8', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  }

  #handle(action: string, params: URLSearchParams, region: string, requestId: string): [number, string] {
    switch (action) {
      case 'DescribeInstances':
        return [200, this.#describe(params, region, requestId)];
      case 'TerminateInstances':
        return this.#terminate(params, region, requestId);
      case 'DescribeRegions': {
        const items = [...this.#byRegion.keys()]
          .map(
            (name) =>
              `<item><regionName>${name}</regionName><regionEndpoint>ec2.${name}.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>`,
          )
          .join('');
        return [
          200,
          `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeRegionsResponse xmlns="${XMLNS}"><requestId>${requestId}</requestId><regionInfo>${items}</regionInfo></DescribeRegionsResponse>`,
        ];
      }
      default:
        return [400, errorXml('InvalidAction', `The action ${action} is not valid for this web service.`, requestId)];
    }
  }

  #describe(params: URLSearchParams, region: string, requestId: string): string {
    const predicates = filtersOf(params);
    const matching = (this.#byRegion.get(region) ?? []).filter((instance) => predicates.every((predicate) => predicate(instance)));
    const maxResults = params.get('MaxResults');
    this.#pageRequests.push(maxResults ?? 'all');
    const offset = Number(params.get('NextToken') ?? 0);
    const size = Math.min(maxResults === null ? matching.length : Number(maxResults), this.#config.maxPage ?? 1000);
    const page = matching.slice(offset, offset + size);
    const next = offset + size < matching.length ? `<nextToken>${offset + size}</nextToken>` : '';
    // One reservation per instance, as launches of one instance each produce.
    const reservations = page
      .map(
        (instance) =>
          `<item><reservationId>r-${instance.id.slice(2)}</reservationId><ownerId>123456789012</ownerId><groupSet/><instancesSet>${instance.xml(instance.state)}</instancesSet></item>`,
      )
      .join('');
    return `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeInstancesResponse xmlns="${XMLNS}"><requestId>${requestId}</requestId><reservationSet>${reservations}</reservationSet>${next}</DescribeInstancesResponse>`;
  }

  #terminate(params: URLSearchParams, region: string, requestId: string): [number, string] {
    const ids = indexed(params, 'InstanceId');
    const instances = ids.map((id) => this.#byId.get(id));
    const missing = ids.filter((id, index) => instances[index]?.region !== region);
    if (missing.length > 0)
      return [400, errorXml('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`, requestId)];
    const items = (instances as Instance[])
      .map((instance) => {
        const previous = instance.state;
        this.#terminateCalls.set(instance.id, (this.#terminateCalls.get(instance.id) ?? 0) + 1);
        instance.state = previous === 'running' ? 'shutting-down' : 'terminated';
        const current = instance.state;
        return `<item><instanceId>${instance.id}</instanceId><currentState><code>${STATE_CODES[current]}</code><name>${current}</name></currentState><previousState><code>${STATE_CODES[previous]}</code><name>${previous}</name></previousState></item>`;
      })
      .join('');
    return [
      200,
      `<?xml version="1.0" encoding="UTF-8"?>\n<TerminateInstancesResponse xmlns="${XMLNS}"><requestId>${requestId}</requestId><instancesSet>${items}</instancesSet></TerminateInstancesResponse>`,
    ];
  }
}
