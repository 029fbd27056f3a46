// Jest transformer: strips TypeScript with esbuild (already a dependency), emitting CommonJS.
// Type checking is tsc's job (`npm run typecheck`), so this stays fast.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: filename.endsWith('.tsx') ? 'tsx' : 'ts',
      jsx: 'automatic',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'external',
      sourcefile: filename,
    });
    return { code, map };
  },
};
