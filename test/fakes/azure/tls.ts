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

/**
 * Where the certificate is handed to child processes (the reliability suite's exit check runs a
 * driver in a child, which must trust the same certificate as its parent's proxy).
 */
const SHARED_ENV = { cert: 'POLYCLOUD_TEST_TLS_CERT', key: 'POLYCLOUD_TEST_TLS_KEY' } as const;

/** The certificate (made once per process tree: children inherit it through the environment). */
export function loopbackCertificate(): LoopbackCertificate {
  if (made) return made;
  const inheritedCert = process.env[SHARED_ENV.cert];
  const inheritedKey = process.env[SHARED_ENV.key];
  if (inheritedCert && inheritedKey) {
    made = { cert: inheritedCert, key: inheritedKey };
    return made;
  }
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
    process.env[SHARED_ENV.cert] = made.cert;
    process.env[SHARED_ENV.key] = made.key;
    return made;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
