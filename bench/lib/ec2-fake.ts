/** The parent's handle on the EC2 fake running in its own process (`bench/fakes/ec2-process.ts`). */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Ec2FakeConfig, Ec2FakeStats } from '../fakes/ec2.js';
import { isolatedEnv } from './spawn.js';

export type { Ec2FakeConfig, Ec2FakeStats };

/** A running EC2 fake process. */
export interface Ec2FakeProcess {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  reset(config: Ec2FakeConfig): Promise<void>;
  stats(): Promise<Ec2FakeStats>;
  close(): Promise<void>;
}

/** Starts the fake in a child process and waits until it listens. */
export async function startEc2Fake(): Promise<Ec2FakeProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL('../fakes/ec2-process.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: isolatedEnv(),
    serialization: 'json',
  });
  const pending = new Map<number, (result: unknown) => void>();
  let counter = 0;
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the EC2 fake exited with ${code}`)));
    child.on('message', (message: { type?: string; url?: string; id?: number; result?: unknown }) => {
      if (message.type === 'ready' && message.url) resolve(message.url);
      else if (message.id !== undefined) {
        pending.get(message.id)?.(message.result);
        pending.delete(message.id);
      }
    });
  });
  const ask = <T>(type: string, config?: Ec2FakeConfig): Promise<T> =>
    new Promise((resolve) => {
      counter += 1;
      pending.set(counter, resolve as (result: unknown) => void);
      child.send({ id: counter, type, ...(config ? { config } : {}) });
    });
  return {
    url,
    reset: (config) => ask<void>('reset', config),
    stats: () => ask<Ec2FakeStats>('stats'),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.send({ type: 'close' });
        setTimeout(() => child.kill('SIGKILL'), 2_000).unref();
      }),
  };
}
