/**
 * The EC2 transport: one `EC2Client` per region, SDK retries off, every request sent through
 * polycloud's one retry policy and mapped to `CloudError`s naming the region.
 *
 * @module
 */
import type { EC2Client, EC2ClientConfig, EC2PaginationConfiguration } from '@aws-sdk/client-ec2';
import {
  AdaptivePacer,
  ConfigurationError,
  DEFAULT_BOUNDS,
  ListingGuard,
  isRateLimitError,
  registerSecret,
  Secret,
  withRetry,
  type Logger,
  type RetryOptions,
  type TransportBounds,
} from '../../src/kit.js';
import { mapAwsError } from './errors.js';
import { loadEc2Sdk, type Ec2Sdk } from './sdk.js';
import { boundFailureOf, createBoundedRequestHandler } from './transport.js';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, AwsStaticCredentials } from './types.js';

export type { AwsCredentialIdentity, AwsCredentialIdentityProvider, AwsStaticCredentials } from './types.js';

/** What every EC2 call is told besides its input. */
export interface Ec2CallContext {
  /** The public operation, for errors, e.g. `getNode`. */
  readonly operation: string;
  readonly signal?: AbortSignal;
  /** The instance the call is about: `InvalidInstanceID.NotFound` then becomes `NodeNotFoundError`. */
  readonly nodeId?: string;
}

/**
 * One EC2 request: sends a fresh command (made from `sdk`) on `client`, passing `options` (the
 * abort signal) along.
 */
export type Ec2Request<T> = (client: EC2Client, options: { abortSignal?: AbortSignal }, sdk: Ec2Sdk) => Promise<T>;

/** Settings of {@link createEc2Transport}. */
export interface Ec2TransportSettings {
  readonly credentials?: AwsStaticCredentials | AwsCredentialIdentityProvider;
  readonly profile?: string;
  /** Checked endpoint URL, used for every region. */
  readonly endpoint?: string;
  readonly requestTimeoutMs: number;
  /**
   * Body size, page and listing bounds.
   * @defaultValue `DEFAULT_BOUNDS`
   */
  readonly bounds?: TransportBounds;
  readonly retry?: RetryOptions;
  readonly logger: Required<Logger>;
}

/** Sends EC2 requests region by region. */
export interface Ec2Transport {
  /** Runs one request in `region` through the retry policy; `run` builds a fresh command each attempt. */
  call<T>(region: string, context: Ec2CallContext, run: Ec2Request<T>): Promise<T>;
  /**
   * Every page of a paginated read, each page through the retry policy: a failed page is asked
   * for again from its own token, not from the first page.
   */
  pages<Page extends { NextToken?: string | undefined }>(
    region: string,
    context: Ec2CallContext,
    paginate: (config: EC2PaginationConfiguration, options: { abortSignal?: AbortSignal }, sdk: Ec2Sdk) => AsyncIterable<Page>,
  ): AsyncGenerator<Page>;
  /**
   * The region the SDK resolves when none is given, exactly as the AWS CLI does: `AWS_REGION`,
   * then the profile's `region` in `~/.aws/config` (profile from the `profile` setting or
   * `AWS_PROFILE`). A `ConfigurationError` saying how to set one when there is none.
   */
  sdkRegion(): Promise<string>;
}

