/**
 * A toy REST provider for the tests of `defineRestDriver`: a loopback fake (servers, plans, zones,
 * images, SSH keys, actions) that pages in any of the three paging styles and can ignore the
 * filters it is sent, and the small spec that drives it.
 */
import type { Clock } from '../../src/core/clock.js';
import { CloudError } from '../../src/core/errors.js';
import type { Node, ProviderName } from '../../src/core/types.js';
import {
  defineRestDriver,
  keyPairOf,
  linkPaging,
  md5Fingerprint,
  metaPaging,
  pageCountPaging,
  urlPath,
  type KeyRegistrySpec,
  type PagingStyle,
  type RestActionOptions,
  type RestDriverOptions,
  type RestRuntime,
} from '../../src/rest/index.js';
import { startFakeServer, type FakeResponse, type FakeServer, type RecordedRequest } from '../fakes/http-server.js';

/** The toy's provider name (any registered name will do once providers are open). */
export const TOY = 'digitalocean' as ProviderName;
export const TOY_TOKEN = 'toy-token-3f9a1c7e5b';

export type PagingKind = 'link' | 'meta' | 'count';

/** A toy server as the fake sends it. */
export interface ToyServer {
  id: number;
  name: string;
  status: 'building' | 'on' | 'off';
  zone: string;
  plan: string;
  image: string;
  tags: string[];
  created: string;
  readyAt?: number;
}

interface ToyAction {
  id: number;
  status: 'running' | 'ok' | 'failed';
  doneAt: number;
  fail: boolean;
}

export interface ToyFakeOptions {
  readonly paging: PagingKind;
  readonly clock: Clock;
  /** Answer list requests as if no `tag` / `fingerprint` filter had been sent. */
  readonly ignoreFilters?: boolean;
  /** How long an action runs, in (virtual) ms. Default: 5 000. */
  readonly actionMs?: number;
}

export interface ToyFake extends FakeServer {
  readonly servers: Map<number, ToyServer>;
  readonly keys: Map<number, { id: number; name: string; fingerprint: string; public_key: string }>;
  /** The next action fails. */
  failNextAction(): void;
  requestsTo(method: string, pattern: RegExp): RecordedRequest[];
}

