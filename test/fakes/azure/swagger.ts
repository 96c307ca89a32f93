/**
 * Request validation against the official Azure Resource Manager swagger (OpenAPI 2.0) documents
 * copied into `specs/`: the route must exist, `api-version` and every required parameter must be
 * present, and a JSON body must match the operation's body schema (Ajv). `$ref`s are resolved
 * across files; a schema that refers to itself is cut at the second visit; `x-ms-examples` are
 * skipped.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ValidateFunction } from 'ajv';

const Ajv = (AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule;

const SPECS = join(dirname(fileURLToPath(import.meta.url)), 'specs', 'azure-rest-api-specs', 'specification');

/** The documents whose operations the fake serves. */
const ENTRY_FILES = [
  'compute/resource-manager/Microsoft.Compute/ComputeRP/stable/2024-07-01/virtualMachine.json',
  'compute/resource-manager/Microsoft.Compute/ComputeRP/stable/2024-07-01/computeRPCommon.json',
  'compute/resource-manager/Microsoft.Compute/ComputeRP/stable/2024-07-01/virtualMachineImage.json',
  'network/resource-manager/Microsoft.Network/stable/2024-01-01/networkInterface.json',
  'network/resource-manager/Microsoft.Network/stable/2024-01-01/publicIpAddress.json',
  'network/resource-manager/Microsoft.Network/stable/2024-01-01/virtualNetwork.json',
  'resources/resource-manager/Microsoft.Resources/stable/2024-07-01/resources.json',
  'resources/resource-manager/Microsoft.Resources/stable/2022-12-01/subscriptions.json',
];

interface Parameter {
  readonly name?: string;
  readonly in?: string;
  readonly required?: boolean;
  readonly schema?: unknown;
}

interface Operation {
  readonly operationId: string;
  readonly method: string;
  readonly pattern: RegExp;
  readonly parameters: readonly Parameter[];
  bodyValidator?: ValidateFunction;
}

/** The validator over every operation of the entry documents. */
export interface SwaggerValidator {
  /** The operationId a request maps to, or `undefined`. */
  operationOf(method: string, path: string): string | undefined;
  /** What the real API would reject about this request; `[]` when valid. */
  validate(request: { method: string; path: string; query: URLSearchParams; body: string; headers: Record<string, unknown> }): string[];
}

const documents = new Map<string, unknown>();
function loadDocument(file: string): unknown {
  let document = documents.get(file);
  if (document === undefined) {
    document = JSON.parse(readFileSync(file, 'utf8'));
    documents.set(file, document);
  }
  return document;
}

function pointer(document: unknown, path: string): unknown {
  let node = document;
  for (const segment of path.split('/').filter(Boolean)) {
    const key = decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Record<string, unknown>)[key];
    if (node === undefined) throw new Error(`unresolvable $ref segment ${key} in ${path}`);
  }
  return node;
}

/** Resolves `$ref`s across files, memoised per target; a cycle becomes `{}` below its first visit. */
function dereference(value: unknown, file: string, resolving = new Set<string>(), memo = new Map<string, unknown>()): unknown {
  if (Array.isArray(value)) return value.map((each) => dereference(each, file, resolving, memo));
  if (typeof value !== 'object' || value === null) return value;
  const ref = (value as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') {
    const [target = '', fragment = ''] = ref.split('#');
    const targetFile = target === '' ? file : resolve(dirname(file), target);
    const key = `${targetFile}#${fragment}`;
    if (memo.has(key)) return memo.get(key);
    if (resolving.has(key)) return {};
    resolving.add(key);
    const resolved = dereference(pointer(loadDocument(targetFile), fragment), targetFile, resolving, memo);
    resolving.delete(key);
    memo.set(key, resolved);
    return resolved;
  }
  const copy: Record<string, unknown> = {};
  // An `x-ms-enum` with `modelAsString: true` is an open set: ARM accepts values the document does not list.
  const openEnum = (value as { 'x-ms-enum'?: { modelAsString?: boolean } })['x-ms-enum']?.modelAsString === true;
  for (const [key, each] of Object.entries(value)) {
    if (key === 'x-ms-examples' || (key === 'enum' && openEnum)) continue;
    copy[key] = dereference(each, file, resolving, memo);
  }
  return copy;
}

function templateToRegExp(template: string): RegExp {
  const source = template
    .split('/')
    .map((segment) => (/^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`, 'i');
}

let shared: SwaggerValidator | undefined;

/** The validator, built once per process. */
export function azureSwaggerValidator(): SwaggerValidator {
  shared ??= build();
  return shared;
}

function build(): SwaggerValidator {
  const ajv = new Ajv({ allErrors: true, format: false, unknownFormats: 'ignore' } as never);
  const operations: Operation[] = [];
  for (const entry of ENTRY_FILES) {
    const file = join(SPECS, entry);
    const document = loadDocument(file) as { paths: Record<string, Record<string, unknown>> };
    for (const [path, item] of Object.entries(document.paths)) {
      const shared = ((item.parameters as unknown[]) ?? []).map((parameter) => dereference(parameter, file) as Parameter);
      for (const method of ['get', 'put', 'post', 'delete', 'patch']) {
        const operation = item[method] as { operationId?: string; parameters?: unknown[] } | undefined;
        if (!operation) continue;
        const own = (operation.parameters ?? []).map((parameter) => dereference(parameter, file) as Parameter);
        operations.push({
          operationId: operation.operationId ?? `${method} ${path}`,
          method: method.toUpperCase(),
          pattern: templateToRegExp(path),
          parameters: [...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own],
        });
      }
    }
  }
  // The most specific template wins (fewer placeholders first), e.g. `.../virtualMachines/{vmName}/start` before a generic one.
  const find = (method: string, path: string) =>
    operations.find((operation) => operation.method === method && operation.pattern.test(path));

  return {
    operationOf: (method, path) => find(method, path)?.operationId,
    validate({ method, path, query, body, headers }) {
      const operation = find(method, path);
      if (!operation) return [`${method} ${path}: no such operation in the Azure REST API specs`];
      const where = `${operation.operationId} (${method} ${path})`;
      const problems: string[] = [];
      if (!/^Bearer \S+$/.test(String(headers.authorization ?? ''))) problems.push(`${where}: missing "Authorization: Bearer <token>"`);
      for (const parameter of operation.parameters) {
        if (parameter.in === 'query' && parameter.required && !query.has(parameter.name ?? ''))
          problems.push(`${where}: missing query parameter ${parameter.name}`);
        if (parameter.in === 'body') {
          if (body === '') {
            if (parameter.required) problems.push(`${where}: missing the request body`);
            continue;
          }
          let parsed: unknown;
          try {
            parsed = JSON.parse(body);
          } catch {
            problems.push(`${where}: the body is not JSON`);
            continue;
          }
          operation.bodyValidator ??= ajv.compile((parameter.schema ?? {}) as object) as ValidateFunction;
          if (!operation.bodyValidator(parsed)) {
            for (const error of operation.bodyValidator.errors ?? [])
              problems.push(`${where}: body${error.dataPath} ${error.message ?? 'is invalid'}`);
          }
        }
      }
      if (!operation.parameters.some((parameter) => parameter.in === 'body') && body !== '' && method !== 'POST') {
        problems.push(`${where}: the operation takes no body`);
      }
      return problems;
    },
  };
}
