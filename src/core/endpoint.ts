/**
 * Endpoint overrides: real endpoints are HTTPS; plain HTTP is accepted only on loopback, where
 * the tests' fake servers run.
 *
 * @module
 */
import { isIP } from 'node:net';
import { InvalidRequestError, type ErrorSource } from './errors.js';

/** True for `localhost`, 127.0.0.0/8 and ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
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
    throw new InvalidRequestError(`"${field}" must be ${expected}, got ${JSON.stringify(String(endpoint))}`, {
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
