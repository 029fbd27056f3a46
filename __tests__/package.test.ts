// The published shape: every `exports` entry loads as CommonJS and as ESM from dist/, with types.
// `npm test` builds dist/ before jest runs.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = join(__dirname, '..');
type Target = { types: string; default: string };
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, { import: Target; require: Target } | string>; typesVersions: Record<string, Record<string, string[]>> };
const entries: Array<[string, string]> = [
  ['authchart', 'createAuth'],
  ['authchart/fetch', 'createAuth'],
  ['authchart/account', 'createAccount'],
  ['authchart/machines', 'signOutMachine'],
  ['authchart/actors', 'createSignOutActors'],
  ['authchart/testing', 'startCognitoEmulator'],
  ['authchart/inspect', 'redactingInspector'],
  ['authchart/inspect/node', 'createRedactedWebSocketInspector'],
  ['authchart/transport/fetch', 'createFetchCognito'],
  ['authchart/server', 'createRevocationList'],
];

beforeAll(() => {
  if (!existsSync(join(root, 'dist'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
});

test.each(entries)('%s loads with require() and exposes %s', (specifier, name) => {
  const out = execFileSync(process.execPath, ['-e', `process.stdout.write(typeof require(${JSON.stringify(specifier)}).${name})`], { cwd: root, encoding: 'utf8' });
  expect(['function', 'object']).toContain(out);
});

test.each(entries)('%s loads with import and exposes %s', (specifier, name) => {
  const code = `import * as m from ${JSON.stringify(specifier)}; process.stdout.write(typeof m.${name});`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  expect(['function', 'object']).toContain(out);
});

// What loads on first use (the sign-in flow, SECRET_HASH's HMAC, the hosted UI's flows) is loaded
// by Node's own import(), which hands a CommonJS module over as { default: module.exports }: each
// build, in a process of its own, signs in with SRP and a client secret, and opens the hosted UI.
test.each([
  ['require()', 'const { createAuth } = require("authchart/fetch"); const { startCognitoEmulator } = require("authchart/testing");', []],
  ['import', 'import { createAuth } from "authchart/fetch"; import { startCognitoEmulator } from "authchart/testing";', ['--input-type=module']],
])('with %s, the modules loaded on first use load from dist/ in plain Node', (_, imports, flags) => {
  const code = `${imports}
    const emu = await startCognitoEmulator();
    const pool = emu.setup({ generateSecret: true, callbackUrls: ['http://localhost:3000/callback'], logoutUrls: ['http://localhost:3000/out'] });
    const oauth = { domain: emu.endpoint, redirectSignIn: 'http://localhost:3000/callback', redirectSignOut: 'http://localhost:3000/out', opener: async () => ({ type: 'cancelled' }) };
    const auth = createAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, clientSecret: pool.clientSecret, endpoint: emu.endpoint, oauth });
    const redirect = await auth.signInWithRedirect().catch((error) => error.name);
    const signIn = await auth.signIn({ username: pool.username, password: pool.password });
    process.stdout.write(JSON.stringify({ redirect, signedIn: signIn.isSignedIn }));
    await auth.stop();
    await emu.close();`;
  const body = flags.length > 0 ? code : `(async () => { ${code} })().catch((error) => { console.error(error); process.exit(1); });`;
  const out = execFileSync(process.execPath, [...flags, '-e', body], { cwd: root, encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  expect(JSON.parse(out)).toEqual({ redirect: 'RedirectSignInCancelled', signedIn: true });
}, 30_000);

test('every exports entry points at files that exist, types included', () => {
  for (const [entry, target] of Object.entries(pkg.exports)) {
    const files = typeof target === 'string' ? [target] : [target.import.types, target.import.default, target.require.types, target.require.default];
    for (const file of files) expect({ entry, file, exists: existsSync(join(root, file)) }).toEqual({ entry, file, exists: true });
  }
});

test('each format has its own .d.ts beside its .js, so TypeScript reads ESM types as ESM and CJS as CJS', () => {
  for (const [entry, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string') continue;
    expect({ entry, esm: target.import.types.replace(/\.d\.ts$/, '.js') }).toEqual({ entry, esm: target.import.default });
    expect({ entry, cjs: target.require.types.replace(/\.d\.ts$/, '.js') }).toEqual({ entry, cjs: target.require.default });
  }
  expect(JSON.parse(readFileSync(join(root, 'dist/esm/package.json'), 'utf8')).type).toBe('module');
  expect(JSON.parse(readFileSync(join(root, 'dist/cjs/package.json'), 'utf8')).type).toBe('commonjs');
});

test('typesVersions names every subpath, for TypeScript with moduleResolution node10 (which ignores exports)', () => {
  const subpaths = Object.keys(pkg.exports).filter((key) => key !== '.' && key !== './package.json').map((key) => key.slice(2));
  expect(Object.keys(pkg.typesVersions['*']!).sort()).toEqual(subpaths.sort());
  for (const subpath of subpaths) {
    const target = pkg.exports[`./${subpath}`] as { require: Target };
    expect(pkg.typesVersions['*']![subpath]).toEqual([target.require.types]);
  }
});

test('the main entry does not load the emulator', () => {
  const out = execFileSync(process.execPath, ['-e', `require('authchart'); process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((f) => /testing|emulator/.test(f))))`], { cwd: root, encoding: 'utf8' });
  expect(JSON.parse(out)).toEqual([]);
});

test('the main entry bundles for the browser (no Node built-ins reachable)', async () => {
  const result = await build({
    stdin: { contents: "export { createAuth } from 'authchart';", resolveDir: root },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  expect(result.errors).toEqual([]);
  expect(result.outputFiles[0]!.text).not.toMatch(/require\(["']node:/);
});

describe('importing only errors or names pulls in no statechart and no xstate (the packed layout, as an app bundles it)', () => {
  // Each dist/<format>/package.json is the nearest to its files, so it carries `sideEffects: false` too.
  test.each(['esm', 'cjs'])('dist/%s/package.json says sideEffects: false', (format) => {
    expect(JSON.parse(readFileSync(join(root, 'dist', format, 'package.json'), 'utf8'))).toMatchObject({ sideEffects: false });
  });

  test.each([
    ['authchart', 'ErrorNames, AuthError, HostedUiError'],
    ['authchart/fetch', 'ErrorNames, AuthError, StorageError'],
    ['authchart/machines', 'ErrorNames, REFUSALS'],
  ])('%s: { %s } bundles to a few hundred bytes, with no xstate and no machine', async (specifier, names) => {
    const result = await build({
      stdin: { contents: `import { ${names} } from '${specifier}'; export const used = [${names}];`, resolveDir: root },
      bundle: true, minify: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent',
    });
    const text = result.outputFiles[0]!.text;
    expect(text).not.toMatch(/createMachine|xstate\.(done|error|after)|@xstate/);
    expect(gzipSync(text).length).toBeLessThan(2_000); // 25 KB gzip before the format folders said sideEffects: false
  });
});

test('one class identity per error: an error from the require() copy is an instance of the import copy’s classes, and the other way round', () => {
  const code = `
    import { createRequire } from 'node:module';
    import * as esm from 'authchart';
    const cjs = createRequire(import.meta.url)('authchart');
    const pairs = [[esm, cjs], [cjs, esm]];
    const seen = pairs.map(([made, checks]) => {
      const error = new made.HostedUiError('SignOutUrlNotAllowed', 'x');
      return [checks.AuthError !== made.AuthError, error instanceof checks.AuthError, error instanceof checks.HostedUiError, error instanceof checks.StorageError, error instanceof Error];
    });
    class AppError extends esm.AuthError {}
    seen.push([new AppError('A', 'b') instanceof AppError, new esm.AuthError('A', 'b') instanceof AppError, new AppError('A', 'b') instanceof cjs.AuthError]);
    process.stdout.write(JSON.stringify(seen));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  // Two copies of the classes are loaded, and instanceof still sees one class per error; an app's own subclass works as usual.
  expect(JSON.parse(out)).toEqual([
    [true, true, true, false, true],
    [true, true, true, false, true],
    [true, false, true],
  ]);
});

// The consumer test (consumer.test.ts) compiles the packed typings against the lowest xstate of the
// peer range (5.20.0); this compiles them against the newest, the repo's, with TypeScript 5.9 and
// skipLibCheck false: scripts/dts-xstate-floor.mjs rewrites the machines' types for the former, and
// they must stay whole (not `any`) for the latter.
test("dist's typings compile against the repo's xstate, strict, with skipLibCheck false, and stay typed", () => {
  const app = mkdtempSync(join(tmpdir(), 'authchart-dts-'));
  try {
    mkdirSync(join(app, 'node_modules'));
    symlinkSync(root, join(app, 'node_modules', 'authchart'));
    for (const name of ['xstate', '@types', '@aws-sdk']) symlinkSync(join(root, 'node_modules', name), join(app, 'node_modules', name));
    writeFileSync(
      join(app, 'app.mts'),
      [
        "import { createAuth } from 'authchart/fetch';",
        "import { authMachine, signOutMachine } from 'authchart/machines';",
        "import { createSignOutActors } from 'authchart/actors';",
        "import { redactingInspector } from 'authchart/inspect';",
        "import { createActor, fromPromise, waitFor } from 'xstate';",
        "const auth = createAuth({ userPoolId: 'eu-west-1_AbC123', userPoolClientId: 'x' });",
        "export const signedIn = waitFor(auth.actor, (snapshot) => snapshot.matches('signedIn'));",
        'export const provided = signOutMachine.provide({ actors: { clearTokens: fromPromise<void>(async () => {}) } });',
        'export const actor = createActor(authMachine, { input: { networkTimeoutMs: 1, storageTimeoutMs: 1, refreshSkewMs: 1, queueing: true } });',
        '// @ts-expect-error the actor is typed, not any: an unknown event is refused',
        "auth.actor.send({ type: 'NOT_AN_EVENT' });",
        'export { createSignOutActors, redactingInspector };',
      ].join('\n'),
    );
    const compilerOptions = { strict: true, skipLibCheck: false, module: 'node16', moduleResolution: 'node16', target: 'es2022', noEmit: true, types: ['node'], lib: ['es2022', 'dom'] };
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['app.mts'] }));
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    expect(() => execFileSync(process.execPath, [tsc, '-p', join(app, 'tsconfig.json')], { encoding: 'utf8', stdio: 'pipe' })).not.toThrow();
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}, 60_000);
