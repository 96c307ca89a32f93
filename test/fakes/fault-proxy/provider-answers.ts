/**
 * Error answers in each provider's own wire format: throttling (with the rate-limit headers the
 * provider really sends) and server errors. The fault proxy serves these in place of the
 * upstream's answer.
 */
import { randomUUID } from 'node:crypto';

/** Whose wire format an injected answer uses. */
export type WireFormat = 'ec2' | 'gce' | 'digitalocean' | 'hetzner' | 'linode' | 'openstack' | 'vultr' | 'scaleway' | 'azure';

/** An HTTP answer the proxy sends instead of forwarding. */
export interface CannedAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Options of a throttling answer. */
export interface ThrottleOptions {
  /**
   * Seconds sent in `Retry-After` (and as the rate-limit reset). Default: 1. EC2 and Compute
   * send no `Retry-After`; for them this only shapes the reset hint where there is one.
   */
  readonly retryAfterSeconds?: number;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): CannedAnswer => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});

/** EC2 (Query protocol) error document: `<Response><Errors><Error>…</Errors><RequestID>`. */
function ec2Error(status: number, code: string, message: string): CannedAnswer {
  const requestId = randomUUID();
  return {
    status,
    headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId },
    body:
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
  };
}

/** Google API error document: `{ error: { code, message, errors: [{ domain, reason }], status } }`. */
function googleError(status: number, reason: string, message: string, grpcStatus: string): CannedAnswer {
  return json(status, { error: { code: status, message, errors: [{ message, domain: 'global', reason }], status: grpcStatus } });
}

/** Azure Resource Manager error (the ARM RPC contract): `{ error: { code, message } }` with `x-ms-request-id`. */
function armError(status: number, code: string, message: string, headers: Record<string, string> = {}): CannedAnswer {
  const requestId = randomUUID();
  return json(status, { error: { code, message } }, { 'x-ms-request-id': requestId, 'x-ms-correlation-request-id': requestId, ...headers });
}

/** A throttling answer exactly as the provider sends it. */
export function throttleAnswer(format: WireFormat, options: ThrottleOptions = {}): CannedAnswer {
  const seconds = options.retryAfterSeconds ?? 1;
  const resetEpoch = String(Math.ceil(Date.now() / 1000) + seconds);
  const requestId = randomUUID();
  switch (format) {
    case 'ec2':
      // EC2 throttles with HTTP 503 and the RequestLimitExceeded code, no Retry-After.
      return ec2Error(503, 'RequestLimitExceeded', 'Request limit exceeded.');
    case 'gce':
      return googleError(429, 'rateLimitExceeded', 'Rate Limit Exceeded', 'RESOURCE_EXHAUSTED');
    case 'digitalocean':
      return json(
        429,
        { id: 'too_many_requests', message: 'API Rate limit exceeded.', request_id: requestId },
        {
          'ratelimit-limit': '5000',
          'ratelimit-remaining': '0',
          'ratelimit-reset': resetEpoch,
          'retry-after': String(seconds),
          'x-request-id': requestId,
        },
      );
    case 'hetzner':
      return json(
        429,
        { error: { code: 'rate_limit_exceeded', message: 'limit of 3600 requests per hour reached', details: {} } },
        {
          'ratelimit-limit': '3600',
          'ratelimit-remaining': '0',
          'ratelimit-reset': resetEpoch,
          'retry-after': String(seconds),
          'x-correlation-id': requestId,
        },
      );
    case 'openstack':
      // Nova's rate limit fault (api-guide faults.rst: overLimit), with Retry-After.
      return json(
        429,
        { overLimit: { code: 429, message: 'Rate limit exceeded', retryAfter: String(seconds) } },
        { 'retry-after': String(seconds), 'x-openstack-request-id': `req-${requestId}` },
      );
    case 'azure':
      // ARM throttles with 429, Retry-After and the remaining-requests header that ran out.
      return armError(
        429,
        'TooManyRequests',
        'The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:05:00.',
        { 'retry-after': String(seconds), 'x-ms-ratelimit-remaining-subscription-reads': '0' },
      );
    case 'linode':
      return json(
        429,
        { errors: [{ reason: 'Too Many Requests' }] },
        { 'x-ratelimit-limit': '800', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetEpoch, 'retry-after': String(seconds) },
      );
    case 'scaleway':
      // @scaleway/sdk-client's error types: too_many_requests.
      return json(
        429,
        { type: 'too_many_requests', message: 'too many requests' },
        { 'retry-after': String(seconds), 'x-request-id': requestId },
      );
    case 'vultr':
      // Vultr's document names the 429 (above ~30 requests/s) but no Retry-After or rate-limit header.
      return json(429, { error: 'Rate limit reached - please try your request again later.', status: 429 });
  }
}

