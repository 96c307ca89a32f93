/**
 * Everything polycloud shows of an object, as text, for the secret scans: messages, stacks,
 * `cause` chains, `util.inspect` (hidden members included) and `JSON.stringify`.
 */
import { inspect } from 'node:util';

/** Every text an error (or any thrown value) exposes, following causes, aggregates and failures. */
export function textsOfError(error: unknown, seen = new Set<unknown>()): string[] {
  if (error === null || error === undefined || seen.has(error)) return [];
  seen.add(error);
  const texts = [String(error), inspect(error, { depth: Infinity, showHidden: true }), safeJson(error)];
  if (typeof error === 'object') {
    const record = error as { message?: unknown; stack?: unknown; cause?: unknown; errors?: unknown; failures?: unknown };
    for (const value of [record.message, record.stack]) if (typeof value === 'string') texts.push(value);
    texts.push(...textsOfError(record.cause, seen));
    for (const list of [record.errors, record.failures]) {
      if (Array.isArray(list)) for (const inner of list) texts.push(...textsOfError(inner, seen));
    }
  }
  return texts;
}

/** `util.inspect` (hidden members included), `JSON.stringify` and string conversion of a value. */
export function textsOfValue(value: unknown): string[] {
  return [inspect(value, { depth: Infinity, showHidden: true, getters: true }), safeJson(value), safeString(value)];
}

/** The planted secrets that occur in any of `texts`, with where. */
export function findSecrets(texts: readonly string[], secrets: readonly string[]): string[] {
  const leaks: string[] = [];
  for (const secret of secrets) {
    const text = texts.find((each) => each.includes(secret));
    if (text !== undefined) leaks.push(`${secret.slice(0, 6)}… in: ${excerpt(text, secret)}`);
  }
  return leaks;
}

function excerpt(text: string, secret: string): string {
  const at = text.indexOf(secret);
  return text.slice(Math.max(0, at - 120), at + secret.length + 40).replace(/\s+/g, ' ');
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch (error) {
    return `unserialisable: ${String(error)}`;
  }
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '';
  }
}
