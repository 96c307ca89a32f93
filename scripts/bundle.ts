/**
 * The JavaScript half of `npm run build` (tsc writes the declarations): every public entry point
 * bundled by esbuild into `dist/`, at the path `exports` names, as ES modules.
 *
 * Why bundle: Node's ES module loader pays per file (resolve, read, compile, link), and the
 * package entry alone was 39 files. One bundle per entry, with the code two entries share split
 * into shared chunks, keeps a single copy of every module — so `CloudError` from `polycloud` is the
 * `CloudError` a provider from `polycloud/providers/aws` throws — while each provider module (and
 * its price catalog) stays a chunk of its own, loaded by the registry's `import()` only when a
 * driver is asked for. Dependencies stay external: they install and update on their own, and
 * the optional peers must be found (or missed) at run time.
 *
 *   tsx scripts/bundle.ts [--out DIR]
 *
 * @module
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildResult } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The entry points, relative to the package root: the `exports` targets, the `bin`, and every provider. */
export function entryPoints(root = ROOT): string[] {
  const providers = readdirSync(join(root, 'providers'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `providers/${entry.name}/index.ts`);
  return ['src/index.ts', 'src/kit.ts', 'src/testing/index.ts', 'src/ssh/index.ts', 'src/fleet/index.ts', 'src/cli/main.ts', ...providers];
}

/** Bundles every entry point into `outdir` (mirroring the source tree, as tsc did). */
export function bundle(outdir = join(ROOT, 'dist'), root = ROOT): Promise<BuildResult> {
  return build({
    absWorkingDir: root,
    entryPoints: entryPoints(root),
    outbase: '.',
    outdir,
    // Shared code goes to src/chunks/, so no chunk path contains `providers/` (the core loads
    // provider modules only through the registry's descriptors, and tests check that by path).
    chunkNames: 'src/chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22.12',
    packages: 'external',
    // Function and class names stay what the source says (`CloudError.name`, stack traces),
    // even where two modules used the same name in one bundle.
    keepNames: true,
    // The maps carry their sources: the TypeScript files are not published.
    sourcemap: true,
    sourcesContent: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--out');
  await bundle(at > 0 && process.argv[at + 1] ? join(process.cwd(), process.argv[at + 1]!) : undefined);
}
