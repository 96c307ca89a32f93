/** Cold `import('polycloud')` against a bare `node -e 0`: what the core costs at start-up, and that it loads no SDK. */
import { loadedModules, measureCold, medians, sdkModules } from '../lib/cold.js';
import { atMost, exactly, info, type Benchmark } from '../lib/result.js';
import { round } from '../lib/stats.js';

export const coldImport: Benchmark = {
  id: 'cold-import',
  title: "cold `import('polycloud')` vs an empty ES module",
  async run({ quick, log }) {
    const runs = quick ? 8 : 30;
    log(`cold-import: ${runs} interleaved runs of 3 fresh processes`);
    const samples = await measureCold(
      [
        { name: 'bare', args: ['-e', '0'] },
        { name: 'bareEsm', args: ['--input-type=module', '-e', '0'] },
        { name: 'polycloud', args: ['--input-type=module', '-e', "await import('polycloud')"] },
      ],
      runs,
    );
    const { bare = 0, bareEsm = 0, polycloud = 0 } = medians(samples);
    const modules = await loadedModules('polycloud');
    const sdk = sdkModules(modules);
    const own = modules.filter((url) => url.includes('/dist/'));
    return {
      id: this.id,
      title: this.title,
      status: 'measured',
      runs,
      metrics: [
        // The bar: within 25 ms of an empty ES module (the fair baseline: both start the ESM loader).
        atMost('added over an empty ES module', round(polycloud - bareEsm, 1), 25, 'ms'),
        info('added over bare `node -e 0`', round(polycloud - bare, 1), 'ms'),
        exactly('SDK modules loaded', sdk.length, 0),
      ],
      raw: {
        'bare node -e 0 (ms)': round(bare, 1),
        'empty ES module (ms)': round(bareEsm, 1),
        "import('polycloud') (ms)": round(polycloud, 1),
        'modules loaded': modules.length,
        'polycloud modules loaded': own.length,
      },
      notes: sdk.length > 0 ? [`SDK modules loaded: ${sdk.slice(0, 5).join(', ')}`] : [],
    };
  },
};
