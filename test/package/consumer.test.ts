/**
 * The published package, consumed the way a stranger would: `npm pack`, the tarball unpacked into
 * an empty project in the temp dir (its dependencies linked from this repository's install, no
 * network, no cloud SDK anywhere), then an ES module, a CommonJS module, `tsc --skipLibCheck
 * false` under `nodenext` and `bundler`, and esbuild bundling an app, each must work. publint and
 * arethetypeswrong judge the same tarball.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};
const OPTIONAL_PEERS = Object.keys(manifest.peerDependencies);

let work: string;
let project: string;
let tarball: string;
let installed: string;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      [...args],
      { cwd, timeout: 240_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const node = (args: readonly string[]) => run(process.execPath, args, project);
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

/** Every file under a directory, relative to it. */
function filesUnder(directory: string, prefix = ''): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(directory, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

beforeAll(async () => {
  expect(existsSync(join(root, 'dist', 'src', 'index.js')), 'run `npm run build` first (npm test does)').toBe(true);
  work = mkdtempSync(join(tmpdir(), 'polycloud-consumer-'));
  const packed = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], root);
  expect(packed.code, packed.stderr).toBe(0);
  tarball = join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);

  project = join(work, 'app');
  installed = join(project, 'node_modules', 'polycloud');
  mkdirSync(installed, { recursive: true });
  const untar = await run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'], work);
  expect(untar.code, untar.stderr).toBe(0);
  // The runtime dependencies (and @types/node, which any TypeScript project on Node has), linked
  // from this repository's install: the same versions npm would install, without the network.
  for (const name of [...Object.keys(manifest.dependencies), '@types/node']) {
    const link = join(project, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(root, 'node_modules', name), link, 'dir');
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('ships the licence, the README, compiled code with self-contained source maps, and no TypeScript sources', () => {
    const files = filesUnder(installed);
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/src/index.js', 'dist/src/index.d.ts']));
    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toContain('Apache License');
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    // A map must carry its sources (they are not shipped) — a declaration map would point at nothing.
    expect(files.filter((file) => file.endsWith('.d.ts.map'))).toEqual([]);
    const maps = files.filter((file) => file.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(10);
    for (const map of maps) {
      const parsed = JSON.parse(readFileSync(join(installed, map), 'utf8')) as { sources: string[]; sourcesContent?: string[] };
      expect(parsed.sourcesContent?.length, map).toBe(parsed.sources.length);
    }
  });

  it('runs nothing at install, needs Node 22.12+ (require of ES modules), and accepts any SDK major it supports', () => {
    const published = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(published.scripts?.[hook], hook).toBeUndefined();
    expect(published.engines.node).toBe('>=22.12');
    expect(published.peerDependencies['@aws-sdk/client-ec2']).toBe('^3');
    expect(published.peerDependencies['@google-cloud/compute']).toBe('^7');
    for (const peer of OPTIONAL_PEERS) expect(published.peerDependenciesMeta[peer]?.optional, peer).toBe(true);
    // Every entry point that ES modules import is also reachable by require() (the `default` condition).
    for (const [entry, conditions] of Object.entries(published.exports as Record<string, Record<string, string> | string>)) {
      if (typeof conditions === 'object' && conditions.import) expect(conditions.default, entry).toBe(conditions.import);
    }
  });

  it('is a project with no cloud SDK reachable', () => {
    const require = createRequire(join(project, 'index.js'));
    for (const peer of ['@aws-sdk/client-ec2', '@google-cloud/compute']) expect(() => require.resolve(peer)).toThrow();
  });
});

