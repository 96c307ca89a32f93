/**
 * Figures the hardening tests measure (requests sent, bytes, nodes kept), written to one JSON file
 * in the temp folder for the README's Reliability section.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FILE = join(tmpdir(), 'polycloud-hardening-figures.json');

/** Records one figure under `key` (merging with what other test files recorded). */
export function writeFigure(key: string, value: unknown): void {
  let figures: Record<string, unknown> = {};
  try {
    figures = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, unknown>;
  } catch {
    // first figure
  }
  figures[key] = value;
  writeFileSync(FILE, `${JSON.stringify(figures, null, 2)}\n`);
}
