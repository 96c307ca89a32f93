/**
 * A wire-level fake of Azure Resource Manager for the Compute, Network and Resources operations
 * the driver uses, over HTTPS on 127.0.0.1 (port 0). It speaks ARM: resources under
 * `/subscriptions/{s}/resourceGroups/{rg}/providers/...`, long-running PUTs answered `201` with an
 * `Azure-AsyncOperation` status URL, DELETEs and POST actions answered `202` with a `Location` URL
 * polled until done, errors as `{"error": {"code", "message"}}` with `x-ms-request-id`, list pages
 * with an absolute `nextLink` on the host the client called. Every request is checked against the official swagger first
 * (`swagger.ts`); a request the real API would reject is answered 400 and recorded in `violations`.
 */
import { randomUUID } from 'node:crypto';
import { createServer as createPlainServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedRequest } from '../http-server.js';
import { azureSwaggerValidator } from './swagger.js';
import { loopbackCertificate } from './tls.js';

/** How the fake is set up. */
export interface AzureFakeOptions {
  readonly subscriptionId: string;
  /** The bearer token requests must carry. */
  readonly token: string;
  /** Resource groups that exist from the start. Default: `['polycloud']`. */
  readonly resourceGroups?: readonly string[];
  /** VMs per list page. Default: 50. */
  readonly pageSize?: number;
  /** Polls an async operation answers `InProgress` before it finishes. Default: 1. */
  readonly pollsPerOperation?: number;
  /** Serve HTTPS with the throwaway certificate; `false` serves plain HTTP (a local emulator). Default: true. */
  readonly tls?: boolean;
}

/** A failure to inject. */
export interface AzureFakeFaults {
  /** The next VM creates are accepted, then fail inside their async operation (as ARM does for quota/allocation failures). */
  refuseVm?: { code: string; message: string };
  /**
   * Rewrites the JSON body of a successful answer before it is sent (a hostile or broken server),
   * e.g. to put `null` into a list. Gets the request's method and path.
   */
  rewrite?: (body: unknown, request: { readonly method: string; readonly path: string }) => unknown;
}

/** The running fake. */
export interface AzureFake {
  readonly url: string;
  /** PEM certificate to trust (pass as the driver's `caCertificate`). */
  readonly certificate: string;
  readonly requests: RecordedRequest[];
  readonly violations: { method: string; url: string; problems: readonly string[] }[];
  readonly faults: AzureFakeFaults;
  /** ARM ids of every resource that exists now (VMs, NICs, public IPs, VNets, disks). */
  resourceIds(): string[];
  close(): Promise<void>;
}

interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

interface Pending {
  remaining: number;
  finish: () => { error?: { code: string; message: string } };
  result?: { error?: { code: string; message: string } };
}

const LOCATIONS = [
  { name: 'eastus', displayName: 'East US' },
  { name: 'westeurope', displayName: 'West Europe' },
  { name: 'germanywestcentral', displayName: 'Germany West Central' },
  { name: 'japaneast', displayName: 'Japan East' },
];

const VM_SIZES = [
  { name: 'Standard_B1s', numberOfCores: 1, memoryInMB: 1024, maxDataDiskCount: 2, osDiskSizeInMB: 1047552, resourceDiskSizeInMB: 4096 },
  { name: 'Standard_B2s', numberOfCores: 2, memoryInMB: 4096, maxDataDiskCount: 4, osDiskSizeInMB: 1047552, resourceDiskSizeInMB: 8192 },
  { name: 'Standard_D2s_v5', numberOfCores: 2, memoryInMB: 8192, maxDataDiskCount: 4, osDiskSizeInMB: 1047552, resourceDiskSizeInMB: 0 },
  { name: 'Standard_D2ps_v5', numberOfCores: 2, memoryInMB: 8192, maxDataDiskCount: 4, osDiskSizeInMB: 1047552, resourceDiskSizeInMB: 0 },
];

