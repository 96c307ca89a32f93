/**
 * OpenStack error bodies → the REST layer's error detail. Nova keys its fault by name
 * (`{"itemNotFound": {"code": 404, "message": "…"}}`, `badRequest`, `forbidden`, `overLimit`,
 * `conflictingRequest`, see Nova's `faults.rst`); Keystone sends
 * `{"error": {"code": 401, "title": "Unauthorized", "message": "…"}}`; Glance's body is not
 * documented, so only its status counts.
 *
 * @module
 */
import type { ProviderErrorDetail } from '../../src/kit.js';

/** Reads a Nova or Keystone error body. */
export function parseOpenStackError(body: unknown, status: number): ProviderErrorDetail | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const entries = Object.entries(body as Record<string, unknown>);
  if (entries.length !== 1) return undefined;
  const [name, fault] = entries[0] as [string, unknown];
  if (typeof fault !== 'object' || fault === null) return undefined;
  const message = typeof (fault as { message?: unknown }).message === 'string' ? (fault as { message: string }).message : undefined;
  const code = name === 'error' ? String((fault as { title?: unknown }).title ?? status) : name;
  const quota = name === 'overLimit' || (status === 403 && /quota/i.test(message ?? ''));
  return { code, ...(message ? { message } : {}), ...(quota ? { kind: status === 429 ? 'rate-limit' : 'quota' } : {}) };
}
