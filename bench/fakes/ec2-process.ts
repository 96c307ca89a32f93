/**
 * Runs the EC2 fake in its own process, so serving pages never competes with the measured client
 * for its event loop. Driven over IPC: `reset`, `stats`, `close`.
 */
import { Ec2Fake } from './ec2.js';

interface Command {
  readonly id: number;
  readonly type: 'reset' | 'stats' | 'close';
  readonly config?: Parameters<Ec2Fake['reset']>[0];
}

const fake = new Ec2Fake();
const url = await fake.listen();
process.send?.({ type: 'ready', url });
process.on('message', (command: Command) => {
  if (command.type === 'reset' && command.config) {
    fake.reset(command.config);
    process.send?.({ id: command.id, result: null });
  } else if (command.type === 'stats') {
    process.send?.({ id: command.id, result: fake.stats() });
  } else if (command.type === 'close') {
    void fake.close().then(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
