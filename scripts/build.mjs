// Builds dist/: ESM and CJS with esbuild (one file per source file, so consumers tree-shake),
// and .d.ts with tsc. Each format folder gets a package.json naming its module type, and its own
// copy of the .d.ts files beside its .js: TypeScript reads a .d.ts as ESM or CJS by the nearest
// package.json, so one shared types folder would tell `import` users the package is CJS
// (attw's "Masquerading as CJS").
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, mkdirSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['machines', 'services', 'src'];
const entryPoints = roots.flatMap(function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return walk(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
});

rmSync('dist', { recursive: true, force: true });
for (const [format, type] of [['esm', 'module'], ['cjs', 'commonjs']]) {
  await build({
    entryPoints,
    outdir: `dist/${format}`,
    outbase: '.',
    format,
    platform: 'neutral',
    target: 'es2022',
    sourcemap: true,
    logLevel: 'warning',
  });
  mkdirSync(`dist/${format}`, { recursive: true });
  // Each format's package.json is the nearest one to its files, so it must repeat `sideEffects: false`: bundlers read that one, not the root's.
  writeFileSync(`dist/${format}/package.json`, JSON.stringify({ type, sideEffects: false }) + '\n');
}
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
for (const format of ['esm', 'cjs']) cpSync('dist/types', `dist/${format}`, { recursive: true });
rmSync('dist/types', { recursive: true, force: true });
