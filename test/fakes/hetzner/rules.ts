/**
 * Rules of Hetzner's API that the fake applies on top of the OpenAPI document: the pagination
 * parameters the document leaves out of each operation, label selectors, key fingerprints.
 */
import { createHash } from 'node:crypto';
import type { RecordedRequest } from '../http-server.js';
import type { OpenApiValidator } from '../openapi.js';

/** Most items per page. */
export const MAX_PER_PAGE = 50;

/**
 * Hetzner documents `page` and `per_page` once, for every list endpoint, in the API's
 * "Pagination" section; the OpenAPI document leaves them out of each operation. The validator
 * checks requests without them; the fake checks them itself ({@link checkPaging}).
 */
export function withPaginationErratum(validator: OpenApiValidator): OpenApiValidator {
  return {
    ...validator,
    validate(request) {
      const query = new URLSearchParams(request.query);
      const paged = request.method === 'GET' && (query.has('page') || query.has('per_page'));
      query.delete('page');
      query.delete('per_page');
      return validator.validate(paged ? { ...request, query } : request);
    },
  };
}

/** The paging parameter that is malformed, if any. */
export function checkPaging(request: RecordedRequest): string | undefined {
  const page = request.query.get('page');
  if (page !== null && !/^[1-9]\d*$/.test(page)) return 'page';
  const perPage = request.query.get('per_page');
  if (perPage !== null && (!/^[1-9]\d*$/.test(perPage) || Number(perPage) > MAX_PER_PAGE)) return 'per_page';
  return undefined;
}

/** The MD5 fingerprint Hetzner shows for an OpenSSH public key, or `undefined` when it is not one. */
export function md5Fingerprint(publicKey: string): string | undefined {
  const blob = publicKey.trim().split(/\s+/)[1];
  if (!blob || !/^[A-Za-z0-9+/]+={0,3}$/.test(blob)) return undefined;
  const hex = createHash('md5').update(Buffer.from(blob, 'base64')).digest('hex');
  return hex.match(/../g)?.join(':');
}

/**
 * Hetzner's label selector: comma-separated `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`,
 * `k notin (a,b)`. Returns a matcher, or `undefined` when the selector is malformed.
 */
export function parseLabelSelector(selector: string): ((labels: Readonly<Record<string, string>>) => boolean) | undefined {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      terms.push(current.trim());
      current = '';
    } else current += char;
  }
  terms.push(current.trim());
  const tests: ((labels: Readonly<Record<string, string>>) => boolean)[] = [];
  for (const term of terms) {
    let match: RegExpExecArray | null;
    if ((match = /^([^=!\s]+)\s*(==|=|!=)\s*([^=!\s]*)$/.exec(term))) {
      const [, key = '', operator, value = ''] = match;
      tests.push(operator === '!=' ? (labels) => labels[key] !== value : (labels) => labels[key] === value);
    } else if ((match = /^([^=!\s]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term))) {
      const [, key = '', operator, list = ''] = match;
      const values = list.split(',').map((each) => each.trim());
      tests.push(
        operator === 'in' ? (labels) => values.includes(labels[key] ?? '\u0000') : (labels) => !values.includes(labels[key] ?? '\u0000'),
      );
    } else if ((match = /^!([^=!\s]+)$/.exec(term))) {
      const key = match[1] ?? '';
      tests.push((labels) => !(key in labels));
    } else if ((match = /^([^=!\s]+)$/.exec(term))) {
      const key = match[1] ?? '';
      tests.push((labels) => key in labels);
    } else return undefined;
  }
  return (labels) => tests.every((test) => test(labels));
}
