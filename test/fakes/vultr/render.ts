/**
 * The Vultr fake's JSON shapes: instances (the simulator's states as Vultr's three status
 * fields), plans, regions, operating systems, error bodies, and cursor pages.
 */
import type { SimNode, SimSize } from '../../../src/simulator/index.js';
import type { FakeResponse, RecordedRequest } from '../http-server.js';
import { VULTR_FAKE_REGIONS, VULTR_PLAN_FACTS } from './catalog.js';

/** What the fake keeps with each instance beyond the simulator's record. */
export interface VultrInstanceExtra {
  readonly tags: readonly string[];
  readonly osId: number;
  readonly hostname: string;
  readonly sshKeyIds: readonly string[];
  readonly password: string;
  readonly ipv6: boolean;
}

/** A JSON answer. */
export function answer(status: number, body?: unknown): FakeResponse {
  return { status, ...(body === undefined ? {} : { body }) };
}

/** Vultr's error body: `{ error, status }`. */
export function vultrError(status: number, message: string): FakeResponse {
  return answer(status, { error: message, status });
}

/** Vultr's three status fields for a simulator state. Halt is a hard power-off: a halting instance is stopped at once. */
export function statusFields(node: SimNode): { status: string; power_status: string; server_status: string } {
  switch (node.state) {
    case 'pending':
      return node.stateSince === node.createdAt
        ? { status: 'pending', power_status: 'running', server_status: 'installingbooting' }
        : { status: 'active', power_status: 'running', server_status: 'installingbooting' };
    case 'rebooting':
      return { status: 'active', power_status: 'running', server_status: 'installingbooting' };
    case 'stopping':
    case 'stopped':
      return { status: 'active', power_status: 'stopped', server_status: 'ok' };
    default:
      return { status: 'active', power_status: 'running', server_status: 'ok' };
  }
}

/** The instance object (`default_password` only in the create answer, as Vultr does). */
export function instanceJson(node: SimNode, id: string, withPassword = false): Record<string, unknown> {
  const extra = node.extra as unknown as VultrInstanceExtra;
  const fields = statusFields(node);
  const provisioned = fields.status !== 'pending';
  const suffix = id.slice(-4);
  return {
    id,
    os: node.image.name,
    ram: node.size.memoryGiB * 1024,
    disk: node.size.diskGiB,
    main_ip: provisioned ? node.publicIp : '0.0.0.0',
    vcpu_count: node.size.vcpus,
    region: node.locationId,
    plan: node.sizeId,
    date_created: new Date(node.createdAt).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    ...fields,
    allowed_bandwidth: VULTR_PLAN_FACTS[node.sizeId]?.bandwidth ?? 1024,
    netmask_v4: provisioned ? '255.255.254.0' : '',
    gateway_v4: provisioned ? node.publicIp.replace(/\.\d+$/, '.1') : '0.0.0.0',
    v6_networks:
      extra.ipv6 && provisioned ? [{ network: `2001:19f0:5:${suffix}::`, main_ip: `2001:19f0:5:${suffix}::1`, network_size: 64 }] : [],
    hostname: extra.hostname,
    label: node.name,
    internal_ip: '',
    kvm: `https://my.vultr.com/subs/vps/novnc/api.php?data=console-${id}`,
    os_id: extra.osId,
    app_id: 0,
    image_id: '',
    firewall_group_id: '',
    features: extra.ipv6 ? ['ipv6'] : [],
    tags: [...extra.tags],
    user_scheme: 'root',
    ...(withPassword ? { default_password: extra.password } : {}),
  };
}

/** A plan: the document's fields plus `hourly_cost`, which the API sends since 2024. */
export function planJson(size: SimSize, locations: readonly string[]): Record<string, unknown> {
  const facts = VULTR_PLAN_FACTS[size.id];
  return {
    id: size.id,
    vcpu_count: size.vcpus,
    ram: size.memoryGiB * 1024,
    disk: size.diskGiB,
    disk_count: 1,
    bandwidth: facts?.bandwidth ?? 1024,
    monthly_cost: facts?.monthly ?? Math.round(size.hourly * 672),
    hourly_cost: size.hourly,
    type: facts?.type ?? size.id.split('-')[0],
    locations: [...locations],
  };
}

/** A region as `/regions` lists it. */
export function regionJson(id: string): Record<string, unknown> {
  const region = VULTR_FAKE_REGIONS.find((each) => each.id === id);
  if (!region) throw new Error(`no region facts for ${id}`);
  return { ...region, options: [...region.options] };
}

/** An opaque cursor for an offset (Vultr's are "encoded alphanumeric strings"). */
export function cursorFor(offset: number): string {
  return Buffer.from(`vultr-fake-offset:${offset}`).toString('base64url');
}

function offsetOf(cursor: string): number | undefined {
  const match = /^vultr-fake-offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

/**
 * One page of `items` under `field`, with `meta.total` and `meta.links` cursors, as every Vultr
 * list answers (`per_page` default 100, at most 500).
 */
export function cursorPage(request: RecordedRequest, field: string, items: readonly unknown[]): FakeResponse {
  const perPage = Number(request.query.get('per_page') ?? '100');
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 500) return vultrError(400, 'Invalid per_page: must be between 1 and 500');
  const cursor = request.query.get('cursor');
  const offset = cursor === null || cursor === '' ? 0 : offsetOf(cursor);
  if (offset === undefined) return vultrError(400, 'Invalid cursor');
  const next = offset + perPage < items.length ? cursorFor(offset + perPage) : '';
  const prev = offset > 0 ? cursorFor(Math.max(0, offset - perPage)) : '';
  return answer(200, { [field]: items.slice(offset, offset + perPage), meta: { total: items.length, links: { next, prev } } });
}