export async function startToyFake(options: ToyFakeOptions): Promise<ToyFake> {
  const servers = new Map<number, ToyServer>();
  const keys: ToyFake['keys'] = new Map();
  const actions = new Map<number, ToyAction>();
  let nextId = 100;
  let failNext = false;
  const actionMs = options.actionMs ?? 5_000;

  const startAction = (): ToyAction => {
    const action = { id: nextId++, status: 'running' as const, doneAt: options.clock.now() + actionMs, fail: failNext };
    failNext = false;
    actions.set(action.id, action);
    return action;
  };
  const actionJson = (action: ToyAction) => ({
    id: action.id,
    status: options.clock.now() < action.doneAt ? 'running' : action.fail ? 'failed' : 'ok',
  });

  const page = (request: RecordedRequest, key: string, all: unknown[]): FakeResponse => {
    const size = Number(request.query.get(options.paging === 'count' ? 'page_size' : 'per_page') ?? 20);
    const number = Number(request.query.get('page') ?? 1);
    const pages = Math.max(1, Math.ceil(all.length / size));
    const items = all.slice((number - 1) * size, number * size);
    const next = number < pages ? number + 1 : null;
    if (options.paging === 'link') {
      const link = new URL(`https://api.toy.example${request.path}`);
      for (const [name, value] of request.query) link.searchParams.set(name, value);
      link.searchParams.set('page', String(next));
      return { status: 200, body: { [key]: items, links: next ? { next: link.toString() } : {} } };
    }
    if (options.paging === 'meta') return { status: 200, body: { [key]: items, meta: { pagination: { page: number, next_page: next } } } };
    return { status: 200, body: { data: items, page: number, pages } };
  };
  const listKey = (key: string) => (options.paging === 'count' ? 'data' : key);
  const notFound = (): FakeResponse => ({ status: 404, body: { message: 'not found' } });
  /** A server as seen now: building until its boot time has passed on the shared clock. */
  const seen = (server: ToyServer): ToyServer => {
    if (server.status === 'building' && options.clock.now() >= (server.readyAt ?? 0)) server.status = 'on';
    const { readyAt: _readyAt, ...shown } = server;
    return shown;
  };
  const CATALOG = { zone: ['z1', 'z2'], plan: ['small'], image: ['ubuntu-22.04', 'ubuntu-24.04'] } as const;

  const server = await startFakeServer((request) => {
    if (request.headers.authorization !== `Bearer ${TOY_TOKEN}`) return { status: 401, body: { message: 'bad token' } };
    const { method, path } = request;
    if (method === 'GET' && path === '/v1/zones') {
      return page(request, listKey('zones'), [
        { slug: 'z1', city: 'Berlin' },
        { slug: 'z2', city: 'Munich' },
      ]);
    }
    if (method === 'GET' && path === '/v1/plans') return page(request, listKey('plans'), [{ slug: 'small', cpus: 1, ram: 1024 }]);
    if (method === 'GET' && path === '/v1/images') {
      return page(request, listKey('images'), [
        { slug: 'ubuntu-22.04', created: '2022-04-21T00:00:00Z' },
        { slug: 'ubuntu-24.04', created: '2024-04-25T00:00:00Z' },
      ]);
    }
    if (method === 'GET' && path === '/v1/servers') {
      const tag = options.ignoreFilters ? null : request.query.get('tag');
      return page(request, listKey('servers'), [...servers.values()].filter((each) => tag === null || each.tags.includes(tag)).map(seen));
    }
    if (method === 'POST' && path === '/v1/servers') {
      const body = JSON.parse(request.body) as Omit<ToyServer, 'id' | 'status' | 'created'>;
      for (const field of ['zone', 'plan', 'image'] as const) {
        if (!(CATALOG[field] as readonly string[]).includes(body[field]))
          return { status: 422, body: { message: `unknown ${field}`, field } };
      }
      const now = options.clock.now();
      const created: ToyServer = { id: nextId++, status: 'building', ...body, created: new Date(now).toISOString(), readyAt: now + 3_000 };
      servers.set(created.id, created);
      return { status: 201, body: { server: seen(created), action: actionJson(startAction()) } };
    }
    const serverPath = /^\/v1\/servers\/([^/]+)(\/reboot)?$/.exec(path);
    if (serverPath) {
      const found = servers.get(Number(serverPath[1]));
      if (!found) return notFound();
      if (method === 'GET' && !serverPath[2]) return { status: 200, body: { server: seen(found) } };
      if (method === 'POST' && serverPath[2]) return { status: 200, body: { action: actionJson(startAction()) } };
      if (method === 'DELETE' && !serverPath[2]) {
        servers.delete(found.id);
        return { status: 204 };
      }
    }
    const actionPath = /^\/v1\/actions\/(\d+)$/.exec(path);
    if (method === 'GET' && actionPath) {
      const action = actions.get(Number(actionPath[1]));
      return action ? { status: 200, body: { action: actionJson(action) } } : notFound();
    }
    if (method === 'GET' && path === '/v1/keys') {
      const fingerprint = options.ignoreFilters ? null : request.query.get('fingerprint');
      return page(
        request,
        listKey('keys'),
        [...keys.values()].filter((key) => fingerprint === null || key.fingerprint === fingerprint),
      );
    }
    if (method === 'POST' && path === '/v1/keys') {
      const body = JSON.parse(request.body) as { name: string; public_key: string };
      const key = { id: nextId++, name: body.name, public_key: body.public_key, fingerprint: md5Fingerprint(body.public_key) };
      keys.set(key.id, key);
      return { status: 201, body: { key } };
    }
    const keyPath = /^\/v1\/keys\/(\d+)$/.exec(path);
    if (method === 'DELETE' && keyPath) return keys.delete(Number(keyPath[1])) ? { status: 204 } : notFound();
    return { status: 404, body: { message: `no route ${method} ${path}` } };
  });
  return {
    ...server,
    servers,
    keys,
    failNextAction: () => void (failNext = true),
    requestsTo: (method, pattern) => server.requests.filter((request) => request.method === method && pattern.test(request.path)),
  };
}

const PAGING: Record<PagingKind, PagingStyle> = {
  link: linkPaging({ maxPageSize: 50, link: (body) => (body.links as { next?: string } | undefined)?.next }),
  meta: metaPaging({ maxPageSize: 50 }),
  count: pageCountPaging({ minPageSize: 2, maxPageSize: 50 }),
};

const STATES = { building: 'pending', on: 'running', off: 'stopped' } as const;
const MARKER = 'idem-';

export interface ToyOptions extends RestDriverOptions, RestActionOptions {}

/** The toy's SSH-key registry (`/keys`), for a paging style. */
export function toyKeys(paging: PagingKind): KeyRegistrySpec {
  return {
    list: { path: '/keys', field: paging === 'count' ? 'data' : 'keys', query: (fingerprint) => ({ fingerprint }) },
    create: { path: '/keys', field: 'key', body: (publicKey, name) => ({ name, public_key: publicKey }) },
    delete: { path: (id) => urlPath`/keys/${id}` },
    map: (entry) => {
      const key = entry as { id: number; name: string; fingerprint: string; public_key: string };
      return keyPairOf(TOY, { id: key.id, name: key.name, publicKey: key.public_key, fingerprint: key.fingerprint });
    },
    reference: (key) => key.id,
  };
}

