/**
 * A wire-level fake of an OpenStack cloud on 127.0.0.1 (port 0): Keystone v3 under `/identity`
 * (token in `X-Subject-Token`, a service catalog with compute and image endpoints per region),
 * Nova v2.1 under `/compute/v2.1` (servers with BUILD → ACTIVE, actions, flavors, availability
 * zones, key pairs; marker pagination with `servers_links`; faults keyed by name) and Glance v2
 * under `/image` (images with `next`). Every Nova body is checked against the api-ref
 * (`api-ref.ts`), every token request against Keystone's samples; violations are recorded.
 */
import { randomUUID } from 'node:crypto';
import { startFakeServer, type FakeResponse, type RecordedRequest } from '../http-server.js';
import { checkKeystoneBody, checkNovaBody, type NOVA_SECTIONS } from './api-ref.js';

/** How the fake is set up. */
export interface OpenStackFakeOptions {
  /** Accepted password credentials. */
  readonly user?: { readonly name: string; readonly password: string; readonly project: string };
  /** Accepted application credential. */
  readonly applicationCredential?: { readonly id: string; readonly secret: string };
  /** The catalog's region. Default: `GRA11`. */
  readonly region?: string;
  /** Life of a token, in ms. Default: one hour. */
  readonly tokenTtlMs?: number;
  /** Echo the rejected request body in Keystone's 401 message (as some misbehaving proxies do). Default: false. */
  readonly echoRejectedBody?: boolean;
  /** The fake's clock for token expiry (tests share a virtual clock with the driver). Default: `Date.now`. */
  readonly now?: () => number;
  /** GETs a server answers `BUILD` before `ACTIVE`. Default: 1. */
  readonly bootPolls?: number;
}

/** The running fake. */
export interface OpenStackFake {
  readonly url: string;
  readonly authUrl: string;
  readonly requests: RecordedRequest[];
  readonly violations: { method: string; url: string; problems: readonly string[] }[];
  /** Tokens issued so far. */
  readonly tokens: string[];
  /** Makes every token issued so far expire now (as a cloud whose tokens die early would). */
  expireTokens(): void;
  /** Server ids that exist now. */
  serverIds(): string[];
  close(): Promise<void>;
}

const FLAVORS = [
  { id: '1', name: 'm1.tiny', vcpus: 1, ram: 512, disk: 1 },
  { id: '2', name: 'm1.small', vcpus: 1, ram: 2048, disk: 20 },
  { id: '3', name: 'm1.medium', vcpus: 2, ram: 4096, disk: 40 },
  { id: 'b2-7', name: 'b2-7', vcpus: 2, ram: 7168, disk: 50 },
];

const IMAGES = [
  {
    id: 'a1f0c6a2-4c4e-4a8b-9a39-1c2a0b9f0001',
    name: 'Ubuntu 24.04',
    os_distro: 'ubuntu',
    os_version: '24.04',
    architecture: 'x86_64',
    status: 'active',
  },
  {
    id: 'a1f0c6a2-4c4e-4a8b-9a39-1c2a0b9f0002',
    name: 'Debian 12',
    os_distro: 'debian',
    os_version: '12',
    architecture: 'x86_64',
    status: 'active',
  },
  { id: 'a1f0c6a2-4c4e-4a8b-9a39-1c2a0b9f0003', name: 'Ubuntu 22.04 arm', architecture: 'aarch64', status: 'active' },
];

interface Server {
  id: string;
  name: string;
  status: string;
  task: string | null;
  polls: number;
  zone: string;
  flavorId: string;
  imageId: string;
  metadata: Record<string, string>;
  keyName: string | null;
  created: string;
}

const fault = (status: number, name: string, message: string): FakeResponse => ({ status, body: { [name]: { code: status, message } } });
const unauthorized: FakeResponse = {
  status: 401,
  body: { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } },
};

