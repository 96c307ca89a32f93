/**
 * The OpenStack driver against the OpenStack fake, with planted credentials the secret scans look for.
 */
import { createOpenStackDriver, type OpenStackDriver, type OpenStackDriverOptions } from '../../providers/openstack/index.js';
import { startOpenStackFake, type OpenStackFake, type OpenStackFakeOptions } from '../fakes/openstack/index.js';

export const OPENSTACK_PLANTED = {
  password: 'os-planted-PASSWORD-4f1c9e7b2a',
  applicationCredentialSecret: 'os-planted-APPCRED-secret-8d3b6a0f5c',
} as const;

export const OPENSTACK_USER = { name: 'demo', password: OPENSTACK_PLANTED.password, project: 'demo-project' };
export const OPENSTACK_APP_CREDENTIAL = { id: 'a9b8c7d6e5f4', secret: OPENSTACK_PLANTED.applicationCredentialSecret };

/** Starts the fake and a driver authenticating with a password (or the given options). */
export async function startOpenStack(
  fakeOptions: Partial<OpenStackFakeOptions> = {},
  driverOptions: Partial<OpenStackDriverOptions> = {},
): Promise<{ fake: OpenStackFake; driver: OpenStackDriver }> {
  const fake = await startOpenStackFake({ user: OPENSTACK_USER, applicationCredential: OPENSTACK_APP_CREDENTIAL, ...fakeOptions });
  const driver = createOpenStackDriver({
    authUrl: fake.authUrl,
    username: OPENSTACK_USER.name,
    password: OPENSTACK_USER.password,
    projectName: OPENSTACK_USER.project,
    userDomainName: 'Default',
    projectDomainName: 'Default',
    region: fakeOptions.region ?? 'GRA11',
    retry: { retries: 2, minDelayMs: 10, maxDelayMs: 50, jitter: false },
    requestTimeoutMs: 10_000,
    ...driverOptions,
  });
  return { fake, driver };
}
