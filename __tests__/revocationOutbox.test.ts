// The revocation outbox: unit tests over a fake Cognito, then end to end through the emulator,
// including a process killed in the middle of a sign-out and started again.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createRevocationOutbox } from '../services/revocationOutbox';
import { createMemoryStorage } from '../services/storage';
import type { CognitoService } from '../services/cognito';
import { createAuth, type AuthConfig } from '../src/index';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';
import { fileStorage } from './support/fileStorage';
import { expectSignedOutStore, inspectableStorage } from './support/harness';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

describe('outbox (fake Cognito)', () => {
  let clock = 1_000_000;
  const answers: Array<'ok' | string> = [];
  const sent: string[] = [];
  const cognito = {
    revokeToken: async (token: string) => {
      sent.push(token);
      const answer = answers.shift() ?? 'ok';
      if (answer !== 'ok') throw { name: answer, message: answer };
    },
  } as unknown as CognitoService;
  const outboxOver = (storage = createMemoryStorage(), maxAgeMs?: number) =>
    createRevocationOutbox({ storage, clientId: 'c1', cognito, timeoutMs: 1000, retryBaseMs: 1000, now: () => clock, ...(maxAgeMs && { maxAgeMs }) });
  /** Entries an earlier process left: written by another instance, so none is held by a running sign-out. */
  async function leftBehind(storage: ReturnType<typeof createMemoryStorage>, tokens: string[]) {
    const earlier = outboxOver(storage);
    for (const token of tokens) await earlier.add(token);
  }
  beforeEach(() => {
    answers.length = 0;
    sent.length = 0;
  });

  test('settle keeps a retryable failure (with backoff) and drops success or a final refusal', async () => {
    const outbox = outboxOver();
    for (const token of ['a', 'b', 'c']) await outbox.add(token);
    await outbox.settle('a', undefined);
    await outbox.settle('b', { name: 'UnsupportedOperationException', message: '' });
    await outbox.settle('c', { name: 'NetworkError', message: '' });
    expect([await outbox.has('a'), await outbox.has('b'), await outbox.has('c')]).toEqual([false, false, true]);
    expect(await outbox.nextAttemptIn()).toBeGreaterThanOrEqual(500); // 1000 ms base, jitter 0.5–1
  });

  test('drain revokes what is due, drops final refusals and old entries, postpones the rest', async () => {
    const storage = createMemoryStorage();
    await leftBehind(storage, ['old']);
    clock += 20_000;
    await leftBehind(storage, ['ok', 'refused', 'offline']);
    const outbox = outboxOver(storage, 10_000);
    answers.push('ok', 'UnsupportedOperationException', 'NetworkError');
    await expect(outbox.drain()).resolves.toEqual({ revoked: 1, dropped: 2, pending: 1 });
    expect(sent).toEqual(['ok', 'refused', 'offline']); // 'old' was dropped unsent
    await expect(outbox.drain()).resolves.toEqual({ revoked: 0, dropped: 0, pending: 1 }); // not due yet
    clock += 1000;
    await expect(outbox.drain()).resolves.toEqual({ revoked: 1, dropped: 0, pending: 0 });
    expect(storage.getItem('authchart.c1.revocationOutbox')).toBeNull();
  });

  test('everyEntry ignores the backoff (an explicit flush, a new process)', async () => {
    const outbox = outboxOver();
    await outbox.add('t');
    await outbox.settle('t', { name: 'NetworkError', message: '' }); // settled: no longer held
    await expect(outbox.drain()).resolves.toEqual({ revoked: 0, dropped: 0, pending: 1 });
    await expect(outbox.drain({ everyEntry: true })).resolves.toEqual({ revoked: 1, dropped: 0, pending: 0 });
  });

  test('throttling during a drain stops the round and backs off', async () => {
    const storage = createMemoryStorage();
    await leftBehind(storage, ['t0', 't1', 't2', 't3', 't4']);
    const outbox = outboxOver(storage);
    answers.push('ok', 'TooManyRequestsException');
    await expect(outbox.drain()).resolves.toEqual({ revoked: 1, dropped: 0, pending: 4 });
    expect(sent).toEqual(['t0', 't1']);
    clock += 60_000;
    await expect(outbox.drain()).resolves.toEqual({ revoked: 4, dropped: 0, pending: 0 });
  });

  test('an outbox with many entries drains completely', async () => {
    const storage = createMemoryStorage();
    await leftBehind(storage, Array.from({ length: 300 }, (_, i) => `t${i}`));
    const outbox = outboxOver(storage);
    await expect(outbox.drain()).resolves.toEqual({ revoked: 300, dropped: 0, pending: 0 });
    expect(new Set(sent).size).toBe(300);
  });

  test('a token a running sign-out holds is left alone by drains until it settles', async () => {
    const outbox = outboxOver();
    await outbox.add('mine');
    await expect(outbox.drain({ everyEntry: true })).resolves.toEqual({ revoked: 0, dropped: 0, pending: 1 });
    expect(sent).toEqual([]);
    await outbox.settle('mine', { name: 'NetworkError', message: '' });
    await expect(outbox.drain({ everyEntry: true })).resolves.toEqual({ revoked: 1, dropped: 0, pending: 0 });
  });

  test('an entry added while a drain runs is not lost', async () => {
    const storage = createMemoryStorage();
    await leftBehind(storage, ['first']);
    const outbox = outboxOver(storage);
    const draining = outbox.drain();
    await outbox.add('second');
    await draining;
    expect(await outbox.has('second')).toBe(true);
  });

  test('an unreadable outbox reads as empty and is replaced by the next write', async () => {
    const storage = createMemoryStorage();
    storage.setItem('authchart.c1.revocationOutbox', '{nope');
    const outbox = outboxOver(storage);
    expect(await outbox.nextAttemptIn()).toBeNull();
    await outbox.add('t');
    expect(await outbox.has('t')).toBe(true);
  });
});

