/**
 * Checks every request the Scaleway fake receives against the endpoint/field indexes derived from
 * Scaleway's official SDK (`reference/*.json`, see `reference/SOURCE.md`), the way
 * `test/fakes/openapi.ts` checks the other fakes against their OpenAPI documents: the operation
 * (method + path template) must exist, query parameters must be ones it takes (at most one of a
 * `queryOneOf` group), body fields must be ones its request marshaller writes, required fields must
 * be there, enum values must be allowed, and the secret key must come in `X-Auth-Token`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecordedRequest } from '../http-server.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'reference');

interface Operation {
  readonly name: string;
  readonly method?: string;
  readonly path?: string;
  readonly query?: readonly string[];
  readonly queryOneOf?: readonly string[];
  readonly requestBody?: string | null;
}

interface Index {
  readonly operations: readonly Operation[];
  readonly requestBodies?: Readonly<Record<string, { fields: readonly string[]; oneOf?: readonly string[] }>>;
  readonly enums?: Readonly<Record<string, readonly string[]>>;
}

const indexes = ['instance-v1', 'marketplace-v2', 'iam-v1alpha1-sshkeys', 'block-v1alpha1'].map(
  (name) => JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as Index,
);

interface CompiledOperation extends Operation {
  readonly pattern: RegExp;
  readonly index: Index;
}

const operations: CompiledOperation[] = indexes.flatMap((index) =>
  index.operations
    .filter((operation) => operation.method !== undefined && operation.path !== undefined)
    .map((operation) => ({
      ...operation,
      index,
      pattern: new RegExp(`^${(operation.path as string).replace(/\{[^}]+\}/g, '[^/]+')}$`),
    })),
);

/** Required body fields and enum-typed fields, by operation name (the indexes do not say). */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  _createServer: ['commercial_type'],
  serverAction: ['action'],
  createSSHKey: ['name', 'public_key', 'project_id'],
};
const EXACTLY_ONE_OF: Readonly<Record<string, readonly string[]>> = { _createServer: ['project', 'organization'] };
const ENUM_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = { serverAction: { action: 'ServerAction' } };

/** The documented operation a request is, or `undefined`. A literal path beats a template (`/products/servers` over `/{id}`). */
export function operationOf(method: string, path: string): CompiledOperation | undefined {
  const matches = operations.filter((operation) => operation.method === method && operation.pattern.test(path));
  return matches.sort(
    (a, b) => (b.path as string).replace(/\{[^}]+\}/g, '').length - (a.path as string).replace(/\{[^}]+\}/g, '').length,
  )[0];
}

/** What the derived indexes say is wrong with a request; `[]` when it is a documented call. */
export function checkScalewayRequest(request: RecordedRequest, token: string): string[] {
  const label = `${request.method} ${request.path}`;
  const problems: string[] = [];
  if (request.headers['x-auth-token'] !== token) problems.push(`${label}: the secret key must be sent in X-Auth-Token`);
  if (request.headers.authorization !== undefined) problems.push(`${label}: Scaleway takes no Authorization header`);
  const operation = operationOf(request.method, request.path);
  if (!operation) return [...problems, `${label}: no such operation in the official SDK`];
  const allowed = new Set([...(operation.query ?? []), ...(operation.queryOneOf ?? [])]);
  for (const key of new Set(request.query.keys())) {
    if (!allowed.has(key)) problems.push(`${label} (${operation.name}): query parameter "${key}" is not documented`);
  }
  const oneOf = (operation.queryOneOf ?? []).filter((key) => request.query.has(key));
  if (oneOf.length > 1) problems.push(`${label} (${operation.name}): at most one of ${oneOf.join(', ')}`);
  if (!operation.requestBody) {
    if (request.body !== '' && request.method !== 'GET' && request.method !== 'DELETE')
      problems.push(`${label} (${operation.name}): takes no body`);
    return problems;
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(request.body) as Record<string, unknown>;
  } catch {
    return [...problems, `${label} (${operation.name}): body is not JSON`];
  }
  if (request.headers['content-type']?.startsWith('application/json') !== true)
    problems.push(`${label} (${operation.name}): body must be sent as application/json`);
  const marshaller = operation.index.requestBodies?.[operation.requestBody];
  const fields = new Set([...(marshaller?.fields ?? []), ...(marshaller?.oneOf ?? [])]);
  for (const key of Object.keys(body)) {
    if (!fields.has(key)) problems.push(`${label} (${operation.name}): body field "${key}" is not documented`);
  }
  for (const key of REQUIRED[operation.name] ?? []) {
    if (body[key] === undefined) problems.push(`${label} (${operation.name}): required body field "${key}" is missing`);
  }
  const group = EXACTLY_ONE_OF[operation.name];
  if (group && group.filter((key) => body[key] !== undefined).length !== 1)
    problems.push(`${label} (${operation.name}): exactly one of ${group.join(', ')} is required`);
  for (const [key, enumName] of Object.entries(ENUM_FIELDS[operation.name] ?? {})) {
    const values = operation.index.enums?.[enumName] ?? [];
    if (body[key] !== undefined && !values.includes(body[key] as string))
      problems.push(`${label} (${operation.name}): "${key}" must be one of ${values.join(', ')}`);
  }
  return problems;
}
