/**
 * A separate process working on a shared state file, for the state-file tests: `create N` creates
 * N nodes one after another and prints their ids as JSON; `list N` lists N times and prints how
 * many nodes each listing saw.
 */
import { createLocalDriver } from '../../providers/local/index.js';

const [mode, countText, stateFile, label] = process.argv.slice(2) as [string, string, string, string];
const count = Number(countText);
const driver = createLocalDriver({ stateFile, timings: { boot: 60_000 } });

if (mode === 'create') {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const node = await driver.createNode({ name: `${label}-${index}`, size: 's-2vcpu-4gb', image: 'ubuntu-24.04-x64', location: 'fra1' });
    ids.push(node.id);
  }
  process.stdout.write(`${JSON.stringify(ids)}\n`);
} else {
  const seen: number[] = [];
  for (let index = 0; index < count; index += 1) seen.push((await driver.listNodes()).length);
  process.stdout.write(`${JSON.stringify(seen)}\n`);
}
