/**
 * What importing the AWS driver and creating one loads: polycloud's own modules, never the SDK
 * (required on the first request), axios (which the kit's REST layer and live price fetches
 * import on first use) or the price catalog (loaded with the first node to price).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

it("loads no SDK, no axios and no price data on import('polycloud/providers/aws') and createAwsDriver", () => {
  expect(existsSync(`${root}/dist/providers/aws/index.js`), 'run `npm run build` first (npm test does)').toBe(true);
  const script = `
    import { registerHooks } from 'node:module';
    const loaded = [];
    registerHooks({ resolve(specifier, context, next) { const result = next(specifier, context); loaded.push(result.url); return result; } });
    const { createAwsDriver } = await import('polycloud/providers/aws');
    createAwsDriver({ regions: ['us-east-1'], credentials: { accessKeyId: 'AKIDSTARTUP', secretAccessKey: 'start-up' } });
    console.log(JSON.stringify(loaded));
  `;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  const loaded: string[] = JSON.parse(output.trim().split('\n').pop() ?? '[]');
  expect(loaded.some((url) => url.endsWith('/dist/providers/aws/index.js'))).toBe(true);
  expect(loaded.filter((url) => /node_modules\/(@aws-sdk|@smithy|axios)\//.test(url))).toEqual([]);
  expect(loaded.filter((url) => /price-catalog|price-offers/.test(url))).toEqual([]);
});
