/**
 * polycloud as users get it: the built package in `dist/`, reached through the package's own
 * name (self-reference through `exports`), never the TypeScript sources.
 */
import type * as Core from '../../src/index.js';
import type * as MultiCloudModule from '../../src/multicloud/index.js';

export type PolycloudCore = typeof Core;

/** The package entry (`import('polycloud')`). */
export function loadCore(): Promise<PolycloudCore> {
  return import('polycloud') as unknown as Promise<PolycloudCore>;
}

/** `MultiCloud`, from the package entry, or from its built module while the entry does not export it yet. */
export async function loadMultiCloud(): Promise<typeof MultiCloudModule.MultiCloud> {
  const core = (await loadCore()) as unknown as Partial<typeof MultiCloudModule>;
  if (core.MultiCloud) return core.MultiCloud;
  // The built file exists only after `npm run build`, which `npm run bench` runs first.
  const builtPath = '../../dist/src/multicloud/index.js';
  const built = (await import(builtPath)) as typeof MultiCloudModule;
  return built.MultiCloud;
}

/**
 * A provider module (`import('polycloud/providers/<name>')`), or `undefined` with the reason
 * when it has not been built (the driver has not landed).
 */
export async function loadProvider<T>(name: string): Promise<{ module: T } | { missing: string }> {
  try {
    return { module: (await import(`polycloud/providers/${name}`)) as T };
  } catch (error) {
    return { missing: `polycloud/providers/${name} could not be imported (${String((error as Error).message).split('\n')[0]})` };
  }
}
