// Runs a TypeScript script (the demo, the benches) by bundling it with esbuild into .cache/ first.
// Dependencies stay external, so the script runs against the installed packages.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs <file.ts> [args…]');
  process.exit(2);
}
const outfile = `.cache/${basename(entry, '.ts')}.cjs`;
await build({ entryPoints: [entry], bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', outfile, sourcemap: 'inline', logLevel: 'warning' });
const run = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...args], { stdio: 'inherit' });
process.exit(run.status ?? 1);
