// The bundles of issue 6, item 4, for `npm run bench` (bench/bundle.ts) and the size tests
// (__tests__/fetchEntry.test.ts): the app entries, and one way to build them (esbuild --bundle
// --minify --format=esm --platform=browser, production defines, gzip -9).
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
    stdin: { contents, resolveDir: join(__dirname, '..'), sourcefile: 'app.js', loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, metafile: true, logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  });
  const code = result.outputFiles[0]!.contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length, inputs: Object.keys(result.metafile.inputs) };
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

/** What the default build is made of, measured alone: the runtime we build on, and the SDK client with the four commands authchart sends. */
export const XSTATE_ONLY = `export { setup, createActor, fromPromise, assign, emit, waitFor } from 'xstate';`;
export const XSTATE_AND_BARE_SDK_CLIENT = `${XSTATE_ONLY}
export { CognitoIdentityProviderClient, InitiateAuthCommand, RespondToAuthChallengeCommand, RevokeTokenCommand, GlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';`;
