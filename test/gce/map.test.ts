/**
 * The gce driver's pure parts: the state map for every Compute status, node and image ids,
 * filters, OS parsing, request ids, and the error table. (The wire behaviour is in
 * protocol.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { NODE_STATES } from '../../src/core/types.js';
import { requestIdForKey } from '../../providers/gce/create.js';
import { mapGceError, operationError } from '../../providers/gce/errors.js';
import { NODE_ID_PATTERN, buildInstanceFilter, mapInstanceState, osOfFamily, parseImageId, parseNodeId } from '../../providers/gce/map.js';
import { parseFilter } from '../fakes/gce/filter.js';

/** An error as google-gax's REST transport raises it: gRPC code, HTTP status and the raw body. */
function gaxError(httpStatus: number, grpcCode: number, body: unknown): Error {
  const error = Object.assign(new Error('request failed'), { code: grpcCode, httpStatusCode: httpStatus });
  Object.defineProperty(error, Symbol.for('google-gax.rawHttpResponsePayload'), { value: JSON.stringify(body) });
  return error;
}

describe('gce state map', () => {
  it('maps every Compute instance status, TERMINATED to stopped', () => {
    const table = Object.fromEntries(
      [
        'PROVISIONING',
        'STAGING',
        'RUNNING',
        'STOPPING',
        'STOPPED',
        'SUSPENDING',
        'SUSPENDED',
        'REPAIRING',
        'TERMINATED',
        'PENDING',
        'PENDING_STOP',
        'DEPROVISIONING',
      ].map((status) => [status, mapInstanceState(status)]),
    );
    expect(table).toEqual({
      PROVISIONING: 'pending',
      STAGING: 'pending',
      RUNNING: 'running',
      STOPPING: 'stopping',
      STOPPED: 'stopped',
      SUSPENDING: 'stopping',
      SUSPENDED: 'stopped',
      REPAIRING: 'pending',
      TERMINATED: 'stopped',
      PENDING: 'pending',
      PENDING_STOP: 'stopping',
      DEPROVISIONING: 'stopping',
    });
    expect(Object.values(table).every((state) => NODE_STATES.includes(state))).toBe(true);
    expect(mapInstanceState('SOMETHING_NEW')).toBe('unknown');
    expect(mapInstanceState(undefined)).toBe('unknown');
  });
});

describe('gce ids', () => {
  it('names nodes <zone>.<name> and parses them back', () => {
    expect(NODE_ID_PATTERN.pattern.test('us-central1-a.web-1')).toBe(true);
    expect(parseNodeId('us-central1-a.web-1')).toEqual({ zone: 'us-central1-a', name: 'web-1' });
    for (const bad of ['web-1', 'us-central1-a/web-1', 'us-central1-a.Web', 'us-central1-a.web-', '../etc', 'us-central1-a.web.1']) {
      expect(NODE_ID_PATTERN.pattern.test(bad), bad).toBe(false);
    }
  });

  it('reads image ids as <project>:<family or image>', () => {
    expect(parseImageId('ubuntu-os-cloud:ubuntu-2404-lts-amd64')).toEqual({ project: 'ubuntu-os-cloud', name: 'ubuntu-2404-lts-amd64' });
    expect(parseImageId('example.com:my-project:golden-image')).toEqual({ project: 'example.com:my-project', name: 'golden-image' });
    expect(parseImageId('ubuntu-2404-lts-amd64')).toBeUndefined();
  });

  it('derives one RFC 4122 requestId per project and key', () => {
    const id = requestIdForKey('polycloud-test', 'deploy-42');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(requestIdForKey('polycloud-test', 'deploy-42')).toBe(id);
    expect(requestIdForKey('polycloud-test', 'deploy-43')).not.toBe(id);
    expect(requestIdForKey('other-project', 'deploy-42')).not.toBe(id);
  });

  it('reads OS family and version from image families', () => {
    expect(osOfFamily('ubuntu-2404-lts-amd64')).toEqual({ family: 'ubuntu', version: '24.04' });
    expect(osOfFamily('ubuntu-minimal-2204-lts')).toEqual({ family: 'ubuntu', version: '22.04' });
    expect(osOfFamily('debian-12-arm64')).toEqual({ family: 'debian', version: '12' });
    expect(osOfFamily('rocky-linux-9')).toBeUndefined();
  });
});

