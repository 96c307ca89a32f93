/**
 * The REST transport's raw bodies (`rawBody`: text sent as is with its own content type) and text
 * answers (`responseAs: 'text'`), through axios against a loopback server: what reached the server,
 * the bound on the body's size before any request, and the refusal of a raw body beside a JSON one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInvalidRequestError, type InvalidRequestError } from '../../src/core/errors.js';
import { Secret } from '../../src/core/secrets.js';
import { createRestClient, type RestClient } from '../../src/rest/client.js';
import { rejectionOf } from '../conformance/suite.js';
import { startFakeServer, type FakeServer } from '../fakes/http-server.js';

describe('rest transport: raw text bodies', () => {
  let server: FakeServer;
  let client: RestClient;
  beforeAll(async () => {
    server = await startFakeServer((request) =>
      request.method === 'GET' ? { status: 200, headers: { 'content-type': 'text/plain' }, body: 'not { json' } : { status: 204, body: '' },
    );
    client = createRestClient({
      provider: 'scaleway',
      endpoint: server.url,
      token: new Secret('raw-body-token'),
      bounds: { maxBodyBytes: 64 },
      retry: { retries: 0 },
    });
  });
  afterAll(async () => server.close());

  it('sends the text as is with its content type', async () => {
    const text = 'line 1\nlïne 2 ✓\n';
    const response = await client.request({
      method: 'PATCH',
      path: '/ud/k',
      rawBody: { contentType: 'text/plain', text },
      operation: 'test',
    });
    expect(response.status).toBe(204);
    const sent = server.requests.at(-1);
    expect(sent?.headers['content-type']).toBe('text/plain');
    expect(sent?.body).toBe(text);
  });

  it('returns a text answer as the string it is when asked to', async () => {
    const response = await client.request({ method: 'GET', path: '/ud/k', responseAs: 'text', operation: 'test' });
    expect(response.data).toBe('not { json');
  });

  it('refuses a raw body over maxBodyBytes (counted in UTF-8 bytes) as an InvalidRequestError naming body, before any request', async () => {
    const before = server.requests.length;
    const error = await rejectionOf(
      client.request({ method: 'PATCH', path: '/ud/k', rawBody: { contentType: 'text/plain', text: 'é'.repeat(33) }, operation: 'test' }),
    );
    expect(isInvalidRequestError(error), String(error)).toBe(true);
    expect((error as InvalidRequestError).field).toBe('body');
    expect(server.requests.length).toBe(before);
  });

  it('refuses a raw body beside a JSON body, before any request', async () => {
    const before = server.requests.length;
    const error = await rejectionOf(
      client.request({ method: 'PATCH', path: '/ud/k', body: {}, rawBody: { contentType: 'text/plain', text: 'x' }, operation: 'test' }),
    );
    expect(String(error)).toMatch(/raw body/);
    expect(server.requests.length).toBe(before);
  });
});
