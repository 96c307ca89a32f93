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
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildResult, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The entry points, relative to the package root: the `exports` targets, the `bin`, and every provider. */
export function entryPoints(root = ROOT): string[] {
  const providers = readdirSync(join(root, 'providers'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `providers/${entry.name}/index.ts`);
  return ['src/index.ts', 'src/kit.ts', 'src/testing/index.ts', 'src/ssh/index.ts', 'src/fleet/index.ts', 'src/cli/main.ts', ...providers];
}

/** The package entry, whose modules make the one core chunk. */
const CORE_ENTRY = 'src/index.ts';
/** The specifier the other entries import the core by (resolved by {@link coreChunk}, never published). */
const CORE_SPECIFIER = 'polycloud-build:core';

/**
 * Makes every entry point reach all of the package entry's modules, so they form one chunk.
 * esbuild splits shared code by which entries reach it; the core modules were reached by
 * different sets of entries (`polycloud/ssh` needs the errors but not MultiCloud) and so came
 * out as nine chunks, nine files for `import('polycloud')` to resolve, read and compile one
 * after the other. Each other entry gets a bare `import` of the package entry, appended (its
 * lines and exports unchanged); the package entry's modules have no side effects, so this adds
 * no work at run time beyond compiling code the entry's chunk would have held anyway.
 */
function coreChunk(root: string, entries: readonly string[]): Plugin {
  const others = new Set(entries.filter((entry) => entry !== CORE_ENTRY).map((entry) => join(root, entry)));
  return {
    name: 'polycloud-core-chunk',
    setup(context) {
      // esbuild drops the import itself (the entry has no side effects: `sideEffects: false`,
      // hence the silenced `ignored-bare-import`) but still counts the entry as reached when it
      // splits chunks, which is all this is for; bundle() checks the result.
      context.onResolve({ filter: /^polycloud-build:core$/ }, () => ({ path: join(root, CORE_ENTRY) }));
      context.onLoad({ filter: /\.ts$/ }, (args) => {
        if (!others.has(args.path)) return undefined;
        return { contents: `${readFileSync(args.path, 'utf8')}\nimport '${CORE_SPECIFIER}';\n`, loader: 'ts' };
      });
    },
  };
}

/** Bundles every entry point into `outdir` (mirroring the source tree, as tsc did). */
export async function bundle(outdir = join(ROOT, 'dist'), root = ROOT): Promise<BuildResult<{ metafile: true }>> {
  const entries = entryPoints(root);
  const result = await build({
    absWorkingDir: root,
    entryPoints: entries,
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
    logOverride: { 'ignored-bare-import': 'silent' },
    plugins: [coreChunk(root, entries)],
    metafile: true,
  });
  checkCoreChunk(result, outdir, root);
  restoreEntrySources(result, root, entries);
  return result;
}

/**
 * Puts each entry file's own text back into the source maps, without the line {@link coreChunk}
 * appended (which compiles to nothing, so every mapping already points at the file as written).
 */
function restoreEntrySources(result: BuildResult<{ metafile: true }>, root: string, entries: readonly string[]): void {
  const originals = new Map(entries.map((entry) => [join(root, entry), readFileSync(join(root, entry), 'utf8')]));
  for (const output of Object.keys(result.metafile.outputs).filter((path) => path.endsWith('.js'))) {
    const mapFile = join(root, `${output}.map`);
    const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
    let changed = false;
    map.sources.forEach((source, index) => {
      const original = originals.get(join(dirname(mapFile), source));
      if (original !== undefined && map.sourcesContent && map.sourcesContent[index] !== original) {
        map.sourcesContent[index] = original;
        changed = true;
      }
    });
    if (changed) writeFileSync(mapFile, JSON.stringify(map));
  }
}

/**
 * Fails the build when the package entry is no longer one file plus one chunk of code (and
 * esbuild's chunk of runtime helpers): a change in how esbuild splits would otherwise silently
 * bring back the per-file cost of `import('polycloud')`.
 */
function checkCoreChunk(result: BuildResult<{ metafile: true }>, outdir: string, root: string): void {
  const entry = Object.entries(result.metafile.outputs).find(([, output]) => output.entryPoint === CORE_ENTRY);
  if (!entry) throw new Error(`bundle: no output for ${CORE_ENTRY} in ${relative(root, outdir)}`);
  const chunks = entry[1].imports.filter((each) => !each.external && each.kind === 'import-statement');
  if (chunks.length > 2) {
    throw new Error(
      `bundle: ${CORE_ENTRY} imports ${chunks.length} chunks (${chunks.map((each) => each.path).join(', ')}); expected its code in one`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--out');
  await bundle(at > 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]!) : undefined);
}
