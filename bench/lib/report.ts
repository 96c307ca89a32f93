/** Writes the benchmark results: `results.json` (everything) and `results.md` (the table `docs/benchmarks.md` shows). */
import { readFile, writeFile } from 'node:fs/promises';
import type { BenchmarkResult, Metric } from './result.js';

/** Where and when the figures were taken. */
export interface RunEnvironment {
  readonly date: string;
  readonly node: string;
  readonly cpus: string;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  readonly quick: boolean;
  readonly durationS: number;
}

/** The whole of `results.json`. */
export interface ResultsFile {
  readonly environment: RunEnvironment;
  readonly results: readonly (BenchmarkResult & { readonly measuredAt: string })[];
}

function figure(metric: Metric): string {
  if (metric.unit === 'x') return `${metric.value}×`;
  if (metric.unit === 'count') return String(metric.value);
  return `${metric.value} ${metric.unit}`;
}

function verdict(metric: Metric): string {
  if (metric.pass === null) return '';
  return metric.pass ? 'met' : '**missed**';
}

/** The markdown table of `file`. */
export function toMarkdown(file: ResultsFile): string {
  const { environment: env } = file;
  const lines = [
    `Measured ${env.date} on Node ${env.node}, ${env.cpus}; load average before ${env.loadBefore.join(' / ')}, after ${env.loadAfter.join(' / ')}` +
      `${env.quick ? ' (quick run: fewer repetitions)' : ''}; total ${env.durationS} s.`,
    '',
    '| benchmark | figure | measured | target | result | runs (median of) |',
    '|---|---|---|---|---|---|',
  ];
  for (const result of file.results) {
    if (result.status === 'not measured') {
      lines.push(`| ${result.title} | — | not measured | — | ${result.reason.replaceAll('|', '\\|')} | — |`);
      continue;
    }
    result.metrics.forEach((metric, index) => {
      lines.push(
        `| ${index === 0 ? result.title : ''} | ${metric.name} | ${figure(metric)} | ${metric.target} | ${verdict(metric)} | ${index === 0 ? result.runs : ''} |`,
      );
    });
  }
  const notes = file.results.flatMap((result) =>
    result.status === 'measured' ? result.notes.map((note) => `- ${result.id}: ${note}`) : [],
  );
  if (notes.length > 0) lines.push('', 'Notes:', '', ...notes);
  const raw = file.results.flatMap((result) =>
    result.status === 'measured'
      ? [
          `- ${result.id}: ${Object.entries(result.raw)
            .map(([key, value]) => `${key} ${value}`)
            .join('; ')}`,
        ]
      : [],
  );
  if (raw.length > 0) lines.push('', 'Raw medians:', '', ...raw);
  return `${lines.join('\n')}\n`;
}

/** Reads the previous results, if any (to merge a partial `--only` run into). */
export async function readResults(path: string): Promise<ResultsFile | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as ResultsFile;
  } catch {
    return undefined;
  }
}

/** Formats generated text the way the repository's prettier config does, so `npm run lint` stays clean. */
async function formatted(path: string, text: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    const options = await prettier.resolveConfig(path);
    return await prettier.format(text, { ...options, filepath: path });
  } catch {
    return text;
  }
}

export async function writeResults(jsonPath: string, markdownPath: string, file: ResultsFile): Promise<void> {
  await writeFile(jsonPath, await formatted(jsonPath, `${JSON.stringify(file, null, 2)}\n`));
  await writeFile(markdownPath, await formatted(markdownPath, toMarkdown(file)));
}

/**
 * Puts the table between the `bench-results` markers of `docs/benchmarks.md`, so that page
 * shows the latest full run.
 */
export async function updateDocs(docPath: string, markdown: string): Promise<boolean> {
  const start = '<!-- bench-results:start -->';
  const end = '<!-- bench-results:end -->';
  let doc: string;
  try {
    doc = await readFile(docPath, 'utf8');
  } catch {
    return false;
  }
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) return false;
  await writeFile(docPath, await formatted(docPath, `${doc.slice(0, from + start.length)}\n${markdown}${doc.slice(to)}`));
  return true;
}
