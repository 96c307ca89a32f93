/**
 * Each target provider's rules for tags and names, as a migration needs them: a tag the target
 * would refuse is respelled (or, when it cannot be, dropped) at plan time, with the change
 * reported in the step — so a create never fails on a tag the plan said was fine. The rules
 * mirror the checks each driver runs before a create (`providers/<name>/`), loosely enough
 * never to produce what a driver refuses.
 *
 * @module
 */
import { DEFAULT_LIMITS } from '../core/validate.js';
import type { ProviderName } from '../core/types.js';

/** One tag respelled or dropped for the target, and why. */
export interface TagChange {
  /** The tag's key as the source (or the migration) has it. */
  readonly key: string;
  /** The tag's value as the source (or the migration) has it. */
  readonly value: string;
  /** The tag as the target gets it; absent when the tag was dropped. */
  readonly to?: {
    /** The key, respelled to the target's rules. */
    readonly key: string;
    /** The value, respelled to the target's rules. */
    readonly value: string;
  };
  /** Why, in words, e.g. `Compute label keys are lower-case`. */
  readonly reason: string;
}

/** How a provider wants tags and names. */
interface TargetRules {
  /** Most tags a node may carry (the driver's own idempotency tag already deducted). */
  readonly maxTags: number;
  /** The key as the provider takes it, or `undefined` when no spelling can work. */
  key(key: string): string | undefined;
  /** The value as the provider takes it, given the (respelled) key. */
  value(value: string, key: string): string | undefined;
  /** Why keys or values are respelled, for the report. */
  readonly why: string;
  /** The node name as the provider takes it. */
  name(name: string): string;
  /** Longest name. */
  readonly maxNameLength: number;
}

/** `text` without leading and trailing characters outside the class `allowed` (e.g. `A-Za-z0-9`). */
const trimEnds = (text: string, allowed: string) => text.replace(new RegExp(`^[^${allowed}]+|[^${allowed}]+$`, 'g'), '');

/** A DNS-label-like name: letters, digits and `-` (and `.` where `dots`), alphanumeric at both ends. */
function hostname(name: string, max: number, lower: boolean, dots: boolean): string {
  const cased = lower ? name.toLowerCase() : name;
  const cleaned = trimEnds(cased.replace(dots ? /[^A-Za-z0-9.-]+/g : /[^A-Za-z0-9-]+/g, '-').slice(0, max), 'A-Za-z0-9');
  return cleaned || 'migrated-node';
}

const GENERIC: TargetRules = {
  maxTags: DEFAULT_LIMITS.maxTags,
  key: (key) => (key === '' ? undefined : key.slice(0, DEFAULT_LIMITS.maxTagKeyLength)),
  value: (value) => value.slice(0, DEFAULT_LIMITS.maxTagValueLength),
  why: `tags are at most ${DEFAULT_LIMITS.maxTagKeyLength}/${DEFAULT_LIMITS.maxTagValueLength} characters`,
  name: (name) => hostname(name, DEFAULT_LIMITS.maxNameLength, false, true),
  maxNameLength: DEFAULT_LIMITS.maxNameLength,
};