/** The toy driver factory for one paging style; `onRuntime` receives each driver's runtime. */
export function toyDriverFactory(paging: PagingKind, onRuntime?: (runtime: RestRuntime) => void) {
  const field = (key: string) => (paging === 'count' ? 'data' : key);
  return defineRestDriver<ToyServer, Record<string, unknown>, ToyOptions>({
    provider: TOY,
    defaultEndpoint: 'https://api.toy.example/v1',
    tokenEnv: ['TOY_TOKEN', 'TOY_ACCESS_TOKEN'],
    capabilities: {
      startStop: false,
      reboot: true,
      userData: false,
      sshKeys: true,
      tags: true,
      idempotency: 'tag',
      locationKind: 'region',
    },
    idPatterns: { node: { pattern: /^\d+$/, description: 'a toy server id (digits)' } },
    transport: {
      parseErrorBody: (body) => {
        const { message, field: apiField } = (body ?? {}) as { message?: string; field?: string };
        const field =
          apiField === undefined ? undefined : ({ zone: 'location', plan: 'size', image: 'image' } as Record<string, string>)[apiField];
        return { ...(message ? { message } : {}), ...(field ? { field } : {}) };
      },
    },
    paging: PAGING[paging],
    locations: {
      path: '/zones',
      field: field('zones'),
      map: (zone: { slug: string; city: string }) => ({
        id: zone.slug,
        name: zone.city,
        provider: TOY,
        kind: 'region' as const,
        region: zone.slug,
        country: 'DE',
        city: zone.city,
      }),
    },
    sizes: {
      path: '/plans',
      field: field('plans'),
      map: (plan: { slug: string; cpus: number; ram: number }) => ({
        id: plan.slug,
        name: plan.slug,
        provider: TOY,
        vcpus: plan.cpus,
        memoryGiB: plan.ram / 1024,
        price: null,
      }),
    },
    images: {
      path: '/images',
      field: field('images'),
      map: (image: { slug: string; created: string }) => ({
        id: image.slug,
        name: image.slug,
        provider: TOY,
        os: { family: 'ubuntu', version: image.slug.split('-')[1] as string },
        arch: 'x86_64' as const,
        createdAt: new Date(image.created),
      }),
    },
    nodes: {
      path: '/servers',
      field: field('servers'),
      validate: (entry) => (typeof (entry as ToyServer).id === 'number' ? undefined : 'a server without a numeric "id"'),
      get: { path: (id) => urlPath`/servers/${id}`, field: 'server' },
      mapper: () => (server) => toyNode(server),
    },
    create: {
      path: '/servers',
      field: 'server',
      body: (request, sshKeys) => ({
        name: request.name,
        zone: request.locationId,
        plan: request.sizeId,
        image: request.imageId,
        tags: [
          `${MARKER}${request.idempotencyKey}`,
          ...Object.entries(request.tags).map(([key, value]) => `${key}=${value}`),
          ...sshKeys.map((key) => `key-${key}`),
        ],
      }),
    },
    idempotency: {
      filter: (key) => ({ query: { tag: `${MARKER}${key}` } }),
      carries: (server, key) => server.tags.includes(`${MARKER}${key}`),
      matches: (server, request) => server.name === request.name,
    },
    routes: {
      reboot: { path: (id) => urlPath`/servers/${id}/reboot` },
      destroy: { path: (id) => urlPath`/servers/${id}` },
    },
    actions: {
      field: 'action',
      path: (action) => urlPath`/actions/${String(action.id)}`,
      status: (action) => (action.status === 'ok' ? 'done' : action.status === 'failed' ? 'failed' : 'running'),
      describe: (action) => `action ${String(action.id)}`,
      failure: (action, operation) =>
        new CloudError(`action ${String(action.id)} failed`, { provider: TOY, operation, code: 'action_failed' }),
    },
    sshKeys: toyKeys(paging),
    setup: (runtime) => void onRuntime?.(runtime),
  });
}

function toyNode(server: ToyServer): Node<ToyServer> {
  return {
    id: String(server.id),
    name: server.name,
    provider: TOY,
    state: STATES[server.status],
    rawState: server.status,
    location: { id: server.zone, region: server.zone, country: 'DE' },
    sizeId: server.plan,
    imageId: server.image,
    publicIps: [],
    privateIps: [],
    // User tags are `key=value`; the idempotency marker and key references are polycloud's own.
    tags: Object.fromEntries(
      server.tags.filter((tag) => tag.includes('=')).map((tag) => [tag.slice(0, tag.indexOf('=')), tag.slice(tag.indexOf('=') + 1)]),
    ),
    createdAt: new Date(server.created),
    price: null,
    raw: server,
  };
}
