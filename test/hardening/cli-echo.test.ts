/**
 * The built CLI against a hostile DigitalOcean-shaped server that echoes the account's token back
 * in everything it can: the `x-request-id` header, the error body's `id` (code), `message` and
 * `request_id`, and fields of a droplet (name, a tag) in a list and in a single answer. `nodes`
 * and `get`, in text and `--json`, must never print the token, and must show `[redacted]` where
 * it was echoed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeResponse } from '../fakes/http-server.js';
import { startDigitalOceanHarness, type DigitalOceanHarness } from '../digitalocean/harness.js';
import { polycloud, type Run } from '../cli/run.js';

/** Matches no built-in credential pattern: only the registry of the driver's own secrets can hide it. */
const SECRET = 'hostile-echo-secret-7c41d9a2e8';
const REDACTED = '[redacted]';
/** No DigitalOcean variable of the machine reaches the child. */
const NO_DO = { DIGITALOCEAN_TOKEN: '', DIGITALOCEAN_ACCESS_TOKEN: '' };

/** A DigitalOcean error answer with the token in every field a server controls. */
const echoingError: FakeResponse = {
  status: 422,
  headers: { 'x-request-id': SECRET },
  body: { id: SECRET, message: `size is invalid for token ${SECRET}`, request_id: SECRET },
};

const withoutSecret = (run: Run) => `${run.stdout}\n${run.stderr}`.includes(SECRET) === false;

describe('cli: secrets echoed by a hostile server', () => {
  let home: string;
  let harness: DigitalOceanHarness;
  let config: string;
  let droplet: Record<string, unknown>;
  let dropletId: string;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'polycloud-cli-echo-'));
    harness = await startDigitalOceanHarness({ fake: { token: SECRET } });
    const node = await harness.driver.createNode({ name: 'echo-1', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', location: 'nyc3' });
    dropletId = node.id;
    const answer = await fetch(`${harness.fake.url}/v2/droplets/${node.id}`, { headers: { authorization: `Bearer ${SECRET}` } });
    const real = ((await answer.json()) as { droplet: Record<string, unknown> }).droplet;
    // The server's own droplet, with the token echoed into its name and tags.
    droplet = { ...real, name: SECRET, tags: [...((real.tags as string[] | undefined) ?? []), SECRET] };
    config = join(home, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({ clouds: { do: { provider: 'digitalocean', options: { token: SECRET, endpoint: harness.fake.url } } } }),
    );
  });
  afterAll(async () => {
    await harness.close();
    rmSync(home, { recursive: true, force: true });
  });

  const run = (args: readonly string[]) => polycloud(home, [...args, '--config', config], NO_DO);
  const listAnswer = (): FakeResponse => ({
    status: 200,
    headers: { 'x-request-id': SECRET },
    body: { droplets: [droplet], links: {}, meta: { total: 1 } },
  });

  for (const json of [false, true]) {
    const mode = json ? '--json' : 'text';
    const flags = json ? ['--json'] : [];

    it(`nodes (${mode}): a token echoed in a listed droplet is redacted`, async () => {
      harness.fake.script({ method: 'GET', path: '/v2/droplets', response: listAnswer() });
      const result = await run(['nodes', ...flags]);
      expect(result.code, result.stderr).toBe(0);
      expect(withoutSecret(result), result.stdout).toBe(true);
      expect(result.stdout).toContain(REDACTED);
      expect(result.stdout).toContain(dropletId);
    });

    it(`nodes (${mode}): a token echoed in the request id, code and message of an error is redacted`, async () => {
      harness.fake.script({ method: 'GET', path: '/v2/droplets', response: echoingError });
      const result = await run(['nodes', ...flags]);
      expect(result.code).toBe(1);
      expect(withoutSecret(result), `${result.stdout}${result.stderr}`).toBe(true);
      expect(json ? result.stdout : result.stderr).toContain(REDACTED);
    });

    it(`get (${mode}): a token echoed in the droplet is redacted`, async () => {
      harness.fake.script({ method: 'GET', path: `/v2/droplets/${dropletId}`, response: { status: 200, body: { droplet } } });
      const result = await run(['get', `do/${dropletId}`, ...flags]);
      expect(result.code, result.stderr).toBe(0);
      expect(withoutSecret(result), result.stdout).toBe(true);
      expect(result.stdout).toContain(REDACTED);
      expect(result.stdout).toContain(dropletId);
    });

    it(`get (${mode}): a token echoed in the request id, code and message of an error is redacted`, async () => {
      harness.fake.script({ method: 'GET', path: `/v2/droplets/${dropletId}`, response: echoingError });
      const result = await run(['get', `do/${dropletId}`, ...flags]);
      // 422 is DigitalOcean's refusal of bad input: exit 2.
      expect(result.code).toBe(2);
      expect(withoutSecret(result), `${result.stdout}${result.stderr}`).toBe(true);
      expect(json ? result.stdout : result.stderr).toContain(REDACTED);
    });
  }
});
