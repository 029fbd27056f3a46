// One browser bundle, as bench/bundle.ts and the size tests build it: esbuild --bundle --minify
// --format=esm --platform=browser, production defines, gzip -9.
import { build } from 'esbuild';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleFacts {
  readonly min: number;
  readonly gzip: number;
  /** The files that went in, relative to the repo root (node_modules/… for packages). */
  readonly inputs: string[];
}

export async function bundleOf(contents: string): Promise<BundleFacts> {
  const result = await build({
    stdin: { contents, resolveDir: join(__dirname, '..', '..'), sourcefile: 'app.js', loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, metafile: true, logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  });
  const code = result.outputFiles[0]!.contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length, inputs: Object.keys(result.metafile.inputs) };
}
