// The import graph of services/, machines/ and src/: no module imports itself through others (type-only
// imports count too), and services/ never imports src/. Found by reading the import statements,
// as `npx madge --circular --extensions ts services machines` would.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = join(__dirname, '..');
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|(?:^|\n)\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => relative(root, resolve(dirname(file), (m[1] ?? m[2])!.replace(/\.js$/, '.ts'))));
}

const graph = new Map(['services', 'machines', 'src'].flatMap((dir) => filesUnder(join(root, dir))).map((file) => [relative(root, file), importsOf(file)]));

test('the graph was read (the checks below mean something)', () => {
  expect(graph.get('services/cognito/sdkTransport.ts')).toContain('services/cognito/authParameters.ts');
});

test('services/, machines/ and src/ have no import circle', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === 'done' || !graph.has(file)) return;
    if (state.get(file) === 'open') {
      cycles.push([...path.slice(path.indexOf(file)), file].join(' > '));
      return;
    }
    state.set(file, 'open');
    for (const next of graph.get(file)!) visit(next, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  expect(cycles).toEqual([]);
});

test('services/ never imports src/', () => {
  const offending = [...graph].filter(([file]) => file.startsWith('services/')).flatMap(([file, imports]) => imports.filter((to) => to.startsWith('src/')).map((to) => `${file} > ${to}`));
  expect(offending).toEqual([]);
});

test('machines/ import only machines/ (and xstate): no I/O, no policy from elsewhere', () => {
  const outside = [...graph].filter(([file]) => file.startsWith('machines/')).flatMap(([file, imports]) => imports.filter((target) => !target.startsWith('machines/')).map((target) => `${file} > ${target}`));
  expect(outside).toEqual([]);
});

test('every relative import resolves to a file of the graph (an unresolved one would hide a circle)', () => {
  const unresolved = [...graph].flatMap(([file, imports]) => imports.filter((target) => target.startsWith('services/') || target.startsWith('machines/') || target.startsWith('src/')).filter((target) => !graph.has(target)).map((target) => `${file} > ${target}`));
  expect(unresolved).toEqual([]);
});

/** The modules a file loads at runtime: its relative imports, less `import type` / `export type` ones. */
const RUNTIME_IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?!type\b)[^'";]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|(?:^|\n)\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/g;
const runtimeImportsOf = (file: string): string[] =>
  [...readFileSync(join(root, file), 'utf8').matchAll(RUNTIME_IMPORT)].map((m) => relative(root, resolve(dirname(join(root, file)), (m[1] ?? m[2])!.replace(/\.js$/, '.ts'))));

/** Every file `entry` reaches through relative imports (type-only ones too, unless `runtimeOnly`). */
function closureOf(entry: string, runtimeOnly = false): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file) || !graph.has(file)) return;
    seen.add(file);
    for (const next of runtimeOnly ? runtimeImportsOf(file) : graph.get(file)!) visit(next);
  };
  visit(entry);
  return seen;
}
/** The packages a file imports by name (`from 'redis'`), not by path. */
const BARE = /(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*['"]([^./'"][^'"]*)['"]|import\(\s*['"]([^./'"][^'"]*)['"]\s*\)/g;
const packagesOf = (file: string): string[] => [...readFileSync(join(root, file), 'utf8').matchAll(BARE)].map((m) => (m[1] ?? m[2])!);

const BROWSER_ENTRIES = ['src/index.ts', 'src/fetch/index.ts', 'src/account/index.ts', 'machines/index.ts', 'src/actors/index.ts', 'src/inspect/index.ts', 'src/transport/fetch.ts'];

/** Packages only servers and the emulator load: redis, aws-jwt-verify, and the emulator's WebAuthn verifier. */
const serverOnlyPackage = (name: string): boolean => name === 'redis' || name.startsWith('@redis/') || name.startsWith('aws-jwt-verify') || name.startsWith('@simplewebauthn/');

test.each(BROWSER_ENTRIES)('%s never reaches the server side (src/server, services/server, services/redis) nor redis, aws-jwt-verify or @simplewebauthn/server', (entry) => {
  const reached = closureOf(entry);
  expect(reached.size).toBeGreaterThan(1);
  expect([...reached].filter((file) => /^(src\/server|services\/server|services\/redis)\//.test(file))).toEqual([]);
  expect([...reached].flatMap(packagesOf).filter(serverOnlyPackage)).toEqual([]);
});

test('the emulator (authchart/testing) loads @simplewebauthn/server, lazily: the check above can see it', () => {
  const reached = [...closureOf('src/testing/index.ts')];
  expect(reached.flatMap(packagesOf)).toContain('@simplewebauthn/server');
  expect(readFileSync(join(root, 'src/testing/emulator/webauthn.ts'), 'utf8')).not.toMatch(/^\s*import[^(]*from\s*['"]@simplewebauthn/m);
});

// The backend-for-frontend (createServerAuth) runs the library's own engine, so authchart/server as a
// whole loads the statecharts; an API's revocation list and endpoint still load none of it.
test.each(['src/server/revocationList.ts', 'src/server/revocationEndpoint.ts', 'services/redis/redisStore.ts', 'services/server/store.ts'])(
  '%s (an API server’s part of authchart/server) loads no statechart, no xstate, no browser storage or tabs, and never redis or aws-jwt-verify (they are the app’s)',
  (file) => {
    const reached = [...closureOf(file, true)];
    expect(reached).toContain(file);
    expect(reached.filter((path) => /Machine\.ts$|^machines\/auth\/|^services\/(storage|tabs|actors)\/|^src\/(createAuth|authCore|authRuntime)\.ts$/.test(path))).toEqual([]);
    expect(reached.flatMap(packagesOf).filter((name) => !name.startsWith('node:'))).toEqual([]);
  },
);

test('authchart/server loads the engine (for the backend-for-frontend) but never redis, aws-jwt-verify or the AWS SDK up front (they are the app’s)', () => {
  const reached = [...closureOf('src/server/index.ts', true)];
  expect(reached).toEqual(expect.arrayContaining(['services/redis/redisStore.ts', 'src/authCore.ts']));
  expect(reached.flatMap(packagesOf).filter((name) => !name.startsWith('node:') && name !== 'xstate' && !name.startsWith('@noble/'))).toEqual([]);
});

// The browser's authenticator (navigator.credentials) is loaded as a passkey ceremony begins, with
// import(): no entry reaches it through a static import, while authchart/account does reach it lazily.
test.each(BROWSER_ENTRIES)('%s reaches services/webauthn/browser.ts only through import(), never up front', (entry) => {
  expect([...closureOf(entry, true)]).not.toContain('services/webauthn/browser.ts');
});

test('authchart/account imports the browser authenticator lazily (the check above can see it)', () => {
  expect(readFileSync(join(root, 'src/account/kit.ts'), 'utf8')).toMatch(/import\(\s*['"]\.\.\/\.\.\/services\/webauthn\/browser\.js['"]\s*\)/);
});
