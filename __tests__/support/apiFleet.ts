// A fleet of API processes on one Redis, for revocationFleet.test.ts and npm run bench (bench/server.ts):
// each is a child process running apiChild.ts (bundled by esbuild into .cache/), with its own
// node-redis client, revocation list and revocation endpoint, on its own loopback port.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildSync } from 'esbuild';
import type { EmulatorJwks } from '../../src/testing/emulator/types';

/** What each API process is given (as JSON on its command line). */
export interface ApiChildConfig {
  readonly redisUrl: string;
  /** The fleet's key prefix: processes with the same prefix share one list. */
  readonly keyPrefix: string;
  /** The list's `cognito` option (`endpoint`: the emulator's). */
  readonly cognito: { readonly userPoolId: string; readonly clientId: string; readonly region: string; readonly endpoint: string };
  /** `emulator.jwks(userPoolId)`, for the verifier's cacheJwks (the emulator runs with `issuer: 'aws'`). */
  readonly jwks: EmulatorJwks;
  /** The list's `revalidateAfterMs` option; left out, the list never revalidates. */
  readonly revalidateAfterMs?: number;
}

/** What a process answers GET /api with a token: 'served', or the reason it refused ('session', 'user', 'cognito', 'invalid'). */
export type ApiAnswer = 'served' | 'session' | 'user' | 'cognito' | 'invalid';

export interface ApiFleet {
  /** Each process's loopback port. */
  readonly ports: readonly number[];
  /** GET /api at one process with this bearer token. */
  answer(port: number, token: string): Promise<ApiAnswer>;
  /** GET /api at every process, in port order. */
  atEach(token: string): Promise<ApiAnswer[]>;
  /** POST /revoke at one process: the app's announcement of a sign-out. */
  announce(port: number, token: string, scope: 'session' | 'user'): Promise<Response>;
  /** Stops every process (SIGTERM) and waits for them to exit. */
  close(): Promise<void>;
}

/** The repository's root: __dirname is __tests__/support under jest, .cache/ in a bundle (scripts/run-ts.mjs). */
export function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
}

/** Bundles `__tests__/support/<name>.ts` (esbuild, into .cache/<name>.cjs) for a child process to run; returns the bundle's path. */
export function bundleChild(name: string): string {
  const root = repositoryRoot();
  const script = join(root, '.cache', `${name}.cjs`);
  buildSync({ entryPoints: [join(root, '__tests__', 'support', `${name}.ts`)], bundle: true, platform: 'node', format: 'cjs', packages: 'external', outfile: script, logLevel: 'silent' });
  return script;
}

/** Starts `count` API processes (default 3) and resolves once each listens, its list loaded from Redis. */
export async function startApiFleet(config: ApiChildConfig, count = 3): Promise<ApiFleet> {
  const script = bundleChild('apiChild');
  const children: ChildProcess[] = [];
  const close = () =>
    Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : (child.once('exit', resolve), child.kill('SIGTERM')))))).then(() => {});
  let ports: number[];
  try {
    ports = await Promise.all(
      Array.from(
        { length: count },
        () =>
          new Promise<number>((resolve, reject) => {
            const child = spawn(process.execPath, [script, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
            children.push(child);
            let out = '';
            child.stdout!.on('data', (chunk: Buffer) => {
              out += chunk.toString();
              const port = /listening (\d+)/.exec(out)?.[1];
              if (port) resolve(Number(port));
            });
            child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
            child.once('exit', (code) => reject(new Error(`API process exited (${code}): ${out}`)));
          }),
      ),
    );
  } catch (error) {
    await close();
    throw error;
  }
  const answer = async (port: number, token: string): Promise<ApiAnswer> => {
    const body = (await (await fetch(`http://127.0.0.1:${port}/api`, { headers: { authorization: `Bearer ${token}` } })).json()) as { served?: true; refused?: Exclude<ApiAnswer, 'served'> };
    return body.served ? 'served' : body.refused!;
  };
  return {
    ports,
    answer,
    atEach: (token) => Promise.all(ports.map((port) => answer(port, token))),
    announce: (port, token, scope) =>
      fetch(`http://127.0.0.1:${port}/revoke`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ scope }) }),
    close,
  };
}
