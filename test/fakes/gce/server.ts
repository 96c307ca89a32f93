/**
 * A stateful Compute Engine REST fake on loopback, a protocol front-end over the shared
 * simulator: the real `/compute/v1/projects/{project}/…` paths, JSON shapes, paging
 * (`maxResults`/`pageToken`/`nextPageToken`), filters, aggregated lists with per-scope warnings,
 * zone operations with `get` and `wait`, `requestId` de-duplication, bearer-token checks, and
 * injectable HTTP errors and operation failures.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../src/clock.js';
import { SimulatedCloud, isSimulatorError, type SimNode, type SimTimings } from '../../../src/simulator/index.js';
import { startFakeServer, type FakeResponse, type FakeServer, type RecordedRequest } from '../http-server.js';
import { FAKE_IMAGES, FAKE_MACHINE_TYPES, FAKE_ZONES, GCE_SIM_CATALOG, type FakeGceImage } from './catalog.js';
import { FilterSyntaxError, parseFilter } from './filter.js';
import {
  errorBody,
  imageJson,
  instanceJson,
  machineTypeJson,
  numericId,
  operationJson,
  projectUrl,
  regionUrl,
  statusOf,
  zoneUrl,
  type FakeOperation,
  type GceNodeExtra,
} from './resources.js';

/** Options of {@link startGceFake}. */
export interface GceFakeOptions {
  /** The project the fake serves. Default: `polycloud-test`. */
  readonly project?: string;
  /** Drive an existing simulated cloud. Default: a new one over the Compute catalog. */
  readonly cloud?: SimulatedCloud;
  /** Clock of the new cloud. Default: the system clock. */
  readonly clock?: Clock;
  readonly timings?: Partial<SimTimings>;
  /** Most live instances; more fail the insert operation with `QUOTA_EXCEEDED`. Default: unlimited. */
  readonly maxInstances?: number;
  /** When set, every request must carry `Authorization: Bearer <token>` or gets a 401. */
  readonly token?: string;
  /** How many `get`/`wait` calls see an operation still `RUNNING` before it can be `DONE`. Default: 0. */
  readonly operationPolls?: number;
}

/** An HTTP error the fake answers instead of serving a request. */
export interface InjectedHttpError {
  /** Only requests with this method. Default: any. */
  readonly method?: string;
  /** Only requests whose path matches. Default: any path. */
  readonly path?: RegExp;
  readonly status: number;
  /** Legacy reason, e.g. `rateLimitExceeded`. */
  readonly reason: string;
  readonly message?: string;
  /** Adds a `google.rpc.RetryInfo` detail and a `Retry-After` header, in seconds. */
  readonly retryAfterSeconds?: number;
  /** How many matching requests fail. Default: 1. */
  readonly times?: number;
  /**
   * Serve the request first and then answer with the error, as when a response is lost on the
   * way back: the mutation has happened, the client does not know. Default: false.
   */
  readonly afterServing?: boolean;
}

/** An operation error the next matching mutation ends with (the mutation has no effect). */
export interface InjectedOperationError {
  /** `insert`, `start`, `stop`, `reset` or `delete`. */
  readonly operationType: string;
  readonly code: string;
  readonly message: string;
  readonly httpStatus: number;
}

/** A running Compute fake. */
export interface GceFake extends FakeServer {
  readonly project: string;
  readonly cloud: SimulatedCloud;
  /** Operations by name. */
  readonly operations: ReadonlyMap<string, FakeOperation>;
  /** Zones whose aggregated-list scope reports `UNREACHABLE` (and which per-zone lists answer with 503). */
  readonly unreachableZones: Set<string>;
  /** Answers matching requests with an error, `times` times. */
  injectHttpError(error: InjectedHttpError): void;
  /** Makes the next mutation of a type end in an operation error. */
  injectOperationError(error: InjectedOperationError): void;
  /** Requests that reached the Compute routes (not rejected by an injected error), oldest first. */
  readonly served: RecordedRequest[];
}

const MAX_RESULTS = 500;
const PUBLIC_IMAGE_PROJECTS = new Set(FAKE_IMAGES.map((image) => image.project));
const NAME = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u;
const LABEL_VALUE = /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;

