/**
 * `createNode` on Scaleway: the size is checked against the zone's server types and the image
 * resolved in the zone (both before any create), SSH keys registered in IAM, the server created
 * once per idempotency key (a tag, checked on the client), then powered on — Scaleway creates
 * servers stopped.
 *
 * @module
 */
import {
  createOnce,
  field,
  invalid,
  withKeyMarks,
  type CheckContext,
  type DriverContext,
  type KeyRegistry,
  type ResolvedCreateNodeRequest,
} from '../../src/kit.js';
import type { ScalewayServer } from './api.js';
import { resolveImage } from './images.js';
import { idempotencyTag, toScalewayTags } from './map.js';
import { checkZone, instancePath, serverTypes, zoneRequest, type ScalewayRuntime } from './runtime.js';
import { checkServer } from './schemas.js';

/** `providerOptions` of `createNode` on Scaleway. */
export interface ScalewayProviderOptions {
  /**
   * Whether the server gets a public IPv4 address (`dynamic_ip_required`).
   * @defaultValue true
   */
  readonly publicIp?: boolean;
  /**
   * Whether the server gets an IPv6 address (`enable_ipv6`).
   * @defaultValue false
   */
  readonly ipv6?: boolean;
}

/** Checks `providerOptions` before any request. */
export function checkProviderOptions(check: CheckContext, options: ScalewayProviderOptions | undefined): void {
  if (options === undefined) return;
  for (const name of ['publicIp', 'ipv6'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'boolean')
      invalid(check, `providerOptions.${name}`, 'a boolean', options[name]);
  }
}

/** Whether a server found by its idempotency tag is what the request would create. */
function sameServer(server: ScalewayServer, request: ResolvedCreateNodeRequest<ScalewayProviderOptions>): boolean {
  return server.name === request.name && server.commercial_type === request.sizeId && server.zone === request.locationId;
}

/** Creates the server of `request` (once per idempotency key) and powers it on; resolves with the server as it then is. */
export async function createServer(
  runtime: ScalewayRuntime,
  registry: KeyRegistry,
  request: ResolvedCreateNodeRequest<ScalewayProviderOptions>,
  context: DriverContext,
): Promise<ScalewayServer> {
  const zone = request.locationId;
  checkZone(runtime, context, 'location', zone);
  const type = (await serverTypes(runtime, context, zone))[request.sizeId];
  if (!type) invalid(runtime.where(context), 'size', `a server type of zone ${zone}`, request.sizeId);
  const image = await resolveImage(runtime, context, zone, request.imageId, request.sizeId, type);
  // IAM puts every key of the project on every new server: registering is all a create needs.
  await registry.ensure(request.sshKeys, context);
  const marker = idempotencyTag(request.idempotencyKey);
  const body = withKeyMarks(
    {
      name: request.name,
      project: runtime.state.config.projectId,
      commercial_type: request.sizeId,
      image,
      boot_type: 'local',
      dynamic_ip_required: request.providerOptions?.publicIp ?? true,
      enable_ipv6: request.providerOptions?.ipv6 ?? false,
      tags: [...toScalewayTags(request.tags), marker],
    },
    request.sshKeys,
    { style: 'tags', field: 'tags' },
  );
  const servers = instancePath(zone, 'servers');
  const server = await createOnce<ScalewayServer, ScalewayProviderOptions, ScalewayRuntime>(
    {
      idempotency: {
        filter: () => ({ query: { tags: marker, project: runtime.state.config.projectId } }),
        carries: (raw) => raw.tags?.includes(marker) ?? false,
        matches: sameServer,
      },
      list: { path: servers, field: 'servers', validate: checkServer },
      async send() {
        const response = await zoneRequest(runtime, context, zone, { method: 'POST', path: servers, body, retry: { retries: 0 } });
        const raw = field(response, 'server', 'object', runtime.where(context));
        runtime.checkEntry(context, raw, checkServer);
        return raw as unknown as ScalewayServer;
      },
    },
    request,
    runtime,
    context,
  );
  if (server.state !== 'stopped') return server;
  // Created stopped (or found stopped after an earlier attempt whose power-on was lost): power it on.
  await zoneRequest(runtime, context, zone, {
    method: 'POST',
    path: instancePath(zone, 'servers', server.id, 'action'),
    body: { action: 'poweron' },
    // Safe to repeat: powering on a server that is starting is refused, not done twice.
    idempotent: true,
  });
  const response = await zoneRequest(runtime, context, zone, { method: 'GET', path: instancePath(zone, 'servers', server.id) });
  const fresh = field(response, 'server', 'object', runtime.where(context));
  runtime.checkEntry(context, fresh, checkServer);
  return fresh as unknown as ScalewayServer;
}
