/**
 * `polycloud clouds`: which clouds the CLI uses and why (config file, `POLYCLOUD_PROVIDERS`, the
 * credentials found, or the simulator), and which of them could not be configured.
 *
 * @module
 */
import type { Command } from 'commander';
import { action, contextOf } from '../context.js';
import { EXIT, table, toJson } from '../output.js';

export function registerClouds(program: Command): void {
  program
    .command('clouds')
    .description('Show which clouds are used and why; a cloud that cannot be configured says what is wrong')
    .addHelpText(
      'after',
      [
        '',
        'A config file (~/.config/polycloud/config.json, or .yaml) names accounts:',
        '  { "clouds": { "prod": { "provider": "aws", "options": { "regions": ["eu-central-1"], "profile": "prod" } },',
        '                "cheap": { "provider": "hetzner" } } }',
        "Options are those of the provider's driver; unknown keys are rejected.",
      ].join('\n'),
    )
    .action(
      action(async (_options: unknown, command: Command) => {
        const { output, loaded } = await contextOf(command);
        if (output.json) {
          output.out(
            toJson({
              source: loaded.source,
              simulator: loaded.fallback,
              clouds: loaded.clouds.map(({ error, ...cloud }) => ({ ...cloud, ...(error ? { error: error.toJSON() } : {}) })),
            }),
          );
        } else {
          output.out(`Clouds from ${loaded.source}`);
          output.out(
            table(
              ['CLOUD', 'PROVIDER', 'WHY', 'STATUS'],
              loaded.clouds.map((cloud) => [
                cloud.name,
                cloud.provider,
                cloud.reason,
                cloud.error ? `NOT CONFIGURED: ${cloud.error.message}` : 'ready',
              ]),
            ),
          );
        }
        return loaded.clouds.some((cloud) => cloud.error) ? EXIT.failed : EXIT.ok;
      }),
    );
}
