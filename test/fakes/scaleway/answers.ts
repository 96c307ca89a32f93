/**
 * How the Scaleway APIs answer, as recorded by scaleway-cli's cassettes: JSON bodies with an
 * `x-request-id`, error bodies (`not_found`, `invalid_arguments`, `invalid_request_error`), the
 * actions each server state allows, and the two paging styles.
 */
import { randomUUID } from 'node:crypto';
import type { FakeResponse, RecordedRequest } from '../http-server.js';

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse => ({
  status,
  headers: { 'x-request-id': randomUUID(), ...headers },
  body,
});
export const notFound = (resource: string, id: string) =>
  json(404, { type: 'not_found', message: 'resource is not found', resource, resource_id: id });
export const invalidArgument = (argument: string, help: string) =>
  json(400, {
    type: 'invalid_arguments',
    message: 'invalid argument(s)',
    details: [{ argument_name: argument, reason: 'constraint', help_message: help }],
  });
export const refused = (message: string) => json(400, { type: 'invalid_request_error', message });

export const ALLOWED_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  stopped: ['poweron', 'backup'],
  running: ['poweroff', 'terminate', 'reboot', 'stop_in_place', 'backup'],
  starting: [],
  stopping: [],
};

/** One page of `entries` as Instance lists send it: `X-Total-Count` and a `Link` header relative to the zone. */
export function instancePage(
  request: RecordedRequest,
  path: string,
  entries: readonly unknown[],
  wrap: (page: unknown[]) => unknown,
): FakeResponse {
  const perPage = Number(request.query.get('per_page') ?? '50');
  const page = Number(request.query.get('page') ?? '1');
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) return invalidArgument('per_page', 'must be between 1 and 100');
  const last = Math.max(1, Math.ceil(entries.length / perPage));
  const link = (n: number, rel: string) => `<${path}?page=${n}&per_page=${perPage}&>; rel="${rel}"`;
  const links = [...(page < last ? [link(page + 1, 'next')] : []), link(last, 'last')];
  return json(200, wrap(entries.slice((page - 1) * perPage, page * perPage)), {
    'x-total-count': String(entries.length),
    link: links.join(','),
  });
}
/** One page as Marketplace and IAM lists send it: `total_count` in the body. */
export function bodyPage(request: RecordedRequest, key: string, entries: readonly unknown[]): FakeResponse {
  const size = Number(request.query.get('page_size') ?? '20');
  const page = Number(request.query.get('page') ?? '1');
  return json(200, { [key]: entries.slice((page - 1) * size, page * size), total_count: entries.length });
}
