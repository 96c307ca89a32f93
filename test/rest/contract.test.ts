/**
 * The contract the three REST drivers now share through `defineRestDriver`: a name passed as an id
 * is refused before any request, one `pageSize` behaviour (a size the API does not serve is refused), one
 * `requestTimeoutMs` (with `timeoutMs` as its deprecated alias), `token: string | Secret`, and a
 * missing token reported as a `ConfigurationError` of `configure` naming the variables.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  isConfigurationError,
  isInvalidRequestError,
  isTimeoutError,
  type ConfigurationError,
  type InvalidRequestError,
  type TimeoutError,
} from '../../src/core/errors.js';
import type { Driver } from '../../src/core/driver.js';
import { Secret } from '../../src/core/secrets.js';
import { createDigitalOceanDriver } from '../../providers/digitalocean/index.js';
import { createHetznerDriver } from '../../providers/hetzner/index.js';
import { createLinodeDriver } from '../../providers/linode/index.js';
import { rejectionOf } from '../conformance/suite.js';
import { startFakeServer, type FakeServer } from '../fakes/http-server.js';

interface Case {
  readonly create: (options: Record<string, unknown>) => Driver;
  readonly env: readonly string[];
  readonly maxPageSize: number;
  readonly sizeParam: string;
  readonly listPath: string;
}

const CASES: Record<'digitalocean' | 'hetzner' | 'linode', Case> = {
  digitalocean: {
    create: createDigitalOceanDriver,
    env: ['DIGITALOCEAN_TOKEN', 'DIGITALOCEAN_ACCESS_TOKEN'],
    maxPageSize: 200,
    sizeParam: 'per_page',
    listPath: '/v2/droplets',
  },
  hetzner: { create: createHetznerDriver, env: ['HCLOUD_TOKEN'], maxPageSize: 50, sizeParam: 'per_page', listPath: '/servers' },
  linode: { create: createLinodeDriver, env: ['LINODE_TOKEN'], maxPageSize: 500, sizeParam: 'page_size', listPath: '/linode/instances' },
};

/** Answers every list with one empty last page in all three paging styles; never answers `/hang`. */
let server: FakeServer;
const servers: Promise<FakeServer> = startFakeServer((request) =>
  request.path.startsWith('/hang')
    ? new Promise(() => undefined)
    : {
        status: 200,
        body: { droplets: [], servers: [], data: [], page: 1, pages: 1, links: {}, meta: { pagination: { page: 1, next_page: null } } },
      },
);
afterAll(async () => (await servers).close());

describe.each(Object.entries(CASES))('%s on defineRestDriver', (provider, { create, env, maxPageSize, sizeParam, listPath }) => {
  const token = `${provider}-contract-token-0000`;

  it('refuses a name passed as an id with InvalidRequestError naming "id", before any request', async () => {
    server = await servers;
    const before = server.requests.length;
    const driver = create({ token, endpoint: server.url, retry: { retries: 0 } });
    for (const call of [driver.getNode('web-1'), driver.destroyNode('web-1'), driver.rebootNode('web-1'), driver.stopNode('1/2')]) {
      const error = (await rejectionOf(call)) as InvalidRequestError;
      expect(isInvalidRequestError(error), String(error)).toBe(true);
      expect(error.field).toBe('id');
      expect(error.provider).toBe(provider);
    }
    expect(server.requests.length).toBe(before);
  });

  it('refuses an out-of-range pageSize (option or query) with InvalidRequestError, and takes the largest page by default', async () => {
    server = await servers;
    const driver = create({ token: new Secret(token), endpoint: server.url, retry: { retries: 0 } });
    const before = server.requests.length;
    const tooLarge = (await rejectionOf(driver.listNodes({ pageSize: maxPageSize + 1 }))) as InvalidRequestError;
    expect(tooLarge.field).toBe('query.pageSize');
    expect(server.requests.length).toBe(before);
    await driver.listNodes();
    const sizes = server.requests.filter((request) => request.path === listPath).map((request) => request.query.get(sizeParam));
    expect(sizes.at(-1)).toBe(String(maxPageSize));
    for (const pageSize of [0, maxPageSize + 1]) {
      const error = (() => {
        try {
          create({ token, endpoint: server.url, pageSize });
        } catch (caught) {
          return caught as InvalidRequestError;
        }
        return undefined;
      })();
      expect(error?.field).toBe('pageSize');
      expect(error?.operation).toBe('configure');
    }
  });

  it('bounds each request by requestTimeoutMs, and by the deprecated timeoutMs when that is all it is given', async () => {
    server = await servers;
    for (const option of ['requestTimeoutMs', 'timeoutMs']) {
      const driver = create({ token, endpoint: `${server.url}/hang`, [option]: 150, retry: { retries: 0 } });
      const error = (await rejectionOf(driver.listLocations())) as TimeoutError;
      expect(isTimeoutError(error), String(error)).toBe(true);
      expect(error.timeoutMs).toBe(150);
    }
  });

  it('reports a missing token as a ConfigurationError of "configure" naming every variable', () => {
    const saved = env.map((name) => process.env[name]);
    try {
      for (const name of env) delete process.env[name];
      const error = (() => {
        try {
          create({ endpoint: 'http://127.0.0.1:9', token: undefined });
        } catch (caught) {
          return caught as ConfigurationError;
        }
        return undefined;
      })();
      expect(isConfigurationError(error)).toBe(true);
      expect(error?.operation).toBe('configure');
      for (const name of env) expect(error?.message).toContain(name);
    } finally {
      env.forEach((name, index) => {
        if (saved[index] === undefined) delete process.env[name];
        else process.env[name] = saved[index];
      });
    }
  });
});
