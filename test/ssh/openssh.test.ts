/**
 * polycloud/ssh against a real OpenSSH server (Debian's openssh-server as an unprivileged
 * `sshd -D` on a loopback port): authentication, exit codes, bounded output, a server that starts
 * late, a host key that changes, a hung script cut by its timeout, abort, and secrets kept out of
 * every error.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { isInvalidRequestError, isTimeoutError } from '../../src/core/errors.js';
import { Secret } from '../../src/core/secrets.js';
import {
  isScriptError,
  isSshConnectionError,
  isSshTimeoutError,
  memoryHostKeys,
  runScript,
  waitForSsh,
  type SshObstacle,
} from '../../src/ssh/index.js';
import { keyMaterial, loopbackNode } from './helpers.js';
import { TestSshd, freePort, makeKey } from './sshd.js';

let sshd: TestSshd;
let base: { privateKey: Secret; user: string; port: number; hostKeys: ReturnType<typeof memoryHostKeys> };

beforeAll(async () => {
  sshd = await new TestSshd().start();
  base = { privateKey: new Secret(sshd.clientKey.privateKey), user: sshd.user, port: sshd.port, hostKeys: memoryHostKeys() };
});
afterAll(async () => {
  await sshd.dispose();
});

describe('runScript', () => {
  it('runs a script as the login user with /bin/sh, with env exported, and reports its output', async () => {
    const result = await runScript(loopbackNode('n-run'), 'echo "user=$(id -un) greeting=$GREETING"; echo oops >&2', {
      ...base,
      env: { GREETING: "it's fine" },
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`user=${sshd.user} greeting=it's fine\n`);
    expect(result.stderr).toBe('oops\n');
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(result.hostKey.fingerprint).toBe(sshd.hostKey.fingerprint);
  });

  it('rejects a non-zero exit with a ScriptError carrying the exit code and the output tail', async () => {
    const error = await runScript(loopbackNode('n-exit'), 'echo step one; echo "disk full" >&2; exit 3', base).catch((e: unknown) => e);
    expect(isScriptError(error)).toBe(true);
    if (!isScriptError(error)) return;
    expect(error.exitCode).toBe(3);
    expect(error.stdoutTail).toBe('step one\n');
    expect(error.stderrTail).toBe('disk full\n');
    expect(error.message).toContain('exited with 3: disk full');
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ name: 'ScriptError', exitCode: 3 });
  });

  it('returns the result instead of throwing when throwOnFailure is false', async () => {
    const result = await runScript(loopbackNode('n-exit2'), 'exit 7', { ...base, throwOnFailure: false });
    expect(result.exitCode).toBe(7);
  });

  it('keeps only the end of a large output in memory and says it was truncated', async () => {
    const script =
      'i=0; while [ $i -lt 40000 ]; do echo "line $i of a long output ......................................"; i=$((i+1)); done; echo LAST';
    const result = await runScript(loopbackNode('n-big'), script, { ...base, maxOutputBytes: 65_536 });
    expect(result.stdoutTruncated).toBe(true);
    expect(Buffer.byteLength(result.stdout)).toBeLessThanOrEqual(65_536);
    expect(result.stdout.endsWith('line 39999 of a long output ......................................\nLAST\n')).toBe(true);
    expect(result.stderrTruncated).toBe(false);
  });

  it('cuts a hung script at its timeout with a TimeoutError', async () => {
    const error = await runScript(loopbackNode('n-hung'), 'echo started; sleep 600', { ...base, timeoutMs: 500 }).catch((e: unknown) => e);
    expect(isTimeoutError(error)).toBe(true);
    expect((error as Error).message).toContain('did not finish within 500 ms');
  }, 30_000);

  it('stops on abort with the signal reason, once the script has started', async () => {
    const controller = new AbortController();
    const reason = new Error('user pressed Ctrl-C');
    const error = await runScript(loopbackNode('n-abort'), 'echo started; sleep 600', {
      ...base,
      signal: controller.signal,
      onOutput: () => controller.abort(reason),
    }).catch((e: unknown) => e);
    expect(error).toBe(reason);
  }, 30_000);

  it('fails with auth failed for a key the server does not accept, without retrying', async () => {
    const stranger = makeKey(sshd.dir, 'stranger');
    const error = await runScript(loopbackNode('n-auth'), 'true', { ...base, privateKey: new Secret(stranger.privateKey) }).catch(
      (e: unknown) => e,
    );
    expect(isSshConnectionError(error) && error.obstacle).toBe('auth failed');
  });

  it('rejects bad input before connecting, naming the field', async () => {
    const bad = [
      () => runScript(loopbackNode('n-bad'), '', base),
      () => runScript(loopbackNode('n-bad'), 'true', { ...base, privateKey: 'not a key' }),
      () => runScript(loopbackNode('n-bad'), 'true', { ...base, port: 70_000 }),
      () => runScript(loopbackNode('n-bad'), 'true', { ...base, env: { 'BAD-NAME': 'x' } }),
      () => runScript(loopbackNode('n-bad'), 'true', { ...base, expectedHostKey: 'MD5:aa' }),
    ];
    const fields = [];
    for (const call of bad) {
      const error = await call().catch((e: unknown) => e);
      expect(isInvalidRequestError(error)).toBe(true);
      fields.push((error as { field?: string }).field);
    }
    expect(fields).toEqual(['script', 'options.privateKey', 'options.port', 'options.env.BAD-NAME', 'options.expectedHostKey']);
  });
});

describe('waitForSsh', () => {
  it('waits for a server that starts late, and records its host key on first use', async () => {
    const late = new TestSshd();
    const port = await freePort();
    const seen: SshObstacle[] = [];
    try {
      const ready = await waitForSsh(loopbackNode('n-late'), {
        privateKey: new Secret(late.clientKey.privateKey),
        user: late.user,
        port,
        intervalMs: 50,
        maxIntervalMs: 200,
        timeoutMs: 60_000,
        hostKeys: memoryHostKeys(),
        onObstacle: (obstacle) => {
          seen.push(obstacle);
          // The server comes up only after the first refused attempt: ordering, not timing.
          if (seen.length === 1) void late.start(port);
        },
      });
      expect(seen[0]).toBe('refused');
      expect(ready.attempts).toBeGreaterThanOrEqual(2);
      expect(ready.hostKey).toEqual({ fingerprint: late.hostKey.fingerprint, algorithm: 'ssh-ed25519', firstUse: true });
      expect(ready.login).toEqual({ user: late.user, host: '127.0.0.1', port });
    } finally {
      await late.dispose();
    }
  }, 60_000);

  it('names the last obstacle when it gives up: no address', async () => {
    const error = await waitForSsh(loopbackNode('n-noaddr', { publicIps: [] }), {
      ...base,
      timeoutMs: 5_000,
      clock: new VirtualClock(),
    }).catch((e: unknown) => e);
    expect(isSshTimeoutError(error)).toBe(true);
    expect(isTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ obstacle: 'no address' });
    expect((error as Error).message).toContain('last obstacle: no address');
  });

  it('names the last obstacle when it gives up: auth failed', async () => {
    const stranger = makeKey(sshd.dir, 'stranger2');
    const error = await waitForSsh(loopbackNode('n-auth2'), {
      ...base,
      privateKey: new Secret(stranger.privateKey),
      timeoutMs: 2_000,
      intervalMs: 100,
      clock: new VirtualClock(),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'SshTimeoutError', obstacle: 'auth failed' });
    expect((error as { attempts: number }).attempts).toBeGreaterThanOrEqual(2);
  });
});

describe('host keys', () => {
  it('trusts on first use, then refuses a changed host key (runScript at once, waitForSsh at its timeout)', async () => {
    const server = await new TestSshd().start();
    const hostKeys = memoryHostKeys();
    const options = { privateKey: new Secret(server.clientKey.privateKey), user: server.user, port: server.port, hostKeys };
    try {
      const first = await runScript(loopbackNode('n-tofu'), 'true', options);
      expect(first.hostKey).toMatchObject({ fingerprint: server.hostKey.fingerprint, firstUse: true });
      const second = await runScript(loopbackNode('n-tofu'), 'true', options);
      expect(second.hostKey.firstUse).toBe(false);

      const before = server.hostKey.fingerprint;
      await server.stop();
      server.rotateHostKey();
      await server.start(server.port);
      expect(server.hostKey.fingerprint).not.toBe(before);

      const changed = await runScript(loopbackNode('n-tofu'), 'true', options).catch((e: unknown) => e);
      expect(changed).toMatchObject({ name: 'SshConnectionError', obstacle: 'host key changed' });
      expect((changed as Error).message).toContain(server.hostKey.fingerprint);
      const waited = await waitForSsh(loopbackNode('n-tofu'), {
        ...options,
        timeoutMs: 1_000,
        intervalMs: 100,
        clock: new VirtualClock(),
      }).catch((e: unknown) => e);
      expect(waited).toMatchObject({ name: 'SshTimeoutError', obstacle: 'host key changed' });
      // The recorded key was not replaced by the new one.
      expect(hostKeys.get('local:n-tofu')).toBe(before);
    } finally {
      await server.dispose();
    }
  }, 60_000);

  it('checks an expected fingerprint instead of trusting on first use', async () => {
    const right = await runScript(loopbackNode('n-exp'), 'true', {
      ...base,
      hostKeys: memoryHostKeys(),
      expectedHostKey: sshd.hostKey.fingerprint,
    });
    expect(right.hostKey).toMatchObject({ fingerprint: sshd.hostKey.fingerprint, firstUse: false });
    const wrong = await runScript(loopbackNode('n-exp2'), 'true', {
      ...base,
      hostKeys: memoryHostKeys(),
      expectedHostKey: `SHA256:${'A'.repeat(43)}`,
    }).catch((e: unknown) => e);
    expect(wrong).toMatchObject({ obstacle: 'host key changed' });
  });
});

describe('secrets', () => {
  it('never shows the private key in errors, JSON or inspect, even when passed as a plain string', async () => {
    const material = keyMaterial(sshd.clientKey.privateKey);
    const stranger = makeKey(sshd.dir, 'stranger3');
    const failures = await Promise.all([
      runScript(loopbackNode('n-s1'), 'exit 1', { ...base, privateKey: sshd.clientKey.privateKey }).catch((e: unknown) => e),
      runScript(loopbackNode('n-s2'), 'true', { ...base, privateKey: stranger.privateKey }).catch((e: unknown) => e),
      waitForSsh(loopbackNode('n-s3', { publicIps: [] }), {
        ...base,
        privateKey: sshd.clientKey.privateKey,
        timeoutMs: 10,
        clock: new VirtualClock(),
      }).catch((e: unknown) => e),
    ]);
    for (const error of failures) {
      expect(error).toBeInstanceOf(Error);
      const shown = [inspect(error, { depth: 10 }), JSON.stringify(error), String(error), (error as Error).stack ?? ''].join('\n');
      expect(shown).not.toContain(material);
      expect(shown).not.toContain(keyMaterial(stranger.privateKey));
      expect(shown).not.toContain('PRIVATE KEY');
    }
    expect(inspect(base)).not.toContain(material);
    expect(JSON.stringify(base)).not.toContain(material);
  });
});
