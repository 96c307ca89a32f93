/**
 * Simulator errors → `CloudError`s.
 *
 * @module
 */
import {
  CloudError,
  ConflictError,
  InvalidRequestError,
  NodeNotFoundError,
  NotFoundError,
  ProviderUnavailableError,
  QuotaError,
  RateLimitError,
  type DriverContext,
} from '../../src/kit.js';
import { isSimulatorError } from '../../src/simulator/index.js';

export function mapLocalError(error: unknown, context: DriverContext, nodeId?: string): CloudError {
  const options = { provider: 'local' as const, operation: context.operation, cause: error };
  if (!isSimulatorError(error)) {
    return new CloudError(error instanceof Error ? error.message : String(error), options);
  }
  switch (error.code) {
    case 'not-found':
      return nodeId === undefined ? new NotFoundError(error.message, options) : new NodeNotFoundError(nodeId, options);
    case 'invalid':
      return new InvalidRequestError(error.message, { ...options, ...(error.field ? { field: error.field } : {}) });
    case 'conflict':
      return new ConflictError(error.message, options);
    case 'quota':
      return new QuotaError(error.message, options);
    case 'rate-limit':
      return new RateLimitError(error.message, options);
    case 'unavailable':
      return new ProviderUnavailableError(error.message, options);
    default:
      return new CloudError(error.message, options);
  }
}
