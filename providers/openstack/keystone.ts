/**
 * Keystone v3 authentication: a project-scoped token from a password or an application
 * credential (`POST {auth_url}/v3/auth/tokens`; the token comes back in `X-Subject-Token`), cached
 * and renewed a margin before `expires_at`, and the service catalog's public endpoints of the
 * configured region for `compute` and `image`. Concurrent callers share one token request.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import {
  ConfigurationError,
  Secret,
  createRestClient,
  malformedResponse,
  registerSecret,
  systemClock,
  type Clock,
  type RestClient,
  type RetryOptions,
} from '../../src/kit.js';
import { parseOpenStackError } from './errors.js';

/** How to authenticate. */
export type OpenStackAuth =
  | {
      readonly type: 'password';
      readonly username: string;
      readonly password: Secret;
      readonly userDomainName: string;
      readonly projectName: string;
      readonly projectDomainName: string;
    }
  | { readonly type: 'application-credential'; readonly id: string; readonly secret: Secret };

/** A catalog entry as Keystone sends it. */
interface CatalogService {
  readonly type?: string;
  readonly endpoints?: readonly {
    readonly interface?: string;
    readonly region_id?: string;
    readonly region?: string;
    readonly url?: string;
  }[];
}

/** What one token gives: itself, when it dies, and the endpoints it reaches. */
export interface KeystoneSession {
  readonly token: Secret;
  readonly expiresAt: number;
  /** Public endpoint URL per service type, for the configured region. */
  readonly endpoints: Readonly<Record<string, string>>;
}

/** The token cache. */
export interface Keystone {
  /** A valid session: the cached one, or a new one when it is missing or within the renewal margin of expiry. */
  session(signal?: AbortSignal): Promise<KeystoneSession>;
  /** Forgets the cached token (after the service refused it). */
  invalidate(token: Secret): void;
}

/** Renew this long before the token's `expires_at`. */
export const RENEW_MARGIN_MS = 120_000;

/** Creates the token cache. Contacts nothing until the first `session()`. */
export function createKeystone(settings: {
  readonly authUrl: string;
  readonly auth: OpenStackAuth;
  readonly region: string;
  readonly interface: string;
  readonly clock?: Clock;
  readonly retry?: RetryOptions;
  readonly timeoutMs?: number;
}): Keystone {
  const clock = settings.clock ?? systemClock;
  // The identity endpoint without its version: `https://auth.example/v3` → `https://auth.example`.
  const identity = settings.authUrl.replace(/\/+$/, '').replace(/\/v3$/, '');
  // Keystone's token request carries its credentials in the body; no header token is sent.
  const client: RestClient = createRestClient({
    provider: 'openstack',
    endpoint: identity,
    token: new Secret(randomUUID()),
    authHeaders: () => ({}),
    parseErrorBody: parseOpenStackError,
    requestIdHeaders: ['x-openstack-request-id'],
    ...(settings.retry ? { retry: settings.retry } : {}),
    ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
  });
  let current: KeystoneSession | undefined;
  let pending: Promise<KeystoneSession> | undefined;

  function body(): unknown {
    const { auth } = settings;
    if (auth.type === 'application-credential') {
      return {
        auth: { identity: { methods: ['application_credential'], application_credential: { id: auth.id, secret: auth.secret.reveal() } } },
      };
    }
    return {
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: auth.username, domain: { name: auth.userDomainName }, password: auth.password.reveal() } },
        },
        scope: { project: { name: auth.projectName, domain: { name: auth.projectDomainName } } },
      },
    };
  }

  async function issue(signal?: AbortSignal): Promise<KeystoneSession> {
    const response = await client.request<{ token?: { expires_at?: string; catalog?: CatalogService[] } }>({
      method: 'POST',
      path: '/v3/auth/tokens',
      body: body(),
      // A token request creates nothing: repeating it is safe.
      idempotent: true,
      operation: 'authenticate',
      ...(signal ? { signal } : {}),
    });
    const tokenText = response.headers['x-subject-token'];
    if (!tokenText)
      throw malformedResponse(
        'Keystone answered without an X-Subject-Token header',
        { provider: 'openstack', operation: 'authenticate' },
        response.status,
        response.requestId,
      );
    registerSecret(tokenText);
    const expiresAt = Date.parse(response.data?.token?.expires_at ?? '');
    const endpoints: Record<string, string> = {};
    for (const service of response.data?.token?.catalog ?? []) {
      const match = service.endpoints?.find(
        (endpoint) => endpoint.interface === settings.interface && (endpoint.region_id ?? endpoint.region) === settings.region,
      );
      if (service.type && match?.url) endpoints[service.type] = match.url.replace(/\/+$/, '');
    }
    for (const needed of ['compute', 'image']) {
      if (!endpoints[needed]) {
        throw new ConfigurationError(
          `the Keystone catalog has no ${settings.interface} ${needed} endpoint in region ${JSON.stringify(settings.region)}: check OS_REGION_NAME`,
          { provider: 'openstack', operation: 'authenticate' },
        );
      }
    }
    return { token: new Secret(tokenText), expiresAt: Number.isNaN(expiresAt) ? clock.now() + 3_600_000 : expiresAt, endpoints };
  }

  return {
    async session(signal) {
      if (current && current.expiresAt - RENEW_MARGIN_MS > clock.now()) return current;
      pending ??= issue(signal).finally(() => {
        pending = undefined;
      });
      current = await pending;
      return current;
    },
    invalidate(token) {
      if (current?.token === token) current = undefined;
    },
  };
}
