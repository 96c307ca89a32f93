/**
 * Pure mappers from Vultr API objects to polycloud's types: instance states, units (RAM MB →
 * GiB), plan prices, regions and operating systems.
 *
 * @module
 */
import type { Arch, Continent, Image, Location, Node, NodeState, Price, Size } from '../../src/kit.js';
import type { VultrInstance, VultrOs, VultrPlan, VultrRegion } from './api.js';
import { regionFacts } from './regions.js';
import { fromVultrTags } from './tags.js';

/**
 * An instance's state from its three status fields. Vultr has no action objects: a start, halt or
 * reboot answers 204 at once and the fields move on their own. `active` + `running` is only
 * `running` once the server reports itself `ok`; before that it is still booting.
 */
export function mapInstanceState(instance: Pick<VultrInstance, 'status' | 'power_status' | 'server_status'>): NodeState {
  switch (instance.status) {
    case 'pending':
    case 'resizing':
      return 'pending';
    // Suspended for billing: the instance is off and cannot be started by the user.
    case 'suspended':
      return 'stopped';
    case 'active':
      if (instance.power_status === 'stopped') return 'stopped';
      if (instance.power_status !== 'running') return 'unknown';
      return instance.server_status === 'ok' ? 'running' : 'pending';
    default:
      return 'unknown';
  }
}

/** A plan's price from the API: both figures or none (an unknown price is `null`, never `0`). */
export function mapPlanPrice(plan: Pick<VultrPlan, 'monthly_cost' | 'hourly_cost'> | undefined, asOf: string): Price | null {
  const monthly = plan?.monthly_cost;
  const hourly = plan?.hourly_cost;
  if (typeof monthly !== 'number' || typeof hourly !== 'number' || !(monthly > 0) || !(hourly > 0)) return null;
  return { hourly, monthly, currency: 'USD', source: 'provider-api', asOf };
}

/** Plan types whose vCPUs are shared (Cloud Compute, High Frequency, High Performance). */
const SHARED_CORE_TYPES = new Set(['vc2', 'vhf', 'vhp']);

/** A plan as a size; `location` narrows `priceLocation` (Vultr prices a plan the same everywhere). */
export function mapPlan(plan: VultrPlan, asOf: string, location?: string): Size {
  const type = plan.type ?? plan.id.split('-')[0] ?? '';
  return {
    id: plan.id,
    name: plan.id,
    provider: 'vultr',
    vcpus: plan.vcpu_count,
    memoryGiB: plan.ram / 1024,
    diskGiB: plan.disk * (plan.disk_count ?? 1),
    arch: 'x86_64',
    ...(SHARED_CORE_TYPES.has(type) ? { sharedCore: true } : {}),
    price: mapPlanPrice(plan, asOf),
    ...(location ? { priceLocation: location } : {}),
    locations: [...plan.locations],
  };
}

const CONTINENTS: readonly Continent[] = ['Africa', 'Asia', 'Europe', 'North America', 'Oceania', 'South America', 'Antarctica'];

/** A region as a location: polycloud's facts table first, else what the API says (`ZZ` for a country that is not a code). */
export function mapRegion(region: VultrRegion): Location {
  const facts = regionFacts(region.id);
  const continent = facts?.continent ?? CONTINENTS.find((each) => each === region.continent);
  return {
    id: region.id,
    name: facts?.city ?? region.city,
    provider: 'vultr',
    kind: 'region',
    region: region.id,
    country: facts?.country ?? (/^[A-Z]{2}$/.test(region.country) ? region.country : 'ZZ'),
    city: facts?.city ?? region.city,
    ...(continent ? { continent } : {}),
  };
}

/** OS families that are not operating systems to boot from (ISOs, snapshots, backups, marketplace apps). */
const NOT_AN_OS = new Set(['iso', 'snapshot', 'backup', 'application']);

function osArch(arch: string): Arch | undefined {
  if (/^(x64|x86_64|amd64)$/i.test(arch)) return 'x86_64';
  if (/^(arm64|aarch64)$/i.test(arch)) return 'arm64';
  return undefined;
}

/** An operating system as an image; `undefined` for entries that are not one (ISO, snapshot, app). */
export function mapOs(os: VultrOs): Image | undefined {
  if (NOT_AN_OS.has(os.family)) return undefined;
  // "Ubuntu 24.04 LTS x64" → 24.04; "Debian 12 x64 (bookworm)" → 12; "Windows 2022 Standard x64" → 2022.
  const version = /\b(\d+(?:\.\d+)*)\b/.exec(os.name.replace(/\bx64\b|\bi386\b|\barm64\b/gi, ''))?.[1];
  const arch = osArch(os.arch);
  return {
    id: String(os.id),
    name: os.name,
    provider: 'vultr',
    ...(version ? { os: { family: os.family.toLowerCase(), version } } : {}),
    ...(arch ? { arch } : {}),
  };
}

/** Fields of an instance never kept in `Node.raw`: the root password and the console link. */
export function withoutSecrets(instance: VultrInstance): VultrInstance {
  const { default_password: _password, kvm: _console, ...rest } = instance;
  return rest;
}

function address(ip: string | undefined): string[] {
  return ip && ip !== '0.0.0.0' && ip !== '::' ? [ip] : [];
}

/** An instance as a node, priced from its plan when the plan is known. */
export function mapInstance(instance: VultrInstance, plan: VultrPlan | undefined, asOf: string, country?: string): Node<VultrInstance> {
  const created = instance.date_created ? new Date(instance.date_created) : null;
  return {
    id: instance.id,
    name: instance.label,
    provider: 'vultr',
    state: mapInstanceState(instance),
    rawState: `${instance.status}/${instance.power_status}/${instance.server_status}`,
    location: { id: instance.region, region: instance.region, country: regionFacts(instance.region)?.country ?? country ?? null },
    sizeId: instance.plan ?? null,
    imageId: instance.os_id ? String(instance.os_id) : null,
    publicIps: [...address(instance.main_ip), ...address(instance.v6_main_ip)],
    privateIps: address(instance.internal_ip),
    tags: fromVultrTags(instance.tags ?? []),
    createdAt: created && !Number.isNaN(created.getTime()) ? created : null,
    price: mapPlanPrice(plan, asOf),
    raw: withoutSecrets(instance),
  };
}