const IMAGE_SKUS: Readonly<Record<string, readonly string[]>> = {
  'canonical/ubuntu-24_04-lts': ['server', 'server-arm64', 'minimal'],
  'canonical/0001-com-ubuntu-server-jammy': ['22_04-lts-gen2', '22_04-lts-arm64'],
  'debian/debian-12': ['12', '12-gen2', '12-arm64'],
  'debian/debian-11': ['11', '11-gen2'],
};

/** Starts the fake. */
export async function startAzureFake(options: AzureFakeOptions): Promise<AzureFake> {
  const { subscriptionId: sub } = options;
  const validator = azureSwaggerValidator();
  const certificate = loopbackCertificate();
  const pageSize = options.pageSize ?? 50;
  const pollsPerOperation = options.pollsPerOperation ?? 1;
  const requests: RecordedRequest[] = [];
  const violations: AzureFake['violations'] = [];
  const faults: AzureFakeFaults = {};
  const groups = new Set((options.resourceGroups ?? ['polycloud']).map((group) => group.toLowerCase()));
  /** Resources by lower-cased ARM id. */
  const resources = new Map<string, Record<string, unknown>>();
  const operations = new Map<string, Pending>();
  /** The async-operation headers of each VM still being created, by lower-cased ARM id. */
  const pendingOf = new Map<string, Record<string, string>>();
  let base = '';

  const error = (status: number, code: string, message: string, headers: Record<string, string> = {}): Answer => ({
    status,
    headers,
    body: { error: { code, message } },
  });

  function startOperation(location: string, finish: Pending['finish'], kind: 'async' | 'location'): Record<string, string> {
    const id = randomUUID();
    operations.set(id, { remaining: pollsPerOperation, finish });
    const url = `${base}/subscriptions/${sub}/providers/Microsoft.Compute/locations/${location}/operations/${id}?api-version=2024-07-01`;
    return kind === 'async' ? { 'Azure-AsyncOperation': url } : { Location: `${url}&kind=location` };
  }

  function pollOperation(id: string, locationStyle: boolean): Answer {
    const pending = operations.get(id);
    if (!pending) return error(404, 'NotFound', 'operation not found');
    if (pending.remaining > 0) {
      pending.remaining--;
      return locationStyle ? { status: 202, headers: { Location: '' } } : { status: 200, body: { status: 'InProgress' } };
    }
    pending.result ??= pending.finish();
    if (pending.result.error) {
      return locationStyle
        ? error(400, pending.result.error.code, pending.result.error.message)
        : { status: 200, body: { status: 'Failed', error: pending.result.error } };
    }
    return locationStyle ? { status: 200 } : { status: 200, body: { status: 'Succeeded' } };
  }

  const idOf = (rg: string, type: string, name: string) => `/subscriptions/${sub}/resourceGroups/${rg}/providers/${type}/${name}`;

  /**
   * A VM as ARM shows it: never its `osProfile.customData`; its `userData` only with
   * `$expand=userData`; its instance view only with `$expand=instanceView` (one expansion at a time).
   */
  function vmView(vm: Record<string, unknown>, expand: string | null): Record<string, unknown> {
    const { power, ...stored } = vm as { power: string } & Record<string, unknown>;
    const { userData, osProfile, ...kept } = stored.properties as Record<string, unknown>;
    const { customData: _never, ...shownOsProfile } = (osProfile ?? {}) as Record<string, unknown>;
    const properties: Record<string, unknown> = {
      ...kept,
      ...(osProfile === undefined ? {} : { osProfile: shownOsProfile }),
      ...(expand === 'userData' && userData !== undefined ? { userData } : {}),
    };
    if (expand !== 'instanceView') return { ...stored, properties };
    return {
      ...stored,
      properties: {
        ...properties,
        instanceView: {
          statuses: [
            { code: `ProvisioningState/${String(properties.provisioningState).toLowerCase()}` },
            ...(power ? [{ code: `PowerState/${power}` }] : []),
          ],
        },
      },
    };
  }

  function handle(request: RecordedRequest): Answer {
    const { method, path, query } = request;
    let match: RegExpMatchArray | null;
    if ((match = /\/providers\/Microsoft\.Compute\/locations\/([^/]+)\/operations\/([^/]+)$/i.exec(path))) {
      return pollOperation(match[2] as string, query.get('kind') === 'location');
    }
    const problems = validator.validate({ method, path, query, body: request.body, headers: request.headers });
    if (problems.length > 0) {
      violations.push({ method, url: request.url, problems });
      return error(400, 'InvalidRequestContent', problems.join('; '));
    }
    if (request.headers.authorization !== `Bearer ${options.token}`)
      return error(401, 'AuthenticationFailed', 'the access token is invalid');
    const prefix = `/subscriptions/${sub}`;
    if (!path.toLowerCase().startsWith(prefix.toLowerCase())) return error(404, 'SubscriptionNotFound', 'subscription not found');
    const rest = path.slice(prefix.length);

    if (method === 'GET' && /^\/locations$/i.test(rest)) {
      return {
        status: 200,
        body: { value: LOCATIONS.map((l) => ({ id: `${prefix}/locations/${l.name}`, ...l, metadata: { regionType: 'Physical' } })) },
      };
    }
    if ((match = /^\/providers\/Microsoft\.Compute\/locations\/([^/]+)\/vmSizes$/i.exec(rest))) {
      return { status: 200, body: { value: VM_SIZES } };
    }
    if (
      (match =
        /^\/providers\/Microsoft\.Compute\/locations\/([^/]+)\/publishers\/([^/]+)\/artifacttypes\/vmimage\/offers\/([^/]+)\/skus$/i.exec(
          rest,
        ))
    ) {
      const skus = IMAGE_SKUS[`${(match[2] as string).toLowerCase()}/${match[3]}`];
      if (!skus) return error(404, 'NotFound', 'Artifact: VMImage was not found.');
      return { status: 200, body: skus.map((name) => ({ name, location: match![1], id: `${rest}/${name}` })) };
    }
    if ((match = /^\/resourcegroups\/([^/]+)$/i.exec(rest))) {
      const rg = (match[1] as string).toLowerCase();
      if (method === 'PUT') {
        const created = !groups.has(rg);
        groups.add(rg);
        const body = JSON.parse(request.body) as { location: string };
        return {
          status: created ? 201 : 200,
          body: {
            id: `${prefix}/resourceGroups/${match[1]}`,
            name: match[1],
            location: body.location,
            properties: { provisioningState: 'Succeeded' },
          },
        };
      }
      if (!groups.has(rg)) return error(404, 'ResourceGroupNotFound', `Resource group '${match[1]}' could not be found.`);
      return {
        status: 200,
        body: {
          id: `${prefix}/resourceGroups/${match[1]}`,
          name: match[1],
          location: 'eastus',
          properties: { provisioningState: 'Succeeded' },
        },
      };
    }
    if (
      (match = /^\/resourceGroups\/([^/]+)\/providers\/(Microsoft\.(?:Compute|Network))\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/i.exec(rest))
    ) {
      const [, rg = '', namespace = '', type = '', name, action] = match;
      if (!groups.has(rg.toLowerCase())) return error(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
      return handleResource(request, rg, `${namespace}/${type}`, name, action);
    }
    return error(404, 'NotFound', `no route for ${method} ${path}`);
  }

  function handleResource(
    request: RecordedRequest,
    rg: string,
    type: string,
    name: string | undefined,
    action: string | undefined,
  ): Answer {
    const { method, query } = request;
    const isVm = /virtualMachines$/i.test(type);
    if (name === undefined) {
      if (method !== 'GET') return error(405, 'MethodNotAllowed', 'not allowed');
      const prefix = `${idOf(rg, type, '')}`.toLowerCase();
      const all = [...resources.entries()]
        .filter(([id]) => id.startsWith(prefix) && !id.slice(prefix.length).includes('/'))
        .map(([, value]) => value);
      const skip = Number(query.get('$skiptoken') ?? 0);
      const page = all.slice(skip, skip + pageSize).map((each) => (isVm ? vmView(each, query.get('$expand')) : each));
      const next =
        skip + pageSize < all.length
          ? `${base}${request.path}?api-version=${query.get('api-version')}${query.get('$expand') ? `&$expand=${query.get('$expand')}` : ''}&$skiptoken=${skip + pageSize}`
          : undefined;
      return { status: 200, body: { value: page, ...(next ? { nextLink: next } : {}) } };
    }
    const id = idOf(rg, type, name);
    const key = id.toLowerCase();
    const existing = resources.get(key);

    if (isVm && action !== undefined) {
      if (!existing || method !== 'POST')
        return error(404, 'ResourceNotFound', `The Resource '${type}/${name}' under resource group '${rg}' was not found.`);
      const transitions: Record<string, [string, string]> = {
        start: ['starting', 'running'],
        restart: ['starting', 'running'],
        deallocate: ['deallocating', 'deallocated'],
        powerOff: ['stopping', 'stopped'],
      };
      const transition = transitions[action];
      if (!transition) return error(400, 'InvalidAction', `unknown action ${action}`);
      existing.power = transition[0];
      return { status: 202, headers: startOperation('eastus', () => ((existing.power = transition[1]), {}), 'location') };
    }

    if (method === 'GET') {
      // VirtualMachines_Get documents `$expand` as `instanceView` or `userData` (InstanceViewTypes).
      const expand = query.get('$expand');
      if (isVm && expand !== null && expand !== 'instanceView' && expand !== 'userData') {
        const problems = [`VirtualMachines_Get: $expand must be instanceView or userData, got ${expand}`];
        violations.push({ method, url: request.url, problems });
        return error(400, 'InvalidParameter', problems[0] as string);
      }
      if (!existing) return error(404, 'ResourceNotFound', `The Resource '${type}/${name}' under resource group '${rg}' was not found.`);
      return { status: 200, body: isVm ? vmView(existing, query.get('$expand')) : existing };
    }
    if (method === 'PUT') return putResource(request, rg, type, name, id, existing);
    if (method === 'DELETE') {
      if (!existing) return { status: 204 };
      const inUse = usedBy(key);
      if (inUse) return error(400, 'InUseResourceCannotBeDeleted', `${type}/${name} is in use by ${inUse} and cannot be deleted.`);
      (existing.properties as Record<string, unknown>).provisioningState = 'Deleting';
      return {
        status: 202,
        headers: startOperation(
          'eastus',
          () => {
            resources.delete(key);
            if (isVm) resources.delete(`${idOf(rg, 'Microsoft.Compute/disks', `${name}_osdisk`)}`.toLowerCase());
            return {};
          },
          'location',
        ),
      };
    }
    return error(405, 'MethodNotAllowed', `${method} not allowed`);
  }

  /** The id of a resource that refers to `key` (NIC → subnet/public IP, VM → NIC), as ARM refuses such deletes. */
  function usedBy(key: string): string | undefined {
    for (const [id, resource] of resources) {
      if (id === key) continue;
      const text = JSON.stringify(resource.properties ?? {}).toLowerCase();
      if (text.includes(`"${key}"`) || text.includes(`"${key}/subnets/`)) return resource.id as string;
    }
    return undefined;
  }

  function putResource(
    request: RecordedRequest,
    rg: string,
    type: string,
    name: string,
    id: string,
    existing: Record<string, unknown> | undefined,
  ): Answer {
    const body = JSON.parse(request.body) as {
      location: string;
      tags?: Record<string, string>;
      properties?: Record<string, unknown>;
      sku?: unknown;
      zones?: string[];
    };
    const key = id.toLowerCase();
    const properties: Record<string, unknown> = {
      ...body.properties,
      provisioningState: /virtualMachines$/i.test(type) ? 'Creating' : 'Succeeded',
    };
    const resource: Record<string, unknown> = {
      id,
      name,
      type,
      location: body.location,
      ...(body.tags ? { tags: body.tags } : {}),
      ...(body.zones ? { zones: body.zones } : {}),
      ...(body.sku ? { sku: body.sku } : {}),
      properties,
    };
    if (/virtualNetworks$/i.test(type)) {
      properties.subnets = ((body.properties?.subnets as { name: string; properties?: unknown }[]) ?? []).map((subnet) => ({
        ...subnet,
        id: `${id}/subnets/${subnet.name}`,
      }));
    }
    if (/publicIPAddresses$/i.test(type)) properties.ipAddress = `20.0.${resources.size % 250}.${(resources.size * 7) % 250}`;
    if (/networkInterfaces$/i.test(type)) {
      properties.ipConfigurations = ((body.properties?.ipConfigurations as Record<string, unknown>[]) ?? []).map((config, index) => ({
        ...config,
        id: `${id}/ipConfigurations/${String(config.name)}`,
        properties: { ...(config.properties as object), privateIPAddress: `10.0.0.${4 + (resources.size % 200) + index}` },
      }));
      for (const config of properties.ipConfigurations as { properties: { subnet?: { id?: string } } }[]) {
        const subnetId = config.properties.subnet?.id?.toLowerCase() ?? '';
        const vnet = subnetId.split('/subnets/')[0] ?? '';
        if (!resources.has(vnet))
          return error(
            400,
            'InvalidResourceReference',
            `Resource ${config.properties.subnet?.id} referenced by resource ${id} was not found.`,
          );
      }
    }
    if (/virtualMachines$/i.test(type)) {
      if (existing) {
        // ARM answers a repeated PUT of a VM still being created with the same operation to follow.
        const pending = pendingOf.get(key);
        return { status: 200, ...(pending ? { headers: pending } : {}), body: vmView(existing, null) };
      }
      properties.vmId = randomUUID();
      properties.timeCreated = new Date().toISOString();
      const nics = ((body.properties?.networkProfile as { networkInterfaces?: { id: string }[] })?.networkInterfaces ?? []).map((nic) =>
        nic.id.toLowerCase(),
      );
      for (const nic of nics)
        if (!resources.has(nic))
          return error(400, 'InvalidResourceReference', `Resource ${nic} referenced by resource ${id} was not found.`);
      resource.power = 'starting';
      resources.set(key, resource);
      const refusal = faults.refuseVm;
      const headers = startOperation(
        body.location,
        () => {
          pendingOf.delete(key);
          if (refusal) {
            properties.provisioningState = 'Failed';
            delete resource.power;
            return { error: refusal };
          }
          properties.provisioningState = 'Succeeded';
          resource.power = 'running';
          return {};
        },
        'async',
      );
      pendingOf.set(key, headers);
      return { status: 201, headers, body: vmView(resource, null) };
    }
    resources.set(key, resource);
    return { status: existing ? 200 : 201, headers: startOperation(body.location, () => ({}), 'async'), body: resource };
  }

  const scheme = options.tls === false ? 'http' : 'https';
  const onRequest = (incoming: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const url = incoming.url ?? '/';
      const parsed = new URL(url, 'https://127.0.0.1');
      const request: RecordedRequest = {
        method: incoming.method ?? 'GET',
        url,
        path: parsed.pathname,
        query: parsed.searchParams,
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      // Links (nextLink, operation URLs) point at the host the client used, so a proxy in front stays in the path.
      base = incoming.headers.host ? `${scheme}://${incoming.headers.host}` : ownBase;
      let answer: Answer;
      try {
        answer = handle(request);
      } catch (failure) {
        answer = error(500, 'InternalServerError', String(failure));
      }
      const rewrite = faults.rewrite;
      if (rewrite && answer.status < 300 && answer.body !== undefined)
        answer = { ...answer, body: rewrite(answer.body, { method: request.method, path: request.path }) };
      const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
      const headers: Record<string, string> = { 'x-ms-request-id': randomUUID(), ...answer.headers };
      if (text !== '') headers['content-type'] = 'application/json; charset=utf-8';
      for (const [name, value] of Object.entries(headers)) if (value === '') delete headers[name];
      response.writeHead(answer.status, headers);
      response.end(text);
    });
  };
  const server: Server =
    options.tls === false
      ? (createPlainServer(onRequest) as unknown as Server)
      : createServer({ cert: certificate.cert, key: certificate.key }, onRequest);
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const ownBase = `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: ownBase,
    certificate: certificate.cert,
    requests,
    violations,
    faults,
    resourceIds: () => [...resources.values()].map((resource) => resource.id as string),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
