import { describe, expect, it } from 'vitest';
import { ProviderUnavailableError, isPartialFailureError, type PartialFailureError } from '../../src/core/errors.js';
import { fanOut, fanOutPages } from '../../src/core/fanout.js';
import { rejectionOf } from '../conformance/suite.js';

const options = { concurrency: 2, provider: 'aws' as const, operation: 'listNodes' };
const down = (region: string) => new ProviderUnavailableError('region down', { provider: 'aws', operation: 'listNodes', location: region });

async function* pages(region: string, count: number): AsyncGenerator<string[]> {
  for (let page = 0; page < count; page++) {
    await new Promise((resolve) => setImmediate(resolve));
    yield [`${region}/${page}`];
  }
}

describe('fanOut', () => {
  it('returns every part in part order, running at most `concurrency` at once', async () => {
    let inFlight = 0;
    let peak = 0;
    const result = await fanOut(
      ['a', 'b', 'c', 'd'],
      async (part) => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return [part];
      },
      options,
    );
    expect(result).toEqual(['a', 'b', 'c', 'd']);
    expect(peak).toBe(2);
  });

  it('reports a failing part with the results of the rest, never a silent gap', async () => {
    const error = await rejectionOf(
      fanOut(['us-east-1', 'eu-west-1'], async (part) => (part === 'eu-west-1' ? Promise.reject(down(part)) : [part]), options),
    );
    expect(isPartialFailureError(error)).toBe(true);
    expect((error as PartialFailureError).partial).toEqual(['us-east-1']);
    expect((error as Error).message).toContain('eu-west-1');
  });

  it('passes the only part’s error through unchanged', async () => {
    const only = down('us-east-1');
    expect(await rejectionOf(fanOut(['us-east-1'], async () => Promise.reject(only), options))).toBe(only);
  });
});

describe('fanOutPages', () => {
  it('yields every page of every part', async () => {
    const seen: string[] = [];
    for await (const page of fanOutPages(['a', 'b', 'c'], (part) => pages(part, 3), options)) seen.push(...page);
    expect(seen.sort()).toEqual(['a/0', 'a/1', 'a/2', 'b/0', 'b/1', 'b/2', 'c/0', 'c/1', 'c/2']);
  });

  it('throws after the last page when a part failed, holding what was delivered', async () => {
    const seen: string[] = [];
    async function* failing(part: string): AsyncGenerator<string[]> {
      yield* pages(part, 1);
      throw down(part);
    }
    const error = await rejectionOf(
      (async () => {
        for await (const page of fanOutPages(['a', 'b'], (part) => (part === 'b' ? failing(part) : pages(part, 2)), options))
          seen.push(...page);
      })(),
    );
    expect(isPartialFailureError(error)).toBe(true);
    expect([...(error as PartialFailureError<string>).partial].sort()).toEqual(['a/0', 'a/1', 'b/0']);
    expect(seen.sort()).toEqual(['a/0', 'a/1', 'b/0']);
  });

  it('stops pulling pages when the consumer stops early', async () => {
    let pulled = 0;
    async function* counted(part: string): AsyncGenerator<string[]> {
      for (let page = 0; page < 100; page++) {
        pulled++;
        await new Promise((resolve) => setImmediate(resolve));
        yield [`${part}/${page}`];
      }
    }
    for await (const _page of fanOutPages(['a', 'b'], counted, options)) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pulled).toBeLessThan(10);
  });
});
