/**
 * `destroyNode` on Scaleway. A running server is terminated (`{"action":"terminate"}`), a stopped
 * one deleted (`DELETE`, which Scaleway refuses while it runs); a server in transition is waited
 * for first. Neither removes a block-storage (SBS) root volume — terminate only detaches it — so
 * the root volume the server was created with is deleted through the Block API once the server is
 * gone and the volume detached, as scaleway-cli does. Other SBS volumes the user attached are kept.
 *
 * @module
 */
import { field, isNotFoundError, pollUntil, urlPath, type DriverContext, type PollResult } from '../../src/kit.js';
import type { ScalewayBlockVolume, ScalewayServer } from './api.js';
import { splitNodeId } from './map.js';
import { instancePath, zoneRequest, type ScalewayRuntime } from './runtime.js';
import { checkServer } from './schemas.js';

/** States a server passes through on its own; destroying waits them out. */
const TRANSIENT = new Set(['starting', 'stopping']);

function waitOptions(runtime: ScalewayRuntime, context: DriverContext, what: string) {
  return {
    provider: 'scaleway',
    operation: context.operation,
    what,
    clock: runtime.clock,
    ...(context.signal ? { signal: context.signal } : {}),
    ...(runtime.options.actionPollIntervalMs !== undefined ? { intervalMs: runtime.options.actionPollIntervalMs } : {}),
    ...(runtime.options.actionTimeoutMs !== undefined ? { timeoutMs: runtime.options.actionTimeoutMs } : {}),
  };
}

/** The server, or `undefined` once it is gone. A 404 with `nodeId` is a `NodeNotFoundError`, left to the caller. */
async function readServer(runtime: ScalewayRuntime, context: DriverContext, id: string): Promise<ScalewayServer> {
  const { zone, serverId } = splitNodeId(id);
  const response = await zoneRequest(runtime, context, zone, { method: 'GET', path: instancePath(zone, 'servers', serverId), nodeId: id });
  const raw = field(response, 'server', 'object', runtime.where(context));
  runtime.checkEntry(context, raw, checkServer);
  return raw as unknown as ScalewayServer;
}

/** Destroys the server `id` and its root volume; a server already gone is success (the core's rule). */
export async function destroyServer(runtime: ScalewayRuntime, id: string, context: DriverContext): Promise<void> {
  const { zone, serverId } = splitNodeId(id);
  // Throws NodeNotFoundError when it is gone already: the core makes that a success.
  let server = await readServer(runtime, context, id);
  if (TRANSIENT.has(server.state)) {
    server = await pollUntil<ScalewayServer>(
      async (): Promise<PollResult<ScalewayServer>> => {
        const now = await readServer(runtime, context, id);
        return TRANSIENT.has(now.state) ? { done: false, state: now.state } : { done: true, value: now };
      },
      waitOptions(runtime, context, `server ${id} to leave ${server.state}`),
    );
  }
  const rootVolumes = Object.entries(server.volumes ?? {})
    .filter(([slot, volume]) => volume.volume_type === 'sbs_volume' && (slot === '0' || volume.boot === true))
    .map(([, volume]) => volume.id);
  if (server.allowed_actions?.includes('terminate') ?? server.state === 'running') {
    await zoneRequest(runtime, context, zone, {
      method: 'POST',
      path: instancePath(zone, 'servers', serverId, 'action'),
      body: { action: 'terminate' },
      nodeId: id,
    });
  } else {
    await zoneRequest(runtime, context, zone, { method: 'DELETE', path: instancePath(zone, 'servers', serverId), nodeId: id });
  }
  await pollUntil<true>(
    async () => {
      try {
        const now = await readServer(runtime, context, id);
        return { done: false, state: now.state };
      } catch (error) {
        if (isNotFoundError(error)) return { done: true, value: true };
        throw error;
      }
    },
    waitOptions(runtime, context, `server ${id} to be gone`),
  );
  for (const volumeId of rootVolumes) await deleteBlockVolume(runtime, context, zone, volumeId);
}

/** Deletes a block volume once it is detached; a volume already gone is fine. */
async function deleteBlockVolume(runtime: ScalewayRuntime, context: DriverContext, zone: string, volumeId: string): Promise<void> {
  const path = urlPath`/block/v1alpha1/zones/${zone}/volumes/${volumeId}`;
  const gone = await pollUntil<boolean>(
    async () => {
      try {
        const volume = (await zoneRequest(runtime, context, zone, { method: 'GET', path })).data as ScalewayBlockVolume;
        return volume.status === 'in_use' || (volume.references?.length ?? 0) > 0
          ? { done: false, state: String(volume.status) }
          : { done: true, value: false };
      } catch (error) {
        if (isNotFoundError(error)) return { done: true, value: true };
        throw error;
      }
    },
    waitOptions(runtime, context, `volume ${volumeId} to be detached`),
  );
  if (gone) return;
  try {
    await zoneRequest(runtime, context, zone, { method: 'DELETE', path });
  } catch (error) {
    if (!isNotFoundError(error)) throw error;
  }
}
