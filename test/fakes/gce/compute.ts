/**
 * Compute instances and zone operations over the simulator: insert (with request validation,
 * image resolution and name conflicts), start/stop/reset/delete, operations that finish when the
 * instance gets where it was going, `requestId` de-duplication, lists and aggregated lists.
 */
import { randomUUID } from 'node:crypto';
import { isSimulatorError, type SimNode, type SimulatedCloud } from '../../../src/simulator/index.js';
import type { FakeResponse, RecordedRequest } from '../http-server.js';
import { FAKE_IMAGES, FAKE_MACHINE_TYPES, FAKE_ZONES, type FakeGceImage } from './catalog.js';
import { HttpFailure, filterOf, invalidField, notFound, pageOf } from './http.js';
import { instanceJson, numericId, operationJson, projectUrl, statusOf, type FakeOperation, type GceNodeExtra } from './resources.js';

/** An operation error the next matching mutation ends with (the mutation has no effect). */
export interface InjectedOperationError {
  /** `insert`, `start`, `stop`, `reset` or `delete`. */
  readonly operationType: string;
  readonly code: string;
  readonly message: string;
  readonly httpStatus: number;
}

const NAME = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u;
const LABEL_VALUE = /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;

/** The Compute state of one fake project. */
export type ComputeState = ReturnType<typeof createComputeState>;

/** Creates the instance and operation handling of a fake project. */
export function createComputeState(project: string, cloud: SimulatedCloud, options: { readonly operationPolls?: number }) {
  const operations = new Map<string, FakeOperation>();
  const polls = new Map<string, number>();
  const byRequestId = new Map<string, string>();
  const injectedOperations: InjectedOperationError[] = [];
  /** Zones whose aggregated-list scope reports `UNREACHABLE` (and whose own lists answer 503). */
  const unreachableZones = new Set<string>();
  const zoneNames = FAKE_ZONES.map((zone) => zone.id);

  const extraOf = (node: SimNode) => node.extra.gce as GceNodeExtra;
  const visible = (node: SimNode) => statusOf(node) !== undefined;

  /** Live instances by zone and name, without counting a simulator operation. */
  function findInstance(zone: string, name: string): SimNode | undefined {
    return cloud.peekNodes().find((node) => node.locationId === zone && node.name === name && visible(node));
  }

  function requireZone(zone: string): void {
    if (!zoneNames.includes(zone)) throw notFound(`projects/${project}/zones/${zone}`);
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

  function startOperation(
    zone: string,
    operationType: string,
    targetName: string,
    targetId: string,
    requestId: string | null,
  ): FakeOperation {
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
    if (!NAME.test(name))
      throw invalidField('resource.name', `'${name}'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'`);
    const machineType =
      String(body.machineType ?? '')
        .split('/')
        .pop() ?? '';
    const type = FAKE_MACHINE_TYPES.find((each) => each.name === machineType);
    if (!type || (type.zones && !type.zones.includes(zone))) {
      throw invalidField(
        'resource.machineType',
        `'${String(body.machineType)}'. Machine type with name '${machineType}' does not exist in zone '${zone}'.`,
      );
    }
    const labels = (body.labels ?? {}) as Record<string, string>;
    for (const [key, value] of Object.entries(labels)) {
      if (!LABEL_KEY.test(key) || typeof value !== 'string' || !LABEL_VALUE.test(value))
        throw invalidField('labels', `'${key}'. Label keys and values must follow the label rules.`);
    }
    const disks = (body.disks ?? []) as {
      boot?: boolean;
      initializeParams?: { sourceImage?: string; diskSizeGb?: string; diskType?: string };
    }[];
    const boot = disks.find((disk) => disk.boot) ?? disks[0];
    const sourceImage = boot?.initializeParams?.sourceImage;
    if (!sourceImage)
      throw new HttpFailure(400, 'required', "Required field 'resource.disks[0].initializeParams.sourceImage' not specified");
    const image = resolveSourceImage(sourceImage);
    if (findInstance(zone, name))
      throw new HttpFailure(409, 'alreadyExists', `The resource 'projects/${project}/zones/${zone}/instances/${name}' already exists`);
    const nics = (body.networkInterfaces ?? [{}]) as { network?: string; subnetwork?: string; accessConfigs?: unknown[] }[];
    const metadata = (((body.metadata ?? {}) as { items?: { key: string; value: string }[] }).items ?? []).map((item) => ({
      key: item.key,
      value: item.value,
    }));
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
    if (image.deprecated === 'OBSOLETE' || image.deprecated === 'DELETED')
      throw invalidField(
        'resource.disks[0].initializeParams.sourceImage',
        `'${sourceImage}'. The image is ${image.deprecated.toLowerCase()}.`,
      );
    return image;
  }

  function newestOfFamily(imageProject: string, family: string): FakeGceImage | undefined {
    return FAKE_IMAGES.filter((image) => image.project === imageProject && image.family === family && !image.deprecated).sort((a, b) =>
      b.created.localeCompare(a.created),
    )[0];
  }

  async function mutate(
    zone: string,
    name: string,
    action: 'start' | 'stop' | 'reset' | 'delete',
    request: RecordedRequest,
  ): Promise<FakeResponse> {
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
    const nodes = (await instancesIn(undefined, query)).sort(
      (a, b) => a.locationId.localeCompare(b.locationId) || a.createdAt - b.createdAt,
    );
    const reachable = nodes.filter((node) => !unreachableZones.has(node.locationId));
    const { page, nextPageToken } = pageOf(reachable, query);
    const items: Record<string, unknown> = {};
    for (const zone of zoneNames) {
      const here = page.filter((node) => node.locationId === zone);
      if (unreachableZones.has(zone)) {
        items[`zones/${zone}`] = {
          warning: {
            code: 'UNREACHABLE',
            message: `Scope 'zones/${zone}' is unreachable.`,
            data: [{ key: 'scope', value: `zones/${zone}` }],
          },
        };
      } else if (here.length > 0) {
        items[`zones/${zone}`] = { instances: here.map((node) => instanceJson(project, node, extraOf(node))) };
      } else {
        items[`zones/${zone}`] = {
          warning: {
            code: 'NO_RESULTS_ON_PAGE',
            message: `There are no results for scope 'zones/${zone}' on this page.`,
            data: [{ key: 'scope', value: `zones/${zone}` }],
          },
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

  return {
    operations,
    unreachableZones,
    zoneNames,
    extraOf,
    visible,
    findInstance,
    requireZone,
    sim,
    insert,
    mutate,
    operationOf,
    instancesIn,
    aggregated,
    newestOfFamily,
    injectOperationError: (error: InjectedOperationError) => injectedOperations.push(error),
  };
}