describe('gce filters', () => {
  it('builds label and status filters in the regular-expression syntax, which the fake grammar accepts', () => {
    const filter = buildInstanceFilter({ team: 'web', 'cost-center': 'a-1' }, ['running', 'pending']);
    expect(filter).toBe(
      '(labels.team eq "web") (labels.cost-center eq "a-1") (status eq "PENDING|PROVISIONING|STAGING|RUNNING|REPAIRING")',
    );
    const matches = parseFilter(filter);
    expect(matches({ status: 'RUNNING', labels: { team: 'web', 'cost-center': 'a-1' } })).toBe(true);
    expect(matches({ status: 'TERMINATED', labels: { team: 'web', 'cost-center': 'a-1' } })).toBe(false);
    expect(matches({ status: 'RUNNING', labels: { team: 'web2', 'cost-center': 'a-1' } })).toBe(false);
    expect(buildInstanceFilter(undefined, undefined)).toBeUndefined();
    expect(buildInstanceFilter(undefined, ['terminated'])).toBeNull();
    // No Compute label can carry these, so nothing can match.
    expect(buildInstanceFilter({ Team: 'web' }, undefined)).toBeNull();
    expect(buildInstanceFilter({ team: 'Web Team' }, undefined)).toBeNull();
  });

  it('rejects filters mixing the two syntaxes, as Compute does', () => {
    expect(() => parseFilter('(labels.team eq "web") (status = "RUNNING")')).toThrow(/mixed/);
    expect(parseFilter('(status = "RUNNING") OR (status = "STAGING")')({ status: 'STAGING' })).toBe(true);
  });
});

describe('gce errors', () => {
  const context = { operation: 'getNode', nodeId: 'us-central1-a.web-1', location: 'us-central1-a' };
  const body = (code: number, status: string, reason: string) => ({
    error: { code, message: `${reason} happened`, status, errors: [{ reason, domain: 'global', message: `${reason} happened` }] },
  });

  it('maps HTTP status, status and reason to the CloudError kinds', () => {
    const cases: [number, number, string, string, string][] = [
      [404, 5, 'NOT_FOUND', 'notFound', 'NodeNotFoundError'],
      [429, 8, 'RESOURCE_EXHAUSTED', 'rateLimitExceeded', 'RateLimitError'],
      [403, 7, 'PERMISSION_DENIED', 'rateLimitExceeded', 'RateLimitError'],
      [403, 7, 'PERMISSION_DENIED', 'quotaExceeded', 'QuotaError'],
      [429, 8, 'RESOURCE_EXHAUSTED', 'quotaExceeded', 'QuotaError'],
      [403, 7, 'PERMISSION_DENIED', 'forbidden', 'PermissionError'],
      [401, 16, 'UNAUTHENTICATED', 'authError', 'AuthenticationError'],
      [409, 6, 'ALREADY_EXISTS', 'alreadyExists', 'ConflictError'],
      [400, 3, 'INVALID_ARGUMENT', 'invalid', 'InvalidRequestError'],
      [503, 14, 'UNAVAILABLE', 'backendError', 'ProviderUnavailableError'],
      [500, 13, 'INTERNAL', 'internalError', 'ProviderUnavailableError'],
    ];
    const mapped = cases.map(([http, grpc, status, reason]) => mapGceError(gaxError(http, grpc, body(http, status, reason)), context));
    expect(mapped.map((error) => error.name)).toEqual(cases.map((each) => each[4]));
    expect(mapped.every((error) => error.provider === 'gce' && error.operation === 'getNode' && error.location === 'us-central1-a')).toBe(
      true,
    );
    expect(mapped[0]?.message).toContain('us-central1-a.web-1');
    expect(mapped.filter((error) => error.retryable).map((error) => error.name)).toEqual([
      'RateLimitError',
      'RateLimitError',
      'ProviderUnavailableError',
      'ProviderUnavailableError',
    ]);
  });

  it('names the field of an invalid value', () => {
    const error = mapGceError(
      gaxError(400, 3, {
        error: {
          code: 400,
          message: "Invalid value for field 'resource.machineType': 'zones/us-central1-a/machineTypes/e2-huge'.",
          errors: [{ reason: 'invalid' }],
        },
      }),
      { operation: 'createNode' },
    );
    expect(error).toMatchObject({ name: 'InvalidRequestError', field: 'size', statusCode: 400 });
  });

  it('treats a transport failure (no HTTP status) as retryable unavailability', () => {
    const error = mapGceError(Object.assign(new Error('socket hang up'), { code: 14 }), { operation: 'listNodes' });
    expect(error.name).toBe('ProviderUnavailableError');
    expect(error.retryable).toBe(true);
  });

  it('maps operation errors by code, naming the operation as request id', () => {
    const quota = operationError(
      {
        name: 'operation-1',
        status: 'DONE',
        error: { errors: [{ code: 'QUOTA_EXCEEDED', message: "Quota 'CPUS' exceeded." }] },
        httpErrorStatusCode: 403,
      },
      { operation: 'createNode' },
    );
    expect(quota).toMatchObject({ name: 'QuotaError', code: 'QUOTA_EXCEEDED', requestId: 'operation-1', statusCode: 403 });
    const unknown = operationError(
      { name: 'operation-2', status: 'DONE', error: { errors: [{ code: 'SOMETHING_ODD', message: 'odd' }] }, httpErrorStatusCode: 503 },
      { operation: 'stopNode' },
    );
    expect(unknown?.name).toBe('ProviderUnavailableError');
    expect(operationError({ name: 'operation-3', status: 'DONE' }, { operation: 'stopNode' })).toBeUndefined();
  });
});
