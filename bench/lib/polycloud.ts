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

/** `MultiCloud`, from the package entry. */
export async function loadMultiCloud(): Promise<typeof MultiCloudModule.MultiCloud> {
  return (await loadCore()).MultiCloud as unknown as typeof MultiCloudModule.MultiCloud;
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
