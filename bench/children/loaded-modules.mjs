/* global process, console */
// Prints every module URL (ESM and CommonJS) that importing argv[2] resolves, as one JSON line.
// Plain JavaScript with no loader, so nothing but the import itself is counted.
import { registerHooks } from 'node:module';

const seen = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    seen.add(result.url);
    return result;
  },
});
await import(process.argv[2]);
console.log(JSON.stringify([...seen]));
