/**
 * A stateful DigitalOcean API v2 fake: the real paths and JSON shapes over the shared simulator,
 * with every request checked against DigitalOcean's official OpenAPI document first (a request
 * the real API would reject gets DigitalOcean's 400/422 error and is recorded in `violations`).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../../../src/core/clock.js';
import { SimulatedCloud, isSimulatorError, type FaultSettings, type SimNode, type SimTimings } from '../../../src/simulator/index.js';
import { startFakeServer, type FakeResponse, type FakeServer, type RecordedRequest } from '../http-server.js';
import { checkedHandler, createOpenApiValidator, type SpecViolation } from '../openapi.js';
import { DIGITALOCEAN_CATALOG } from './catalog.js';
import { dropletIdOf, dropletJson, dropletStatus, imageJson, regionJson, simIdOf, sizeJson } from './render.js';

/** Options of {@link startDigitalOceanFake}. */
export interface DigitalOceanFakeOptions {
  /** The token the fake accepts. Default: `do-fake-token-0123456789abcdef`. */
  readonly token?: string;
  /** The simulator's clock; share a `VirtualClock` with the driver to make waits instant. Default: the system clock. */
  readonly clock?: Clock;
  readonly seed?: number;
  readonly timings?: Partial<SimTimings>;
  readonly faults?: FaultSettings;
  readonly maxNodes?: number;
  /** Origin used in `links.pages` URLs, as the real API does. Default: `https://api.digitalocean.com`. */
  readonly linkOrigin?: string;
  /**
   * Answer `GET /v2/droplets?tag_name=…` with every droplet, as if the filter were not there: a
   * client must check the tag itself. Default: false.
   */
  readonly ignoreTagFilter?: boolean;
}

/** A scripted answer, served instead of the fake's own (after spec validation) while `times` lasts. */
export interface ScriptedAnswer {
  readonly method?: string;
  /** Matched against the request path. */
  readonly path: string | RegExp;
  readonly response: FakeResponse;
  /** How many matching requests get it. Default: 1. */
  times?: number;
  /**
   * Perform the request first, then answer with `response` (an answer lost on the way back, e.g.
   * a create that happened but looked like a 5xx to the client). Default: false.
   */
  readonly afterHandling?: boolean;
}

/** A running DigitalOcean fake. */
export interface DigitalOceanFake {
  /** Pass as the driver's `endpoint`. */
  readonly url: string;
  readonly token: string;
  readonly server: FakeServer;
  readonly cloud: SimulatedCloud;
  /** Requests that broke the official API document; tests assert this stays empty. */
  readonly violations: SpecViolation[];
  /** The fake's own success answers that departed from the document's response schemas. */
  readonly responseViolations: SpecViolation[];
  /** Every request received. */
  readonly requests: RecordedRequest[];
  /** Answers the next matching request(s) with `answer.response`. */
  script(answer: ScriptedAnswer): void;
  /** Makes the next droplet action of this type end `errored`, leaving the droplet as it was. */
  failNextAction(type: string): void;
  /** Public keys registered with the fake account, by fingerprint. */
  readonly sshKeys: ReadonlyMap<string, { readonly id: number; readonly name: string; readonly public_key: string }>;
  close(): Promise<void>;
}

interface FakeAction {
  readonly id: number;
  readonly type: string;
  readonly simId: string;
  readonly regionSlug: string;
  readonly startedAt: number;
  /** The simulator state that means done; `undefined` for an action that errored at once. */
  readonly doneIn?: 'running' | 'stopped';
  completedAt?: number;
  errored: boolean;
}

const DEFAULT_TOKEN = 'do-fake-token-0123456789abcdef';
const RATE_LIMIT = 5_000;

