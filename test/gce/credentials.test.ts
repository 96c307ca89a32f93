/**
 * Credentials and project as Google's own libraries find them, through the real SDK and
 * google-auth-library against loopback fakes:
 *
 * - no credentials → an `AuthenticationError` saying how to log in, nothing sent, and no unhandled
 *   rejection left behind inside the SDK's client set-up;
 * - no `project` option or variable → the project of the key file, else gcloud's configured
 *   project (a fake `gcloud` on `PATH`), else a `ConfigurationError` saying how to set one;
 * - the metadata server is asked only when the credentials came from it (a loopback fake stands
 *   in for it through `GCE_METADATA_HOST` and records every request).
 */
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { createGceApi, type GceApi, type GceApiSettings } from '../../providers/gce/api.js';
import { createGceDriver, type GceDriver, type GceDriverOptions } from '../../providers/gce/index.js';
import { safeLogger } from '../../src/core/logger.js';
import { systemClock } from '../../src/core/clock.js';
import { mapGceError } from '../../providers/gce/errors.js';
import { isAuthenticationError, isConfigurationError } from '../../src/core/errors.js';
import { startFakeServer, type FakeServer } from '../fakes/http-server.js';
import { startGceFake, type GceFake } from '../fakes/gce/index.js';
import { rejectionOf } from '../conformance/suite.js';

/** Every variable google-auth-library or gcloud reads for credentials, project or the metadata server. */
const GOOGLE_VARIABLES = [
  'GOOGLE_APPLICATION_CREDENTIALS',
  'GOOGLE_CLOUD_PROJECT',
  'GCLOUD_PROJECT',
  'gcloud_project',
  'google_cloud_project',
  'CLOUDSDK_CORE_PROJECT',
  'CLOUDSDK_CONFIG',
  'GCE_METADATA_HOST',
  'GCE_METADATA_IP',
  'METADATA_SERVER_DETECTION',
  'PATH',
] as const;

const saved = Object.fromEntries(GOOGLE_VARIABLES.map((name) => [name, process.env[name]]));
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let dir: string;
let fake: GceFake | undefined;
let metadata: (FakeServer & { readonly paths: string[] }) | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'polycloud-gce-creds-'));
  process.on('unhandledRejection', onUnhandled);
});

afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  rmSync(dir, { recursive: true, force: true });
});

let caseNumber = 0;
let caseDir: string;
beforeEach(() => {
  caseDir = join(dir, `case-${++caseNumber}`);
  mkdirSync(join(caseDir, 'gcloud-config'), { recursive: true });
  mkdirSync(join(caseDir, 'bin'));
  for (const name of GOOGLE_VARIABLES) delete process.env[name];
  // An empty gcloud configuration directory: no Application Default Credentials file.
  process.env.CLOUDSDK_CONFIG = join(caseDir, 'gcloud-config');
  process.env.METADATA_SERVER_DETECTION = 'none';
  // Only the fake gcloud can be found: the machine's own must never run from a test.
  process.env.PATH = join(caseDir, 'bin');
  writeGcloud(undefined);
  unhandled.length = 0;
});

