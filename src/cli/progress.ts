/**
 * Live progress for long operations (migrations, waits): a progress bar (cli-progress) when
 * stderr is a terminal, one line per finished item otherwise, and nothing in `--json` mode.
 *
 * @module
 */
import cliProgress from 'cli-progress';
import type { Output } from './output.js';

/** A progress display. */
export interface Progress {
  /** One item finished; `line` says how. */
  tick(line: string): void;
  /** Something happened that is not the end of an item (shown only as the bar's label). */
  note(label: string): void;
  stop(): void;
}

/** Starts a progress display for `total` items. */
export function startProgress(output: Output, total: number, title: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (output.json) return { tick: () => undefined, note: () => undefined, stop: () => undefined };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${title} [{bar}] {value}/{total} {label}`, stream, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { label: '' });
    return {
      tick: (line) => bar.increment(1, { label: line }),
      note: (label) => bar.update({ label }),
      stop: () => bar.stop(),
    };
  }
  let done = 0;
  return {
    tick: (line) => output.err(`  [${++done}/${total}] ${line}`),
    note: () => undefined,
    stop: () => undefined,
  };
}