/** Starts a DigitalOcean fake on 127.0.0.1. */
export async function startDigitalOceanFake(options: DigitalOceanFakeOptions = {}): Promise<DigitalOceanFake> {
  const token = options.token ?? DEFAULT_TOKEN;
  const linkOrigin = options.linkOrigin ?? 'https://api.digitalocean.com';
  const catalog = DIGITALOCEAN_CATALOG;
  const cloud = new SimulatedCloud({
    catalog,
    idPrefix: '',
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.timings ? { timings: options.timings } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.maxNodes !== undefined ? { maxNodes: options.maxNodes } : {}),
  });
  const validator = await createOpenApiValidator('digitalocean');
  const scripted: ScriptedAnswer[] = [];
  const failingActions: string[] = [];
  const actions = new Map<number, FakeAction>();
  const sshKeys = new Map<string, { id: number; name: string; public_key: string }>();
  let nextActionId = 2_400_000_000;
  let remaining = RATE_LIMIT;

  const now = () => cloud.clock.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const headers = () => ({
    'ratelimit-limit': String(RATE_LIMIT),
    'ratelimit-remaining': String(Math.max(0, --remaining)),
    'ratelimit-reset': String(Math.floor(Date.now() / 1000) + 60),
  });
  const json = (status: number, body: unknown): FakeResponse => ({ status, headers: headers(), body });
  const error = (status: number, id: string, message: string): FakeResponse => json(status, { id, message, request_id: randomUUID() });
  const notFound = () => error(404, 'not_found', 'The resource you requested could not be found.');

  /** A visible droplet (deleted ones are gone, as on DigitalOcean), or undefined. */
  const visible = (node: SimNode | undefined) => {
    const status = node && dropletStatus(node.state);
    return node && status ? { node, status } : undefined;
  };

  const listLinks = (path: string, query: URLSearchParams, page: number, pages: number) => {
    const at = (number: number) => {
      const params = new URLSearchParams(query);
      params.set('page', String(number));
      return `${linkOrigin}${path}?${params.toString()}`;
    };
    const pagesLinks: Record<string, string> = {};
    if (page > 1) Object.assign(pagesLinks, { first: at(1), prev: at(page - 1) });
    if (page < pages) Object.assign(pagesLinks, { next: at(page + 1), last: at(pages) });
    return { pages: pagesLinks };
  };

  /** One page of a collection, with DigitalOcean's `links` and `meta`. */
  const paged = (request: RecordedRequest, key: string, items: readonly unknown[]): FakeResponse => {
    const perPage = Number(request.query.get('per_page') ?? '20');
    const page = Number(request.query.get('page') ?? '1');
    const pages = Math.max(1, Math.ceil(items.length / perPage));
    const slice = items.slice((page - 1) * perPage, page * perPage);
    return json(200, { [key]: slice, links: listLinks(request.path, request.query, page, pages), meta: { total: items.length } });
  };

  const actionJson = (action: FakeAction) => {
    if (!action.errored && action.completedAt === undefined && action.doneIn) {
      const node = cloud.peekNodes().find((each) => each.id === action.simId);
      if (!node) action.errored = true;
      else if (node.state === action.doneIn && !node.next) action.completedAt = now();
    }
    return {
      id: action.id,
      status: action.errored ? 'errored' : action.completedAt === undefined ? 'in-progress' : 'completed',
      type: action.type,
      started_at: iso(action.startedAt),
      completed_at: action.completedAt === undefined ? null : iso(action.completedAt),
      resource_id: dropletIdOf(action.simId),
      resource_type: 'droplet',
      region: regionJson(catalog.locations.find((location) => location.id === action.regionSlug) ?? catalog.locations[0]!, catalog),
      region_slug: action.regionSlug,
    };
  };

  const startAction = (type: string, node: SimNode, doneIn: 'running' | 'stopped' | undefined, errored = false): FakeAction => {
    const action: FakeAction = {
      id: ++nextActionId,
      type,
      simId: node.id,
      regionSlug: node.location.id,
      startedAt: now(),
      ...(doneIn ? { doneIn } : {}),
      errored,
    };
    actions.set(action.id, action);
    return action;
  };

  /** Simulator failures in DigitalOcean's words. */
  const simFailure = (failure: unknown, field?: string): FakeResponse => {
    if (!isSimulatorError(failure)) throw failure;
    switch (failure.code) {
      case 'not-found':
        return notFound();
      case 'invalid': {
        const which = failure.field === 'location' ? 'region' : (failure.field ?? field ?? 'request');
        return error(422, 'unprocessable_entity', `You specified an invalid ${which} for Droplet creation.`);
      }
      case 'conflict':
        return error(422, 'unprocessable_entity', failure.message);
      case 'quota':
        return error(422, 'unprocessable_entity', 'creating this/these droplet(s) will exceed your droplet limit');
      case 'rate-limit':
        return {
          status: 429,
          headers: { ...headers(), 'retry-after': '1' },
          body: { id: 'too_many_requests', message: 'API Rate limit exceeded.' },
        };
      default:
        return error(503, 'service_unavailable', 'The service is temporarily unavailable. Please try again later.');
    }
  };

  async function route(request: RecordedRequest): Promise<FakeResponse> {
    const { method, path } = request;
    if (method === 'GET' && path === '/v2/regions') {
      const locations = await cloud.listLocations();
      return paged(
        request,
        'regions',
        locations.map((location) => regionJson(location, catalog)),
      );
    }
    if (method === 'GET' && path === '/v2/sizes') {
      const sizes = await cloud.listSizes();
      return paged(
        request,
        'sizes',
        sizes.map((size) => sizeJson(size, catalog)),
      );
    }
    if (method === 'GET' && path === '/v2/images') {
      const type = request.query.get('type');
      const images = type === 'application' ? [] : (await cloud.listImages()).filter((image) => !image.deprecated);
      return paged(
        request,
        'images',
        images.map((image) => imageJson(image, catalog)),
      );
    }
    if (method === 'GET' && path === '/v2/droplets') {
      const tag = options.ignoreTagFilter ? null : request.query.get('tag_name');
      const name = request.query.get('name');
      if (request.query.get('tag_name') !== null && name !== null) return error(400, 'bad_request', 'tag_name and name cannot be combined');
      const page = await cloud.listNodes({ pageSize: Number.MAX_SAFE_INTEGER, ...(tag !== null ? { tags: { [tag]: '' } } : {}) });
      const droplets = page.nodes
        .map(visible)
        .filter((each) => each !== undefined)
        .filter(({ node }) => name === null || node.name.toLowerCase() === name.toLowerCase())
        .map(({ node, status }) => dropletJson(node, catalog, status));
      return paged(request, 'droplets', droplets);
    }
    if (method === 'POST' && path === '/v2/droplets') return createDroplet(request);
    if (method === 'POST' && path === '/v2/account/keys') {
      const body = JSON.parse(request.body) as { name: string; public_key: string };
      const fingerprint = fingerprintOf(body.public_key);
      if (!fingerprint) return error(422, 'unprocessable_entity', 'Key invalid, key should be of the format `type key [comment]`');
      if (sshKeys.has(fingerprint)) return error(422, 'unprocessable_entity', 'SSH Key is already in use on your account');
      const key = { id: 5_000_000 + sshKeys.size + 1, name: body.name, public_key: body.public_key };
      sshKeys.set(fingerprint, key);
      return json(201, { ssh_key: { ...key, fingerprint } });
    }
    const keyMatch = /^\/v2\/account\/keys\/([^/]+)$/.exec(path);
    if (method === 'GET' && keyMatch) {
      const identifier = decodeURIComponent(keyMatch[1] as string);
      const found = [...sshKeys].find(([fingerprint, key]) => fingerprint === identifier || String(key.id) === identifier);
      return found ? json(200, { ssh_key: { ...found[1], fingerprint: found[0] } }) : notFound();
    }
    const actionMatch = /^\/v2\/actions\/(\d+)$/.exec(path);
    if (method === 'GET' && actionMatch) {
      const action = actions.get(Number(actionMatch[1]));
      return action ? json(200, { action: actionJson(action) }) : notFound();
    }
    const dropletMatch = /^\/v2\/droplets\/(\d+)(\/actions)?$/.exec(path);
    if (dropletMatch) {
      const simId = simIdOf(dropletMatch[1] as string);
      if (simId === undefined) return notFound();
      if (dropletMatch[2])
        return method === 'POST' ? dropletAction(simId, request) : error(405, 'method_not_allowed', 'not supported by the fake');
      try {
        if (method === 'GET') {
          const found = visible(await cloud.getNode(simId));
          return found ? json(200, { droplet: dropletJson(found.node, catalog, found.status) }) : notFound();
        }
        if (method === 'DELETE') {
          const found = visible(await cloud.getNode(simId));
          if (!found) return notFound();
          await cloud.destroyNode(simId);
          return { status: 204, headers: headers() };
        }
      } catch (failure) {
        return simFailure(failure);
      }
    }
    return error(404, 'not_found', `the fake does not serve ${method} ${path}`);
  }

  async function createDroplet(request: RecordedRequest): Promise<FakeResponse> {
    const body = JSON.parse(request.body) as Record<string, unknown>;
    if (Array.isArray(body.names)) return error(422, 'unprocessable_entity', 'the fake creates one droplet per request');
    const keys: string[] = [];
    for (const identifier of (body.ssh_keys ?? []) as (string | number)[]) {
      const found = [...sshKeys].find(([fingerprint, key]) => fingerprint === String(identifier) || key.id === Number(identifier));
      if (!found) return error(422, 'unprocessable_entity', `ssh_keys ${String(identifier)} is not a key of this account`);
      keys.push(found[1].public_key);
    }
    try {
      const node = await cloud.createNode({
        name: String(body.name),
        sizeId: String(body.size),
        imageId: String(body.image),
        locationId: String(body.region),
        tags: Object.fromEntries(((body.tags ?? []) as string[]).map((tag) => [tag, ''])),
        sshKeys: keys,
        ...(typeof body.user_data === 'string' ? { userData: body.user_data } : {}),
      });
      const action = startAction('create', node, 'running');
      return json(202, {
        droplet: dropletJson(node, catalog, dropletStatus(node.state) ?? 'new'),
        links: { actions: [{ id: action.id, rel: 'create', href: `${linkOrigin}/v2/actions/${action.id}` }] },
      });
    } catch (failure) {
      return simFailure(failure);
    }
  }

  async function dropletAction(simId: string, request: RecordedRequest): Promise<FakeResponse> {
    const { type } = JSON.parse(request.body) as { type: string };
    try {
      const found = visible(await cloud.getNode(simId));
      if (!found) return notFound();
      const failIndex = failingActions.indexOf(type);
      if (failIndex !== -1) {
        failingActions.splice(failIndex, 1);
        return json(201, { action: actionJson(startAction(type, found.node, undefined, true)) });
      }
      const { node, status } = found;
      switch (type) {
        case 'reboot':
          if (status !== 'active') return error(422, 'unprocessable_entity', 'Droplet must be powered on to reboot.');
          return json(201, { action: actionJson(startAction(type, await cloud.rebootNode(simId), 'running')) });
        case 'power_off':
        case 'shutdown':
          if (status === 'off') return error(422, 'unprocessable_entity', 'Droplet is already powered off.');
          return json(201, { action: actionJson(startAction(type, await cloud.stopNode(simId), 'stopped')) });
        case 'power_on':
          if (status === 'active') return error(422, 'unprocessable_entity', 'Droplet is already powered on.');
          return json(201, { action: actionJson(startAction(type, await cloud.startNode(simId), 'running')) });
        default:
          return error(422, 'unprocessable_entity', `the fake does not perform ${type} on droplet ${dropletIdOf(node.id)}`);
      }
    } catch (failure) {
      return simFailure(failure);
    }
  }

  async function handle(request: RecordedRequest): Promise<FakeResponse> {
    if (request.headers.authorization !== `Bearer ${token}`) return error(401, 'unauthorized', 'Unable to authenticate you');
    const answer = scripted.find(
      (each) =>
        (each.method === undefined || each.method === request.method) &&
        (typeof each.path === 'string' ? each.path === request.path : each.path.test(request.path)),
    );
    if (answer) {
      answer.times = (answer.times ?? 1) - 1;
      if (answer.times <= 0) scripted.splice(scripted.indexOf(answer), 1);
      if (answer.afterHandling) await route(request).catch(() => undefined);
      return answer.response;
    }
    try {
      return await route(request);
    } catch (failure) {
      // Injected simulator faults (outage, error rate) arrive here as DigitalOcean 5xx answers.
      return simFailure(failure);
    }
  }

  const checked = checkedHandler(validator, handle, (problems, request) =>
    error(request.body === '' ? 400 : 422, request.body === '' ? 'bad_request' : 'unprocessable_entity', problems.join('; ')),
  );
  const server = await startFakeServer(checked.handler);
  return {
    url: server.url,
    token,
    server,
    cloud,
    violations: checked.violations,
    responseViolations: checked.responseViolations,
    requests: server.requests,
    sshKeys,
    script: (answer) => void scripted.push({ ...answer }),
    failNextAction: (type) => void failingActions.push(type),
    close: () => server.close(),
  };
}

/** DigitalOcean's fingerprint of a public key (MD5 of the blob, colon-separated hex). */
function fingerprintOf(publicKey: string): string | undefined {
  const blob = publicKey.trim().split(/\s+/)[1];
  if (!blob || !/^[A-Za-z0-9+/]+={0,3}$/.test(blob)) return undefined;
  // Written independently of the driver's helper, so a wrong fingerprint there fails the tests.
  return createHash('md5')
    .update(Buffer.from(blob, 'base64'))
    .digest('hex')
    .replace(/(..)(?!$)/g, '$1:');
}