describe('consumed from an empty project', () => {
  it('works as an ES module import, and says which package a cloud needs', async () => {
    writeFileSync(
      join(project, 'app.mjs'),
      `import { createDriver, isConfigurationError } from 'polycloud';
       import { createLocalDriver } from 'polycloud/providers/local';
       const cloud = await createDriver();
       const locations = await cloud.listLocations();
       const aws = await createDriver('aws', { regions: ['eu-central-1'] }).then((d) => d.listLocations()).catch((e) => e);
       console.log(JSON.stringify({ locations: locations.length, local: typeof createLocalDriver, aws: isConfigurationError(aws), message: aws.message }));`,
    );
    const result = await node(['app.mjs']);
    expect(result.code, result.stderr).toBe(0);
    const answer = JSON.parse(result.stdout);
    expect(answer).toMatchObject({ local: 'function', aws: true });
    expect(answer.locations).toBeGreaterThanOrEqual(4);
    expect(answer.message).toContain('npm install @aws-sdk/client-ec2');
  });

  it('works as a CommonJS require (Node 22.12+ loads the ES module)', async () => {
    writeFileSync(
      join(project, 'app.cjs'),
      `const { createDriver } = require('polycloud');
       const { createLocalDriver } = require('polycloud/providers/local');
       createDriver().then(async (cloud) => {
         const sizes = await cloud.listSizes();
         console.log(JSON.stringify({ sizes: sizes.length, local: typeof createLocalDriver }));
       });`,
    );
    const result = await node(['app.cjs']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ local: 'function' });
    expect(JSON.parse(result.stdout).sizes).toBeGreaterThan(0);
  });

  const source = `import { createDriver, MultiCloud, type Node } from 'polycloud';
import { createAwsDriver, type AwsDriver, type Ec2Instance } from 'polycloud/providers/aws';
import { createGceDriver, type GceDriver } from 'polycloud/providers/gce';
export async function names(): Promise<string[]> {
  const cloud = await createDriver('local');
  const nodes: Node[] = await cloud.listNodes();
  const aws: AwsDriver = createAwsDriver({ regions: ['eu-central-1'] });
  const raw: Ec2Instance | undefined = (await aws.listNodes())[0]?.raw;
  const gce: GceDriver = createGceDriver({ project: 'my-project-123' });
  void gce; void raw; void new MultiCloud({ drivers: { local: cloud } });
  return nodes.map((node) => node.name);
}
`;

  // nodenext also checks a CommonJS module that requires the package (TypeScript 5.8+ knows require(esm)).
  const requiring = `import polycloud = require('polycloud');\nexport const make = (): Promise<polycloud.Driver> => polycloud.createDriver();\n`;

  it.each([
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }, ['check.mts', 'require.cts']],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }, ['check.ts']],
  ])(
    'type-checks with skipLibCheck false under %s, with no SDK installed',
    async (name, options, files) => {
      const directory = join(project, `tsc-${name}`);
      mkdirSync(directory, { recursive: true });
      for (const file of files) writeFileSync(join(directory, file), file.endsWith('.cts') ? requiring : source);
      writeFileSync(
        join(directory, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: { ...options, target: 'es2023', strict: true, skipLibCheck: false, noEmit: true, types: ['node'] },
          files,
        }),
      );
      const result = await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', directory], project);
      expect(result.stdout + result.stderr).toBe('');
      expect(result.code).toBe(0);
    },
    240_000,
  );

  it('bundles with esbuild without marking any SDK external, and the bundle runs', async () => {
    writeFileSync(
      join(project, 'bundled.mjs'),
      `import { createDriver } from 'polycloud';
       const cloud = await createDriver();
       console.log(JSON.stringify({ provider: cloud.provider, locations: (await cloud.listLocations()).length }));`,
    );
    // The banner is esbuild's usual recipe for an ES module bundle whose CommonJS dependencies require() Node built-ins.
    const banner = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";
    const bundle = await run(
      bin('esbuild'),
      ['bundled.mjs', '--bundle', '--platform=node', '--format=esm', '--outfile=out/app.mjs', '--log-level=error', `--banner:js=${banner}`],
      project,
    );
    expect(bundle.stderr).toBe('');
    expect(bundle.code).toBe(0);
    const result = await node(['out/app.mjs']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ provider: 'local' });
  });
});

describe('package linters', () => {
  it('publint finds nothing', async () => {
    const result = await run(bin('publint'), ['run', installed, '--strict'], root);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('All good');
  });

  it('arethetypeswrong finds nothing', async () => {
    const result = await run(bin('attw'), [tarball, '--format', 'ascii'], root);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    // node10 resolution (no `exports` support) is ignored in .attw.json: the package needs Node 22.12.
    const problems = result.stdout.split('\n').filter((line) => /💀|❌|⚠️|🐛|🥴|🎭/.test(line) && !/\(ignored/.test(line));
    expect(problems).toEqual([]);
  }, 240_000);
});
