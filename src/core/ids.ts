/**
 * Id patterns: what a provider's own ids look like, declared by each driver in
 * `DriverImplementation.idPatterns` and checked by the core before any request; and URL
 * encoding of every id that goes into a request path.
 *
 * @module
 */

/** What ids of one kind look like, with a description for error messages. */
export interface IdPattern {
  /** Anchored (`^…$`), neither global nor sticky; an id is accepted when `pattern.test(id)` is true. */
  readonly pattern: RegExp;
  /** Completes "an id of …", e.g. `digits, such as 12345`. */
  readonly description: string;
}

/** Kinds of id a driver can declare a pattern for. */
export type IdKind = 'node' | 'image' | 'size' | 'location';

/** A driver's id patterns by kind; an undeclared kind keeps {@link DEFAULT_ID_PATTERN}. */
export type IdPatterns = Readonly<Partial<Record<IdKind, IdPattern>>>;

/** What an id must look like by default: no path separators, no URL metacharacters, no spaces. */
export const DEFAULT_ID_PATTERN: IdPattern = {
  pattern: /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,254}$/,
  description: "1-255 letters, digits, '.', '_', ':', '@' or '-', starting with a letter or digit",
};

/** Builds an {@link IdPattern}; the regular expression must be anchored (`^…$`). */
export function idPattern(pattern: RegExp, description: string): IdPattern {
  if (!pattern.source.startsWith('^') || !pattern.source.endsWith('$')) {
    throw new TypeError(`an id pattern must be anchored with ^ and $, got /${pattern.source}/`);
  }
  if (pattern.global || pattern.sticky) throw new TypeError('an id pattern must not be global or sticky (test() would keep state)');
  return Object.freeze({ pattern, description });
}

/** Positive decimal integers, as DigitalOcean, Hetzner and Linode number their servers. */
export const NUMERIC_ID: IdPattern = idPattern(/^[1-9][0-9]{0,18}$/, 'digits, such as 12345');

/** RFC 4122 UUIDs in their usual lower- or upper-case text form. */
export const UUID_ID: IdPattern = idPattern(
  /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/,
  'a UUID such as 123e4567-e89b-12d3-a456-426614174000',
);

/**
 * Ids made of path segments, e.g. `linode/ubuntu24.04` or
 * `projects/debian-cloud/global/images/family/debian-12`: `1`-`maxSegments` segments of letters,
 * digits, `.`, `_`, `:`, `@` and `-` joined by `/`, never `.` or `..` alone, never empty.
 */
export function pathIdPattern(maxSegments: number, description: string): IdPattern {
  const segment = '(?!\\.\\.?(?:/|$))[A-Za-z0-9._:@-]{1,255}';
  return idPattern(new RegExp(`^${segment}(?:/${segment}){0,${Math.max(0, maxSegments - 1)}}$`), description);
}

/**
 * A request path with every interpolated value URL-encoded as one segment:
 * ``encodedPath`/v2/droplets/${id}/actions` `` — an id holding `/`, `?` or `#` cannot change
 * which resource is addressed.
 */
export function encodedPath(strings: TemplateStringsArray, ...segments: readonly (string | number)[]): string {
  return strings.reduce(
    (path, text, index) => path + text + (index < segments.length ? encodeURIComponent(String(segments[index])) : ''),
    '',
  );
}