afterEach(async () => {
  // Whatever credential source the driver used, what reached Compute must fit the official document.
  expect(fake?.violations ?? []).toEqual([]);
  expect(fake?.responseViolations ?? []).toEqual([]);
  await fake?.close();
  fake = undefined;
  await metadata?.close();
  metadata = undefined;
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** A `gcloud` that answers `config config-helper --format json` with `project` as the core project, or fails as gcloud does with no account. */
function writeGcloud(project: string | undefined): void {
  const script =
    project === undefined
      ? '#!/bin/sh\necho "ERROR: (gcloud.config.config-helper) You do not currently have an active account selected." >&2\nexit 1\n'
      : `#!/bin/sh\necho '${JSON.stringify({ configuration: { properties: { core: { project } } } })}'\n`;
  const path = join(caseDir, 'bin', 'gcloud');
  writeFileSync(path, script);
  chmodSync(path, 0o755);
}

/** A service account key file with a fresh RSA key; `projectId` becomes its `project_id` when given. */
function writeKeyFile(projectId: string | undefined): string {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const key = {
    type: 'service_account',
    ...(projectId ? { project_id: projectId } : {}),
    private_key_id: 'a1b2c3',
    private_key: privateKey,
    client_email: 'ci@polycloud-test.iam.gserviceaccount.com',
    client_id: '1234567890',
    token_uri: 'https://oauth2.googleapis.com/token',
  };
  const path = join(caseDir, 'key.json');
  writeFileSync(path, JSON.stringify(key));
  return path;
}

/** A loopback stand-in for the GCE metadata server: a token for the default service account and a project id. */
async function startMetadataFake(project: string, token: string): Promise<FakeServer & { readonly paths: string[] }> {
  const paths: string[] = [];
  const server = await startFakeServer((request) => {
    paths.push(request.path);
    const headers = { 'metadata-flavor': 'Google' };
    if (request.path === '/computeMetadata/v1/project/project-id') return { status: 200, headers, body: project };
    if (request.path === '/computeMetadata/v1/instance/service-accounts/default/token') {
      return { status: 200, headers, body: { access_token: token, expires_in: 3600, token_type: 'Bearer' } };
    }
    return { status: 404, headers, body: 'not found' };
  });
  return Object.assign(server, { paths });
}

/** A driver on the Compute fake with no credentials or project given: all comes from the environment. */
function driverOn(target: GceFake, options: Partial<GceDriverOptions> = {}): GceDriver {
  return createGceDriver({ endpoint: target.url, retry: { retries: 0 }, ...options });
}

const CONTEXT = { operation: 'listNodes', idempotent: true } as const;

/** The API layer alone, with `settings` (credentials, project) over defaults. */
function apiWith(settings: Partial<GceApiSettings>): GceApi {
  return createGceApi({
    clock: systemClock,
    logger: safeLogger(undefined),
    operationTimeoutMs: 60_000,
    requestTimeoutMs: 10_000,
    endpoint: 'http://127.0.0.1:9',
    ...settings,
  });
}

/** Runs `work` while recording every socket connection the process attempts. */
async function connectionsDuring<T>(work: () => Promise<T>): Promise<{ readonly result: T; readonly targets: string[] }> {
  const targets: string[] = [];
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const [first] = args as [unknown];
    const options = (typeof first === 'object' && first !== null ? first : { port: first }) as {
      host?: string;
      port?: unknown;
      path?: string;
    };
    targets.push(options.path ?? `${options.host ?? 'localhost'}:${String(options.port)}`);
    return (original as (...rest: unknown[]) => net.Socket).apply(this, args);
  } as typeof original;
  try {
    return { result: await work(), targets };
  } finally {
    net.Socket.prototype.connect = original;
  }
}

/** Lets Node report any rejection left unhandled by the call just made. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 3; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

describe('gce without credentials', () => {
  it('is an AuthenticationError saying how to log in, sends nothing, and leaves no unhandled rejection', async () => {
    fake = await startGceFake({ project: 'polycloud-test' });
    const driver = driverOn(fake, { project: 'polycloud-test' });
    const error = await rejectionOf(driver.listSizes({ location: 'us-central1-a' }));
    await settle();
    expect(isAuthenticationError(error), String(error)).toBe(true);
    expect((error as Error).message).toContain('gcloud auth application-default login');
    expect((error as Error).message).toContain('GOOGLE_APPLICATION_CREDENTIALS');
    expect(error).toMatchObject({ provider: 'gce', operation: 'listSizes' });
    expect(fake.requests).toEqual([]);
    expect(unhandled).toEqual([]);
  });

  it('fails the same way on every call (nothing cached), still without unhandled rejections', async () => {
    fake = await startGceFake({ project: 'polycloud-test' });
    const driver = driverOn(fake);
    const first = await rejectionOf(driver.listNodes());
    const second = await rejectionOf(driver.getNode('us-central1-a.web-1'));
    await settle();
    expect([isAuthenticationError(first), isAuthenticationError(second)]).toEqual([true, true]);
    expect(fake.requests).toEqual([]);
    expect(unhandled).toEqual([]);
  });

  it('maps google-auth-library failures that are not about credentials as they were', () => {
    expect(isAuthenticationError(mapGceError(new Error('socket hang up'), { operation: 'listSizes' }))).toBe(false);
  });
});

describe('gce project discovery', () => {
  // A key file's own token is fetched from Google's fixed token URL whenever the endpoint is not
  // Google's, so these cases stop at the API layer's project (connected, nothing sent), and
  // the socket spy shows that not even a connection was attempted.
  it('takes the project_id of the key file (keyFilename)', async () => {
    const api = apiWith({ keyFilename: writeKeyFile('key-file-project') });
    const connections = await connectionsDuring(() => api.project(CONTEXT));
    expect(connections.result).toBe('key-file-project');
    expect(connections.targets).toEqual([]);
  });

  it("takes gcloud's configured project when the key names none (GOOGLE_APPLICATION_CREDENTIALS)", async () => {
    process.env.GOOGLE_APPLICATION_CREDENTIALS = writeKeyFile(undefined);
    writeGcloud('gcloud-project');
    const api = apiWith({});
    const connections = await connectionsDuring(() => api.project(CONTEXT));
    expect(connections.result).toBe('gcloud-project');
    expect(connections.targets).toEqual([]);
  });

  it('prefers the project variable over the credentials, end to end', async () => {
    process.env.GOOGLE_CLOUD_PROJECT = 'variable-project';
    process.env.METADATA_SERVER_DETECTION = 'assume-present';
    metadata = await startMetadataFake('metadata-project', 'ya29.metadata-token');
    process.env.GCE_METADATA_HOST = `127.0.0.1:${metadata.port}`;
    fake = await startGceFake({ project: 'variable-project', token: 'ya29.metadata-token' });
    await driverOn(fake).listNodes();
    expect(fake.served.map((request) => request.path)).toEqual(['/compute/v1/projects/variable-project/aggregated/instances']);
    expect(metadata.paths).not.toContain('/computeMetadata/v1/project/project-id');
  });

  it('with no project anywhere is a ConfigurationError saying how to set one, and never asks the metadata server', async () => {
    // Detection left to the library's default: only polycloud's rule keeps the metadata server out.
    delete process.env.METADATA_SERVER_DETECTION;
    metadata = await startMetadataFake('metadata-project', 'ya29.metadata-token');
    process.env.GCE_METADATA_HOST = `127.0.0.1:${metadata.port}`;
    fake = await startGceFake({ project: 'metadata-project' });
    const driver = driverOn(fake, { keyFilename: writeKeyFile(undefined) });
    const error = await rejectionOf(driver.listNodes());
    await settle();
    expect(isConfigurationError(error), String(error)).toBe(true);
    expect((error as Error).message).toContain('GOOGLE_CLOUD_PROJECT');
    expect((error as Error).message).toContain('gcloud config set project');
    expect(metadata.paths).toEqual([]);
    expect(fake.requests).toEqual([]);
    expect(unhandled).toEqual([]);
  });

  it('on Google Cloud (credentials from the metadata server) takes the project from it too', async () => {
    process.env.METADATA_SERVER_DETECTION = 'assume-present';
    metadata = await startMetadataFake('metadata-project', 'ya29.metadata-token');
    process.env.GCE_METADATA_HOST = `127.0.0.1:${metadata.port}`;
    fake = await startGceFake({ project: 'metadata-project', token: 'ya29.metadata-token' });
    const driver = driverOn(fake);
    await driver.listNodes();
    expect(fake.served.map((request) => request.path)).toEqual(['/compute/v1/projects/metadata-project/aggregated/instances']);
    expect(metadata.paths).toContain('/computeMetadata/v1/project/project-id');
  });
});
