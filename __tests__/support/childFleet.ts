// Child processes on 127.0.0.1, for the fleet tests and npm run bench: an entry of __tests__/support
// is bundled by esbuild into .cache/ and started `count` times with a JSON config on its command
// line; each child prints `listening <port>` once it serves HTTP on its own loopback port.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { buildSync } from 'esbuild';

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

/** The bundles built by this process (a test file that starts several fleets bundles once). */
const bundled = new Set<string>();

/** Bundles `__tests__/support/<entry>` (esbuild, into .cache/<name>.cjs) for a child process to run; returns the bundle's path. */
export function bundleChild(entry: string): string {
  const root = repositoryRoot();
  const script = join(root, '.cache', `${basename(entry, '.ts')}.cjs`);
  if (bundled.has(script)) return script;
  bundled.add(script);
  buildSync({ entryPoints: [join(root, '__tests__', 'support', entry.endsWith('.ts') ? entry : `${entry}.ts`)], bundle: true, platform: 'node', format: 'cjs', packages: 'external', outfile: script, logLevel: 'silent' });
  return script;
}

/** Running children, in start order. */
export interface ChildFleet {
  /** Each child's loopback port. */
  readonly ports: readonly number[];
  /** The child processes (e.g. to watch one exit). */
  readonly children: readonly ChildProcess[];
  /** Resolves when child `index` has exited, with the signal that ended it (null after a normal exit). */
  exited(index: number): Promise<NodeJS.Signals | null>;
  /** Stops every child still running (SIGTERM) and waits for them to exit. */
  close(): Promise<void>;
}

/** Starts `count` children of `entry` (a file of __tests__/support) and resolves once each listens. */
export async function startChildFleet(entry: string, config: unknown, count: number): Promise<ChildFleet> {
  const script = bundleChild(entry);
  const children: ChildProcess[] = [];
  const exits: Array<Promise<NodeJS.Signals | null>> = [];
  const close = () =>
    Promise.all(children.map((child, index) => (child.exitCode !== null || child.signalCode !== null ? null : (child.kill('SIGTERM'), exits[index])))).then(() => {});
  let ports: number[];
  try {
    ports = await Promise.all(
      Array.from(
        { length: count },
        () =>
          new Promise<number>((resolve, reject) => {
            const child = spawn(process.execPath, [script, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
            children.push(child);
            exits.push(new Promise((done) => child.once('exit', (_code, signal) => done(signal))));
            let out = '';
            child.stdout!.on('data', (chunk: Buffer) => {
              out += chunk.toString();
              const port = /listening (\d+)/.exec(out)?.[1];
              if (port) resolve(Number(port));
            });
            child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
            child.once('exit', (code) => reject(new Error(`${entry} exited (${code}): ${out}`)));
          }),
      ),
    );
  } catch (error) {
    await close();
    throw error;
  }
  return { ports, children, exited: (index) => exits[index]!, close };
}
