/**
 * A wire-level fake of the Scaleway APIs a driver uses, on 127.0.0.1 (port 0): Instance
 * (`/instance/v1/zones/{zone}/…`: servers with the action endpoint, server types, images),
 * Marketplace (`/marketplace/v2/images`, `/local-images`), IAM SSH keys and Block volumes. Bodies,
 * headers, paging (`X-Total-Count` and relative `Link` headers on Instance lists, `total_count` in
 * the body elsewhere) and error bodies follow the recorded exchanges of scaleway-cli; every request
 * is checked against the SDK-derived indexes (`contract.ts`) and violations are recorded.
 *
 * Servers are created `stopped` (as Scaleway does), start on `poweron` (`starting` → `running`),
 * stop on `poweroff`, go on `terminate` (their SBS root volume detached, not deleted) and are
 * deleted only when stopped. Transitions are timed on the given clock.
 */
import { randomUUID } from 'node:crypto';
import { startFakeServer, type FakeResponse, type FakeServer, type RecordedRequest } from '../http-server.js';
import { FAKE_ZONES, LOCAL_IMAGES, MARKETPLACE_IMAGES, SERVER_TEMPLATE, SERVER_TYPES, type FakeServerType } from './catalog.js';
import { checkScalewayRequest, operationOf } from './contract.js';
import { ALLOWED_ACTIONS, bodyPage, instancePage, invalidArgument, json, notFound, refused } from './answers.js';

/** How the fake is set up. */
export interface ScalewayFakeOptions {
  /** The secret key it accepts in `X-Auth-Token`. Default: a fresh one. */
  readonly token?: string;
  /** The project servers and keys belong to. Default: a fresh UUID. */
  readonly projectId?: string;
  /** The clock transitions are timed on. Default: `Date.now`. */
  readonly clock?: { now(): number };
  /** Durations in ms of booting, stopping, terminating. Default: 200 each. */
  readonly timings?: { readonly boot?: number; readonly stop?: number; readonly terminate?: number };
  /** Server types by zone, replacing the recorded ones there. */
  readonly serverTypes?: Readonly<Record<string, Readonly<Record<string, FakeServerType>>>>;
}

interface FakeServerState {
  server: Record<string, unknown> & { id: string; zone: string; state: string; tags: string[] };
  /** User data by key, exactly as sent (`PATCH …/user_data/{key}`, `text/plain`). */
  readonly userData: Map<string, string>;
  /** A pending transition: the state it reaches, when, and what happens then. */
  transition?: { at: number; to: string; then?: () => void };
  readonly order: number;
}

interface FakeVolume {
  readonly id: string;
  readonly zone: string;
  status: string;
  references: { product_resource_id: string; product_resource_type: string; status: string }[];
}

/** The running fake. */
export interface ScalewayFake {
  readonly url: string;
  readonly token: string;
  readonly projectId: string;
  readonly server: FakeServer;
  readonly requests: RecordedRequest[];
  /** Requests the SDK-derived indexes do not allow, with what is wrong. */
  readonly violations: { method: string; url: string; problems: readonly string[] }[];
  /** Zoned ids (`zone/uuid`) of the servers that exist now. */
  serverIds(): string[];
  /** The user data of server `zone/uuid` under `key`, exactly as stored; `undefined` when unset. */
  userDataOf(nodeId: string, key: string): string | undefined;
  /** Makes every `PATCH …/user_data/{key}` fail with a 400 from now on. */
  refuseUserData(): void;
  /** Ids of the block volumes that exist now. */
  volumeIds(): string[];
  /** Makes every request about `zone` fail with a 503 until {@link ScalewayFake.healZone}. */
  failZone(zone: string): void;
  healZone(zone: string): void;
  close(): Promise<void>;
}