describe('outbox (end to end)', () => {
  let emu: CognitoEmulator;
  let checker: CognitoIdentityProviderClient;
  beforeAll(async () => {
    emu = await startCognitoEmulator();
    checker = new CognitoIdentityProviderClient({ region: emu.region, endpoint: emu.endpoint, maxAttempts: 1 });
  });
  afterAll(async () => {
    checker.destroy();
    await emu.close();
  });
  afterEach(() => emu.faults.clear());

  const refreshes = (clientId: string, refreshToken: string) =>
    checker.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: refreshToken } })).then(
      () => 'accepted',
      (error: Error) => error.name,
    );
  async function signedIn(config: Partial<AuthConfig> = {}) {
    const setup = emu.setup();
    const storage = inspectableStorage();
    const auth = createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, endpoint: emu.endpoint, storage, ...config });
    await auth.signIn({ username: setup.username, password: setup.password, authFlow: 'USER_PASSWORD_AUTH' });
    const tokens = JSON.parse(storage.getItem(`authchart.${setup.clientId}.session`)!) as { accessToken: string; idToken: string; refreshToken: string };
    return { auth, storage, setup, tokens };
  }
  /** Polls a condition the background work will make true; the cap only stops a broken test. */
  async function eventually(check: () => Promise<boolean>) {
    for (let i = 0; i < 400 && !(await check()); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(await check()).toBe(true);
  }

  test('offline sign-out: the refresh token waits in the outbox; flushRevocations revokes it once online', async () => {
    const { auth, storage, setup, tokens } = await signedIn({ revocationOutbox: { retryBaseMs: 600_000 } });
    emu.faults.set('RevokeToken', { type: 'reset' });
    await expect(auth.signOut()).resolves.toMatchObject({ type: 'partial', revokeTokenError: { name: 'NetworkError' } });
    expect(expectSignedOutStore(storage, tokens)).toBe(true);
    expect(await refreshes(setup.clientId, tokens.refreshToken)).toBe('accepted');
    emu.faults.clear();
    await expect(auth.flushRevocations()).resolves.toEqual({ revoked: 1, dropped: 0, pending: 0 });
    expect(await refreshes(setup.clientId, tokens.refreshToken)).toBe('NotAuthorizedException');
    expect(storage.items.size).toBe(0);
    await auth.stop();
  });

  test('while the process lives, it retries on its own with backoff', async () => {
    const { auth, storage, setup, tokens } = await signedIn({ revocationOutbox: { retryBaseMs: 50 } });
    emu.faults.set('RevokeToken', { type: 'reset' }, { times: 4 }); // the sign-out's 3 SDK attempts, then 1 retry
    await auth.signOut();
    await eventually(async () => (await refreshes(setup.clientId, tokens.refreshToken)) === 'NotAuthorizedException');
    await eventually(async () => storage.items.size === 0);
    await auth.stop();
  });

  test('the next createAuth over the same storage revokes what is left', async () => {
    const { auth, storage, setup, tokens } = await signedIn({ revocationOutbox: { retryBaseMs: 600_000 } });
    emu.faults.set('RevokeToken', { type: 'blackhole' });
    await auth.signOut();
    await auth.stop();
    emu.faults.clear();
    const again = createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, endpoint: emu.endpoint, storage });
    await eventually(async () => (await refreshes(setup.clientId, tokens.refreshToken)) === 'NotAuthorizedException');
    await again.stop();
  });

  test('a final refusal is not kept; revocationOutbox: false keeps nothing', async () => {
    const refused = await signedIn();
    emu.faults.set('RevokeToken', { type: 'error', name: 'UnsupportedOperationException' });
    await refused.auth.signOut();
    expect(expectSignedOutStore(refused.storage, refused.tokens)).toBe(false);
    await refused.auth.stop();
    const off = await signedIn({ revocationOutbox: false });
    emu.faults.set('RevokeToken', { type: 'reset' });
    await expect(off.auth.signOut()).resolves.toMatchObject({ type: 'partial' });
    expect(off.storage.items.size).toBe(0);
    await expect(off.auth.flushRevocations()).resolves.toEqual({ revoked: 0, dropped: 0, pending: 0 });
    await off.auth.stop();
  });

  test('killed in the middle of a sign-out: the next start clears the session and revokes the token', async () => {
    const setup = emu.setup();
    const file = join(mkdtempSync(join(tmpdir(), 'authchart-')), 'storage.json');
    const script = join(__dirname, '..', '.cache', 'signOutChild.cjs');
    buildSync({ entryPoints: [join(__dirname, 'support', 'signOutChild.ts')], bundle: true, platform: 'node', format: 'cjs', packages: 'external', outfile: script, logLevel: 'silent' });
    const child = spawn(process.execPath, [script, JSON.stringify({ endpoint: emu.endpoint, userPoolId: setup.userPoolId, clientId: setup.clientId, username: setup.username, password: setup.password, file })], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually(async () => output.includes('signed-in'));
    const storage = fileStorage(file);
    const { refreshToken } = JSON.parse(storage.getItem(`authchart.${setup.clientId}.session`)!) as { refreshToken: string };

    emu.faults.set('RevokeToken', { type: 'blackhole' });
    emu.resetRequests();
    child.stdin.write('go\n');
    await eventually(async () => emu.requests.some((r) => r.operation === 'RevokeToken' && r.status === 'blackholed'));
    child.kill('SIGKILL'); // mid-flight: RevokeToken sent, never answered, session not yet cleared
    await exited;
    expect(output).not.toContain('signed-out');
    expect(storage.getItem(`authchart.${setup.clientId}.session`)).not.toBeNull();
    expect(await refreshes(setup.clientId, refreshToken)).toBe('accepted');

    emu.faults.clear();
    const restarted = createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, endpoint: emu.endpoint, storage });
    await expect(restarted.getSession()).resolves.toEqual({}); // not restored: its sign-out had begun
    await eventually(async () => (await refreshes(setup.clientId, refreshToken)) === 'NotAuthorizedException');
    await eventually(async () => Object.keys(storage.readAll()).length === 0);
    await restarted.stop();
  });
});