/** A request failure with its Google error body. */
class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const notFound = (what: string) => new HttpFailure(404, 'notFound', `The resource '${what}' was not found`);
const invalidField = (field: string, detail: string) => new HttpFailure(400, 'invalid', `Invalid value for field '${field}': ${detail}`);

function pageOf<T>(items: readonly T[], query: URLSearchParams): { page: T[]; nextPageToken?: string } {
  const raw = query.get('maxResults');
  const maxResults = raw === null ? MAX_RESULTS : Number(raw);
  if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > MAX_RESULTS) throw invalidField('maxResults', `'${raw}'. Must be less than or equal to 500`);
  const size = maxResults === 0 ? MAX_RESULTS : maxResults;
  let offset = 0;
  const token = query.get('pageToken');
  if (token) {
    const parsed = /^page-(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!parsed?.[1]) throw invalidField('pageToken', `'${token}'`);
    offset = Number(parsed[1]);
  }
  const page = items.slice(offset, offset + size);
  return offset + size < items.length ? { page, nextPageToken: Buffer.from(`page-${offset + size}`).toString('base64url') } : { page };
}

function listBody(kind: string, id: string, selfLink: string, items: readonly unknown[], query: URLSearchParams): Record<string, unknown> {
  const { page, nextPageToken } = pageOf(items, query);
  return { kind, id, items: page, selfLink, ...(nextPageToken ? { nextPageToken } : {}) };
}

function filterOf(query: URLSearchParams) {
  try {
    return parseFilter(query.get('filter'));
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw invalidField('filter', `'${query.get('filter')}'. ${error.message}`);
    throw error;
  }
}

