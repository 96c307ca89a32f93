/**
 * Merging a driver's defaults with what the caller gave, so that an option passed explicitly as
 * `undefined` (common when options are built from a config file or an environment variable)
 * keeps the default instead of erasing it.
 *
 * @module
 */

/**
 * `{ ...defaults, ...given }`, except that a property `given` holds as `undefined` does not
 * replace the default. Later sources win over earlier ones. Shallow: nested objects are taken as
 * a whole.
 *
 * ```ts
 * mergeDefaults({ requestTimeoutMs: 30_000 }, { requestTimeoutMs: undefined }); // { requestTimeoutMs: 30000 }
 * ```
 */
export function mergeDefaults<Given extends object, Defaults extends Partial<Given> = Partial<Given>>(
  defaults: Defaults,
  ...given: readonly (Given | undefined)[]
): WithDefaults<Given, Defaults> {
  const merged: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const source of given) {
    if (source === undefined || source === null) continue;
    for (const [key, value] of Object.entries(source)) if (value !== undefined) merged[key] = value;
  }
  return merged as WithDefaults<Given, Defaults>;
}

/** Options after {@link mergeDefaults}: every option that has a default is present (never `undefined`). */
export type WithDefaults<Given, Defaults> = Omit<Given, keyof Defaults> & {
  readonly [K in keyof Defaults & keyof Given]-?: Exclude<Given[K], undefined>;
};
