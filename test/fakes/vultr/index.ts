/**
 * A stateful Vultr API v2 fake: the real paths (`/v2/instances`, `/v2/instances/{id}/user-data`,
 * `/v2/plans`, `/v2/regions`, `/v2/os`, `/v2/ssh-keys`), JSON shapes, `{ error, status }` bodies and cursor pagination
 * (`meta.links.next`), as a protocol front-end over the shared simulator. Every request is
 * validated against Vultr's official OpenAPI document (the subset in `openapi.json`, provenance in
 * `SOURCE.md`) before it is handled, and every success answer against its response schemas;
 * violations are recorded.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../../src/core/clock.js';
import {
  SimulatedCloud,
  isSimulatorError,
  sizeOfferedIn,
  type FaultSettings,
  type SimNode,
  type SimTimings,
} from '../../../src/simulator/index.js';
import { startFakeServer, type FakeResponse, type FakeServer, type RecordedRequest } from '../http-server.js';
import { checkedHandler, createOpenApiValidator, type SpecViolation } from '../openapi.js';
import { AnswerScript } from '../hetzner/scripted.js';
import { VULTR_CATALOG, VULTR_NON_OS_ENTRIES } from './catalog.js';
import { answer, cursorPage, instanceJson, planJson, regionJson, vultrError, type VultrInstanceExtra } from './render.js';

/** Options of {@link startVultrFake}. */
export interface VultrFakeOptions {
  /** The API key the fake accepts. Default: `VULTRFAKEKEY0123456789ABCDEFGHIJKLMNO`. */
  readonly token?: string;
  /** Drive an existing simulated cloud. Default: a new one over the Vultr catalog. */
  readonly cloud?: SimulatedCloud;
  /** Clock of the new cloud. Default: the system clock. */
  readonly clock?: Clock;
  /** Transition times of the new cloud. Default: the simulator's, with `stop: 0` (halt is a hard power-off). */
  readonly timings?: Partial<SimTimings>;
  readonly faults?: FaultSettings;
  readonly maxNodes?: number;
}

/** What the fake kept of a create request beyond what the simulator stores. */
export interface VultrCreateRecord {
  readonly body: Readonly<Record<string, unknown>>;
  /** The public keys of the registered keys the instance was given. */
  readonly sshKeys: readonly string[];
  readonly userData?: string;
  readonly password: string;
}

/** A registered SSH key. */
interface SshKeyEntry {
  readonly id: string;
  readonly date_created: string;
  readonly name: string;
  readonly ssh_key: string;
}

/** A running Vultr fake. */
export interface VultrFake {
  /** The API base URL to configure the driver with, e.g. `http://127.0.0.1:4567/v2`. */
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
  /** Per instance id: the create body, keys, decoded user data and root password. */
  readonly created: ReadonlyMap<string, VultrCreateRecord>;
  /** The registered SSH keys, by id. */
  readonly sshKeys: ReadonlyMap<string, SshKeyEntry>;
  /** Creates an instance as `POST /instances` would, without a request (test set-up); returns its id. */
  seed(body: { label: string; region: string; plan: string; os_id: number; tags?: readonly string[] }): Promise<string>;
  close(): Promise<void>;
}

const SSH_KEY_LINE = /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-\S+) [A-Za-z0-9+/]+={0,3}( .*)?$/;
const MAX_USER_DATA = 64 * 1024;

