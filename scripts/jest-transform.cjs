// Jest transformer: strips TypeScript with esbuild (already a dependency), emitting CommonJS.
// Type checking is tsc's job (`npm run typecheck`), so this stays fast.
const { transformSync } = require('esbuild');
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');

// A change to this file (its options) invalidates jest's cache of transformed files.
const SELF = readFileSync(__filename);

module.exports = {
  getCacheKey(source, filename) {
    return createHash('sha1').update(SELF).update(filename).update('\0').update(source).digest('hex');
  },
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: filename.endsWith('.tsx') ? 'tsx' : 'ts',
      jsx: 'automatic',
      format: 'cjs',
      target: 'node20',
      // import() as require(): jest's module registry (mocks, isolation) sees lazily loaded modules too.
      supported: { 'dynamic-import': false },
      sourcemap: 'external',
      sourcefile: filename,
    });
    return { code, map };
  },
};