/** Starts the fake. */
export async function startScalewayFake(options: ScalewayFakeOptions = {}): Promise<ScalewayFake> {
  const token = options.token ?? `scw-secret-${randomUUID()}`;
  const projectId = options.projectId ?? randomUUID();
  const now = () => options.clock?.now() ?? Date.now();
  const timings = { boot: 200, stop: 200, terminate: 200, ...options.timings };
  const servers = new Map<string, FakeServerState>();
  const volumes = new Map<string, FakeVolume>();
  const keys = new Map<string, Record<string, unknown>>();
  const failing = new Set<string>();
  let refuseUserData = false;
  const violations: ScalewayFake['violations'] = [];
  let created = 0;

  const typesOf = (zone: string) => options.serverTypes?.[zone] ?? SERVER_TYPES;

  /** Applies every transition that is due. */
  const settle = () => {
    for (const state of [...servers.values()]) {
      while (state.transition && now() >= state.transition.at) {
        const { to, then } = state.transition;
        state.transition = undefined;
        state.server.state = to;
        state.server.state_detail = '';
        state.server.allowed_actions = [...(ALLOWED_ACTIONS[to] ?? [])];
        then?.();
      }
    }
  };
  const move = (state: FakeServerState, via: string, to: string, after: number, then?: () => void) => {
    state.server.state = via;
    state.server.allowed_actions = [...(ALLOWED_ACTIONS[via] ?? [])];
    state.transition = { at: now() + after, to, ...(then ? { then } : {}) };
  };
  const detachVolumes = (state: FakeServerState) => {
    for (const volume of Object.values(state.server.volumes as Record<string, { id: string }>)) {
      const block = volumes.get(volume.id);
      if (block) {
        block.references = [];
        block.status = 'available';
      }
    }
  };
  const remove = (state: FakeServerState) => {
    detachVolumes(state);
    servers.delete(state.server.id);
  };

  const zoneOf = (request: RecordedRequest) =>
    /^\/(?:instance\/v1|block\/v1alpha1)\/zones\/([^/]+)\//.exec(request.path)?.[1] ?? request.query.get('zone');

  function handle(request: RecordedRequest): FakeResponse {
    const problems = checkScalewayRequest(request, token);
    if (problems.length > 0) violations.push({ method: request.method, url: request.url, problems });
    if (request.headers['x-auth-token'] !== token)
      return json(401, { type: 'denied_authentication', message: 'invalid authentication', method: 'api_key', reason: 'invalid_argument' });
    const zone = zoneOf(request);
    if (zone && failing.has(zone)) return json(503, { type: 'unknown', message: 'service temporarily unavailable' });
    if (zone && !FAKE_ZONES.includes(zone)) return invalidArgument('zone', `unknown zone ${zone}`);
    const operation = operationOf(request.method, request.path);
    if (!operation) return json(404, { type: 'not_found', message: 'resource is not found' });
    settle();
    const parts = request.path.split('/');
    const body = request.body && operation.name !== 'setServerUserData' ? (JSON.parse(request.body) as Record<string, unknown>) : {};
    switch (operation.name) {
      case 'listServersTypes': {
        const entries = Object.entries(typesOf(zone as string));
        return instancePage(request, '/products/servers', entries, (page) => ({
          servers: Object.fromEntries(page as [string, unknown][]),
        }));
      }
      case 'pageOfListServers': {
        const wanted = request.query.get('tags')?.split(',') ?? [];
        const project = request.query.get('project');
        const list = [...servers.values()]
          .filter((state) => state.server.zone === zone)
          .filter((state) => !project || state.server.project === project)
          .filter((state) => wanted.every((tag) => state.server.tags.includes(tag)))
          .sort((a, b) => a.order - b.order)
          .map((state) => state.server);
        return instancePage(request, '/servers', list, (page) => ({ servers: page }));
      }
      case 'getServer': {
        const state = servers.get(parts[6] as string);
        return state && state.server.zone === zone ? json(200, { server: state.server }) : notFound('instance_server', parts[6] as string);
      }
      case '_createServer':
        return createServer(zone as string, body);
      case 'serverAction': {
        const state = servers.get(parts[6] as string);
        if (!state || state.server.zone !== zone) return notFound('instance_server', parts[6] as string);
        return runAction(state, String(body.action));
      }
      case 'deleteServer': {
        const state = servers.get(parts[6] as string);
        if (!state || state.server.zone !== zone) return notFound('instance_server', parts[6] as string);
        if (state.server.state !== 'stopped') return refused('instance should be powered off');
        remove(state);
        return { status: 204 };
      }
      case 'listServerUserData': {
        const state = servers.get(parts[6] ?? '');
        if (!state || state.server.zone !== zone) return notFound('instance_server', parts[6] ?? '');
        return json(200, { user_data: [...state.userData.keys()] });
      }
      case 'setServerUserData':
      case 'getServerUserData': {
        const state = servers.get(parts[6] ?? '');
        if (!state || state.server.zone !== zone) return notFound('instance_server', parts[6] ?? '');
        const key = decodeURIComponent(parts[8] ?? '');
        if (operation.name === 'getServerUserData') {
          const value = state.userData.get(key);
          return value === undefined ? notFound('user_data', key) : { status: 200, headers: { 'content-type': 'text/plain' }, body: value };
        }
        if (refuseUserData) return invalidArgument('content', 'user data refused (the fake was told to)');
        if (request.headers['content-type']?.split(';')[0] !== 'text/plain') return invalidArgument('content', 'must be text/plain');
        state.userData.set(key, request.body);
        return { status: 204, body: '' };
      }
      case 'getImage': {
        const local = LOCAL_IMAGES.find((image) => image.id === parts[6] && image.zone === zone);
        if (!local) return notFound('instance_image', parts[6] as string);
        const entry = MARKETPLACE_IMAGES.find((image) => image.label === local.label);
        return json(200, {
          image: { id: local.id, name: entry?.name ?? local.label, arch: local.arch, public: true, state: 'available', zone, tags: [] },
        });
      }
      case 'pageOfListImages':
        return bodyPage(request, 'images', MARKETPLACE_IMAGES);
      case 'pageOfListLocalImages': {
        const label = request.query.get('image_label');
        const type = request.query.get('type');
        const list = LOCAL_IMAGES.filter(
          (image) => (!zone || image.zone === zone) && (!label || image.label === label) && (!type || image.type === type),
        );
        return bodyPage(request, 'local_images', list);
      }
      case 'pageOfListSSHKeys': {
        const project = request.query.get('project_id');
        return bodyPage(
          request,
          'ssh_keys',
          [...keys.values()].filter((key) => !project || key.project_id === project),
        );
      }
      case 'createSSHKey': {
        if (typeof body.public_key !== 'string' || !/^(ssh-|ecdsa-)\S+ \S+/.test(body.public_key))
          return invalidArgument('public_key', 'not a valid key');
        const blob = body.public_key.split(/\s+/)[1];
        if ([...keys.values()].some((key) => String(key.public_key).split(/\s+/)[1] === blob && key.project_id === body.project_id))
          return json(409, { type: 'already_exists', message: 'resource already exists', resource: 'iam_ssh_key' });
        const key = {
          id: randomUUID(),
          name: body.name,
          public_key: body.public_key,
          project_id: body.project_id,
          organization_id: body.project_id,
          disabled: false,
          created_at: new Date(now()).toISOString(),
          updated_at: new Date(now()).toISOString(),
        };
        keys.set(key.id, key);
        return json(200, key);
      }
      case 'deleteSSHKey':
        return keys.delete(parts[4] as string) ? { status: 204 } : notFound('iam_ssh_key', parts[4] as string);
      case 'getVolume': {
        const volume = volumes.get(parts[6] as string);
        return volume && volume.zone === zone
          ? json(200, { ...volume, type: 'sbs_5k', size: 10_000_000_000, project_id: projectId, zone })
          : notFound('block_volume', parts[6] as string);
      }
      case 'deleteVolume': {
        const volume = volumes.get(parts[6] as string);
        if (!volume || volume.zone !== zone) return notFound('block_volume', parts[6] as string);
        if (volume.status === 'in_use')
          return json(412, { type: 'precondition_failed', message: 'volume is in use', precondition: 'resource_still_in_use' });
        volumes.delete(volume.id);
        return { status: 204 };
      }
      default:
        return json(501, { type: 'unknown', message: `the fake does not serve ${operation.name}` });
    }
  }

  function createServer(zone: string, body: Record<string, unknown>): FakeResponse {
    const type = typesOf(zone)[String(body.commercial_type)];
    if (!type) return invalidArgument('commercial_type', 'unknown commercial type');
    const image = LOCAL_IMAGES.find((local) => local.id === body.image && local.zone === zone);
    if (!image) return notFound('instance_image', String(body.image));
    if (image.arch !== type.arch) return invalidArgument('image', 'image architecture does not match the commercial type');
    const id = randomUUID();
    const volumeId = randomUUID();
    volumes.set(volumeId, {
      id: volumeId,
      zone,
      status: 'in_use',
      references: [{ product_resource_id: id, product_resource_type: 'instance_server', status: 'attached' }],
    });
    const entry = MARKETPLACE_IMAGES.find((each) => each.label === image.label);
    created += 1;
    const server = {
      ...structuredClone(SERVER_TEMPLATE),
      id,
      name: String(body.name ?? `srv-${id.slice(0, 8)}`),
      hostname: String(body.name ?? ''),
      arch: type.arch,
      commercial_type: String(body.commercial_type),
      organization: projectId,
      project: String(body.project ?? projectId),
      image: { ...(SERVER_TEMPLATE.image as object), id: image.id, name: entry?.name ?? image.label, arch: image.arch, zone },
      volumes: { '0': { boot: false, volume_type: 'sbs_volume', id: volumeId, state: 'available', zone } },
      tags: Array.isArray(body.tags) ? body.tags.map(String) : [],
      state: 'stopped',
      public_ips: body.dynamic_ip_required
        ? [{ id: randomUUID(), address: `51.15.${created % 250}.${(created * 7) % 250}`, family: 'inet', dynamic: true }]
        : [],
      allowed_actions: [...(ALLOWED_ACTIONS.stopped as string[])],
      creation_date: new Date(now()).toISOString(),
      modification_date: new Date(now()).toISOString(),
      zone,
    };
    servers.set(id, { server, order: created, userData: new Map() });
    return json(201, { server }, { location: `/instance/v1/zones/${zone}/servers/${id}` });
  }

  function runAction(state: FakeServerState, action: string): FakeResponse {
    const allowed = (state.server.allowed_actions as string[] | undefined) ?? [];
    if (!allowed.includes(action)) return refused(`action ${action} is not allowed in state ${state.server.state}`);
    const zone = state.server.zone;
    if (action === 'poweron') move(state, 'starting', 'running', timings.boot);
    else if (action === 'poweroff') move(state, 'stopping', 'stopped', timings.stop);
    else if (action === 'reboot') {
      state.server.state_detail = 'rebooting';
      state.transition = { at: now() + timings.boot, to: 'running' };
    } else if (action === 'terminate') move(state, 'stopping', 'stopped', timings.terminate, () => remove(state));
    else return refused(`the fake does not run ${action}`);
    const task = {
      id: randomUUID(),
      description: `server_${action}`,
      status: 'pending',
      href_from: `/servers/${state.server.id}/action`,
      href_result: `/servers/${state.server.id}`,
      started_at: new Date(now()).toISOString(),
      terminated_at: null,
      progress: 0,
      zone,
    };
    return json(202, { task }, { location: `/instance/v1/zones/${zone}/tasks/${task.id}` });
  }

  const server = await startFakeServer(handle);
  return {
    url: server.url,
    token,
    projectId,
    server,
    requests: server.requests,
    violations,
    serverIds: () => {
      settle();
      return [...servers.values()].map((state) => `${state.server.zone}/${state.server.id}`);
    },
    volumeIds: () => [...volumes.keys()],
    refuseUserData: () => {
      refuseUserData = true;
    },
    userDataOf: (nodeId, key) => servers.get(nodeId.split('/')[1] ?? '')?.userData.get(key),
    failZone: (zone) => failing.add(zone),
    healZone: (zone) => failing.delete(zone),
    close: () => server.close(),
  };
}
