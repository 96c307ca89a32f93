/**
 * The OpenStack driver as the reliability suite (and its child process) makes it: password
 * authentication with a planted password (sent to Keystone only), the given retry budget with
 * short pauses, Keystone reached through the fault proxy (the catalog then points back at it).
 */
import { createOpenStackDriver, type OpenStackDriver } from '../../../providers/openstack/index.js';
import type { ReliabilityDriverOptions } from '../suite.js';

/** Recognisable credentials the secret scan looks for. */
export const OPENSTACK_REL_PLANTED = { password: 'os-rel-planted-PASSWORD-2b7e9c4a1f6d' } as const;
export const OPENSTACK_REL_USER = { name: 'rel-user', password: OPENSTACK_REL_PLANTED.password, project: 'rel-project' };

export function makeReliabilityDriver(endpoint: string, options: ReliabilityDriverOptions): OpenStackDriver {
  return createOpenStackDriver({
    authUrl: `${endpoint.replace(/\/+$/, '')}/identity/v3`,
    username: OPENSTACK_REL_USER.name,
    password: OPENSTACK_REL_USER.password,
    projectName: OPENSTACK_REL_USER.project,
    userDomainName: 'Default',
    projectDomainName: 'Default',
    region: 'GRA11',
    retry: { retries: options.retries, minDelayMs: 20, maxDelayMs: 100, jitter: false },
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.bounds ? { bounds: options.bounds } : {}),
  });
}
