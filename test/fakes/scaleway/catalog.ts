/**
 * What the Scaleway fake serves: server types and marketplace images as recorded from the real API
 * (`reference/`, see `reference/SOURCE.md`), local images per zone and architecture, and the
 * server object template of a real create answer.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'reference');
const read = <T>(file: string): T => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as T;

/** A server type as `/products/servers` sends it. */
export type FakeServerType = Record<string, unknown> & { arch: string; ncpus: number; ram: number; hourly_price?: number | null };

/** The recorded server types (fr-par-1), keyed by name. */
export const SERVER_TYPES: Readonly<Record<string, FakeServerType>> = read<{ servers: Record<string, FakeServerType> }>(
  'server-types.json',
).servers;

/** The recorded marketplace images (labels, names, categories). */
export const MARKETPLACE_IMAGES: readonly Record<string, unknown>[] = read<{ images: Record<string, unknown>[] }>(
  'marketplace-images.json',
).images;

/** Server types each architecture's local images are compatible with (recorded for `ubuntu_jammy`). */
const COMPATIBLE = read<{ x86_64: string[]; arm64: string[] }>('compat.json');

/** The server object of a recorded create answer: the shape every fake server starts from. */
export const SERVER_TEMPLATE: Readonly<Record<string, unknown>> = read<Record<string, unknown>>('server.json');

/** Every zone the fake serves (scaleway-cli `instance.md`). */
export const FAKE_ZONES = [
  'fr-par-1',
  'fr-par-2',
  'fr-par-3',
  'nl-ams-1',
  'nl-ams-2',
  'nl-ams-3',
  'pl-waw-1',
  'pl-waw-2',
  'pl-waw-3',
  'it-mil-1',
];

/** A stable UUID for a name: the same local image id on every run. */
export function stableUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A local image as `/marketplace/v2/local-images` sends it. */
export interface FakeLocalImage {
  readonly id: string;
  readonly arch: string;
  readonly zone: string;
  readonly label: string;
  readonly type: string;
  readonly compatible_commercial_types: readonly string[];
}

/** Labels with a local image per architecture in every zone (Rocky Linux has no arm64 build). */
const LOCAL_LABELS: Readonly<Record<string, readonly string[]>> = {
  ubuntu_noble: ['x86_64', 'arm64'],
  ubuntu_jammy: ['x86_64', 'arm64'],
  debian_bookworm: ['x86_64', 'arm64'],
  rockylinux_9: ['x86_64'],
};

/** The local images of every zone. */
export const LOCAL_IMAGES: readonly FakeLocalImage[] = FAKE_ZONES.flatMap((zone) =>
  Object.entries(LOCAL_LABELS).flatMap(([label, arches]) =>
    arches.map((arch) => ({
      id: stableUuid(`${label}/${arch}/${zone}`),
      arch,
      zone,
      label,
      type: 'instance_sbs',
      compatible_commercial_types: arch === 'arm64' ? COMPATIBLE.arm64 : COMPATIBLE.x86_64,
    })),
  ),
);
