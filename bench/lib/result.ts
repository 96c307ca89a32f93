/** The shape every benchmark reports, and what `bench/run.ts` writes to `results.json`. */

/** One compared figure of a benchmark. */
export interface Metric {
  /** What is measured, e.g. `time vs critical path`. */
  readonly name: string;
  /** The measured figure (a ratio, unless `unit` says otherwise). */
  readonly value: number;
  readonly unit: 'x' | 'ms' | 'count' | 'MiB';
  /** The target in words, e.g. `≤ 1.3×`. */
  readonly target: string;
  /** Whether the figure meets its target; `null` for figures that are context, not a target. */
  readonly pass: boolean | null;
}

/** A benchmark that ran. */
export interface MeasuredBenchmark {
  readonly id: string;
  readonly title: string;
  readonly status: 'measured';
  /** Repetitions each median is taken over. */
  readonly runs: number;
  readonly metrics: readonly Metric[];
  /** Raw medians (ms, bytes, counts) the ratios come from. */
  readonly raw: Readonly<Record<string, number | string>>;
  readonly notes: readonly string[];
}

/** A benchmark that could not run, and why. */
export interface UnmeasuredBenchmark {
  readonly id: string;
  readonly title: string;
  readonly status: 'not measured';
  readonly reason: string;
}

export type BenchmarkResult = MeasuredBenchmark | UnmeasuredBenchmark;

/** Options every benchmark receives. */
export interface BenchOptions {
  /** Fewer repetitions, for a quick look (`--quick`). */
  readonly quick: boolean;
  /** Progress lines go here (stderr). */
  readonly log: (line: string) => void;
}

/** A benchmark: runs, and returns its result; throws only on a bug in the benchmark itself. */
export interface Benchmark {
  readonly id: string;
  readonly title: string;
  run(options: BenchOptions): Promise<BenchmarkResult>;
}

/** A metric with a `≤ limit` target. */
export function atMost(name: string, value: number, limit: number, unit: Metric['unit'] = 'x'): Metric {
  return { name, value, unit, target: `≤ ${limit}${suffix(unit)}`, pass: value <= limit };
}

function suffix(unit: Metric['unit']): string {
  if (unit === 'x') return '×';
  return unit === 'count' ? '' : ` ${unit}`;
}

/** A metric with a `≥ limit` target. */
export function atLeast(name: string, value: number, limit: number, unit: Metric['unit'] = 'x'): Metric {
  return { name, value, unit, target: `≥ ${limit}${suffix(unit)}`, pass: value >= limit };
}

/** A metric that must equal `expected`. */
export function exactly(name: string, value: number, expected: number, unit: Metric['unit'] = 'count'): Metric {
  return { name, value, unit, target: `= ${expected}`, pass: value === expected };
}

/** A figure shown for context, without a target. */
export function info(name: string, value: number, unit: Metric['unit']): Metric {
  return { name, value, unit, target: '—', pass: null };
}
