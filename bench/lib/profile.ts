/** Where the CPU time of a V8 CPU profile goes, summed by package (or polycloud file) — what dominates a miss. */

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly url: string; readonly functionName: string };
}

/** A `.cpuprofile` (from `--cpu-prof` or the inspector's `Profiler.stop`). */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Which bucket a frame's time goes to: an npm package, a polycloud file, a Node internal area, or a V8 pseudo-frame. */
function bucketOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (dependency) return dependency[1] as string;
  const own = /\/(dist\/(?:src|providers)\/.+)$/.exec(url);
  if (own) return `polycloud ${own[1]}`;
  if (url.startsWith('node:internal/modules')) return 'node: module loader';
  if (url.startsWith('node:')) return 'node: other internals';
  if (url === '') return functionName.startsWith('(') ? functionName : `(${functionName || 'native'})`;
  return 'other';
}

/** Self time per bucket, in ms, largest first. */
export function selfTimeByBucket(profiles: readonly CpuProfile[]): [string, number][] {
  const totals = new Map<string, number>();
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    profile.samples.forEach((sample, index) => {
      const node = nodes.get(sample);
      if (!node) return;
      const bucket = bucketOf(node.callFrame);
      totals.set(bucket, (totals.get(bucket) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000 / profiles.length);
    });
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

/** A short table of the top buckets with their share of the busy (non-idle) time. */
export function describeProfile(buckets: readonly [string, number][], top = 8): string {
  const busy = buckets.filter(([name]) => name !== '(idle)' && name !== '(program)');
  const total = busy.reduce((sum, [, ms]) => sum + ms, 0);
  const share = (ms: number) => `${Math.round((ms / total) * 100)}% (${ms.toFixed(1)} ms)`;
  const own = busy.filter(([name]) => name.startsWith('polycloud ')).reduce((sum, [, ms]) => sum + ms, 0);
  const listed = busy
    .slice(0, top)
    .map(([name, ms]) => `${name} ${share(ms)}`)
    .join('; ');
  return `${listed}; all polycloud code together ${share(own)}`;
}