/** Starts a Vultr fake on 127.0.0.1. */
export async function startVultrFake(options: VultrFakeOptions = {}): Promise<VultrFake> {
  const token = options.token ?? 'VULTRFAKEKEY0123456789ABCDEFGHIJKLMNO';
  const cloud =
    options.cloud ??
    new SimulatedCloud({
      catalog: VULTR_CATALOG,
      idPrefix: 'vu-',
      ...(options.clock ? { clock: options.clock } : {}),
      // Halt is a hard power-off on Vultr: the instance is stopped as soon as the 204 is sent.
      timings: { stop: 0, ...options.timings },
      ...(options.faults ? { faults: options.faults } : {}),
      ...(options.maxNodes !== undefined ? { maxNodes: options.maxNodes } : {}),
    });
  const catalog = cloud.catalog;
  const script = new AnswerScript();
  const created = new Map<string, VultrCreateRecord>();
  const sshKeys = new Map<string, SshKeyEntry>();
  /** Instance UUID → simulator id. */
  const simIds = new Map<string, string>();
  const uuidOf = (node: SimNode) => (node.extra as { uuid?: string }).uuid ?? node.id;

  const simFailure = (failure: unknown): FakeResponse => {
    if (!isSimulatorError(failure)) throw failure;
    switch (failure.code) {
      case 'not-found':
        return vultrError(404, 'Instance not found.');
      case 'invalid':
        return vultrError(400, failure.message);
      case 'conflict':
        return vultrError(400, `Unable to complete the request: ${failure.message}`);
      case 'quota':
        return vultrError(400, `Instance limit exceeded: ${failure.message}`);
      case 'rate-limit':
        return vultrError(429, 'Rate limit reached - please try your request again later.');
      case 'unavailable':
        return vultrError(503, 'Service Unavailable');
      default:
        return vultrError(500, 'Internal Server Error');
    }
  };

  const liveNodes = async () =>
    (await cloud.listNodes({ pageSize: Number.MAX_SAFE_INTEGER })).nodes.filter(
      (node) => node.state !== 'terminated' && node.state !== 'terminating' && simIds.has(uuidOf(node)),
    );

  /** The instance, unless it is gone (Vultr deletes at once: a deleted instance is a 404). */
  const findInstance = async (id: string): Promise<SimNode | undefined> => {
    const simId = simIds.get(id);
    if (simId === undefined) return undefined;
    const node = await cloud.getNode(simId);
    return node.state === 'terminated' || node.state === 'terminating' ? undefined : node;
  };

  const createInstance = async (body: Record<string, unknown>): Promise<FakeResponse> => {
    const location = catalog.locations.find((each) => each.id === body.region);
    if (!location) return vultrError(400, 'Invalid region.');
    const size = catalog.sizes.find((each) => each.id === body.plan);
    if (!size) return vultrError(400, 'Invalid plan.');
    if (!sizeOfferedIn(size, location.id)) return vultrError(400, `Plan ${size.id} is not available in region ${location.id}.`);
    if (body.os_id === undefined) return vultrError(400, 'Please provide an os_id, iso_id, snapshot_id, app_id or image_id.');
    const image = catalog.images.find((each) => each.id === String(body.os_id));
    if (!image) return vultrError(400, 'Invalid os_id.');
    if (image.arch !== size.arch) return vultrError(400, `Operating system ${image.id} is not supported on plan ${size.id}.`);
    const keyIds = (body.sshkey_id ?? []) as string[];
    const keys = keyIds.map((id) => sshKeys.get(id));
    if (keys.some((key) => key === undefined)) return vultrError(400, 'Invalid SSH key id.');
    let userData: string | undefined;
    if (body.user_data !== undefined) {
      const text = String(body.user_data);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return vultrError(400, 'user_data must be base64 encoded.');
      userData = Buffer.from(text, 'base64').toString('utf8');
      if (Buffer.byteLength(userData) > MAX_USER_DATA) return vultrError(400, 'user_data is too large.');
    }
    const label = typeof body.label === 'string' ? body.label : '';
    const uuid = randomUUID();
    const password = `${randomBytes(12).toString('base64url')}#1a`;
    const extra: VultrInstanceExtra = {
      tags: [...((body.tags ?? []) as string[])],
      osId: Number(image.id),
      hostname: typeof body.hostname === 'string' ? body.hostname : `vultr-guest-${uuid.slice(0, 8)}`,
      sshKeyIds: keyIds,
      password,
      ipv6: body.enable_ipv6 === true,
    };
    const node = await cloud.createNode({
      name: label,
      sizeId: size.id,
      imageId: image.id,
      locationId: location.id,
      tags: Object.fromEntries(extra.tags.map((tag) => [tag, ''])),
      sshKeys: keys.map((key) => key!.ssh_key),
      ...(userData === undefined ? {} : { userData }),
      extra: { ...extra, uuid },
    });
    simIds.set(uuid, node.id);
    created.set(uuid, { body, sshKeys: keys.map((key) => key!.ssh_key), ...(userData === undefined ? {} : { userData }), password });
    return answer(202, { instance: instanceJson(node, uuid, true) });
  };

  const listInstances = async (request: RecordedRequest): Promise<FakeResponse> => {
    const { query } = request;
    const instances = (await liveNodes())
      .map((node) => instanceJson(node, uuidOf(node)))
      .filter((instance) => !query.has('tag') || (instance.tags as string[]).includes(query.get('tag')!))
      .filter((instance) => !query.has('label') || instance.label === query.get('label'))
      .filter((instance) => !query.has('region') || instance.region === query.get('region'))
      .filter((instance) => !query.has('main_ip') || instance.main_ip === query.get('main_ip'));
    return cursorPage(request, 'instances', instances);
  };

  const sshKeyRoute = (request: RecordedRequest, id: string | undefined, body: Record<string, unknown>): FakeResponse => {
    if (id === undefined && request.method === 'GET') return cursorPage(request, 'ssh_keys', [...sshKeys.values()]);
    if (id === undefined && request.method === 'POST') {
      const key = String(body.ssh_key ?? '').trim();
      if (!SSH_KEY_LINE.test(key)) return vultrError(400, 'Invalid SSH key.');
      const entry = {
        id: randomUUID(),
        date_created: new Date(cloud.clock.now()).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
        name: String(body.name ?? ''),
        ssh_key: key,
      };
      sshKeys.set(entry.id, entry);
      return answer(201, { ssh_key: entry });
    }
    const entry = id === undefined ? undefined : sshKeys.get(id);
    if (!entry) return vultrError(404, 'SSH key not found.');
    if (request.method === 'GET') return answer(200, { ssh_key: entry });
    if (request.method === 'DELETE') {
      sshKeys.delete(entry.id);
      return answer(204);
    }
    return vultrError(405, 'Method not allowed.');
  };

  const INSTANCE_ACTIONS: Readonly<Record<string, (id: string) => Promise<SimNode>>> = {
    reboot: (id) => cloud.rebootNode(id),
    start: (id) => cloud.startNode(id),
    halt: (id) => cloud.stopNode(id),
  };

  const route = async (request: RecordedRequest): Promise<FakeResponse> => {
    const [version, collection, id, verb, ...rest] = request.path.split('/').filter(Boolean);
    if (version !== 'v2' || rest.length > 0) return vultrError(404, 'Not found.');
    const method = request.method;
    const body = request.body === '' ? {} : (JSON.parse(request.body) as Record<string, unknown>);

    if (collection === 'regions' && id === undefined && method === 'GET') {
      await cloud.listLocations();
      return cursorPage(
        request,
        'regions',
        catalog.locations.map((location) => regionJson(location.id)),
      );
    }
    if (collection === 'regions' && id !== undefined && verb === 'availability' && method === 'GET') {
      if (!catalog.locations.some((location) => location.id === id)) return vultrError(404, 'Invalid region.');
      return answer(200, { available_plans: (await cloud.listSizes(id)).map((size) => size.id) });
    }
    if (collection === 'plans' && id === undefined && method === 'GET') {
      const sizes = await cloud.listSizes();
      const locationsOf = (sizeId: string) =>
        catalog.locations.filter((location) =>
          sizeOfferedIn(
            catalog.sizes.find((size) => size.id === sizeId)!,
            location.id,
          ),
        );
      return cursorPage(
        request,
        'plans',
        sizes.map((size) =>
          planJson(
            size,
            locationsOf(size.id).map((location) => location.id),
          ),
        ),
      );
    }
    if (collection === 'os' && id === undefined && method === 'GET') {
      const images = await cloud.listImages();
      const entries = [
        ...images.map((image) => ({
          id: Number(image.id),
          name: image.name,
          arch: image.arch === 'arm64' ? 'arm64' : 'x64',
          family: image.os.family,
        })),
        ...VULTR_NON_OS_ENTRIES,
      ];
      return cursorPage(request, 'os', entries);
    }
    if (collection === 'ssh-keys' && verb === undefined) return sshKeyRoute(request, id, body);
    if (collection !== 'instances') return vultrError(404, 'Not found.');
    if (id === undefined) {
      if (method === 'POST') return createInstance(body);
      if (method === 'GET') return listInstances(request);
      return vultrError(405, 'Method not allowed.');
    }
    const node = await findInstance(id);
    if (!node) return vultrError(404, 'Instance not found.');
    if (verb === undefined && method === 'GET') return answer(200, { instance: instanceJson(node, id) });
    // The user data as given at create, base64 again; empty for an instance created without any.
    if (verb === 'user-data' && method === 'GET')
      return answer(200, { user_data: { data: Buffer.from(node.userData ?? '', 'utf8').toString('base64') } });
    if (verb === undefined && method === 'DELETE') {
      await cloud.destroyNode(node.id);
      return answer(204);
    }
    const act = verb !== undefined && method === 'POST' ? INSTANCE_ACTIONS[verb] : undefined;
    if (act) {
      await act(node.id);
      return answer(204);
    }
    return vultrError(404, 'Not found.');
  };

  const handle = async (request: RecordedRequest): Promise<FakeResponse> => {
    if (request.headers.authorization !== `Bearer ${token}`) return vultrError(401, 'Invalid API token.');
    const scripted = script.take(request);
    if (scripted) return scripted;
    let handled: FakeResponse;
    try {
      handled = await route(request);
    } catch (failure) {
      handled = simFailure(failure);
    }
    return script.take(request, 'after') ?? handled;
  };

  const validator = await createOpenApiValidator('vultr');
  const checked = checkedHandler(validator, handle, (problems) => vultrError(400, problems.join('; ')));
  const server = await startFakeServer(checked.handler);
  return {
    url: `${server.url}/v2`,
    token,
    server,
    requests: server.requests,
    violations: checked.violations,
    responseViolations: checked.responseViolations,
    cloud,
    script,
    created,
    sshKeys,
    async seed(body) {
      const seeded = await createInstance({ ...body });
      if (seeded.status !== 202) throw new Error(`seed refused: ${JSON.stringify(seeded.body)}`);
      return (seeded.body as { instance: { id: string } }).instance.id;
    },
    close: () => server.close(),
  };
}
