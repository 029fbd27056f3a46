// After auth.stop() the library holds nothing that keeps a Node process alive (docs/guides/node.md,
// "Shutting down"): a child process that signed in, began a sign-out and stopped must exit by
// itself, with a sign-out intent waiting in the outbox (its retry timer) or a RevokeToken still
// unanswered (its request and deadline). Jest's timeout is the bound: the child's network deadline
// is longer, so only what stop() releases can let it exit in time.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import type { CognitoEmulator } from '../src/testing/index';
import { emulatorPerFile, eventually } from './support/harness';

let emu: CognitoEmulator;
emulatorPerFile((started) => (emu = started));

const script = join(__dirname, '..', '.cache', 'stopChild.cjs');
beforeAll(() => {
  buildSync({ entryPoints: [join(__dirname, 'support', 'stopChild.ts')], bundle: true, platform: 'node', format: 'cjs', packages: 'external', outfile: script, logLevel: 'silent' });
});

// A child still running after its test (one that timed out) is killed, or it would hold jest open.
const children = new Set<ChildProcess>();
afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
});

/** Starts the child, waits for `ready(output)`, tells it to stop, and resolves its exit and output. */
async function stopChildWhen(ready: (output: string) => boolean): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  const setup = emu.setup();
  const config = { endpoint: emu.endpoint, userPoolId: setup.userPoolId, clientId: setup.clientId, username: setup.username, password: setup.password };
  const child = spawn(process.execPath, [script, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await eventually(async () => ready(output));
  child.stdin.end('stop\n'); // closed too: the child's stdin is not what keeps it alive
  return { ...(await exited), output };
}

test('stop() with a sign-out intent waiting in the outbox (RevokeToken failed): the process exits by itself', async () => {
  emu.faults.set('RevokeToken', { type: 'error', name: 'InternalErrorException' });
  const { code, signal, output } = await stopChildWhen((out) => out.includes('result partial'));
  expect({ code, signal }).toEqual({ code: 0, signal: null });
  expect(output).toContain('stopped');
});

test('stop() while RevokeToken is unanswered: the sign-out rejects, and the process exits by itself', async () => {
  emu.faults.set('RevokeToken', { type: 'blackhole' });
  const { code, signal, output } = await stopChildWhen(() => emu.requests.some((r) => r.operation === 'RevokeToken' && r.status === 'blackholed'));
  expect({ code, signal }).toEqual({ code: 0, signal: null });
  expect(output).toContain('rejected AuthStoppedError');
  expect(output).toContain('stopped');
});