const RULES: Readonly<Record<ProviderName, TargetRules>> = {
  local: GENERIC,
  aws: {
    maxTags: 50,
    // `aws:` is reserved for AWS's own tags.
    key: (key) => (key === '' ? undefined : (/^aws:/i.test(key) ? `x-${key}` : key).slice(0, 128)),
    value: (value) => value.slice(0, 256),
    why: 'EC2 reserves the "aws:" prefix and takes keys of 128 and values of 256 characters',
    name: (name) => name.slice(0, 255) || 'migrated-node',
    maxNameLength: 255,
  },
  gce: {
    maxTags: 64,
    key: (key) => {
      const cleaned = key
        .toLowerCase()
        .replace(/[^a-z0-9_-]/g, '_')
        .slice(0, 63);
      if (cleaned === '') return undefined;
      const lettered = /^[a-z]/.test(cleaned) ? cleaned : `t${cleaned}`.slice(0, 63);
      return lettered.startsWith('goog') ? `x${lettered}`.slice(0, 63) : lettered;
    },
    value: (value) =>
      value
        .toLowerCase()
        .replace(/[^a-z0-9_-]/g, '_')
        .slice(0, 63),
    why: "Compute labels are lower-case letters, digits, '_' and '-' (keys start with a letter), at most 63 characters",
    name: (name) => {
      const cleaned = hostname(name, 63, true, false);
      return /^[a-z]/.test(cleaned) ? cleaned : `n-${cleaned}`.slice(0, 63);
    },
    maxNameLength: 63,
  },
  hetzner: {
    maxTags: 63,
    key: (key) => {
      const cleaned = trimEnds(key.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 63), 'A-Za-z0-9');
      return cleaned === '' ? undefined : cleaned;
    },
    value: (value) => trimEnds(value.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 63), 'A-Za-z0-9'),
    why: "Hetzner labels are letters, digits, '-', '_' and '.', alphanumeric at both ends, at most 63 characters",
    name: (name) => hostname(name, 63, false, true),
    maxNameLength: 63,
  },
  digitalocean: {
    maxTags: 49,
    key: (key) => {
      const cleaned = key.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 128);
      return cleaned === '' ? undefined : cleaned;
    },
    value: (value) => value.replace(/[^A-Za-z0-9_:-]+/g, '-').slice(0, 126),
    why: "DigitalOcean tags are \"key:value\" strings of letters, digits, '_', ':' and '-'",
    name: (name) => hostname(name, 255, false, true),
    maxNameLength: 255,
  },
  linode: {
    maxTags: 49,
    key: (key) => {
      const cleaned = key.replace(/:/g, '-').slice(0, 40);
      return cleaned === '' || cleaned === 'polycloud-idem' ? undefined : cleaned;
    },
    // "key:value" must be 3-50 characters.
    value: (value, key) => {
      const fitted = value.slice(0, Math.max(0, 50 - key.length - 1));
      return `${key}:${fitted}`.length < 3 ? fitted.padEnd(3 - key.length - 1, '-') : fitted;
    },
    why: 'Linode tags are "key:value" strings of 3-50 characters, without ":" in the key',
    name: (name) => {
      const cleaned = hostname(name.replace(/\./g, '-'), 64, false, false).replace(/--+/g, '-');
      return cleaned.length >= 3 ? cleaned : cleaned.padEnd(3, '0');
    },
    maxNameLength: 64,
  },
  vultr: {
    maxTags: 49,
    // Vultr tags are free strings, stored as "key:value": a key holds no ":" (`providers/vultr/tags.ts`).
    key: (key) => {
      const cleaned = key.replace(/:/g, '-').slice(0, DEFAULT_LIMITS.maxTagKeyLength);
      return cleaned === '' || cleaned === 'polycloud-idem' || cleaned.startsWith('polycloud-key') ? undefined : cleaned;
    },
    value: (value) => value.slice(0, DEFAULT_LIMITS.maxTagValueLength),
    why: 'Vultr tags are "key:value" strings, without ":" in the key',
    name: (name) => hostname(name, DEFAULT_LIMITS.maxNameLength, false, true),
    maxNameLength: DEFAULT_LIMITS.maxNameLength,
  },
};

/** The rules for a provider (a provider polycloud does not know gets the core's generic limits). */
function rulesOf(provider: ProviderName | string): TargetRules {
  return RULES[provider as ProviderName] ?? GENERIC;
}

/**
 * `tags` spelled as `provider` takes them, and every change made. Keys that collide after
 * respelling get `-2`, `-3`…; tags beyond the provider's count are dropped, the `required` keys
 * (the migration's own tags) last of all.
 */
export function translateTags(
  provider: ProviderName | string,
  tags: Readonly<Record<string, string>>,
  required: readonly string[] = [],
): {
  /** The tags as `provider` takes them. */
  tags: Record<string, string>;
  /** Every tag respelled or dropped, with the reason; empty when all were taken as they are. */
  changes: TagChange[];
} {
  const rules = rulesOf(provider);
  const out: Record<string, string> = {};
  const changes: TagChange[] = [];
  // The migration's own tags first, so they are never the ones dropped for the count.
  const ordered = [...required.filter((key) => key in tags), ...Object.keys(tags).filter((key) => !required.includes(key))];
  for (const key of ordered) {
    const value = tags[key] ?? '';
    if (Object.keys(out).length >= rules.maxTags) {
      changes.push({ key, value, reason: `${provider} takes at most ${rules.maxTags} tags on a node` });
      continue;
    }
    let toKey = rules.key(key);
    if (toKey === undefined) {
      changes.push({ key, value, reason: `no spelling of this key is valid: ${rules.why}` });
      continue;
    }
    for (let suffix = 2; toKey in out; suffix += 1) toKey = `${rules.key(key)?.slice(0, 60)}-${suffix}`;
    const toValue = rules.value(value, toKey);
    if (toValue === undefined) {
      changes.push({ key, value, reason: `no spelling of this value is valid: ${rules.why}` });
      continue;
    }
    out[toKey] = toValue;
    if (toKey !== key || toValue !== value) changes.push({ key, value, to: { key: toKey, value: toValue }, reason: rules.why });
  }
  return { tags: out, changes };
}

/** Whether `provider` takes this tag exactly as it is. */
export function acceptsTag(provider: ProviderName | string, key: string, value: string): boolean {
  const rules = rulesOf(provider);
  const toKey = rules.key(key);
  return toKey === key && rules.value(value, key) === value;
}

/** The node name as `provider` takes it (the source's name when it is already valid there). */
export function targetName(provider: ProviderName | string, name: string): string {
  return rulesOf(provider).name(name);
}

/**
 * The name to use when `name` is taken on the target by a node that is not this migration's: the
 * name with `-` and the first six characters of the migration key, fitted to the provider's length.
 */
export function suffixedName(provider: ProviderName | string, name: string, key: string): string {
  const rules = rulesOf(provider);
  const suffix = `-${key
    .replace(/[^a-z0-9]/gi, '')
    .slice(0, 6)
    .toLowerCase()}`;
  return rules.name(`${name.slice(0, rules.maxNameLength - suffix.length)}${suffix}`);
}
