// The package as an app gets it: `npm pack` of the built dist/, checked by attw, then installed
// from a committed lockfile into a consumer (__tests__/consumer/) that has its own xstate at the
// lowest version the peer range allows (5.20.0) and TypeScript 5.0.4, the oldest we support
// (5.9.3 checks the same configs). Each sub-project compiles with strict and skipLibCheck false
// and signs in and out against the emulator: ESM (node16 and bundler), CommonJS (TS and plain JS),
// and browser bundles. Then the optional peers are removed and the entries that do not need them
// compile and run without them. `npm test` builds dist/ before jest runs this.
//
// UPDATE_CONSUMER_LOCK=1 npx jest __tests__/consumer.test.ts rewrites __tests__/consumer/package-lock.json
// (after a change to the fixture's package.json, or to authchart's dependencies or peers).
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';

const root = join(__dirname, '..');
const fixture = join(__dirname, 'consumer');
const updateLock = process.env['UPDATE_CONSUMER_LOCK'] === '1';
const keep = process.env['KEEP_CONSUMER'] === '1';

type Target = { types: string; default: string };
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; exports: Record<string, { import: Target; require: Target } | string> };
/** Every entry of `exports`, as an app imports it. */
const entries = Object.keys(pkg.exports)
  .filter((key) => key !== './package.json')
  .map((key) => (key === '.' ? 'authchart' : `authchart/${key.slice(2)}`));
/** The entries meant for a browser: all but the Node-only ones. */
const nodeOnly = new Set(['authchart/testing', 'authchart/inspect/node', 'authchart/server']);
const browserEntries = entries.filter((entry) => !nodeOnly.has(entry));
/** The entries that load the AWS SDK or @statelyai/inspect at once; every other one must work without them. */
const needPeers = new Set(['authchart', 'authchart/testing', 'authchart/inspect/node']);
const peerFreeEntries = entries.filter((entry) => !needPeers.has(entry));
/** The projects under the consumer root; each gets a copy of shared/ so it reads it under its own module rules. */
const projects = ['esm-node16', 'esm-bundler', 'cjs', 'browser', 'no-sdk'];
/** The tsconfigs checked with TypeScript 5.0.4 while every peer is installed; the first three with 5.9.3 too (node16 ESM and CJS, bundler). */
const configs = ['esm-node16/tsconfig.json', 'cjs/tsconfig.json', 'browser/tsconfig.json', 'esm-node16/tsconfig.entries.json', 'esm-bundler/tsconfig.json', 'cjs/tsconfig.node10.json'];
const newestConfigs = configs.slice(0, 3);

let work: string;
let app: string;
let tarball: string;
let emu: CognitoEmulator;
const timings: Record<string, number> = {};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking this process (the emulator answers from here). Never rejects. */
async function sh(file: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Run> {
  const env = { ...process.env, ...options.env };
  // A nested npm must not take this run's npm lifecycle settings (npm test sets them).
  for (const key of Object.keys(env)) if (/^npm_(package|lifecycle)_/.test(key) || key === 'npm_command') delete env[key];
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { cwd: options.cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; killed?: boolean; stdout?: string; stderr?: string; message: string };
    const stderr = `${failed.killed ? `killed after ${options.timeoutMs ?? 120_000} ms: ` : ''}${failed.stderr || failed.message}`;
    return { code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr };
  }
}

const npm = (args: string[], cwd: string) => sh(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd });
const node = (args: string[], env?: NodeJS.ProcessEnv) => sh(process.execPath, args, { cwd: app, ...(env && { env }), timeoutMs: 60_000 });
/** The consumer's own esbuild (its bin is a native executable once esbuild's install script has run, a JS shim otherwise). */
const esbuild = (args: string[]) => sh(join(app, 'node_modules/.bin/esbuild'), ['--log-level=warning', ...args], { cwd: app });

async function timed<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    timings[name] = Date.now() - started;
  }
}

/** Runs the jobs two at a time (CI has two cores). */
async function pooled<T>(jobs: Array<() => Promise<T>>, width = 2): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const index = next++;
        results[index] = await jobs[index]!();
      }
    }),
  );
  return results;
}

