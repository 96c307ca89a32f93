/**
 * Run in a child process by the reliability suite: makes a driver from a factory module, warms it
 * up, waits for the parent to install its faults, runs two calls that the fault proxy stalls (a slow answer, a long Retry-After), cancels
 * them, prints how they ended, and returns. The process must then exit on its own: anything the
 * driver left behind (a timer, a socket, a retry pause) would keep it alive.
 */
import { pathToFileURL } from 'node:url';
import type { Driver } from '../../src/core/driver.js';

interface ChildConfig {
  readonly module: string;
  readonly endpoint: string;
  readonly nodeId: string;
}

const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
const factory = (await import(pathToFileURL(config.module).href)) as {
  makeReliabilityDriver(endpoint: string, options: { retries: number }): Driver | Promise<Driver>;
};
const driver = await factory.makeReliabilityDriver(config.endpoint, { retries: 3 });

async function timed(call: (signal: AbortSignal) => Promise<unknown>): Promise<{ ms: number; error: string }> {
  const started = performance.now();
  try {
    await call(AbortSignal.timeout(300));
    return { ms: performance.now() - started, error: 'none' };
  } catch (error) {
    return { ms: performance.now() - started, error: error instanceof Error ? error.name : String(error) };
  }
}

// Warm up first (SDK modules load and clients build on first use, which can block the event loop
// for seconds on a cold start), then tell the parent to install the stalls and wait for its go.
await driver.getNode(config.nodeId);
await driver.listNodes({});
process.stdout.write('ready\n');
await new Promise<void>((resolve) => {
  process.stdin.once('data', () => resolve());
});
process.stdin.destroy();

const getNode = await timed((signal) => driver.getNode(config.nodeId, { signal }));
const listNodes = await timed((signal) => driver.listNodes({}, { signal }));
process.stdout.write(`${JSON.stringify({ getNode, listNodes })}\n`);
