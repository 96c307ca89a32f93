/**
 * Hetzner labels: polycloud tags are Hetzner labels, which have stricter rules than tags
 * elsewhere. The rules are checked before any request, and tag queries become label selectors.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { invalid, type CheckContext } from '../../src/kit.js';

/**
 * The label polycloud puts on every server it creates, holding a digest of the create's
 * idempotency key: Hetzner takes no idempotency token, so a repeated create looks for it first.
 */
export const IDEMPOTENCY_LABEL = 'polycloud/idempotency-key';

const NAME = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$/;

/** Whether `key` is a valid Hetzner label key: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
export function isValidLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash === -1) return NAME.test(key);
  const prefix = key.slice(0, slash);
  return PREFIX.test(prefix) && NAME.test(key.slice(slash + 1));
}

/** Whether `value` is a valid Hetzner label value: empty, or at most 63 characters starting and ending alphanumeric. */
export function isValidLabelValue(value: string): boolean {
  return VALUE.test(value);
}

/** Checks tags against Hetzner's label rules; throws `InvalidRequestError` naming the tag. */
export function checkLabels(context: CheckContext, field: string, tags: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(tags)) {
    if (!isValidLabelKey(key)) {
      invalid(
        context,
        `${field}.${key}`,
        "a Hetzner label key: an optional DNS-subdomain prefix and '/', then 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
        key,
      );
    }
    if (key.startsWith('hetzner.cloud/') || key === IDEMPOTENCY_LABEL) {
      invalid(
        context,
        `${field}.${key}`,
        `a label key outside the reserved "hetzner.cloud/" prefix and other than "${IDEMPOTENCY_LABEL}"`,
        key,
      );
    }
    if (!isValidLabelValue(value)) {
      invalid(
        context,
        `${field}.${key}`,
        "a Hetzner label value: empty, or 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
        value,
      );
    }
  }
}

/** The label value standing for an idempotency key (a digest: keys may hold characters labels may not). */
export function idempotencyLabelValue(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 40);
}

/**
 * A `label_selector` requiring every tag, or `undefined` when there is none to push down. Tags
 * that no label could match (invalid keys or values, empty values) are left to the core's filter.
 */
export function labelSelector(tags: Readonly<Record<string, string>> | undefined): string | undefined {
  const terms = Object.entries(tags ?? {})
    .filter(([key, value]) => value !== '' && isValidLabelKey(key) && isValidLabelValue(value))
    .map(([key, value]) => `${key}=${value}`);
  return terms.length > 0 ? terms.join(',') : undefined;
}