/** A server error (default 503, "unavailable") exactly as the provider sends it. */
export function serverErrorAnswer(format: WireFormat, status = 503): CannedAnswer {
  const requestId = randomUUID();
  switch (format) {
    case 'ec2':
      return status === 503
        ? ec2Error(503, 'Unavailable', "The server is overloaded and can't handle the request.")
        : ec2Error(status, 'InternalError', 'An internal error has occurred.');
    case 'gce':
      return status === 503
        ? googleError(503, 'backendError', 'The service is currently unavailable.', 'UNAVAILABLE')
        : googleError(status, 'backendError', 'Internal error. Please try again or contact Google Support.', 'INTERNAL');
    case 'digitalocean':
      return json(
        status,
        { id: 'server_error', message: 'Server was unable to give you a response.', request_id: requestId },
        { 'x-request-id': requestId },
      );
    case 'hetzner':
      return json(
        status,
        { error: { code: status === 503 ? 'unavailable' : 'server_error', message: 'service temporarily unavailable', details: {} } },
        { 'x-correlation-id': requestId },
      );
    case 'openstack':
      return json(
        status,
        { computeFault: { code: status, message: 'The server has either erred or is incapable of performing the requested operation.' } },
        { 'x-openstack-request-id': `req-${randomUUID()}` },
      );
    case 'azure':
      return status === 503
        ? armError(503, 'ServiceUnavailable', 'The service is currently unavailable. Please try again later.')
        : armError(status, 'InternalServerError', 'An internal server error occurred. Please retry later.');
    case 'linode':
      return json(status, { errors: [{ reason: 'Please try again later.' }] });
    case 'scaleway':
      return json(status, { type: 'unknown', message: 'service temporarily unavailable' }, { 'x-request-id': requestId });
    case 'vultr':
      return json(status, { error: 'Internal server error, please try again later.', status });
  }
}

/** An error answer with a given code and message in the provider's format, e.g. an auth failure echoing input. */
export function errorAnswer(format: WireFormat, status: number, code: string, message: string): CannedAnswer {
  switch (format) {
    case 'ec2':
      return ec2Error(status, code, message);
    case 'gce':
      return googleError(status, code, message, status === 401 ? 'UNAUTHENTICATED' : 'FAILED_PRECONDITION');
    case 'digitalocean':
      return json(status, { id: code, message, request_id: randomUUID() });
    case 'hetzner':
      return json(status, { error: { code, message, details: {} } });
    case 'openstack':
      return json(status, { [code]: { code: status, message } }, { 'x-openstack-request-id': `req-${randomUUID()}` });
    case 'azure':
      return armError(status, code, message);
    case 'linode':
      return json(status, { errors: [{ reason: message, field: code }] });
    case 'scaleway':
      return json(status, { type: code, message }, { 'x-request-id': randomUUID() });
    case 'vultr':
      // Vultr's body has no code: the message alone.
      return json(status, { error: message, status });
  }
}

/**
 * An error answer that plants `secret` in every field a provider's error can carry back: the
 * request-id headers, the request id, code, message and field names of the body. A driver must
 * show none of them unredacted.
 */
export function echoAnswer(format: WireFormat, status: number, secret: string): CannedAnswer {
  const headers = {
    'x-request-id': secret,
    'x-amzn-requestid': secret,
    'x-amz-request-id': secret,
    'x-correlation-id': secret,
    'x-guploader-uploadid': secret,
  };
  switch (format) {
    case 'ec2':
      return {
        status,
        headers: { 'content-type': 'text/xml;charset=UTF-8', ...headers },
        body:
          '<?xml version="1.0" encoding="UTF-8"?>\n' +
          `<Response><Errors><Error><Code>${secret}</Code><Message>${secret}</Message></Error></Errors><RequestID>${secret}</RequestID></Response>`,
      };
    case 'gce':
      return json(
        status,
        {
          error: {
            code: status,
            message: secret,
            status: secret,
            errors: [{ message: secret, domain: secret, reason: secret, location: secret, locationType: 'parameter' }],
            details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: secret, domain: secret, metadata: { key: secret } }],
          },
        },
        headers,
      );
    case 'digitalocean':
      return json(status, { id: secret, message: secret, request_id: secret }, headers);
    case 'hetzner':
      return json(
        status,
        { error: { code: secret, message: secret, details: { fields: [{ name: secret, messages: [secret] }] } } },
        headers,
      );
    case 'openstack':
      return json(
        status,
        { [secret]: { code: status, message: secret } },
        { ...headers, 'x-openstack-request-id': secret, 'x-compute-request-id': secret },
      );
    case 'azure':
      return json(
        status,
        { error: { code: secret, message: secret, target: secret, details: [{ code: secret, message: secret, target: secret }] } },
        { ...headers, 'x-ms-request-id': secret, 'x-ms-correlation-request-id': secret, 'x-ms-client-request-id': secret },
      );
    case 'linode':
      return json(status, { errors: [{ reason: secret, field: secret }] }, headers);
    case 'scaleway':
      return json(
        status,
        { type: secret, message: secret, resource: secret, details: [{ argument_name: secret, reason: secret, help_message: secret }] },
        headers,
      );
    case 'vultr':
      return json(status, { error: secret, status }, headers);
  }
}
