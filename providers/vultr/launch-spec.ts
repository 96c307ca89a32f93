/**
 * How a Vultr instance was launched:
 *
 * - **user data**: `GET /instances/{id}/user-data` answers `{ user_data: { data: <base64> } }`;
 *   an instance created without any answers an empty `data` (no user data, not an error).
 * - **image**: the instance's `os_id`, looked up in `GET /os` (cached like the plans). Vultr's
 *   operating systems have one id whatever the build, so this is the catalog's image; `null`
 *   when the id is not an OS (a snapshot, an ISO, a marketplace app).
 * - **SSH keys**: an instance does not list its keys. polycloud marks each instance it creates
 *   with one `polycloud-key:<id>` tag per key; those are looked up in the account's registry
 *   (`GET /ssh-keys`, only when the instance has marks). A marked key no longer registered is
 *   named in `unreadableKeyNames`; keys given outside polycloud (no mark) are not known.
 *
 * @module
 */
import {
  field,
  keysMarkedOn,
  malformedEntryError,
  managedKeyName,
  urlPath,
  userDataReadBack,
  type DriverContext,
  type Image,
  type LaunchSpec,
  type Node,
  type RestDriverOptions,
  type RestRuntime,
} from '../../src/kit.js';
import type { VultrInstance, VultrSshKey } from './api.js';
import type { VultrState } from './catalog.js';
import { mapOs } from './map.js';
import { checkVultrSshKey } from './schemas.js';

/** Reads an instance's launch spec: its user data, image and marked SSH keys. */
export async function readVultrLaunchSpec(
  node: Node<VultrInstance>,
  runtime: RestRuntime<RestDriverOptions, VultrState>,
  context: DriverContext,
): Promise<LaunchSpec> {
  const marked = keysMarkedOn(node.raw, { style: 'tags', field: 'tags' });
  const [userData, image, keys] = await Promise.all([
    readUserData(node.id, runtime, context),
    imageOf(node.raw.os_id, runtime, context),
    marked.length > 0 ? registeredKeys(runtime, context) : Promise.resolve(new Map<string, string>()),
  ]);
  const sshKeys = marked.flatMap((name) => keys.get(name) ?? []);
  const unreadable = marked.filter((name) => !keys.has(name));
  return {
    image,
    ...(userData === undefined ? {} : { userData }),
    sshKeys,
    ...(unreadable.length > 0 ? { unreadableKeyNames: unreadable } : {}),
  };
}

async function readUserData(
  id: string,
  runtime: RestRuntime<RestDriverOptions, VultrState>,
  context: DriverContext,
): Promise<string | undefined> {
  const response = await runtime.request(context, { method: 'GET', path: urlPath`/instances/${id}/user-data`, nodeId: id });
  const holder = field(response, 'user_data', 'object', runtime.where(context));
  const data = holder.data;
  const where = {
    ...runtime.where(context),
    statusCode: response.status,
    ...(response.requestId ? { requestId: response.requestId } : {}),
  };
  if (data !== undefined && data !== null && typeof data !== 'string')
    throw malformedEntryError(`user data with a malformed "user_data.data": expected string, got ${typeof data}`, where);
  return userDataReadBack(data, 'base64', where);
}

async function imageOf(
  osId: number | undefined,
  runtime: RestRuntime<RestDriverOptions, VultrState>,
  context: DriverContext,
): Promise<Image | null> {
  if (osId === undefined) return null;
  const os = (await runtime.state.operatingSystems(context)).get(osId);
  return (os && mapOs(os)) ?? null;
}

/** The account's keys by managed name (the name a key mark holds), whatever name each was registered under. */
async function registeredKeys(runtime: RestRuntime<RestDriverOptions, VultrState>, context: DriverContext): Promise<Map<string, string>> {
  const keys = (await runtime.listAll(context, '/ssh-keys', 'ssh_keys', { validate: checkVultrSshKey })) as VultrSshKey[];
  return new Map(keys.map((key) => [managedKeyName(key.ssh_key), key.ssh_key.trim()]));
}
