/**
 * A real OpenSSH server for the tests: an unprivileged `sshd -D -f <own config>` on a free
 * loopback port, with its own host keys, authorised keys and config in a temporary directory.
 * Nothing outside that directory is touched, except `/run/sshd` (sshd's privilege-separation
 * directory), created empty when the tests run as root and it is missing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** Where the test sshd binary is. The tests fail (never skip) without it: `.ci/services/20-sshd.sh` installs it. */
export const SSHD = process.env.POLYCLOUD_SSHD ?? '/usr/sbin/sshd';

/** A key pair made with ssh-keygen. */
export interface TestKey {
  readonly privateKey: string;
  readonly publicKey: string;
  /** `ssh-keygen -lf` fingerprint, `SHA256:…`. */
  readonly fingerprint: string;
}

/** Makes an ed25519 key pair in `dir` with ssh-keygen. */
export function makeKey(dir: string, name: string): TestKey {
  const path = join(dir, name);
  const made = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${name}@polycloud-test`, '-f', path]);
  if (made.status !== 0) throw new Error(`ssh-keygen failed: ${made.stderr.toString()}`);
  const listed = spawnSync('ssh-keygen', ['-l', '-f', `${path}.pub`]).stdout.toString();
  return {
    privateKey: readFileSync(path, 'utf8'),
    publicKey: readFileSync(`${path}.pub`, 'utf8').trim(),
    fingerprint: listed.split(' ')[1] ?? '',
  };
}

/** A free loopback port (bound then released; sshd binds it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A running (or stopped) test sshd. */
export class TestSshd {
  readonly dir: string;
  readonly user = userInfo().username;
  readonly clientKey: TestKey;
  hostKey: TestKey;
  port = 0;
  #process?: ChildProcess;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'polycloud-sshd-'));
    this.clientKey = makeKey(this.dir, 'client');
    this.hostKey = makeKey(this.dir, 'host');
    writeFileSync(join(this.dir, 'authorized_keys'), `${this.clientKey.publicKey}\n`, { mode: 0o600 });
    if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  }

  /** Starts sshd on `port` (default: a fresh free port, or the previous one on a restart). */
  async start(port?: number): Promise<this> {
    this.port = port ?? (this.port || (await freePort()));
    const config = join(this.dir, 'sshd_config');
    writeFileSync(
      config,
      [
        `Port ${this.port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(this.dir, 'host')}`,
        `PidFile ${join(this.dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(this.dir, 'authorized_keys')}`,
        `AllowUsers ${this.user}`,
        'StrictModes no',
        'UsePAM no',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PubkeyAuthentication yes',
        'PermitRootLogin prohibit-password',
        'LogLevel ERROR',
        '',
      ].join('\n'),
    );
    const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    this.#process = child;
    // Ready when the port accepts connections; a bounded number of tries catches a broken sshd.
    for (let attempt = 0; attempt < 200; attempt += 1) {
      if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}: ${stderr}`);
      if (await accepts(this.port)) return this;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`sshd did not listen on 127.0.0.1:${this.port}: ${stderr}`);
  }

  /** Stops sshd and waits until it has exited. */
  async stop(): Promise<void> {
    const child = this.#process;
    this.#process = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  /** Gives the server a new host key (takes effect on the next start). */
  rotateHostKey(): void {
    rmSync(join(this.dir, 'host'), { force: true });
    rmSync(join(this.dir, 'host.pub'), { force: true });
    this.hostKey = makeKey(this.dir, 'host');
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