/** Creates the transport. Clients are made on first use of each region. */
export function createEc2Transport(settings: Ec2TransportSettings): Ec2Transport {
  const clients = new Map<string, EC2Client>();
  const pacers = new Map<string, AdaptivePacer>();
  const pacerFor = (region: string): AdaptivePacer => {
    let pacer = pacers.get(region);
    if (!pacer) pacers.set(region, (pacer = new AdaptivePacer()));
    return pacer;
  };
  const credentials = toSdkCredentials(settings.credentials);
  const requestBounds = {
    requestTimeoutMs: settings.requestTimeoutMs,
    maxBodyBytes: settings.bounds?.maxBodyBytes ?? DEFAULT_BOUNDS.maxBodyBytes,
  };

  const clientFor = (sdk: Ec2Sdk, region: string): EC2Client => {
    let client = clients.get(region);
    if (!client) {
      const config: EC2ClientConfig = {
        region,
        // One retry policy per request path: ours. The SDK's own retries stay off.
        maxAttempts: 1,
        // A request past its time fails (the SDK would otherwise only log a warning) and is retried by our policy.
        // Whole-exchange deadline, body size bound (decompressed), no redirects: see transport.ts.
        requestHandler: createBoundedRequestHandler(requestBounds),
        ...(credentials ? { credentials } : {}),
        ...(settings.profile ? { profile: settings.profile } : {}),
        ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      };
      client = new sdk.EC2Client(config);
      client.middlewareStack.add(requireEc2Document, { step: 'deserialize', priority: 'low', name: 'polycloudRequireEc2Document' });
      clients.set(region, client);
    }
    return client;
  };

  const retried = <T>(region: string, context: Ec2CallContext, attempt: () => Promise<T>): Promise<T> =>
    withRetry(
      async () => {
        // EC2 limits each region's requests separately; after a throttle, the region's requests are paced.
        const pacer = pacerFor(region);
        await pacer.acquire(context.signal);
        try {
          const result = await attempt();
          pacer.succeeded();
          return result;
        } catch (error) {
          if (context.signal?.aborted) throw context.signal.reason;
          const mapped =
            boundFailureOf(error, requestBounds, { operation: context.operation, location: region }) ??
            mapAwsError(error, {
              operation: context.operation,
              region,
              ...(context.nodeId ? { nodeId: context.nodeId } : {}),
            });
          if (isRateLimitError(mapped)) pacer.throttled();
          throw mapped;
        }
      },
      settings.retry,
      {
        // Every EC2 call polycloud makes is safe to repeat: reads, state changes that EC2 treats as
        // idempotent, and RunInstances, which always carries a ClientToken.
        idempotent: true,
        ...(context.signal ? { signal: context.signal } : {}),
        onRetry: ({ attempt, error, delayMs }) =>
          settings.logger.debug(
            `aws ${context.operation} in ${region}: attempt ${attempt} failed (${String((error as Error).message)}); retrying in ${delayMs} ms`,
          ),
      },
    );

  const abortOptions = (context: Ec2CallContext) => (context.signal ? { abortSignal: context.signal } : {});

  async function* pages<Page extends { NextToken?: string | undefined }>(
    region: string,
    context: Ec2CallContext,
    paginate: (config: EC2PaginationConfiguration, options: { abortSignal?: AbortSignal }, sdk: Ec2Sdk) => AsyncIterable<Page>,
  ): AsyncGenerator<Page> {
    const sdk = await loadEc2Sdk();
    let token: string | undefined;
    let iterator: AsyncIterator<Page> | undefined;
    const guard = new ListingGuard({ provider: 'aws', operation: context.operation, location: region }, settings.bounds);
    for (;;) {
      // Counted once per page, not per attempt: a page cap stops a provider that links pages for ever.
      guard.beforePage();
      const result = await retried(region, context, async () => {
        iterator ??= paginate({ client: clientFor(sdk, region), ...(token ? { startingToken: token } : {}) }, abortOptions(context), sdk)[
          Symbol.asyncIterator
        ]();
        try {
          return await iterator.next();
        } catch (error) {
          // A paginator that failed is finished; the next attempt starts a new one at this page's token.
          iterator = undefined;
          throw error;
        }
      });
      if (result.done) return;
      yield result.value;
      token = result.value.NextToken;
    }
  }

  return {
    call: async (region, context, run) => {
      const sdk = await loadEc2Sdk();
      return retried(region, context, () => run(clientFor(sdk, region), abortOptions(context), sdk));
    },
    pages,
    sdkRegion,
  };

  async function sdkRegion(): Promise<string> {
    const sdk = await loadEc2Sdk();
    // A client without a region resolves it through the SDK's own chain (env, then shared config).
    const probe = new sdk.EC2Client({ ...(settings.profile ? { profile: settings.profile } : {}) });
    try {
      const region = await probe.config.region();
      if (typeof region === 'string' && region !== '') return region;
    } catch {
      // no region anywhere: said below, with the fix
    } finally {
      probe.destroy();
    }
    throw new ConfigurationError(
      'no AWS region: pass { regions: [...] } or { defaultRegion }, set AWS_REGION, or run `aws configure set region <region>`' +
        (settings.profile ? ` --profile ${settings.profile}` : ''),
      { provider: 'aws', operation: 'configure' },
    );
  }
}

/** A complete EC2 answer: one `<…Response>` root element, closed. */
const EC2_DOCUMENT = /^\s*(<\?xml[^>]*\?>\s*)?<([A-Za-z0-9]+Response)[\s>][\s\S]*<\/\2>\s*$/;

/**
 * Fails a 2xx answer that is not an EC2 document (an HTML page from a proxy, an empty body): the
 * SDK's parser would read it as an empty result, e.g. "no instances", which is a silent lie.
 */
const requireEc2Document: Parameters<EC2Client['middlewareStack']['add']>[0] = (next) => async (args) => {
  const result = await next(args);
  const response = result.response as { statusCode?: number; body?: unknown; headers?: Record<string, string> };
  if (response.statusCode === undefined || response.statusCode < 200 || response.statusCode >= 300) return result;
  const chunks: Buffer[] = [];
  if (response.body instanceof Uint8Array) chunks.push(Buffer.from(response.body));
  else if (response.body && typeof (response.body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  }
  const body = Buffer.concat(chunks);
  if (!EC2_DOCUMENT.test(body.toString('utf8'))) {
    throw Object.assign(
      new Error(
        `EC2 answered HTTP ${response.statusCode} with ${body.length} bytes that are not an EC2 XML document (content-type ${response.headers?.['content-type'] ?? 'none'})`,
      ),
      {
        name: 'MalformedResponse',
        $fault: 'server',
      },
    );
  }
  response.body = new Uint8Array(body);
  return result;
};

function toSdkCredentials(
  given: AwsStaticCredentials | AwsCredentialIdentityProvider | undefined,
): AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined {
  if (given === undefined) return undefined;
  if (typeof given === 'function') {
    const provider: AwsCredentialIdentityProvider = async (...args) => {
      const identity = await given(...args);
      registerSecret(identity.secretAccessKey);
      registerSecret(identity.sessionToken);
      return identity;
    };
    return provider;
  }
  const reveal = (value: string | Secret | undefined) => (value instanceof Secret ? value.reveal() : value);
  const secretAccessKey = reveal(given.secretAccessKey) ?? '';
  const sessionToken = reveal(given.sessionToken);
  registerSecret(secretAccessKey);
  registerSecret(sessionToken);
  return {
    accessKeyId: given.accessKeyId,
    secretAccessKey,
    ...(sessionToken ? { sessionToken } : {}),
    ...(given.expiration ? { expiration: given.expiration } : {}),
  };
}