/** Starts a Compute fake on 127.0.0.1. */
export async function startGceFake(options: GceFakeOptions = {}): Promise<GceFake> {
  const project = options.project ?? 'polycloud-test';
  const cloud =
    options.cloud ??
    new SimulatedCloud({
      catalog: GCE_SIM_CATALOG,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.timings ? { timings: options.timings } : {}),
      ...(options.maxInstances !== undefined ? { maxNodes: options.maxInstances } : {}),
    });
  const operations = new Map<string, FakeOperation>();
  const polls = new Map<string, number>();
  const byRequestId = new Map<string, string>();
  const injectedHttp: (InjectedHttpError & { left: number })[] = [];
  const injectedOperations: InjectedOperationError[] = [];
  const unreachableZones = new Set<string>();
  const served: RecordedRequest[] = [];
  const zoneNames = FAKE_ZONES.map((zone) => zone.id);
  const regionNames = [...new Set(FAKE_ZONES.map((zone) => zone.region))];

  const extraOf = (node: SimNode) => node.extra.gce as GceNodeExtra;
  const visible = (node: SimNode) => statusOf(node) !== undefined;

  /** Live instances by zone and name, without counting a simulator operation. */
  function findInstance(zone: string, name: string): SimNode | undefined {
    return cloud.peekNodes().find((node) => node.locationId === zone && node.name === name && visible(node));
  }

  function requireZone(zone: string): void {
    if (!zoneNames.includes(zone)) throw notFound(`projects/${project}/zones/${zone}`);
  }

  function requireProject(given: string): void {
    if (given !== project) throw new HttpFailure(403, 'forbidden', `Required 'compute.instances.list' permission for 'projects/${given}'`);
  }

  /** Runs a simulator call, turning its errors into Compute HTTP errors. */
  async function sim<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!isSimulatorError(error)) throw error;
      switch (error.code) {
        case 'not-found':
          throw new HttpFailure(404, 'notFound', error.message);
        case 'invalid':
          throw invalidField(`resource.${error.field ?? 'unknown'}`, error.message);
        case 'conflict':
          throw new HttpFailure(400, 'resourceNotReady', error.message);
        case 'quota':
          throw new HttpFailure(403, 'quotaExceeded', error.message);
        case 'rate-limit':
          throw new HttpFailure(429, 'rateLimitExceeded', 'Rate Limit Exceeded');
        case 'unavailable':
          throw new HttpFailure(503, 'backendError', error.message);
        default:
          throw new HttpFailure(500, 'internalError', error.message);
      }
    }
  }

  function startOperation(zone: string, operationType: string, targetName: string, targetId: string, requestId: string | null): FakeOperation {
    const name = `operation-${cloud.clock.now()}-${randomUUID().slice(0, 13)}-${randomUUID().slice(0, 8)}-${randomUUID().slice(0, 8)}`;
    const operation: FakeOperation = {
      id: numericId(name),
      name,
      zone,
      operationType,
      targetName,
      targetId,
      insertTime: cloud.clock.now(),
      status: 'RUNNING',
      ...(requestId ? { requestId } : {}),
    };
    operations.set(name, operation);
    polls.set(name, options.operationPolls ?? 0);
    if (requestId) byRequestId.set(requestId, name);
    return operation;
  }

  /** Moves an operation forward: done once its polls are used up and its instance got where it was going. */
  function advance(operation: FakeOperation): void {
    if (operation.status === 'DONE') return;
    const left = polls.get(operation.name) ?? 0;
    if (left > 0) {
      polls.set(operation.name, left - 1);
      return;
    }
    const node = cloud.peekNodes().find((each) => each.locationId === operation.zone && extraOf(each)?.id === operation.targetId);
    const finished =
      operation.error !== undefined ||
      (operation.operationType === 'stop' && (!node || node.state === 'stopped')) ||
      (operation.operationType === 'delete' && (!node || node.state === 'terminated')) ||
      !['stop', 'delete'].includes(operation.operationType);
    if (finished) {
      operation.status = 'DONE';
      operation.endTime = cloud.clock.now();
    }
  }

  function takeOperationError(operationType: string): InjectedOperationError | undefined {
    const index = injectedOperations.findIndex((each) => each.operationType === operationType);
    return index < 0 ? undefined : injectedOperations.splice(index, 1)[0];
  }

  /** The operation already started with this requestId, if any: a repeat is answered with it. */
  function repeated(query: URLSearchParams): FakeOperation | undefined {
    const requestId = query.get('requestId');
    if (requestId === null) return undefined;
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(requestId) || /^[0-]+$/.test(requestId)) {
      throw invalidField('requestId', `'${requestId}'. Must be a valid UUID`);
    }
    const name = byRequestId.get(requestId);
    return name === undefined ? undefined : operations.get(name);
  }

  async function insert(zone: string, request: RecordedRequest): Promise<FakeResponse> {
    requireZone(zone);
    const again = repeated(request.query);
    if (again) return { status: 200, body: operationJson(project, again) };
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(request.body || '{}') as Record<string, unknown>;
    } catch {
      throw new HttpFailure(400, 'parseError', 'Parse Error');
    }
    const name = typeof body.name === 'string' ? body.name : '';
    if (!NAME.test(name)) throw invalidField('resource.name', `'${name}'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'`);
    const machineType = String(body.machineType ?? '').split('/').pop() ?? '';
    const type = FAKE_MACHINE_TYPES.find((each) => each.name === machineType);
    if (!type || (type.zones && !type.zones.includes(zone))) {
      throw invalidField('resource.machineType', `'${String(body.machineType)}'. Machine type with name '${machineType}' does not exist in zone '${zone}'.`);
    }
    const labels = (body.labels ?? {}) as Record<string, string>;
    for (const [key, value] of Object.entries(labels)) {
      if (!LABEL_KEY.test(key) || typeof value !== 'string' || !LABEL_VALUE.test(value)) throw invalidField('labels', `'${key}'. Label keys and values must follow the label rules.`);
    }
    const disks = (body.disks ?? []) as { boot?: boolean; initializeParams?: { sourceImage?: string; diskSizeGb?: string; diskType?: string } }[];
    const boot = disks.find((disk) => disk.boot) ?? disks[0];
    const sourceImage = boot?.initializeParams?.sourceImage;
    if (!sourceImage) throw new HttpFailure(400, 'required', "Required field 'resource.disks[0].initializeParams.sourceImage' not specified");
    const image = resolveSourceImage(sourceImage);
    if (findInstance(zone, name)) throw new HttpFailure(409, 'alreadyExists', `The resource 'projects/${project}/zones/${zone}/instances/${name}' already exists`);
    const nics = (body.networkInterfaces ?? [{}]) as { network?: string; subnetwork?: string; accessConfigs?: unknown[] }[];
    const metadata = (((body.metadata ?? {}) as { items?: { key: string; value: string }[] }).items ?? []).map((item) => ({ key: item.key, value: item.value }));
    const id = numericId(`instance/${zone}/${name}/${randomUUID()}`);
    const injected = takeOperationError('insert');
    if (injected) {
      const operation = startOperation(zone, 'insert', name, id, request.query.get('requestId'));
      operation.error = { code: injected.code, message: injected.message, httpStatus: injected.httpStatus };
      return { status: 200, body: operationJson(project, operation) };
    }
    const extra: GceNodeExtra = {
      id,
      metadata,
      network: nics[0]?.network ?? 'global/networks/default',
      ...(nics[0]?.subnetwork ? { subnetwork: nics[0].subnetwork } : {}),
      externalIp: (nics[0]?.accessConfigs ?? []).length > 0,
      sourceImage,
      diskType: boot?.initializeParams?.diskType ?? 'pd-standard',
      diskSizeGb: Number(boot?.initializeParams?.diskSizeGb ?? image.diskSizeGb),
      networkTags: (((body.tags ?? {}) as { items?: string[] }).items ?? []).slice(),
      ...(body.scheduling ? { scheduling: body.scheduling as Record<string, unknown> } : {}),
      ...(body.serviceAccounts ? { serviceAccounts: body.serviceAccounts as Record<string, unknown>[] } : {}),
    };
    const sshKeys = (metadata.find((item) => item.key === 'ssh-keys')?.value ?? '')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(line.indexOf(':') + 1));
    const userData = metadata.find((item) => item.key === 'user-data' || item.key === 'startup-script')?.value;
    try {
      await sim(() =>
        cloud.createNode({
          name,
          sizeId: type.name,
          imageId: image.name,
          locationId: zone,
          tags: labels,
          sshKeys,
          ...(userData === undefined ? {} : { userData }),
          extra: { gce: extra },
        }),
      );
    } catch (error) {
      // Compute reports quota on insert inside the operation, not as an HTTP error.
      if (!(error instanceof HttpFailure && error.reason === 'quotaExceeded')) throw error;
      const operation = startOperation(zone, 'insert', name, id, request.query.get('requestId'));
      operation.error = { code: 'QUOTA_EXCEEDED', message: `Quota 'INSTANCES' exceeded. ${error.message}`, httpStatus: 403 };
      return { status: 200, body: operationJson(project, operation) };
    }
    const operation = startOperation(zone, 'insert', name, id, request.query.get('requestId'));
    return { status: 200, body: operationJson(project, operation) };
  }

  function resolveSourceImage(sourceImage: string): FakeGceImage {
    const path = sourceImage.slice(Math.max(0, sourceImage.indexOf('projects/')));
    const family = /^projects\/([^/]+)\/global\/images\/family\/([^/]+)$/.exec(path);
    if (family) {
      const image = newestOfFamily(family[1] ?? '', family[2] ?? '');
      if (!image) throw notFound(path);
      return image;
    }
    const named = /^projects\/([^/]+)\/global\/images\/([^/]+)$/.exec(path);
    const image = named && FAKE_IMAGES.find((each) => each.project === named[1] && each.name === named[2]);
    if (!image) throw notFound(path);
    if (image.deprecated === 'OBSOLETE' || image.deprecated === 'DELETED') throw invalidField('resource.disks[0].initializeParams.sourceImage', `'${sourceImage}'. The image is ${image.deprecated.toLowerCase()}.`);
    return image;
  }

  function newestOfFamily(imageProject: string, family: string): FakeGceImage | undefined {
    return FAKE_IMAGES.filter((image) => image.project === imageProject && image.family === family && !image.deprecated).sort((a, b) => b.created.localeCompare(a.created))[0];
  }

  async function mutate(zone: string, name: string, action: 'start' | 'stop' | 'reset' | 'delete', request: RecordedRequest): Promise<FakeResponse> {
    requireZone(zone);
    const again = repeated(request.query);
    if (again) return { status: 200, body: operationJson(project, again) };
    const node = findInstance(zone, name);
    if (!node) throw notFound(`projects/${project}/zones/${zone}/instances/${name}`);
    const operation = startOperation(zone, action, name, extraOf(node).id, request.query.get('requestId'));
    const injected = takeOperationError(action);
    if (injected) {
      operation.error = { code: injected.code, message: injected.message, httpStatus: injected.httpStatus };
      return { status: 200, body: operationJson(project, operation) };
    }
    try {
      if (action === 'start') await sim(() => cloud.startNode(node.id));
      if (action === 'stop') await sim(() => cloud.stopNode(node.id));
      if (action === 'reset') await sim(() => cloud.rebootNode(node.id));
      if (action === 'delete') await sim(() => cloud.destroyNode(node.id));
    } catch (error) {
      operations.delete(operation.name);
      const requestId = request.query.get('requestId');
      if (requestId) byRequestId.delete(requestId);
      throw error;
    }
    return { status: 200, body: operationJson(project, operation) };
  }

  function operationOf(zone: string, name: string): FakeOperation {
    requireZone(zone);
    const operation = operations.get(name);
    if (!operation || operation.zone !== zone) throw notFound(`projects/${project}/zones/${zone}/operations/${name}`);
    advance(operation);
    return operation;
  }

  async function instancesIn(zone: string | undefined, query: URLSearchParams): Promise<SimNode[]> {
    const matches = filterOf(query);
    const page = await sim(() => cloud.listNodes({ pageSize: Number.MAX_SAFE_INTEGER, ...(zone ? { locations: [zone] } : {}) }));
    return page.nodes.filter(visible).filter((node) => matches(instanceJson(project, node, extraOf(node))));
  }

  async function aggregated(query: URLSearchParams): Promise<Record<string, unknown>> {
    const nodes = (await instancesIn(undefined, query)).sort((a, b) => a.locationId.localeCompare(b.locationId) || a.createdAt - b.createdAt);
    const reachable = nodes.filter((node) => !unreachableZones.has(node.locationId));
    const { page, nextPageToken } = pageOf(reachable, query);
    const items: Record<string, unknown> = {};
    for (const zone of zoneNames) {
      const here = page.filter((node) => node.locationId === zone);
      if (unreachableZones.has(zone)) {
        items[`zones/${zone}`] = { warning: { code: 'UNREACHABLE', message: `Scope 'zones/${zone}' is unreachable.`, data: [{ key: 'scope', value: `zones/${zone}` }] } };
      } else if (here.length > 0) {
        items[`zones/${zone}`] = { instances: here.map((node) => instanceJson(project, node, extraOf(node))) };
      } else {
        items[`zones/${zone}`] = {
          warning: { code: 'NO_RESULTS_ON_PAGE', message: `There are no results for scope 'zones/${zone}' on this page.`, data: [{ key: 'scope', value: `zones/${zone}` }] },
        };
      }
    }
    return {
      kind: 'compute#instanceAggregatedList',
      id: `projects/${project}/aggregated/instances`,
      items,
      selfLink: `${projectUrl(project)}/aggregated/instances`,
      ...(nextPageToken ? { nextPageToken } : {}),
      ...(unreachableZones.size > 0 ? { unreachables: [...unreachableZones].map((zone) => `zones/${zone}`) } : {}),
    };
  }

  type Route = readonly [method: string, pattern: RegExp, handle: (match: string[], request: RecordedRequest) => Promise<FakeResponse> | FakeResponse];
  const P = '/compute/v1/projects/([^/]+)';
  const ok = (body: unknown): FakeResponse => ({ status: 200, body });

  const routes: readonly Route[] = [
    ['GET', new RegExp(`^${P}/zones$`), ([p], r) => {
      requireProject(p as string);
      const zones = FAKE_ZONES.map((zone) => ({
        kind: 'compute#zone',
        id: numericId(`zone/${zone.id}`),
        creationTimestamp: '1969-12-31T16:00:00.000-08:00',
        name: zone.id,
        description: zone.id,
        status: 'UP',
        region: regionUrl(project, zone.region),
        selfLink: zoneUrl(project, zone.id),
        availableCpuPlatforms: ['Intel Broadwell', 'AMD Milan'],
        supportsPzs: false,
      }));
      return ok(listBody('compute#zoneList', `projects/${project}/zones`, `${projectUrl(project)}/zones`, zones, r.query));
    }],
    ['GET', new RegExp(`^${P}/regions$`), ([p], r) => {
      requireProject(p as string);
      const regions = regionNames.map((region) => ({
        kind: 'compute#region',
        id: numericId(`region/${region}`),
        creationTimestamp: '1969-12-31T16:00:00.000-08:00',
        name: region,
        description: region,
        status: 'UP',
        zones: zoneNames.filter((zone) => zone.startsWith(`${region}-`)).map((zone) => zoneUrl(project, zone)),
        quotas: [{ metric: 'CPUS', limit: 24, usage: 0 }],
        selfLink: regionUrl(project, region),
        supportsPzs: false,
      }));
      return ok(listBody('compute#regionList', `projects/${project}/regions`, `${projectUrl(project)}/regions`, regions, r.query));
    }],
    ['GET', new RegExp(`^${P}/zones/([^/]+)/machineTypes$`), ([p, zone], r) => {
      requireProject(p as string);
      requireZone(zone as string);
      const types = FAKE_MACHINE_TYPES.filter((type) => !type.zones || type.zones.includes(zone as string)).map((type) => machineTypeJson(project, zone as string, type));
      return ok(listBody('compute#machineTypeList', `projects/${project}/zones/${zone}/machineTypes`, `${zoneUrl(project, zone as string)}/machineTypes`, types, r.query));
    }],
    ['GET', new RegExp(`^${P}/zones/([^/]+)/machineTypes/([^/]+)$`), ([p, zone, name]) => {
      requireProject(p as string);
      requireZone(zone as string);
      const type = FAKE_MACHINE_TYPES.find((each) => each.name === name && (!each.zones || each.zones.includes(zone as string)));
      if (!type) throw notFound(`projects/${project}/zones/${zone}/machineTypes/${name}`);
      return ok(machineTypeJson(project, zone as string, type));
    }],
    ['GET', new RegExp(`^${P}/global/images$`), ([p], r) => {
      const images = FAKE_IMAGES.filter((image) => image.project === p).map(imageJson);
      if (!PUBLIC_IMAGE_PROJECTS.has(p as string) && p !== project) throw notFound(`projects/${p}`);
      return ok(listBody('compute#imageList', `projects/${p}/global/images`, `${projectUrl(p as string)}/global/images`, images, r.query));
    }],
    ['GET', new RegExp(`^${P}/global/images/family/([^/]+)$`), ([p, family]) => {
      const image = newestOfFamily(p as string, family as string);
      if (!image) throw notFound(`projects/${p}/global/images/family/${family}`);
      return ok(imageJson(image));
    }],
    ['GET', new RegExp(`^${P}/global/images/([^/]+)$`), ([p, name]) => {
      const image = FAKE_IMAGES.find((each) => each.project === p && each.name === name);
      if (!image) throw notFound(`projects/${p}/global/images/${name}`);
      return ok(imageJson(image));
    }],
    ['GET', new RegExp(`^${P}/aggregated/instances$`), async ([p], r) => {
      requireProject(p as string);
      return ok(await aggregated(r.query));
    }],
    ['GET', new RegExp(`^${P}/zones/([^/]+)/instances$`), async ([p, zone], r) => {
      requireProject(p as string);
      requireZone(zone as string);
      if (unreachableZones.has(zone as string)) throw new HttpFailure(503, 'backendError', `Zone ${zone} is temporarily unavailable.`);
      const nodes = (await instancesIn(zone, r.query)).sort((a, b) => a.createdAt - b.createdAt);
      const json = nodes.map((node) => instanceJson(project, node, extraOf(node)));
      return ok(listBody('compute#instanceList', `projects/${project}/zones/${zone}/instances`, `${zoneUrl(project, zone as string)}/instances`, json, r.query));
    }],
    ['POST', new RegExp(`^${P}/zones/([^/]+)/instances$`), ([p, zone], r) => {
      requireProject(p as string);
      return insert(zone as string, r);
    }],
    ['GET', new RegExp(`^${P}/zones/([^/]+)/instances/([^/]+)$`), async ([p, zone, name]) => {
      requireProject(p as string);
      requireZone(zone as string);
      const found = findInstance(zone as string, name as string);
      if (!found) throw notFound(`projects/${project}/zones/${zone}/instances/${name}`);
      const node = await sim(() => cloud.getNode(found.id));
      if (!visible(node)) throw notFound(`projects/${project}/zones/${zone}/instances/${name}`);
      return ok(instanceJson(project, node, extraOf(node)));
    }],
    ['DELETE', new RegExp(`^${P}/zones/([^/]+)/instances/([^/]+)$`), ([p, zone, name], r) => {
      requireProject(p as string);
      return mutate(zone as string, name as string, 'delete', r);
    }],
    ['POST', new RegExp(`^${P}/zones/([^/]+)/instances/([^/]+)/(start|stop|reset)$`), ([p, zone, name, action], r) => {
      requireProject(p as string);
      return mutate(zone as string, name as string, action as 'start' | 'stop' | 'reset', r);
    }],
    ['GET', new RegExp(`^${P}/zones/([^/]+)/operations/([^/]+)$`), ([p, zone, name]) => {
      requireProject(p as string);
      return ok(operationJson(project, operationOf(zone as string, name as string)));
    }],
    ['POST', new RegExp(`^${P}/zones/([^/]+)/operations/([^/]+)/wait$`), ([p, zone, name]) => {
      requireProject(p as string);
      return ok(operationJson(project, operationOf(zone as string, name as string)));
    }],
  ];

  function injected(request: RecordedRequest): InjectedHttpError | undefined {
    const index = injectedHttp.findIndex((each) => (!each.method || each.method === request.method) && (!each.path || each.path.test(request.path)));
    if (index < 0) return undefined;
    const entry = injectedHttp[index] as InjectedHttpError & { left: number };
    entry.left -= 1;
    if (entry.left <= 0) injectedHttp.splice(index, 1);
    return entry;
  }

  async function route(request: RecordedRequest): Promise<FakeResponse> {
    for (const [method, pattern, handle] of routes) {
      const match = method === request.method ? pattern.exec(request.path) : null;
      if (match) {
        served.push(request);
        return handle(match.slice(1).map(decodeURIComponent), request);
      }
    }
    throw new HttpFailure(404, 'notFound', `No route for ${request.method} ${request.path}`);
  }

  const server = await startFakeServer(async (request) => {
    try {
      if (options.token !== undefined && request.headers.authorization !== `Bearer ${options.token}`) {
        throw new HttpFailure(401, 'authError', 'Request is missing required authentication credential. Expected OAuth 2 access token.');
      }
      const fault = injected(request);
      if (fault?.afterServing) await route(request);
      if (fault) {
        const retry = fault.retryAfterSeconds;
        throw new HttpFailure(
          fault.status,
          fault.reason,
          fault.message ?? (fault.status === 429 ? 'Rate Limit Exceeded' : `Injected ${fault.status}`),
          retry === undefined ? {} : { 'retry-after': String(retry) },
          retry === undefined ? {} : { details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retry}s` }] },
        );
      }
      return await route(request);
    } catch (error) {
      if (error instanceof HttpFailure) {
        return { status: error.status, headers: error.headers, body: errorBody(error.status, error.reason, error.message, error.extra) };
      }
      throw error;
    }
  });

  return Object.assign(server, {
    project,
    cloud,
    operations,
    unreachableZones,
    served,
    injectHttpError: (error: InjectedHttpError) => injectedHttp.push({ ...error, left: error.times ?? 1 }),
    injectOperationError: (error: InjectedOperationError) => injectedOperations.push(error),
  });
}
