/**
 * Rules of Linode's API that the fake applies beside the OpenAPI document: the label pattern as
 * Linode enforces it (the document's copy is broken) and `X-Filter` filtering.
 */
import type { OpenApiValidator } from '../openapi.js';

/** Fields of an instance that `X-Filter` may name. */
const FILTERABLE = new Set(['id', 'label', 'region', 'tags', 'image', 'group', 'type']);

/** The label rule as Linode enforces it; the document's pattern lost the escapes of `\.\.`. */
export const LABEL_PATTERN = /^[a-zA-Z]((?!--|__|\.\.)[a-zA-Z0-9-_.])+$/;

/** The validator's complaint about the broken label pattern, with the JSON pointer it names. */
const LABEL_PATTERN_PROBLEM = /: (\/[^ ]*)?\/label must match pattern "\^\[a-zA-Z\]\(\(\?!--\|__\|\.\.\)/;

/** The value at a JSON pointer such as `/data/0/label` or `/requestBody/label`. */
function valueAt(body: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .filter(Boolean)
    .reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), body);
}

/**
 * Linode's document (4.151.1) writes the instance label pattern as
 * `^[a-zA-Z]((?!--|__|..)[a-zA-Z0-9-_.])+$`: with `..` unescaped, no label of 3 or more
 * characters matches, though the same document's description (and the API) accept
 * `my-linode-1`. The validator's complaint about that one pattern, in requests and answers, is
 * replaced by a check against the intended pattern; every other problem stands.
 */
export function withLabelPatternErratum(validator: OpenApiValidator): OpenApiValidator {
  const keep = (problems: string[], body: unknown, prefix: string) =>
    problems.filter((problem) => {
      const match = LABEL_PATTERN_PROBLEM.exec(problem);
      if (!match) return true;
      const label = valueAt(body, `${match[1] ?? ''}/label`.replace(new RegExp(`^${prefix}`), ''));
      return !(typeof label === 'string' && LABEL_PATTERN.test(label));
    });
  return {
    ...validator,
    validate(request) {
      let body: unknown;
      try {
        body = JSON.parse(request.body || '{}');
      } catch {
        return validator.validate(request);
      }
      return keep(validator.validate(request), body, '/requestBody');
    },
    validateResponse(request, status, body) {
      return keep(validator.validateResponse(request, status, body), body, '');
    },
  };
}

/**
 * Linode's `X-Filter`: an object of `field: value` (all must match; an array field matches when it
 * holds the value), with `+and` / `+or` lists. Returns a matcher, or the reason the filter is
 * refused.
 */
export function parseFilter(header: string): ((instance: Record<string, unknown>) => boolean) | string {
  let filter: unknown;
  try {
    filter = JSON.parse(header);
  } catch {
    return 'The X-Filter header is not valid JSON';
  }
  const build = (node: unknown): ((instance: Record<string, unknown>) => boolean) | string => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return 'The X-Filter must be an object';
    const tests: ((instance: Record<string, unknown>) => boolean)[] = [];
    for (const [key, value] of Object.entries(node)) {
      if (key === '+order_by' || key === '+order') continue;
      if (key === '+and' || key === '+or') {
        if (!Array.isArray(value)) return `${key} must be a list`;
        const parts = value.map(build);
        const failed = parts.find((part) => typeof part === 'string');
        if (failed !== undefined) return failed as string;
        const matchers = parts as ((instance: Record<string, unknown>) => boolean)[];
        tests.push(
          key === '+and' ? (instance) => matchers.every((each) => each(instance)) : (instance) => matchers.some((each) => each(instance)),
        );
        continue;
      }
      if (!FILTERABLE.has(key)) return `Cannot filter on ${key}`;
      if (typeof value !== 'string' && typeof value !== 'number') return `Invalid filter value for ${key}`;
      tests.push((instance) => {
        const actual = instance[key];
        return Array.isArray(actual) ? actual.includes(value) : actual === value;
      });
    }
    return (instance) => tests.every((test) => test(instance));
  };
  return build(filter);
}
