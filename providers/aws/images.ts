/**
 * Official base images on EC2: which owner publishes each OS family, and what its AMI names look
 * like, so `listImages` asks EC2 for exactly those images (owner + name filters) and never lists
 * every public AMI.
 *
 * @module
 */
import type { Arch } from '../../src/kit.js';

/** What an official AMI name says. */
export interface ParsedImageName {
  readonly version: string;
  readonly arch: Arch;
  /** The publisher's build serial, e.g. `20250610` or `20250530-2128`. */
  readonly build: string;
}

/** An OS family polycloud finds official AMIs for. */
export interface ImageFamily {
  /** Lower-case family, as in `ImageQuery.os`. */
  readonly family: string;
  /** The AWS account that publishes the official images. */
  readonly owner: string;
  /** Versions looked for when the query names none: the ones the publisher still supports. */
  readonly currentVersions: readonly string[];
  /** The AMI name filter (EC2 wildcards `*`, `?`) for one version and architecture. */
  namePattern(version: string, arch: Arch): string;
  /**
   * Reads version, architecture and build serial (sortable: newer builds sort later) back from an
   * AMI name; `undefined` for names that are not base images.
   */
  parseName(name: string): ParsedImageName | undefined;
}

/** Canonical's account for Ubuntu AMIs. */
export const CANONICAL_OWNER = '099720109477';
/** Debian's account for Debian AMIs. */
export const DEBIAN_OWNER = '136693071363';

const ARCH_IN_NAME: Readonly<Record<Arch, string>> = { x86_64: 'amd64', arm64: 'arm64' };
const archFromName = (word: string | undefined): Arch | undefined => (word === 'amd64' ? 'x86_64' : word === 'arm64' ? 'arm64' : undefined);

/** The families, by `ImageQuery.os`. */
export const IMAGE_FAMILIES: Readonly<Record<string, ImageFamily>> = {
  ubuntu: {
    family: 'ubuntu',
    owner: CANONICAL_OWNER,
    currentVersions: ['24.04', '22.04', '20.04'],
    // e.g. ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250115
    namePattern: (version, arch) => `ubuntu/images/hvm-ssd*/ubuntu-*-${version}-${ARCH_IN_NAME[arch]}-server-*`,
    parseName(name) {
      const match = /^ubuntu\/images\/hvm-ssd[^/]*\/ubuntu-[a-z]+-(\d+\.\d+)-(amd64|arm64)-server-(\d+(?:\.\d+)?)$/.exec(name);
      const arch = archFromName(match?.[2]);
      return match?.[1] && match[3] && arch ? { version: match[1], arch, build: match[3] } : undefined;
    },
  },
  debian: {
    family: 'debian',
    owner: DEBIAN_OWNER,
    currentVersions: ['13', '12', '11'],
    // e.g. debian-12-amd64-20250112-1990 (the backports and daily images have other names)
    namePattern: (version, arch) => `debian-${version}-${ARCH_IN_NAME[arch]}-*`,
    parseName(name) {
      const match = /^debian-(\d+)-(amd64|arm64)-(\d{8}-\d+)$/.exec(name);
      const arch = archFromName(match?.[2]);
      return match?.[1] && match[3] && arch ? { version: match[1], arch, build: match[3] } : undefined;
    },
  },
};

/** The owners and name patterns to ask EC2 for, for one image query. Empty when no family matches. */
export function imageSearch(query: { readonly os?: string; readonly version?: string; readonly arch?: Arch }): {
  readonly owners: readonly string[];
  readonly names: readonly string[];
  readonly families: readonly ImageFamily[];
} {
  // Versions are digits and dots; anything else (e.g. an EC2 wildcard) can match no official image.
  if (query.version !== undefined && !/^\d+(\.\d+)*$/.test(query.version)) return { owners: [], names: [], families: [] };
  const families =
    query.os === undefined ? Object.values(IMAGE_FAMILIES) : [IMAGE_FAMILIES[query.os.toLowerCase()]].filter((each) => each !== undefined);
  const arches: readonly Arch[] = query.arch ? [query.arch] : ['x86_64', 'arm64'];
  const names = families.flatMap((family) =>
    (query.version ? [query.version] : family.currentVersions).flatMap((version) =>
      arches.map((arch) => family.namePattern(version, arch)),
    ),
  );
  return { owners: [...new Set(families.map((family) => family.owner))], names, families };
}
