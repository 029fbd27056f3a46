// Item 6: bundle size of a browser app that configures, signs in and signs out.
// esbuild --bundle --minify --format=esm --platform=browser, each entry with an export; gzip -9.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { kb, type Row } from './util';

const entries: Record<string, string> = {
  authchart: `
    import { createAuth } from './src/index';
    export async function app(username, password) {
      const auth = createAuth({ userPoolId: 'eu-west-1_AbC123', userPoolClientId: '1example23456789', storage: localStorage });
      await auth.signIn({ username, password });
      return auth.signOut({ global: true });
    }`,
  'aws-amplify (signIn + signOut)': `
    import { Amplify } from 'aws-amplify';
    import { signIn, signOut } from 'aws-amplify/auth';
    export async function app(username, password) {
      Amplify.configure({ Auth: { Cognito: { userPoolId: 'eu-west-1_AbC123', userPoolClientId: '1example23456789' } } });
      await signIn({ username, password });
      await signOut({ global: true });
    }`,
  'amazon-cognito-identity-js': `
    import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
    export function app(username, password) {
      const pool = new CognitoUserPool({ UserPoolId: 'eu-west-1_AbC123', ClientId: '1example23456789' });
      const user = new CognitoUser({ Username: username, Pool: pool });
      return new Promise((resolve, reject) => user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
        onSuccess: () => user.globalSignOut({ onSuccess: resolve, onFailure: reject }),
        onFailure: reject,
      }));
    }`,
};

export async function benchBundle(log: (s: string) => void): Promise<Row[]> {
  const sizes: Record<string, { min: number; gzip: number }> = {};
  for (const [name, contents] of Object.entries(entries)) {
    const out = await build({
      stdin: { contents, resolveDir: process.cwd(), sourcefile: 'app.js', loader: 'js' },
      bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'error',
      define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    });
    const code = out.outputFiles[0]!.contents;
    sizes[name] = { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
    log(`  ${name}: ${kb(sizes[name]!.min)} min, ${kb(sizes[name]!.gzip)} gzip`);
  }
  const ours = sizes.authchart!;
  return Object.entries(sizes).filter(([n]) => n !== 'authchart').map(([name, s]) => ({
    section: '6. Bundle size (configure + sign in + sign out; esbuild --bundle --minify --format=esm --platform=browser; gzip -9)',
    comparison: `authchart vs ${name}`,
    ours: `${kb(ours.min)} min / ${kb(ours.gzip)} gzip`,
    theirs: `${kb(s.min)} min / ${kb(s.gzip)} gzip`,
    ratio: ours.gzip / s.gzip,
    target: '— (reported; ratio of gzip bytes)',
    met: null,
  }));
}
