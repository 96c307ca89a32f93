/**
 * How a Scaleway server was launched — its user data only:
 *
 * - **user data**: the `cloud-init` key, the one `createNode` sets. The server's keys are listed
 *   first (`GET …/servers/{id}/user_data` → `{ user_data: [keys] }`): a server without that key
 *   has no user data (not an error), and a 404 there is the server's own (gone). Then
 *   `GET …/user_data/cloud-init` answers the raw text (`text/plain`).
 * - **SSH keys**: none. Scaleway's keys are the project's (IAM): every server of the project gets
 *   every key registered at its boot, so no key is the server's own to carry.
 * - **image**: `null`; the plan looks the server's image id up in its zone's catalog, as before.
 *
 * @module
 */
import { malformedEntryError, userDataReadBack, type DriverContext, type LaunchSpec, type Node } from '../../src/kit.js';
import type { ScalewayServer } from './api.js';
import { CLOUD_INIT_KEY } from './create.js';
import { splitNodeId } from './map.js';
import { instancePath, zoneRequest, type ScalewayRuntime } from './runtime.js';

/** Reads a server's launch spec: its `cloud-init` user data. */
export async function readScalewayLaunchSpec(
  node: Node<ScalewayServer>,
  runtime: ScalewayRuntime,
  context: DriverContext,
): Promise<LaunchSpec> {
  const { zone, serverId } = splitNodeId(node.id);
  const where = (status: number, requestId: string | undefined) => ({
    ...runtime.where(context),
    location: zone,
    statusCode: status,
    ...(requestId ? { requestId } : {}),
  });
  const listed = await zoneRequest(runtime, context, zone, {
    method: 'GET',
    path: instancePath(zone, 'servers', serverId, 'user_data'),
    nodeId: node.id,
  });
  const keys = (listed.data as { user_data?: unknown } | undefined)?.user_data;
  if (!Array.isArray(keys) || keys.some((key) => typeof key !== 'string'))
    throw malformedEntryError(
      'a user-data list with a malformed "user_data": expected an array of key names',
      where(listed.status, listed.requestId),
    );
  if (!keys.includes(CLOUD_INIT_KEY)) return { image: null, sshKeys: [] };
  const read = await zoneRequest(runtime, context, zone, {
    method: 'GET',
    path: instancePath(zone, 'servers', serverId, 'user_data', CLOUD_INIT_KEY),
    nodeId: node.id,
    responseAs: 'text',
  });
  const userData = userDataReadBack(read.data as string | undefined, 'text', where(read.status, read.requestId));
  return { image: null, ...(userData === undefined ? {} : { userData }), sshKeys: [] };
}