/** A fresh pool, user and client on the test's emulator, as the apps read it from AUTHCHART_POOL. */
function poolEnv(): NodeJS.ProcessEnv {
  const setup = emu.setup();
  return { AUTHCHART_POOL: JSON.stringify({ ...setup, endpoint: emu.endpoint, region: emu.region }) };
}

/** The last line of stdout, as JSON (the apps print one report line; a library may log before it). */
function report(run: Run, what: string): any {
  if (run.code !== 0) throw new Error(`${what} exited with ${run.code}\n${run.stdout}\n${run.stderr}`);
  const line = run.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`${what} printed no report\n${run.stdout}\n${run.stderr}`);
  }
}

const tsc = (compiler: 'typescript' | 'typescript-newest', config: string, emit: boolean) =>
  timed(`tsc ${compiler} ${config}`, () => node([`node_modules/${compiler}/bin/tsc`, '-p', config, ...(emit ? [] : ['--noEmit'])]));

/** Every sub-project's sign-in/sign-out report, as flow.tsx makes it. */
const signedInAndOut = {
  signIn: true,
  afterSignIn: JSON.stringify({ signedIn: 'active' }),
  rendered: '<p data-signed-in="true">test-user</p>',
  signOut: 'complete',
  afterSignOut: JSON.stringify('signedOut'),
  sameXstate: true,
  providedSignOut: { outcome: 'complete', calls: ['recordIntent session', 'revokeToken intent-1', 'clearTokens', 'settleIntent remove'] },
};

/** Every directory under node_modules that holds a package named `name`, nested copies included. */
function copiesOf(name: string, dir = join(app, 'node_modules')): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    const packages = entry.name.startsWith('@') ? readdirSync(path).map((scoped) => join(path, scoped)) : [path];
    for (const packageDir of packages) {
      const manifest = join(packageDir, 'package.json');
      if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === name) found.push(packageDir);
      if (existsSync(join(packageDir, 'node_modules'))) found.push(...copiesOf(name, join(packageDir, 'node_modules')));
    }
  }
  return found;
}

