/**
 * SSH endpoints for simulated nodes (the `local` provider's opt-in `ssh: true`): each node gets
 * an SSH server on 127.0.0.1 (ssh2's server), started on first use, that accepts only the keys
 * the node was created with, for the login user of its image, and runs commands with `/bin/sh`
 * in a per-node sandbox directory.
 *
 * The sandbox is a working directory, not a security boundary: commands run as the user running
 * polycloud, on this machine. That is why the feature is opt-in and listens on loopback only.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import type { AuthContext, Connection, ParsedKey, ServerChannel } from 'ssh2';
import { defaultLoginUser } from '../core/login.js';
import { loadSsh2, type Ssh2Module } from '../ssh/load.js';
import type { SimulatedCloud } from './cloud.js';

/** Options of the local provider's SSH endpoints. */
export interface SimSshOptions {
  /** Directory holding one sandbox directory (and host key) per node. */
  readonly root: string;
}

/** Where a node's SSH endpoint listens. */
export interface SimSshEndpoint {
  /** Always loopback: the endpoints never listen on another interface. */
  readonly host: '127.0.0.1';
  /** The TCP port the node's server listens on, chosen by the system when the server starts. */
  readonly port: number;
  /** The user the endpoint accepts: the default login user of the node's image. */
  readonly user: string;
}

interface Running {
  readonly endpoint: SimSshEndpoint;
  readonly server: NetServer;
  readonly sockets: Set<Socket>;
}

/** One SSH server per simulated node, started on demand. */
export class SimSshEndpoints {
  readonly #cloud: SimulatedCloud;
  readonly #root: string;
  readonly #running = new Map<string, Promise<Running>>();

  constructor(cloud: SimulatedCloud, options: SimSshOptions) {
    this.#cloud = cloud;
    this.#root = options.root;
  }

  /** The sandbox directory of a node: commands run there, with it as `HOME`. */
  sandboxOf(nodeId: string): string {
    return join(this.#root, nodeId.replace(/[^A-Za-z0-9._-]/g, '_'));
  }

  /** The node's endpoint, starting its server on first use. */
  async endpointFor(nodeId: string): Promise<SimSshEndpoint> {
    let running = this.#running.get(nodeId);
    if (!running) {
      running = this.#start(nodeId);
      this.#running.set(nodeId, running);
      running.catch(() => this.#running.delete(nodeId));
    }
    return (await running).endpoint;
  }

  /** Stops every server (and the sessions on them). */
  async close(): Promise<void> {
    const all = [...this.#running.values()];
    this.#running.clear();
    await Promise.all(
      all.map(async (pending) => {
        const running = await pending.catch(() => undefined);
        if (!running) return;
        for (const socket of running.sockets) socket.destroy();
        await new Promise<void>((resolve) => running.server.close(() => resolve()));
      }),
    );
  }

  async #start(nodeId: string): Promise<Running> {
    const ssh2 = await loadSsh2('sshLogin');
    const node = this.#cloud.peekNodes().find((each) => each.id === nodeId);
    if (!node) throw new Error(`node ${nodeId} does not exist`);
    const user = defaultLoginUser(node.image.os.family);
    const sandbox = this.sandboxOf(nodeId);
    mkdirSync(sandbox, { recursive: true, mode: 0o700 });
    const sshServer = new ssh2.Server({ hostKeys: [this.#hostKey(ssh2, nodeId)] }, (client) =>
      this.#onClient(ssh2, client, nodeId, user, sandbox),
    );
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      // A node that is not running has no sshd: the connection is dropped before the banner.
      if (!this.#isRunning(nodeId)) {
        socket.destroy();
        return;
      }
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      sshServer.injectSocket(socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    // Never keep the process alive just for these servers.
    server.unref();
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return { endpoint: { host: '127.0.0.1', port, user }, server, sockets };
  }

  #isRunning(nodeId: string): boolean {
    return this.#cloud.peekNodes().some((each) => each.id === nodeId && each.state === 'running');
  }

  /** The node's host key, made once and kept beside its sandbox so that it survives restarts. */
  #hostKey(ssh2: Ssh2Module, nodeId: string): string {
    const path = `${this.sandboxOf(nodeId)}.host_key`;
    if (existsSync(path)) return readFileSync(path, 'utf8');
    const pair = ssh2.utils.generateKeyPairSync('ed25519');
    writeFileSync(path, pair.private, { mode: 0o600 });
    return pair.private;
  }

  #onClient(ssh2: Ssh2Module, client: Connection, nodeId: string, user: string, sandbox: string): void {
    client.on('error', () => undefined);
    client.on('authentication', (context: AuthContext) => {
      if (context.method !== 'publickey' || context.username !== user) {
        context.reject(['publickey']);
        return;
      }
      const node = this.#cloud.peekNodes().find((each) => each.id === nodeId);
      const offered = context.key;
      const match = (node?.sshKeys ?? [])
        .map((line) => ssh2.utils.parseKey(line))
        .find(
          (key): key is ParsedKey =>
            !(key instanceof Error) && !Array.isArray(key) && key.type === offered.algo && key.getPublicSSH().equals(offered.data),
        );
      if (!match) {
        context.reject(['publickey']);
        return;
      }
      // Without a signature the client is only asking whether the key would do.
      if (!context.signature) {
        context.accept();
        return;
      }
      if (match.verify(context.blob ?? Buffer.alloc(0), context.signature, context.hashAlgo) === true) context.accept();
      else context.reject(['publickey']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('pty', (accept) => accept?.());
        session.on('env', (accept) => accept?.());
        session.on('exec', (accept, _reject, info) => runShell(accept(), ['-c', info.command], sandbox, user));
        session.on('shell', (accept) => runShell(accept(), ['-i'], sandbox, user));
      });
    });
  }
}

/** Runs `/bin/sh` with `args` in the sandbox, wired to an SSH channel. */
function runShell(channel: ServerChannel, args: string[], sandbox: string, user: string): void {
  const child = spawn('/bin/sh', args, {
    cwd: sandbox,
    env: {
      HOME: sandbox,
      PWD: sandbox,
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      USER: user,
      LOGNAME: user,
      SHELL: '/bin/sh',
      LANG: 'C.UTF-8',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdout.pipe(channel, { end: false });
  child.stderr.pipe(channel.stderr, { end: false });
  channel.pipe(child.stdin);
  child.on('error', () => undefined);
  child.stdin.on('error', () => undefined);
  child.on('close', (code, signal) => {
    if (typeof code === 'number') channel.exit(code);
    else channel.exit(signal ?? 'KILL', false, '');
    channel.end();
  });
  // The client went away (timeout, abort): the command does not outlive its session.
  channel.on('close', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
}
