/**
 * Inputs that used to become request floods or silent drops (issue 18): poll intervals are
 * floored, user files are read with a size limit, `*.localhost` names are not taken for loopback,
 * and credentials in endpoint URLs never reach an error.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { checkEndpoint, isLoopbackHost } from '../../src/core/endpoint.js';
import type { CloudError } from '../../src/core/errors.js';
import { isInvalidRequestError, isTimeoutError } from '../../src/core/errors.js';
import { readFileBounded } from '../../src/core/files.js';
import { INPUT_CAPS } from '../../src/core/validate.js';
import { createLocalDriver } from '../../providers/local/index.js';
import { writeFigure } from './figures.js';

const folder = mkdtempSync(join(tmpdir(), 'polycloud-inputs-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('poll intervals', () => {
  it('waitForNode with intervalMs 0 polls no faster than the floor (virtual clock: no real waiting)', async () => {
    const clock = new VirtualClock();
    const driver = createLocalDriver({ clock });
    const node = await driver.createNode({ name: 'poll-1', size: 's-2vcpu-4gb', image: 'ubuntu-24.04-x64', location: 'fra1' });
    const before = driver.cloud.operationCount;
    const error = await rejectionOf(driver.waitForNode(node, 'stopped', { timeoutMs: 10_000, intervalMs: 0, backoffFactor: 1 }));
    expect(isTimeoutError(error), String(error)).toBe(true);
    const polls = driver.cloud.operationCount - before;
    // 10 s at one poll per 100 ms is at most 101 polls; unfloored, 0 ms pauses would never let the virtual clock reach the deadline.
    expect(polls).toBeLessThanOrEqual(10_000 / INPUT_CAPS.minPollIntervalMs + 1);
    expect(polls).toBeGreaterThan(1);
    writeFigure('pollFloor', { intervalMsGiven: 0, floorMs: INPUT_CAPS.minPollIntervalMs, timeoutMs: 10_000, polls });
  });
});

describe('files read with a size limit', () => {
  const context = { provider: 'polycloud', operation: 'createNode', field: '--user-data-file' } as const;

  it('reads a small file whole', async () => {
    const path = join(folder, 'user-data.sh');
    writeFileSync(path, '#!/bin/sh\necho hi\n');
    await expect(readFileBounded(path, 1024, context)).resolves.toBe('#!/bin/sh\necho hi\n');
  });

  it('refuses /dev/zero after reading one byte past the limit', async () => {
    const error = await rejectionOf(readFileBounded('/dev/zero', 64 * 1024, context));
    expect(isInvalidRequestError(error), String(error)).toBe(true);
    expect((error as CloudError & { field?: string }).field).toBe('--user-data-file');
  });

  it('the CLI refuses --user-data-file /dev/zero with a clear error, without reading gigabytes', async () => {
    const home = mkdtempSync(join(folder, 'home-'));
    const run = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/cli/main.ts',
          'create',
          '--name',
          'zero-1',
          '--size',
          's-2vcpu-4gb',
          '--image',
          'ubuntu-24.04-x64',
          '--location',
          'fra1',
          '--user-data-file',
          '/dev/zero',
        ],
        { env: { ...process.env, HOME: home, POLYCLOUD_STATE_FILE: join(home, 'state.json') }, timeout: 120_000 },
        (error, _stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr }),
      );
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/--user-data-file/);
    expect(run.stderr).toMatch(/at most \d+ bytes/);
  });
});

describe('endpoints', () => {
  it('*.localhost names are not loopback without resolving them', () => {
    expect(isLoopbackHost('evil.localhost')).toBe(false);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('127.0.0.7')).toBe(true);
    expect(() => checkEndpoint('http://evil.localhost:8080', 'digitalocean')).toThrow(/https/);
  });

  it('an endpoint error never shows the URL’s password or query values', () => {
    const error = (() => {
      try {
        checkEndpoint('http://admin:hunter2-PLANTED@203.0.113.5/v2?key=AIzaPLANTEDKEY123', 'digitalocean');
      } catch (caught) {
        return caught as CloudError;
      }
      return undefined;
    })();
    expect(isInvalidRequestError(error)).toBe(true);
    for (const text of [String(error), JSON.stringify(error), inspect(error, { showHidden: true, depth: 5 })]) {
      expect(text).not.toContain('hunter2-PLANTED');
      expect(text).not.toContain('AIzaPLANTEDKEY123');
      expect(text).not.toContain('admin');
    }
  });
});