beforeAll(async () => {
  if (!existsSync(join(root, 'dist'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
  work = mkdtempSync(join(tmpdir(), 'authchart-consumer-'));
  app = join(work, 'app');
  const packed = await timed('npm pack', () => npm(['pack', '--pack-destination', work, '--ignore-scripts', '--json'], root));
  if (packed.code !== 0) throw new Error(`npm pack failed\n${packed.stderr}`);
  tarball = join(work, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!.filename);
  emu = await startCognitoEmulator();
}, 120_000);

afterAll(async () => {
  await emu?.close();
  if (work && !keep) rmSync(work, { recursive: true, force: true });
  console.log(`consumer test timings (ms): ${JSON.stringify(timings, null, 2)}`);
});

describe('the packed package, installed into an app', () => {
  test('attw finds no problem in any entry, for node10, node16 (CJS and ESM) and bundler', async () => {
    const run = await timed('attw', () => sh(process.execPath, [join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js'), tarball, '--format', 'json', '--no-definitely-typed'], { cwd: work }));
    if (!run.stdout.trim()) throw new Error(`attw printed nothing (exit ${run.code})\n${run.stderr}`);
    const { analysis } = JSON.parse(run.stdout) as {
      analysis: { problems: unknown[]; entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName: string; isTypeScript: boolean } }> }> };
    };
    expect(analysis.problems).toEqual([]);
    const subpaths = Object.keys(pkg.exports).filter((key) => key !== './package.json');
    expect(Object.keys(analysis.entrypoints).filter((key) => key !== './package.json').sort()).toEqual(subpaths.sort());
    for (const subpath of subpaths) {
      const resolutions = analysis.entrypoints[subpath]!.resolutions;
      for (const kind of ['node10', 'node16-cjs', 'node16-esm', 'bundler']) {
        const resolved = resolutions[kind]?.resolution;
        expect({ subpath, kind, types: resolved?.isTypeScript === true && resolved.fileName.endsWith('.d.ts') }).toEqual({ subpath, kind, types: true });
      }
    }
    expect(run.code).toBe(0);
  }, 120_000);

  test('installs with npm ci from the committed lockfile, with one copy of xstate: the app’s 5.20.0', async () => {
    cpSync(fixture, app, { recursive: true });
    cpSync(tarball, join(app, 'authchart.tgz'));
    for (const project of projects) cpSync(join(fixture, 'shared'), join(app, project), { recursive: true });
    const lockPath = join(app, 'package-lock.json');
    type Lock = { packages: Record<string, Record<string, unknown>> };
    if (updateLock) {
      // Seeded with the repo's own lockfile, npm keeps the repo's versions of every package both
      // trees share, so that in CI (whose npm cache holds what the repo's `npm ci` fetched) only
      // the consumer's own versions (xstate, @xstate/react, TypeScript 5.0.4) come from the registry.
      const seed = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as Lock & Record<string, unknown>;
      const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as Record<string, unknown>;
      const { name, version, dependencies, devDependencies } = manifest;
      writeFileSync(lockPath, JSON.stringify({ ...seed, name, version, packages: { ...seed.packages, '': { name, version, dependencies, devDependencies } } }, null, 2) + '\n');
      const installed = await timed('npm install', () => npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], app));
      if (installed.code !== 0) throw new Error(`npm install failed\n${installed.stderr}`);
      const fresh = JSON.parse(readFileSync(lockPath, 'utf8')) as Lock;
      // The tarball's integrity changes with every build: the committed lockfile does not pin it.
      delete fresh.packages['node_modules/authchart']!['integrity'];
      writeFileSync(join(fixture, 'package-lock.json'), JSON.stringify(fresh, null, 2) + '\n');
    } else {
      const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as Lock;
      const locked = lock.packages['node_modules/authchart']!;
      // npm ci installs what the lockfile says: authchart's own dependencies and peers must be what the tarball says.
      const packed = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
      const stale = ['version', 'dependencies', 'peerDependencies', 'peerDependenciesMeta'].filter((field) => JSON.stringify(locked[field]) !== JSON.stringify(packed[field]));
      if (stale.length > 0) throw new Error(`__tests__/consumer/package-lock.json is stale (authchart's ${stale.join(', ')} changed): run UPDATE_CONSUMER_LOCK=1 npx jest __tests__/consumer.test.ts`);
      delete locked['integrity'];
      writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
      const installed = await timed('npm ci', () => npm(['ci', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], app));
      if (installed.code !== 0) throw new Error(`npm ci failed\n${installed.stderr}`);
    }

    const versions = (name: string) => JSON.parse(readFileSync(join(app, 'node_modules', name, 'package.json'), 'utf8')).version as string;
    expect({ xstate: versions('xstate'), typescript: versions('typescript'), newest: versions('typescript-newest'), react: versions('@xstate/react') }).toEqual({
      xstate: '5.20.0',
      typescript: '5.0.4',
      newest: '5.9.3',
      react: '6.0.0',
    });
    // npm's view of the tree: every xstate in it is 5.20.0 (authchart's is the app's, deduped).
    const tree = await npm(['ls', 'xstate', '--all', '--json'], app);
    expect(tree.code).toBe(0);
    const seen: string[] = [];
    type Tree = { version?: string; dependencies?: Record<string, Tree> };
    (function walk(node: Tree, path: string): void {
      for (const [name, child] of Object.entries(node.dependencies ?? {})) {
        if (name === 'xstate') seen.push(`${path}${name}@${child.version}`);
        walk(child, `${path}${name} > `);
      }
    })(JSON.parse(tree.stdout), '');
    expect(seen.sort()).toEqual(['@statelyai/inspect > xstate@5.20.0', '@xstate/react > xstate@5.20.0', 'authchart > xstate@5.20.0', 'xstate@5.20.0']);
    // And on disk: one xstate directory.
    expect(copiesOf('xstate')).toEqual([join(app, 'node_modules', 'xstate')]);
  }, 240_000);

  test('every project typechecks: strict, skipLibCheck false, TypeScript 5.0.4 (and 5.9.3)', async () => {
    for (const [project, list] of [['esm-node16', entries], ['cjs', entries], ['browser', browserEntries], ['no-sdk', peerFreeEntries]] as const) {
      const lines = list.map((entry, index) => `export * as entry${index} from '${entry}';`);
      writeFileSync(join(app, project, 'entries.ts'), `// Written by consumer.test.ts: every entry's typings, as this project resolves them.\n${lines.join('\n')}\n`);
    }
    const runs = await pooled([
      ...configs.map((config) => async () => ({ config, compiler: '5.0.4', run: await tsc('typescript', config, !config.includes('entries')) })),
      ...newestConfigs.map((config) => async () => ({ config, compiler: '5.9.3', run: await tsc('typescript-newest', config, false) })),
    ]);
    const failures = runs.filter(({ run }) => run.code !== 0).map(({ config, compiler, run }) => `TypeScript ${compiler} -p ${config}:\n${run.stdout}${run.stderr}`);
    expect(failures).toEqual([]);
  }, 300_000);

  test('ESM, node16: signs in and out against its own emulator (authchart/testing), inspects, one xstate at runtime', async () => {
    const out = report(await timed('run esm-node16', () => node(['esm-node16/out/main.js'])), 'esm-node16');
    expect(out).toEqual({
      report: signedInAndOut,
      inspect: { events: expect.any(Number), leaked: false, redactedKey: true, serializerRedacts: true, browserInspector: 'no-op' },
      relay: 'function',
    });
    expect(out.inspect.events).toBeGreaterThan(2);
  }, 60_000);

  test('ESM, moduleResolution bundler: bundled by esbuild for Node (xstate and the SDK inside), signs in and out', async () => {
    const bundled = await timed('esbuild esm-bundler', () =>
      esbuild([
        'esm-bundler/main.ts', '--bundle', '--platform=node', '--format=esm', '--outfile=esm-bundler/out/main.mjs',
        // The SDK's CommonJS code require()s Node built-ins; an ESM bundle for Node needs a require for them.
        '--banner:js=import { createRequire } from "node:module"; const require = createRequire(import.meta.url);',
      ]),
    );
    expect(bundled.stderr).toBe('');
    const out = report(await timed('run esm-bundler', () => node(['esm-bundler/out/main.mjs'], poolEnv())), 'esm-bundler');
    expect(out).toEqual({ report: signedInAndOut, inspect: expect.objectContaining({ leaked: false, browserInspector: 'no-op' }) });
  }, 60_000);

  test('CommonJS: the TypeScript app (module node16) and a plain require() app sign in and out; authchart’s require("xstate") is the app’s', async () => {
    const [typed, plain] = await Promise.all([timed('run cjs', () => node(['cjs/out/main.js'])), timed('run plain.cjs', () => node(['cjs/plain.cjs'], poolEnv()))]);
    expect(report(typed, 'cjs/out/main.js')).toEqual({ report: signedInAndOut, inspect: expect.objectContaining({ leaked: false, browserInspector: 'no-op' }), relay: 'function' });
    const out = report(plain, 'cjs/plain.cjs');
    expect(out).toMatchObject({ signIn: true, signOut: 'complete', sameXstate: true, machine: 'function', xstateVersionFromAuthchart: '5.20.0' });
    expect(out.authchart).toBe(join(app, 'node_modules/authchart/dist/cjs/src/index.js'));
    expect(out.xstateFromAuthchart).toBe(out.xstateFromApp);
    expect(out.xstateFromApp.startsWith(join(app, 'node_modules/xstate/'))).toBe(true);
  }, 60_000);

  test('browser bundles of each browser entry have no Node built-in; the authchart/fetch app’s bundle signs in and out', async () => {
    const bundles = await pooled(
      browserEntries.map((entry, index) => () =>
        timed(`esbuild browser ${entry}`, async () => {
          const file = join(app, 'browser', `entry${index}.js`);
          writeFileSync(file, `export * from '${entry}';\n`);
          const run = await esbuild([file, '--bundle', '--platform=browser', '--format=esm', `--outfile=browser/out/entry${index}.mjs`, `--metafile=browser/out/entry${index}.json`]);
          if (run.code !== 0) return { entry, problem: run.stderr };
          const text = readFileSync(join(app, 'browser/out', `entry${index}.mjs`), 'utf8');
          const meta = JSON.parse(readFileSync(join(app, 'browser/out', `entry${index}.json`), 'utf8')) as { inputs: Record<string, unknown>; outputs: Record<string, { imports: Array<{ path: string }> }> };
          // Nothing left outside the bundle, no built-in among its inputs, one xstate in it.
          const imports = Object.values(meta.outputs).flatMap((output) => output.imports.map((imported) => imported.path));
          const builtins = Object.keys(meta.inputs).filter((input) => /^node:|^(fs|path|os|crypto|http|https|net|tls|stream|zlib|url|util|buffer|events|child_process|worker_threads)$/.test(input));
          const xstates = new Set(Object.keys(meta.inputs).filter((input) => input.includes('node_modules/xstate/')).map((input) => input.replace(/node_modules\/xstate\/.*/, '')));
          const problems = [...imports, ...builtins];
          if (/require\(["']node:|from ["']node:|import\(["']node:/.test(text)) problems.push('a node: import in the text');
          if (xstates.size > 1) problems.push(`xstate from ${[...xstates].join(', ')}`);
          return { entry, problem: problems.join(', ') };
        }),
      ),
    );
    expect(bundles).toEqual(browserEntries.map((entry) => ({ entry, problem: '' })));

    const bundled = await timed('esbuild browser app', () => esbuild(['browser/main.ts', '--bundle', '--platform=browser', '--format=esm', '--outfile=browser/out/app.mjs']));
    expect(bundled.stderr).toBe('');
    // React's browser renderer schedules with a MessageChannel that keeps Node running, so this
    // script exits by itself; the Node apps above show that authchart leaves nothing running.
    const code = 'import { main } from "./browser/out/app.mjs"; console.log(JSON.stringify(await main(JSON.parse(process.env.AUTHCHART_POOL)))); process.exit(0);';
    expect(report(await timed('run browser bundle', () => node(['--input-type=module', '-e', code], poolEnv())), 'browser bundle')).toEqual(signedInAndOut);
  }, 120_000);

  test('without @statelyai/inspect and the AWS SDK: every other entry typechecks (TS 5.0.4) and loads, and authchart/fetch signs in and out', async () => {
    for (const scope of ['@statelyai', '@aws-sdk', '@smithy', '@aws-crypto', '@aws']) rmSync(join(app, 'node_modules', scope), { recursive: true, force: true });
    const compiled = await tsc('typescript', 'no-sdk/tsconfig.json', true);
    expect(compiled.stdout + compiled.stderr).toBe('');
    const env = { ...poolEnv(), AUTHCHART_ENTRIES: JSON.stringify(peerFreeEntries) };
    const [run, plain] = await Promise.all([timed('run no-sdk', () => node(['no-sdk/out/main.js'], env)), timed('run no-sdk plain', () => node(['no-sdk/plain.cjs'], env))]);
    expect(report(run, 'no-sdk')).toEqual({
      report: signedInAndOut,
      withTransport: signedInAndOut,
      inspect: { events: expect.any(Number), leaked: false, redactedKey: true, serializerRedacts: true, browserInspector: 'skipped' },
      imported: peerFreeEntries.length,
      sdkInstalled: false,
    });
    // require('authchart') needs the SDK: MODULE_NOT_FOUND shows it really is gone.
    expect(report(plain, 'no-sdk/plain.cjs')).toEqual({ required: Object.fromEntries(peerFreeEntries.map((entry) => [entry, 'loaded'])), main: 'MODULE_NOT_FOUND' });
  }, 180_000);
});
