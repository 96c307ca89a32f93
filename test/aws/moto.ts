/**
 * Starts and stops moto's EC2 server on a free loopback port for the AWS tests. A missing moto
 * fails the tests (it is installed on the project's machines and in CI); they never skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_AMIS } from './fixture-amis.js';

/** A running moto server. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Stops the server and removes its files. */
  stop(): Promise<void>;
}

/** Options of {@link startMoto}. */
export interface StartMotoOptions {
  /** The Python that has moto installed. Default: `MOTO_PYTHON`, else `python3`. */
  readonly python?: string;
  /** Longest wait for the server to answer. Default: 60 000 ms. */
  readonly startTimeoutMs?: number;
}

/** Starts `python3 -m moto.server` on 127.0.0.1 with AMI and instance type validation on and the fixture AMIs loaded. */
export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  const python = options.python ?? process.env.MOTO_PYTHON ?? 'python3';
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'polycloud-moto-'));
  const amisPath = join(directory, 'amis.json');
  writeFileSync(amisPath, JSON.stringify(FIXTURE_AMIS));
  let output = '';
  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    env: {
      ...process.env,
      MOTO_ENABLE_AMI_VALIDATION: 'true',
      MOTO_EC2_ENABLE_INSTANCE_TYPE_VALIDATION: 'true',
      MOTO_AMIS_PATH: amisPath,
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', () => resolve(-1));
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(child, exited);
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    await waitUntilUp(url, exited, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw new Error(
      `moto did not start (${(error as Error).message}). The AWS tests need moto's server: pip install "moto[server]". Output:\n${output}`,
      { cause: error },
    );
  }
  return { url, port, stop };
}

async function waitUntilUp(url: string, exited: Promise<number | null>, timeoutMs: number): Promise<void> {
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone !== undefined) throw new Error(`the moto process exited with code ${String(gone)}`);
    try {
      const response = await fetch(`${url}/moto-api/`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no answer from ${url} within ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
