/**
 * The architecture's import boundaries, as the lint config enforces them: a driver imports only
 * the kit and its own folder; `src/` loads no provider except through the registry's descriptors.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function restrictedImports(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: `${root}/${file}` });
  return (result?.messages ?? [])
    .filter((message) => message.severity === 2 && /no-restricted-imports/.test(message.ruleId ?? ''))
    .map((message) => /'([^']+)'/.exec(message.message)?.[1] ?? message.message);
}

describe('import boundaries', () => {
  it('lets a driver import the kit and its own files, and nothing else of the repository', async () => {
    const code = [
      "import { defineDriver } from '../../src/kit.js';",
      "import { mapNode } from './map.js';",
      "import { withRetry } from '../../src/core/retry.js';",
      "import { createGceDriver } from '../gce/index.js';",
      "import { createDriver } from 'polycloud';",
      "import { pollUntil } from 'polycloud/kit';",
      'export const used = [defineDriver, mapNode, withRetry, createGceDriver, createDriver, pollUntil];',
    ].join('\n');
    expect(await restrictedImports('providers/aws/probe.ts', code)).toEqual(['../../src/core/retry.js', '../gce/index.js', 'polycloud']);
  }, 60_000);

  it('keeps provider modules out of src/ except as types', async () => {
    const code = [
      "import { createAwsDriver } from '../../providers/aws/index.js';",
      "import type { AwsDriver } from '../../providers/aws/index.js';",
      'export const driver: AwsDriver = createAwsDriver();',
    ].join('\n');
    expect(await restrictedImports('src/multicloud/probe.ts', code)).toEqual(['../../providers/aws/index.js']);
  }, 60_000);
});
