/** Cold-start measurements: fresh Node processes, variants interleaved, medians of wall time. */
import { fileURLToPath } from 'node:url';
import { median } from './stats.js';
import { runNode } from './spawn.js';

/** A cold-start variant: the Node arguments of one fresh process. */
export interface ColdVariant {
  readonly name: string;
  readonly args: readonly string[];
}

/**
 * Runs every variant `runs` times (after `warmup` discarded rounds), shuffling the order within
 * each round so drifting machine load hits all variants alike. Returns each variant's samples (ms).
 */
export async function measureCold(variants: readonly ColdVariant[], runs: number, warmup = 2): Promise<Record<string, number[]>> {
  const samples: Record<string, number[]> = Object.fromEntries(variants.map((variant) => [variant.name, []]));
  for (let round = 0; round < warmup + runs; round += 1) {
    const order = [...variants].sort(() => Math.random() - 0.5);
    for (const variant of order) {
      const run = await runNode(variant.args, { timeoutMs: 30_000 });
      if (run.code !== 0) throw new Error(`${variant.name} exited with ${run.code}: ${run.stderr.slice(-1500)}`);
      if (round >= warmup) samples[variant.name]?.push(run.wallMs);
    }
  }
  return samples;
}

/** Medians of each variant's samples. */
export function medians(samples: Record<string, number[]>): Record<string, number> {
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

/** Every module URL importing `specifier` loads, from a fresh process. */
export async function loadedModules(specifier: string): Promise<string[]> {
  const script = fileURLToPath(new URL('../children/loaded-modules.mjs', import.meta.url));
  const run = await runNode([script, specifier], { timeoutMs: 30_000 });
  if (run.code !== 0) throw new Error(`listing the modules of ${specifier} failed: ${run.stderr.slice(-1500)}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '[]') as string[];
}

/** Module URLs that belong to a provider SDK (or its transport and auth stacks). */
export function sdkModules(urls: readonly string[]): string[] {
  return urls.filter((url) => /node_modules\/(@aws-sdk|@smithy|@google-cloud|google-gax|google-auth-library|@grpc)\//.test(url));
}
