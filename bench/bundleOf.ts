// The bundles of issue 6, item 4, for `npm run bench` (bench/bundle.ts) and the size tests
// (__tests__/fetchEntry.test.ts): the app entries, and one way to build them (esbuild --bundle
// --minify --format=esm --platform=browser --splitting, production defines, gzip -9).
import { build } from 'esbuild';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleFacts {
  /** Minified bytes a page loads up front: the entry chunk and every chunk it imports statically. */
  readonly min: number;
  /** The same, gzip -9 (each chunk on its own, as a browser fetches them). */
  readonly gzip: number;
  /** gzip -9 of the chunks loaded only through import(): after start (the tab machinery) or on first use (the hosted UI's flows). */
  readonly lazyGzip: number;
  /** The files that went in, relative to the repo root (node_modules/… for packages), lazy chunks included. */
  readonly inputs: string[];
  /** The files that went into the up-front chunks only. */
  readonly upFrontInputs: string[];
  /** The files that put bytes in the entry chunk, in the order esbuild laid them out (gzip's 32 KB window sees neighbours only). */
  readonly entryLayout: string[];
  /**
   * How many files the page fetches up front: the entry chunk, plus each chunk esbuild split off
   * because a lazy chunk imports some of the same modules. Each is gzipped on its own, so it costs
   * its header and what it cannot share with the others' dictionary.
   */
  readonly upFrontChunks: number;
  /**
   * gzip -9 of what a page loads once it has used the given modules (paths as in `inputs`): the
   * up-front chunks, plus each lazy chunk holding one of them and every chunk that one imports.
   */
  readonly gzipOnceUsed: (modules: readonly string[]) => number;
  /** The files in those chunks (what gzipOnceUsed measures). */
  readonly inputsOnceUsed: (modules: readonly string[]) => string[];
}

/**
 * Builds `contents` as a browser app would (code splitting on, so an import() becomes a chunk of
 * its own) and measures what the page loads up front, apart from what it loads on first use.
 */
export async function bundleOf(contents: string): Promise<BundleFacts> {
  const result = await build({
    stdin: { contents, resolveDir: join(__dirname, '..'), sourcefile: 'app.js', loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, metafile: true, logLevel: 'silent',
    splitting: true, outdir: join(__dirname, '..', '.bundle-out'),
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  });
  const outputs = result.metafile.outputs;
  const relative = (path: string) => Object.keys(outputs).find((key) => path.endsWith(key)) ?? path;
  const files = new Map(result.outputFiles.map((file) => [relative(file.path), file.contents]));
  // The app's own entry (stdin's sourcefile): a chunk loaded through import() is an entry point too, and esbuild may list one first.
  const entry = Object.keys(outputs).find((key) => outputs[key]!.entryPoint === 'app.js')!;
  const upFront = new Set<string>();
  for (const queue = [entry]; queue.length > 0; ) {
    const next = queue.pop()!;
    if (upFront.has(next)) continue;
    upFront.add(next);
    for (const imported of outputs[next]!.imports) if (imported.kind === 'import-statement' && outputs[imported.path]) queue.push(imported.path);
  }
  const gzip = (key: string) => gzipSync(files.get(key)!, { level: 9 }).length;
  const chunks = [...files.keys()].filter((key) => key.endsWith('.js'));
  const loadedOnceUsed = (modules: readonly string[]): Set<string> => {
    const loaded = new Set(upFront);
    const queue = chunks.filter((key) => modules.some((module) => outputs[key]!.inputs[module] !== undefined));
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
      if (loaded.has(next)) continue;
      loaded.add(next);
      for (const imported of outputs[next]!.imports) if (imported.kind === 'import-statement' && outputs[imported.path]) queue.push(imported.path);
    }
    return loaded;
  };
  const gzipOnceUsed = (modules: readonly string[]): number => [...loadedOnceUsed(modules)].reduce((sum, key) => sum + gzip(key), 0);
  const inputsOnceUsed = (modules: readonly string[]): string[] => [...new Set([...loadedOnceUsed(modules)].flatMap((key) => Object.keys(outputs[key]!.inputs)))];
  return {
    min: [...upFront].reduce((sum, key) => sum + files.get(key)!.length, 0),
    gzip: [...upFront].reduce((sum, key) => sum + gzip(key), 0),
    lazyGzip: chunks.filter((key) => !upFront.has(key)).reduce((sum, key) => sum + gzip(key), 0),
    inputs: Object.keys(result.metafile.inputs),
    upFrontInputs: [...new Set([...upFront].flatMap((key) => Object.keys(outputs[key]!.inputs)))],
    upFrontChunks: upFront.size,
    entryLayout: Object.entries(outputs[entry]!.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([path]) => path),
    gzipOnceUsed,
    inputsOnceUsed,
  };
}

/** An app that configures, signs in and signs out (global), with authchart's createAuth from `from`. */
export const authchartApp = (from: string): string => `
    import { createAuth } from '${from}';
    export async function app(username, password) {
      const auth = createAuth({ userPoolId: 'eu-west-1_AbC123', userPoolClientId: '1example23456789', storage: localStorage });
      await auth.signIn({ username, password });
      return auth.signOut({ global: true });
    }`;

/** The same app with Amplify JS v6. */
export const AMPLIFY_APP = `
    import { Amplify } from 'aws-amplify';
    import { signIn, signOut } from 'aws-amplify/auth';
    export async function app(username, password) {
      Amplify.configure({ Auth: { Cognito: { userPoolId: 'eu-west-1_AbC123', userPoolClientId: '1example23456789' } } });
      await signIn({ username, password });
      await signOut({ global: true });
    }`;

/** What the default build is made of, measured alone: the runtime we build on, and the SDK client with the five commands authchart sends up front (GetTokensFromRefreshToken: the refresh of a pool with refresh-token rotation). */
export const XSTATE_ONLY = `export { setup, createActor, fromPromise, assign, emit, waitFor } from 'xstate';`;
export const XSTATE_AND_BARE_SDK_CLIENT = `${XSTATE_ONLY}
export { CognitoIdentityProviderClient, InitiateAuthCommand, RespondToAuthChallengeCommand, RevokeTokenCommand, GlobalSignOutCommand, GetTokensFromRefreshTokenCommand } from '@aws-sdk/client-cognito-identity-provider';`;
