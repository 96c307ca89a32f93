/**
 * Reading fields out of a provider's JSON answer without trusting its shape: a missing or
 * mistyped field is a `CloudError` naming the field, never a `TypeError` deep in a mapper.
 *
 * @module
 */
import { malformedResponse, type FailureContext } from './errors.js';

/** A successful answer, as the client returns it. */
export interface ResponseLike {
  /** The HTTP status code, copied into a `malformed-response` error. */
  readonly status: number;
  /** The parsed JSON body, not yet trusted to have any shape. */
  readonly data: unknown;
  /** The provider's request id, copied into a `malformed-response` error when present. */
  readonly requestId?: string;
}

/** The JSON shapes {@link field} can check a value against. */
export type Shape = 'object' | 'array' | 'string' | 'number';
/** The TypeScript type of a value of {@link Shape} `S`. */
export type ShapeType<S extends Shape> = S extends 'object'
  ? Record<string, unknown>
  : S extends 'array'
    ? unknown[]
    : S extends 'string'
      ? string
      : number;

/**
 * `response.data[key]`, checked to be of `shape`. Use the result's own type per provider (e.g.
 * `field(response, 'droplets', 'array', context) as DoDroplet[]`).
 *
 * @throws CloudError (`code: 'malformed-response'`) when the body is not an object or the field is
 * missing or of another type.
 */
export function field<S extends Shape>(response: ResponseLike, key: string, shape: S, context: FailureContext): ShapeType<S> {
  const body = response.data;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw malformedResponse(`expected a JSON object with "${key}", got ${describe(body)}`, context, response.status, response.requestId);
  }
  const value = (body as Record<string, unknown>)[key];
  if (!hasShape(value, shape)) {
    throw malformedResponse(
      `expected "${key}" to be ${article(shape)}, got ${describe(value)}`,
      context,
      response.status,
      response.requestId,
    );
  }
  return value as ShapeType<S>;
}

function hasShape(value: unknown, shape: Shape): boolean {
  switch (shape) {
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
  }
}

function article(shape: Shape): string {
  return shape === 'array' || shape === 'object' ? `an ${shape}` : `a ${shape}`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}
