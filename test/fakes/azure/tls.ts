/**
 * A throwaway self-signed certificate for `127.0.0.1`, made with the `openssl` command at test
 * time: the Azure SDKs send bearer tokens over TLS only, so the fake must speak HTTPS. The driver
 * trusts it through its `caCertificate` option. Nothing here is a secret: the key dies with the test.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate and its key, PEM. */
export interface LoopbackCertificate {
  readonly cert: string;
  readonly key: string;
}

let made: LoopbackCertificate | undefined;

/** The certificate (made once per process). */
export function loopbackCertificate(): LoopbackCertificate {
  if (made) return made;
  const dir = mkdtempSync(join(tmpdir(), 'polycloud-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    made = { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
    return made;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
