/**
 * Endpoint overrides: real endpoints are HTTPS; plain HTTP is accepted only on loopback, where
 * the tests' fake servers run.
 *
 * @module
 */
import { InvalidRequestError, type ErrorSource } from './errors.js';
import { redactUrl } from './secrets.js';

/**
 * True for `localhost`, 127.0.0.0/8 and ::1 — decided from the text alone, never by resolving.
 * `*.localhost` names (e.g. `evil.localhost`) are not loopback here: RFC 6761 lets resolvers
 * send them to loopback, but nothing guarantees the resolver in use does, and plain http to a
 * host that resolves elsewhere would expose the token.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (host === 'localhost') return true;
  // node:net is fetched here, not imported: loading it costs every `import('polycloud')` milliseconds.
  const { isIP } = process.getBuiltinModule('node:net');
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * Parses and checks an endpoint URL: `https:` anywhere, `http:` only on loopback.
 * Returns the URL without a trailing slash.
 */
export function checkEndpoint(endpoint: unknown, provider: ErrorSource, field = 'endpoint'): string {
  const fail = (expected: string): never => {
    // The URL is shown without its user info or query values, which may be credentials.
    throw new InvalidRequestError(`"${field}" must be ${expected}, got ${JSON.stringify(redactUrl(String(endpoint)))}`, {
      provider,
      operation: 'configure',
      field,
    });
  };
  if (typeof endpoint !== 'string' || endpoint === '') return fail('a URL string');
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return fail('an absolute http(s) URL');
  }
  if (url.username || url.password) fail('a URL without credentials in it');
  if (url.protocol === 'https:') return url.toString().replace(/\/+$/, '');
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url.toString().replace(/\/+$/, '');
  return fail('an https:// URL (plain http:// is accepted only for loopback addresses)');
}
