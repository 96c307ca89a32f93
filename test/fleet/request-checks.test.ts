/**
 * Bad fleet requests end in an InvalidRequestError naming the field, before anything is stored:
 * the database URL points at a closed loopback port, so any attempt to reach it would surface as
 * a different error.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startFleetMigration, type FleetMigrationRequest } from '../../src/fleet/index.js';
import type { MigrationPlan } from '../../src/multicloud/index.js';

const CLOSED = 'postgres://nobody@127.0.0.1:1/none';

const plan = {
  from: 'src',
  to: 'dst',
  steps: [{ source: { id: 'n-1' }, target: { idempotencyKey: 'mig-1' } }],
  unmatched: [],
} as unknown as MigrationPlan;

const request = (extra: Partial<FleetMigrationRequest>): FleetMigrationRequest =>
  ({ plan, database: CLOSED, ...extra }) as FleetMigrationRequest;

describe('startFleetMigration request checks', () => {
  const cases: [string, Partial<FleetMigrationRequest>, string][] = [
    ['no plan at all', { plan: undefined }, 'plan'],
    ['a step without a key', { plan: { ...plan, steps: [{ source: { id: 'n-1' } }] } as unknown as MigrationPlan }, 'plans[0].steps[0]'],
    ['the same source twice', { plans: [plan], plan }, 'plans'],
    ['a zero concurrency', { concurrency: 0 }, 'concurrency'],
    ['a fractional per-cloud limit', { perCloud: { maxInFlight: 1.5 } }, 'perCloud.maxInFlight'],
    ['a negative rate', { perCloud: { requestsPerSecond: -1 } }, 'perCloud.requestsPerSecond'],
    ['a run id with a slash', { runId: 'a/b' }, 'runId'],
    ['a zero wait interval', { node: { waitIntervalMs: 0 } }, 'node.waitIntervalMs'],
    ['verify that is not an object', { node: { verify: 'yes' as never } }, 'node.verify'],
    ['an unknown verify key (the old `ssh` flag)', { node: { verify: { ssh: false } as never } }, 'node.verify.ssh'],
    ['an empty verify command', { node: { verify: { command: '  ' } } }, 'node.verify.command'],
    ['a verify user that is not a string', { node: { verify: { user: 7 as never } } }, 'node.verify.user'],
    ['a fractional verify timeout', { node: { verify: { timeoutMs: 0.5 } } }, 'node.verify.timeoutMs'],
    ['a zero verify interval', { node: { verify: { intervalMs: 0 } } }, 'node.verify.intervalMs'],
  ];
  for (const [name, extra, field] of cases) {
    it(`rejects ${name} naming "${field}"`, async () => {
      await expect(startFleetMigration(request(extra))).rejects.toMatchObject({
        name: 'InvalidRequestError',
        field,
        provider: 'polycloud',
        operation: 'startFleetMigration',
      });
    });
  }

  it('a valid request reaches for the database only then, and its failure is a typed error without the password', async () => {
    const database = 'postgres://fleet:pw-Secret-93@127.0.0.1:1/none';
    const error = await startFleetMigration({ plan, database, node: { verify: { command: 'true', timeoutMs: 1000 } } }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      name: 'ProviderUnavailableError',
      provider: 'polycloud',
      operation: 'startFleetMigration',
      retryable: true,
    });
    expect((error as Error).message).toContain('127.0.0.1:1');
    for (const shown of [(error as Error).message, JSON.stringify(error), inspect(error, { depth: 5 })]) {
      expect(shown).not.toContain('pw-Secret-93');
    }
  });
});
