import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { MultiCloud } from '../../src/multicloud/index.js';
import { createLocalDriver } from '../../providers/local/index.js';
import { live, running } from './helpers.js';

describe('migrating two source clouds of one provider into one target', () => {
  it('gives each source its own replacement even when both clouds use the same node ids', async () => {
    const clock = new VirtualClock();
    // Two accounts of the same provider: their node ids repeat (same id prefix, same counter).
    const east = createLocalDriver({ preset: 'standard', clock, idPrefix: 'n-' });
    const west = createLocalDriver({ preset: 'standard', clock, idPrefix: 'n-' });
    const target = createLocalDriver({ preset: 'budget', clock, idPrefix: 't-' });
    const eastNode = await running(east, 'web-east', 's-2vcpu-4gb', 'ubuntu-24.04-x64', 'fra1');
    const westNode = await running(west, 'web-west', 's-2vcpu-4gb', 'ubuntu-24.04-x64', 'fra1');
    expect(eastNode.id).toBe(westNode.id);

    const multi = new MultiCloud({ drivers: { east, west, target } });
    const fromEast = await multi.migrate(await multi.planMigration({ from: 'east', to: 'target' }), { cleanupSource: true });
    const fromWest = await multi.migrate(await multi.planMigration({ from: 'west', to: 'target' }), { cleanupSource: true });

    expect(fromEast).toMatchObject({ migrated: 1, created: 1, sourcesDestroyed: 1, failed: 0 });
    // West's node must not pass for migrated because east's replacement carries the same
    // provider/id tag: it gets a replacement of its own before its source is destroyed.
    expect(fromWest).toMatchObject({ migrated: 1, created: 1, sourcesDestroyed: 1, failed: 0 });
    expect(
      live(target)
        .map((node) => node.name)
        .sort(),
    ).toEqual(['web-east', 'web-west']);
  });
});