/** Starts the fake. */
export async function startOpenStackFake(options: OpenStackFakeOptions = {}): Promise<OpenStackFake> {
  const region = options.region ?? 'GRA11';
  const ttl = options.tokenTtlMs ?? 3_600_000;
  const bootPolls = options.bootPolls ?? 1;
  const now = options.now ?? Date.now;
  const violations: OpenStackFake['violations'] = [];
  const tokens = new Map<string, number>();
  const servers = new Map<string, Server>();
  const keypairs = new Map<string, string>();
  let base = '';

  const view = (server: Server) => ({
    id: server.id,
    name: server.name,
    status: server.status,
    'OS-EXT-STS:task_state': server.task,
    'OS-EXT-AZ:availability_zone': server.zone,
    flavor: { id: server.flavorId, links: [] },
    image: { id: server.imageId, links: [] },
    metadata: server.metadata,
    key_name: server.keyName,
    addresses:
      server.status === 'BUILD'
        ? {}
        : { 'Ext-Net': [{ addr: `51.68.${servers.size}.${server.id.charCodeAt(0) % 250}`, version: 4, 'OS-EXT-IPS:type': 'fixed' }] },
    created: server.created,
    links: [{ rel: 'self', href: `${base}/compute/v2.1/servers/${server.id}` }],
  });

  /** Each GET of a server moves a transition one step on. */
  function advance(server: Server): void {
    if (server.polls > 0) {
      server.polls--;
      return;
    }
    if (server.status === 'BUILD') server.status = 'ACTIVE';
    const finished: Record<string, string> = { rebooting: 'ACTIVE', 'powering-off': 'SHUTOFF', 'powering-on': 'ACTIVE' };
    if (server.task === 'deleting') servers.delete(server.id);
    else if (server.task && finished[server.task]) {
      server.status = finished[server.task] as string;
      server.task = null;
    }
  }

  function record(request: RecordedRequest, problems: string[]): FakeResponse | undefined {
    if (problems.length === 0) return undefined;
    violations.push({ method: request.method, url: request.url, problems });
    return fault(400, 'badRequest', problems.join('; '));
  }

  function keystone(request: RecordedRequest): FakeResponse {
    if (request.method !== 'POST' || request.path !== '/identity/v3/auth/tokens')
      return fault(404, 'itemNotFound', 'no such Keystone route');
    const body = JSON.parse(request.body || '{}') as {
      auth?: {
        identity?: {
          password?: { user?: { name?: string; password?: string } };
          application_credential?: { id?: string; secret?: string };
        };
        scope?: { project?: { name?: string } };
      };
    };
    const rejected = record(request, checkKeystoneBody(body));
    if (rejected) return rejected;
    const identity = body.auth?.identity ?? {};
    const byPassword =
      options.user &&
      identity.password?.user?.name === options.user.name &&
      identity.password.user.password === options.user.password &&
      body.auth?.scope?.project?.name === options.user.project;
    const byCredential =
      options.applicationCredential &&
      identity.application_credential?.id === options.applicationCredential.id &&
      identity.application_credential.secret === options.applicationCredential.secret;
    if (!byPassword && !byCredential) {
      return options.echoRejectedBody
        ? {
            status: 401,
            body: {
              error: { code: 401, title: 'Unauthorized', message: `The request you have made requires authentication: ${request.body}` },
            },
          }
        : unauthorized;
    }
    const token = `gAAAAAB${randomUUID().replace(/-/g, '')}`;
    const expiresAt = now() + ttl;
    tokens.set(token, expiresAt);
    // Endpoints on the host the client reached (a proxy in front of the fake stays in the path).
    const origin = request.headers.host ? `http://${String(request.headers.host)}` : base;
    const endpoint = (type: string, path: string) => ({
      type,
      name: type === 'compute' ? 'nova' : 'glance',
      endpoints: [
        { interface: 'public', region_id: region, region, url: `${origin}${path}` },
        { interface: 'public', region_id: 'OTHER1', region: 'OTHER1', url: 'http://192.0.2.1/never-used' },
      ],
    });
    return {
      status: 201,
      headers: { 'X-Subject-Token': token },
      body: {
        token: {
          methods: [byCredential ? 'application_credential' : 'password'],
          expires_at: new Date(expiresAt).toISOString(),
          catalog: [endpoint('compute', '/compute/v2.1'), endpoint('image', '/image')],
        },
      },
    };
  }

  function authorized(request: RecordedRequest): boolean {
    const token = String(request.headers['x-auth-token'] ?? '');
    const expiry = tokens.get(token);
    return expiry !== undefined && expiry > now();
  }

  function page<T extends { id: string }>(items: T[], query: URLSearchParams): { items: T[]; more: boolean } {
    const limit = Math.min(Number(query.get('limit') ?? 1000), 1000);
    const marker = query.get('marker');
    const start = marker ? items.findIndex((item) => item.id === marker) + 1 : 0;
    if (marker && start === 0) return { items: [], more: false };
    const slice = items.slice(start, start + limit);
    return { items: slice, more: start + limit < items.length };
  }

  function nova(request: RecordedRequest): FakeResponse {
    const path = request.path.slice('/compute/v2.1'.length);
    const microversion = /^compute (2\.\d+)$/.exec(String(request.headers['openstack-api-version'] ?? ''))?.[1] ?? '2.1';
    const check = (section: keyof typeof NOVA_SECTIONS) =>
      record(request, checkNovaBody(section, JSON.parse(request.body || 'null'), microversion));
    let match: RegExpExecArray | null;
    if (request.method === 'GET' && path === '/servers/detail') {
      const nameFilter = request.query.get('name');
      const all = [...servers.values()].filter((server) => !nameFilter || new RegExp(nameFilter).test(server.name));
      const { items, more } = page(all, request.query);
      const last = items[items.length - 1];
      return {
        status: 200,
        body: {
          servers: items.map(view),
          ...(more && last
            ? {
                servers_links: [
                  { rel: 'next', href: `${base}/compute/v2.1/servers/detail?limit=${request.query.get('limit')}&marker=${last.id}` },
                ],
              }
            : {}),
        },
      };
    }
    if (request.method === 'POST' && path === '/servers') {
      const rejected = check('createServer');
      if (rejected) return rejected;
      const body = (JSON.parse(request.body) as { server: Record<string, unknown> }).server;
      if (!FLAVORS.some((flavor) => flavor.id === body.flavorRef))
        return fault(400, 'badRequest', `Flavor ${String(body.flavorRef)} could not be found.`);
      if (!IMAGES.some((image) => image.id === body.imageRef))
        return fault(400, 'badRequest', `Image ${String(body.imageRef)} could not be found.`);
      if (body.key_name && !keypairs.has(String(body.key_name))) return fault(400, 'badRequest', `Invalid key_name provided.`);
      const zone = String(body.availability_zone ?? 'nova');
      if (!['nova', 'az-2'].includes(zone)) return fault(400, 'badRequest', `The requested availability zone is not available`);
      const server: Server = {
        id: randomUUID(),
        name: String(body.name),
        status: 'BUILD',
        task: null,
        polls: bootPolls,
        zone,
        flavorId: String(body.flavorRef),
        imageId: String(body.imageRef),
        metadata: (body.metadata as Record<string, string>) ?? {},
        keyName: (body.key_name as string) ?? null,
        created: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      };
      servers.set(server.id, server);
      return {
        status: 202,
        body: {
          server: {
            id: server.id,
            links: [],
            'OS-DCF:diskConfig': 'MANUAL',
            security_groups: [{ name: 'default' }],
            adminPass: 'fake-admin-pass-never-used',
          },
        },
      };
    }
    if ((match = /^\/servers\/([^/]+)$/.exec(path))) {
      const server = servers.get(decodeURIComponent(match[1] as string));
      if (!server) return fault(404, 'itemNotFound', 'Instance could not be found.');
      if (request.method === 'GET') {
        advance(server);
        return servers.has(server.id)
          ? { status: 200, body: { server: view(server) } }
          : fault(404, 'itemNotFound', 'Instance could not be found.');
      }
      if (request.method === 'DELETE') {
        server.task = 'deleting';
        server.polls = 0;
        return { status: 204 };
      }
    }
    if ((match = /^\/servers\/([^/]+)\/action$/.exec(path)) && request.method === 'POST') {
      const server = servers.get(decodeURIComponent(match[1] as string));
      if (!server) return fault(404, 'itemNotFound', 'Instance could not be found.');
      const body = JSON.parse(request.body) as Record<string, unknown>;
      const kind = Object.keys(body)[0];
      const section = kind === 'reboot' ? 'reboot' : kind === 'os-start' ? 'start' : kind === 'os-stop' ? 'stop' : undefined;
      if (!section) return fault(400, 'badRequest', `unknown action ${String(kind)}`);
      const rejected = check(section);
      if (rejected) return rejected;
      if (section === 'stop' && server.status === 'SHUTOFF')
        return fault(409, 'conflictingRequest', "Cannot 'stop' instance while it is in vm_state stopped");
      if (section === 'start' && server.status !== 'SHUTOFF')
        return fault(409, 'conflictingRequest', "Cannot 'start' instance while it is in vm_state active");
      server.task = section === 'reboot' ? 'rebooting' : section === 'stop' ? 'powering-off' : 'powering-on';
      if (section === 'reboot') server.status = 'REBOOT';
      server.polls = 0;
      return { status: 202 };
    }
    if (request.method === 'GET' && (match = /^\/flavors\/([^/]+)$/.exec(path)) && match[1] !== 'detail') {
      const flavor = FLAVORS.find((each) => each.id === decodeURIComponent(match![1] as string));
      return flavor ? { status: 200, body: { flavor } } : fault(404, 'itemNotFound', 'Flavor could not be found.');
    }
    if (request.method === 'GET' && path === '/flavors/detail') {
      const { items, more } = page(FLAVORS, request.query);
      const last = items[items.length - 1];
      return {
        status: 200,
        body: {
          flavors: items,
          ...(more && last ? { flavors_links: [{ rel: 'next', href: `${base}/compute/v2.1/flavors/detail?marker=${last.id}` }] } : {}),
        },
      };
    }
    if (request.method === 'GET' && path === '/os-availability-zone') {
      return {
        status: 200,
        body: {
          availabilityZoneInfo: [
            { zoneName: 'nova', zoneState: { available: true }, hosts: null },
            { zoneName: 'az-2', zoneState: { available: true }, hosts: null },
          ],
        },
      };
    }
    if (request.method === 'POST' && path === '/os-keypairs') {
      const rejected = check('importKeypair');
      if (rejected) return rejected;
      const { keypair } = JSON.parse(request.body) as { keypair: { name: string; public_key: string } };
      if (keypairs.has(keypair.name)) return fault(409, 'conflictingRequest', `Key pair '${keypair.name}' already exists.`);
      keypairs.set(keypair.name, keypair.public_key);
      return {
        status: 200,
        body: { keypair: { name: keypair.name, public_key: keypair.public_key, fingerprint: 'fp', user_id: 'u', type: 'ssh' } },
      };
    }
    return fault(404, 'itemNotFound', `no route ${request.method} ${path}`);
  }

  function glance(request: RecordedRequest): FakeResponse {
    const one = /^\/image\/v2\/images\/([^/]+)$/.exec(request.path);
    if (request.method === 'GET' && one) {
      const image = IMAGES.find((each) => each.id === decodeURIComponent(one[1] as string));
      return image ? { status: 200, body: image } : { status: 404, body: '404 Not Found: No image found with ID' };
    }
    if (request.method !== 'GET' || request.path !== '/image/v2/images') return { status: 404, body: '404 Not Found' };
    const active = IMAGES.filter((image) => !request.query.get('status') || image.status === request.query.get('status'));
    const { items, more } = page(active, request.query);
    const last = items[items.length - 1];
    return {
      status: 200,
      body: {
        images: items,
        first: '/v2/images',
        schema: '/v2/schemas/images',
        ...(more && last ? { next: `/v2/images?marker=${last.id}&limit=${request.query.get('limit')}` } : {}),
      },
    };
  }

  const server = await startFakeServer((request) => {
    if (request.path.startsWith('/identity/')) return keystone(request);
    if (!authorized(request)) return unauthorized;
    if (request.path.startsWith('/compute/v2.1/')) return nova(request);
    if (request.path.startsWith('/image/')) return glance(request);
    return { status: 404, body: { itemNotFound: { code: 404, message: 'no such service' } } };
  });
  base = server.url;
  return {
    url: server.url,
    authUrl: `${server.url}/identity/v3`,
    requests: server.requests,
    violations,
    get tokens() {
      return [...tokens.keys()];
    },
    expireTokens() {
      for (const token of tokens.keys()) tokens.set(token, now() - 1);
    },
    serverIds: () => [...servers.keys()],
    close: () => server.close(),
  };
}
