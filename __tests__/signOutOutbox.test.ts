// The sign-out outbox: unit tests of createSignOutOutbox (write-ahead intents, settle decisions,
// backoff, pick), then end to end through the emulator: flushRevocations() and a restart.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { CognitoIdentityProviderClient, GetUserCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createSignOutOutbox, outboxKey, type OutboxOptions } from '../services/storage/signOutOutbox';
import { createMemoryStorage } from '../services/storage/storage';
import { settlementOf, type SettleFacts, type SettleInput } from '../machines/signOutMachine';

/** What the sign-out chart tells the outbox, from what its server calls proved (queueing, unless said otherwise). */
const decided = ({ intentId, queueing = true, ...facts }: Omit<SettleFacts, 'queueing'> & { intentId: string; queueing?: boolean }): SettleInput => ({
  intentId,
  settlement: settlementOf({ queueing, ...facts }),
});
import { createAuth, type AuthConfig } from '../src/index';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';
import { fileStorage } from './support/fileStorage';
import { eventually, expectSignedOutStore, inspectableStorage, serverView } from './support/harness';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const jwt = (claims: object) => `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
const network = { name: 'NetworkError', message: 'offline' };
const refused = { name: 'NotAuthorizedException', message: 'no' };
const KEY = outboxKey('c1');

describe('settlementOf', () => {
  const base: SettleFacts = { queueing: true, global: false, globalSignedOut: false, revoked: false };
  test.each<[string, SettleFacts, ReturnType<typeof settlementOf>]>([
    ['GlobalSignOut succeeded', { ...base, global: true, globalSignedOut: true }, 'remove'],
    ['RevokeToken succeeded', { ...base, revoked: true }, 'remove'],
    ['RevokeToken succeeded after a failed GlobalSignOut', { ...base, global: true, globalSignOutError: refused, revoked: true }, 'remove'],
    ['a global intent whose GlobalSignOut failed retryably', { ...base, global: true, globalSignOutError: network }, 'keepGlobal'],
    ['a global intent, throttled', { ...base, global: true, globalSignOutError: { name: 'TooManyRequestsException', message: '' } }, 'keepGlobal'],
    ['a retryable RevokeToken failure', { ...base, revokeTokenError: network }, 'keepLocal'],
    ['GlobalSignOut refused, RevokeToken retryable', { ...base, global: true, globalSignOutError: refused, revokeTokenError: { name: 'TimeoutError', message: '' } }, 'keepLocal'],
    ['RevokeToken refused for good', { ...base, revokeTokenError: { name: 'UnsupportedOperationException', message: '' } }, 'remove'],
    ['revocation not enabled', { ...base, revokeTokenError: { name: 'TokenRevocationNotEnabled', message: '' } }, 'remove'],
    ['both refused for good', { ...base, global: true, globalSignOutError: refused, revokeTokenError: refused }, 'remove'],
    ['not queueing: a retryable failure has no later try', { ...base, queueing: false, global: true, globalSignOutError: network, revokeTokenError: network }, 'remove'],
    ['symptom 3: RevokeToken succeeded but the device could not be cleared: kept, marked revoked', { ...base, revoked: true, clearError: { name: 'StorageError', message: '' } }, 'keepRevoked'],
    ['symptom 3: GlobalSignOut succeeded but the device could not be cleared: kept, marked revoked', { ...base, global: true, globalSignedOut: true, clearError: { name: 'StorageError', message: '' } }, 'keepRevoked'],
    ['not queueing: nothing is kept, not even a revoked mark', { ...base, queueing: false, revoked: true, clearError: { name: 'StorageError', message: '' } }, 'remove'],
  ])('%s: %s', (_, input, expected) => {
    expect(settlementOf(input)).toBe(expected);
  });
});

describe('createSignOutOutbox', () => {
  let clock = 1_000_000;
  beforeEach(() => {
    clock = 1_000_000;
  });
  const outboxOver = (storage = createMemoryStorage(), options: Partial<OutboxOptions> = {}) =>
    createSignOutOutbox({ storage, clientId: 'c1', timeoutMs: 1000, persist: true, retryBaseMs: 1000, now: () => clock, ...options });
  const stored = (storage: ReturnType<typeof createMemoryStorage>) => JSON.parse((storage.getItem(KEY) as string | null) ?? 'null') as { version: number; entries: Array<Record<string, unknown>> } | null;
  const access = jwt({ username: 'alice', origin_jti: 'o', exp: 1 });
  const tokens = { accessToken: access, refreshToken: 'refresh-1' };
  test('a storage that cannot remove: a finished intent is stored as an empty list and never comes back', async () => {
    const base = createMemoryStorage();
    const storage = { ...base, removeItem: () => { throw new Error('read-only storage'); } };
    const outbox = outboxOver(storage as typeof base);
    const intentId = await outbox.record(tokens, false);
    await outbox.settle(decided({ intentId, global: false, globalSignedOut: false, revoked: true }));
    expect(stored(base)).toEqual({ version: 2, entries: [] });
    await expect(outbox.pick(true, [])).resolves.toMatchObject({ intent: null, pending: 0 });
    await expect(outbox.nextAttemptIn()).resolves.toBeNull();
  });

  test('a finished intent is not read back from a stale stored copy', async () => {
    const storage = createMemoryStorage();
    const outbox = outboxOver(storage);
    const intentId = await outbox.record(tokens, false);
    const stale = storage.getItem(KEY) as string;
    await outbox.settle(decided({ intentId, global: false, globalSignedOut: false, revoked: true }));
    storage.setItem(KEY, stale); // e.g. a write that landed late
    await expect(outbox.pick(true, [])).resolves.toMatchObject({ intent: null });
  });

  test('globalOnly (the drain a sign-in runs first): only a global intent is taken; pendingGlobal counts the global ones left', async () => {
    const storage = createMemoryStorage();
    const outbox = outboxOver(storage);
    const local = await outbox.record({ refreshToken: 'r-local' }, false);
    await outbox.settle({ intentId: local, settlement: 'keepLocal' });
    const global = await outbox.record(tokens, true);
    await outbox.settle({ intentId: global, settlement: 'keepGlobal' });
    const picked = await outbox.pick(true, [], true, true);
    expect(picked).toMatchObject({ intent: { intentId: global, global: true }, pending: 2, pendingGlobal: 1 });
    await expect(outbox.pick(true, [global], true, true)).resolves.toMatchObject({ intent: null, pending: 2, pendingGlobal: 1 });
  });

  test('two instances over one storage: a flow leases its entry, and the other leaves it alone until the lease ends', async () => {
    const storage = createMemoryStorage();
    const a = outboxOver(storage, { leaseMs: 5000 });
    const b = outboxOver(storage, { leaseMs: 5000 });
    await a.record(tokens, true);
    await expect(b.pick(true, [])).resolves.toMatchObject({ intent: null, pending: 1, pendingGlobal: 1 }); // queued, but leased: a global sign-out not known to have landed
    await expect(b.nextAttemptIn()).resolves.toBe(5000);
    clock += 5001; // a crashed flow's lease runs out
    await expect(b.pick(true, [])).resolves.toMatchObject({ intent: { global: true }, pending: 1 });
  });

  test('two instances over one storage: each change is a read-modify-write, so one never writes back what the other removed', async () => {
    const storage = createMemoryStorage();
    const a = outboxOver(storage);
    const b = outboxOver(storage);
    const mine = await a.record(tokens, false);
    const theirs = await b.record({ refreshToken: 'refresh-2' }, false);
    await a.settle(decided({ intentId: mine, global: false, globalSignedOut: false, revoked: true }));
    await b.settle(decided({ intentId: theirs, global: false, globalSignedOut: false, revoked: false, revokeTokenError: network }));
    const entries = stored(storage)!.entries;
    expect(entries.map((entry) => entry.id)).toEqual([theirs]);
    expect(entries[0]).not.toHaveProperty('leaseUntil'); // released when its flow settled
  });

  /** Intents an earlier process left: written by another instance, so no running flow holds them. */
  async function leftBehind(storage: ReturnType<typeof createMemoryStorage>, refreshTokens: string[], global = false) {
    const earlier = outboxOver(storage, { leaseMs: 0 }); // its flows are over: no lease holds the entries
    for (const refreshToken of refreshTokens) await earlier.record({ accessToken: jwt({ username: refreshToken, origin_jti: 'o', exp: 1 }), refreshToken }, global);
  }

  test('write-ahead: record() stores the intent before any request, and tokensOf reads it back', async () => {
    const storage = createMemoryStorage();
    const outbox = outboxOver(storage);
    const id = await outbox.record(tokens, true);
    expect(stored(storage)).toMatchObject({ version: 2, entries: [{ id, global: true, tokens, queuedAt: clock, attempts: 0 }] });
    expect(outbox.tokensOf(id)).toEqual(tokens);
    await expect(outbox.holds(tokens)).resolves.toBe(true);
  });

  test('a local intent keeps only the refresh token', async () => {
    const storage = createMemoryStorage();
    const outbox = outboxOver(storage);
    const id = await outbox.record(tokens, false);
    expect(outbox.tokensOf(id)).toEqual({ refreshToken: 'refresh-1' });
    expect(storage.getItem(KEY) as string).not.toContain(access);
  });

  test('the same tokens are one intent: a retry reuses the queued entry', async () => {
    const outbox = outboxOver();
    const first = await outbox.record(tokens, false);
    await outbox.settle(decided({ intentId: first, global: false, globalSignedOut: false, revoked: false, revokeTokenError: network }));
    const again = await outbox.record(tokens, false);
    expect(again).toBe(first);
  });

  test('settle removes the entry when the tokens are dead, and a final refusal', async () => {
    const storage = createMemoryStorage();
    const outbox = outboxOver(storage);
    const a = await outbox.record({ refreshToken: 'a' }, false);
    const b = await outbox.record({ refreshToken: 'b' }, false);
    await expect(outbox.settle(decided({ intentId: a, global: false, globalSignedOut: false, revoked: true }))).resolves.toEqual({ queued: false });
    await expect(outbox.settle(decided({ intentId: b, global: false, globalSignedOut: false, revoked: false, revokeTokenError: refused }))).resolves.toEqual({ queued: false });
    expect(storage.getItem(KEY)).toBeNull();
    // Its tokens stay readable once, for the retry tokens of a partial result.
    expect(outbox.takeTokens(b)).toEqual({ refreshToken: 'b' });
    expect(outbox.takeTokens(b)).toBeUndefined();
  });

  test('settle keeps a retryable failure with backoff: keepGlobal keeps a global intent global, keepLocal makes it local', async () => {
    const storage = createMemoryStorage();
    const outbox = outboxOver(storage);
    const g = await outbox.record(tokens, true);
    await expect(outbox.settle(decided({ intentId: g, global: true, globalSignedOut: false, revoked: false, globalSignOutError: network }))).resolves.toEqual({ queued: true });
    expect(stored(storage)!.entries[0]).toMatchObject({ id: g, global: true, attempts: 1 });
    const wait = await outbox.nextAttemptIn();
    expect(wait).toBeGreaterThanOrEqual(500); // 1000 ms base, jitter 0.5–1
    expect(wait).toBeLessThanOrEqual(1000);
    await outbox.settle(decided({ intentId: g, global: true, globalSignedOut: false, revoked: false, globalSignOutError: refused, revokeTokenError: network }));
    expect(stored(storage)!.entries[0]).toMatchObject({ id: g, global: false, attempts: 2 });
    expect(stored(storage)!.entries[0]!.tokens).toEqual({ refreshToken: 'refresh-1' }); // RevokeToken alone: the access token is not kept at rest
    expect(await outbox.nextAttemptIn()).toBeGreaterThanOrEqual(1000); // doubled
  });

  test('renew: the refreshed tokens take the old ones\' place, at rest too; a session holding the rotated-away refresh token is still being signed out', async () => {
    const storage = createMemoryStorage();
    const outbox = outboxOver(storage);
    const id = await outbox.record(tokens, true);
    const fresh = { accessToken: jwt({ username: 'alice', origin_jti: 'o', exp: 2 }), refreshToken: 'refresh-2' };
    await outbox.renew(id, fresh);
    expect(outbox.tokensOf(id)).toEqual(fresh);
    expect(stored(storage)!.entries).toEqual([expect.objectContaining({ id, global: true, tokens: fresh, replaced: ['refresh-1'] })]);
    // A restart over a store that still holds the old session: it is one being signed out, never restored.
    const restarted = outboxOver(storage);
    await expect(restarted.holds(tokens)).resolves.toBe(true);
    await expect(restarted.holds(fresh)).resolves.toBe(true);
    // The same intent, not a second one, and its newer tokens stay (a sign-out of the stale session elsewhere).
    await expect(restarted.record(tokens, true)).resolves.toBe(id);
    expect(restarted.tokensOf(id)).toEqual(fresh);
  });

  test('renew without rotation replaces the access token only', async () => {
    const storage = createMemoryStorage();
    const outbox = outboxOver(storage);
    const id = await outbox.record(tokens, true);
    const accessToken = jwt({ username: 'alice', origin_jti: 'o', exp: 2 });
    await outbox.renew(id, { accessToken, refreshToken: 'refresh-1' });
    expect(stored(storage)!.entries).toEqual([expect.not.objectContaining({ replaced: expect.anything() })]);
    expect(outbox.tokensOf(id)).toEqual({ accessToken, refreshToken: 'refresh-1' });
  });

  test('renew after the intent settled: a rotated refresh token is queued on its own, to be revoked; an unrotated one adds nothing', async () => {
    const storage = createMemoryStorage();
    const outbox = outboxOver(storage);
    const id = await outbox.record(tokens, true);
    await outbox.settle(decided({ intentId: id, global: true, globalSignedOut: true, revoked: false }));
    await outbox.renew(id, { accessToken: access, refreshToken: 'refresh-1' });
    expect(stored(storage)).toBeNull();
    await outbox.renew(id, { accessToken: access, refreshToken: 'refresh-2' });
    expect(stored(storage)!.entries).toEqual([expect.objectContaining({ global: false, tokens: { refreshToken: 'refresh-2' } })]);
    await expect(outbox.pick(true, [])).resolves.toMatchObject({ intent: { global: false }, pending: 1 });
  });

  test('pick takes what is due; everyEntry ignores the backoff; tried entries are skipped', async () => {
    const storage = createMemoryStorage();
    await leftBehind(storage, ['t1', 't2']);
    const outbox = outboxOver(storage);
    const first = await outbox.pick(false, []);
    expect(first).toMatchObject({ intent: { global: false, revocable: true }, pending: 2 });
    const id = first.intent!.intentId;
    await outbox.settle(decided({ intentId: id, global: false, globalSignedOut: false, revoked: false, revokeTokenError: network })); // backs off
    const second = await outbox.pick(false, [id]);
    expect(second.intent).not.toBeNull();
    expect(second.intent!.intentId).not.toBe(id);
    await outbox.settle(decided({ intentId: second.intent!.intentId, global: false, globalSignedOut: false, revoked: true }));
    // Only the backed-off entry is left: not due, unless everyEntry.
    await expect(outbox.pick(false, [])).resolves.toEqual({ intent: null, pending: 1, pendingGlobal: 0 });
    await expect(outbox.pick(true, [id])).resolves.toEqual({ intent: null, pending: 1, pendingGlobal: 0 });
    await expect(outbox.pick(true, [])).resolves.toMatchObject({ intent: { intentId: id } });
  });

  test('symptom 3 (unit): an entry settled keepRevoked marks its refresh token until forgetRevoked: never picked, pending or due; record() takes the mark off', async () => {
    const storage = createMemoryStorage();
    const outbox = outboxOver(storage);
    const id = await outbox.record(tokens, true);
    await expect(outbox.settle(decided({ intentId: id, global: true, globalSignedOut: true, revoked: false, clearError: { name: 'StorageError', message: 'x' } }))).resolves.toEqual({ queued: false });
    expect(stored(storage)!.entries).toEqual([expect.objectContaining({ id, global: false, revoked: true, tokens: { refreshToken: 'refresh-1' } })]);
    await expect(outboxOver(storage).heldAs(tokens)).resolves.toBe('revoked'); // another instance (a reload) reads the mark
    await expect(outbox.pick(true, [])).resolves.toEqual({ intent: null, pending: 0, pendingGlobal: 0 });
    await expect(outbox.nextAttemptIn()).resolves.toBeNull();
    // Signed out again with the same tokens: a sign-out to finish, no longer a mark.
    await outbox.record(tokens, false);
    await expect(outbox.heldAs(tokens)).resolves.toBe('queued');
    await outbox.settle(decided({ intentId: id, global: false, globalSignedOut: false, revoked: true, clearError: { name: 'StorageError', message: 'x' } }));
    await outbox.forgetRevoked();
    await expect(outbox.heldAs(tokens)).resolves.toBeNull();
    expect(storage.getItem(KEY)).toBeNull();
  });

  test('the backoff passes: pick takes the entry without everyEntry', async () => {
    const outbox = outboxOver();
    const id = await outbox.record({ refreshToken: 'r' }, false);
    await outbox.settle(decided({ intentId: id, global: false, globalSignedOut: false, revoked: false, revokeTokenError: network }));
    await expect(outbox.pick(false, [])).resolves.toMatchObject({ intent: null, pending: 1 });
    clock += 1000;
    await expect(outbox.pick(false, [])).resolves.toMatchObject({ intent: { intentId: id } });
  });

  test('an intent a running sign-out holds is left alone by pick until it settles', async () => {
    const outbox = outboxOver();
    const id = await outbox.record({ refreshToken: 'mine' }, false);
    await expect(outbox.pick(true, [])).resolves.toEqual({ intent: null, pending: 1, pendingGlobal: 0 }); // queued, in its flow
    await outbox.settle(decided({ intentId: id, global: false, globalSignedOut: false, revoked: false, revokeTokenError: network }));
    await expect(outbox.pick(true, [])).resolves.toMatchObject({ intent: { intentId: id } });
  });

  test('symptom 11 (unit): no entry is dropped for its age, however far the clock moves; each is still picked', async () => {
    const storage = createMemoryStorage();
    await leftBehind(storage, ['old']);
    clock += 31 * 24 * 3600_000; // the device clock jumps a month ahead
    await leftBehind(storage, ['new']);
    const picked = await outboxOver(storage).pick(true, []);
    expect(picked).toMatchObject({ pending: 2 });
    expect(storage.getItem(KEY) as string).toContain('"old"');
  });

  test('a lease or a backoff set by a clock that has since gone back is not honoured for longer than its own bound', async () => {
    const storage = createMemoryStorage();
    clock += 31 * 24 * 3600_000; // the instance that wrote them ran with its clock a month ahead
    const ahead = outboxOver(storage, { leaseMs: 5000 });
    const leasedId = await ahead.record({ refreshToken: 'leased' }, false); // its flow died holding the lease
    const waitingId = await ahead.record({ refreshToken: 'backing-off' }, false);
    await ahead.settle(decided({ intentId: waitingId, global: false, globalSignedOut: false, revoked: false, revokeTokenError: network }));
    clock -= 31 * 24 * 3600_000; // the clock is right again
    const outbox = outboxOver(storage, { leaseMs: 5000 });
    expect(await outbox.nextAttemptIn()).toBe(0);
    const first = await outbox.pick(false, []);
    const second = await outbox.pick(false, [first.intent!.intentId]);
    expect([first.intent?.intentId, second.intent?.intentId].sort()).toEqual([leasedId, waitingId].sort());
  });

  test('a lease written by a clock a little ahead of this one is still honoured', async () => {
    const storage = createMemoryStorage();
    clock += 1000;
    await outboxOver(storage, { leaseMs: 5000 }).record({ refreshToken: 'theirs' }, false); // another process, its clock 1 s ahead
    clock -= 1000;
    const outbox = outboxOver(storage, { leaseMs: 5000 });
    await expect(outbox.pick(true, [])).resolves.toEqual({ intent: null, pending: 1, pendingGlobal: 0 });
    await expect(outbox.nextAttemptIn()).resolves.toBe(6000);
  });

  // Version 1 (a refresh token per entry) never shipped: no published release wrote it (docs/performance.md).
  test('an entry of the unpublished version 1 (a bare token, no id) is skipped like any unreadable entry', async () => {
    const storage = createMemoryStorage();
    storage.setItem(KEY, JSON.stringify({ version: 1, entries: [{ token: 'v1-refresh', queuedAt: clock, attempts: 2, notBefore: 0 }] }));
    const outbox = outboxOver(storage);
    await expect(outbox.pick(false, [])).resolves.toEqual({ intent: null, pending: 0, pendingGlobal: 0 });
    await expect(outbox.holds({ refreshToken: 'v1-refresh' })).resolves.toBe(false);
  });

  test('an unreadable outbox reads as empty and is replaced by the next write', async () => {
    const storage = createMemoryStorage();
    storage.setItem(KEY, '{nope');
    const outbox = outboxOver(storage);
    expect(await outbox.nextAttemptIn()).toBeNull();
    await outbox.record({ refreshToken: 't' }, false);
    await expect(outbox.holds({ refreshToken: 't' })).resolves.toBe(true);
    expect(stored(storage)).toMatchObject({ version: 2 });
  });

  test('persist: false keeps nothing in storage, and removes the intent when it settles', async () => {
    const storage = createMemoryStorage();
    const outbox = outboxOver(storage, { persist: false });
    const id = await outbox.record(tokens, true);
    expect(storage.getItem(KEY)).toBeNull();
    expect(outbox.tokensOf(id)).toEqual(tokens); // the flow still runs from memory
    await expect(outbox.settle(decided({ intentId: id, queueing: false, global: true, globalSignedOut: false, revoked: false, globalSignOutError: network }))).resolves.toEqual({ queued: false });
    expect(storage.getItem(KEY)).toBeNull();
    expect(await outbox.nextAttemptIn()).toBeNull();
  });

  test('settle applies the chart\'s settlement as it is: the outbox never decides otherwise (issue 18, facts out)', async () => {
    const outbox = outboxOver(createMemoryStorage(), { persist: false });
    const id = await outbox.record(tokens, false);
    // Whatever the outbox's own settings, what to keep is the sign-out chart's call (settlementOf).
    await expect(outbox.settle({ intentId: id, settlement: 'keepLocal' })).resolves.toEqual({ queued: true });
    expect(await outbox.nextAttemptIn()).not.toBeNull();
  });

  test('a storage that fails cannot block record(): the intent lives on in memory', async () => {
    const failing = { getItem: () => null, setItem: () => { throw new Error('quota'); }, removeItem: () => {} };
    const outbox = createSignOutOutbox({ storage: failing, clientId: 'c1', timeoutMs: 100, persist: true, now: () => clock });
    const id = await outbox.record({ refreshToken: 'r' }, false);
    expect(outbox.tokensOf(id)).toEqual({ refreshToken: 'r' });
  });
});

describe('outbox (end to end)', () => {
  let emu: CognitoEmulator;
  let checker: CognitoIdentityProviderClient;
  let server: ReturnType<typeof serverView>;
  beforeAll(async () => {
    emu = await startCognitoEmulator();
    checker = new CognitoIdentityProviderClient({ region: emu.region, endpoint: emu.endpoint, maxAttempts: 1 });
    server = serverView(emu);
  });
  afterAll(async () => {
    checker.destroy();
    server.destroy();
    await emu.close();
  });
  afterEach(() => emu.faults.clear());

  const refreshes = (clientId: string, refreshToken: string) => server.refreshWith(clientId, refreshToken);
  async function signedIn(config: Partial<AuthConfig> = {}) {
    const setup = emu.setup();
    const storage = inspectableStorage();
    const auth = createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, endpoint: emu.endpoint, storage, ...config });
    await auth.signIn({ username: setup.username, password: setup.password, authFlow: 'USER_PASSWORD_AUTH' });
    const tokens = JSON.parse(storage.getItem(`authchart.${setup.clientId}.session`)!) as { accessToken: string; idToken: string; refreshToken: string };
    return { auth, storage, setup, tokens };
  }

  test('offline sign-out: the refresh token waits in the outbox; flushRevocations revokes it once online', async () => {
    const { auth, storage, setup, tokens } = await signedIn({ revocationOutbox: { retryBaseMs: 600_000 } });
    emu.faults.set('RevokeToken', { type: 'reset' });
    await expect(auth.signOut()).resolves.toMatchObject({ type: 'partial', revokeTokenError: { name: 'NetworkError' }, finishedBy: 'outbox' });
    expect(expectSignedOutStore(storage, tokens)).toBe(true);
    expect(await refreshes(setup.clientId, tokens.refreshToken)).toBe('accepted');
    emu.faults.clear();
    await expect(auth.flushRevocations()).resolves.toEqual({ revoked: 1, dropped: 0, pending: 0 });
    expect(await refreshes(setup.clientId, tokens.refreshToken)).toBe('NotAuthorizedException');
    expect(storage.items.size).toBe(0);
    await auth.stop();
  });

  test('the next createAuth over the same storage drains the outbox', async () => {
    const { auth, storage, setup, tokens } = await signedIn({ revocationOutbox: { retryBaseMs: 600_000 } });
    emu.faults.set('RevokeToken', { type: 'reset' });
    await expect(auth.signOut()).resolves.toMatchObject({ type: 'partial', finishedBy: 'outbox' });
    await auth.stop();
    emu.faults.clear();
    expect(await refreshes(setup.clientId, tokens.refreshToken)).toBe('accepted');
    const again = createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, endpoint: emu.endpoint, storage });
    await eventually(async () => (await refreshes(setup.clientId, tokens.refreshToken)) === 'NotAuthorizedException');
    await eventually(async () => storage.items.size === 0);
    await again.stop();
  });

  test('revocationOutbox: false keeps nothing; the app is told to retry itself', async () => {
    const off = await signedIn({ revocationOutbox: false });
    emu.faults.set('RevokeToken', { type: 'reset' });
    await expect(off.auth.signOut()).resolves.toMatchObject({ type: 'partial', finishedBy: 'retrySignOut' });
    expect(off.storage.items.size).toBe(0);
    await expect(off.auth.flushRevocations()).resolves.toEqual({ revoked: 0, dropped: 0, pending: 0 });
    await off.auth.stop();
  });

  test.each([
    ['local', false, 'RevokeToken'],
    ['global', true, 'GlobalSignOut'],
  ] as const)('killed in the middle of a %s sign-out: the next start clears the session and finishes the intent as asked', async (_, global, operation) => {
    const setup = emu.setup();
    // The same user on another device: a global intent must sign it out too when it is finished.
    const other = await checker.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: setup.clientId, AuthParameters: { USERNAME: setup.username, PASSWORD: setup.password } }));
    const file = join(mkdtempSync(join(tmpdir(), 'authchart-')), 'storage.json');
    const script = join(__dirname, '..', '.cache', 'signOutChild.cjs');
    buildSync({ entryPoints: [join(__dirname, 'support', 'signOutChild.ts')], bundle: true, platform: 'node', format: 'cjs', packages: 'external', outfile: script, logLevel: 'silent' });
    const config = { endpoint: emu.endpoint, userPoolId: setup.userPoolId, clientId: setup.clientId, username: setup.username, password: setup.password, file, global };
    const child = spawn(process.execPath, [script, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually(async () => output.includes('signed-in'));
    const storage = fileStorage(file);
    const { refreshToken } = JSON.parse(storage.getItem(`authchart.${setup.clientId}.session`)!) as { refreshToken: string };

    emu.faults.set(operation, { type: 'blackhole' });
    emu.resetRequests();
    child.stdin.write('go\n');
    await eventually(async () => emu.requests.some((r) => r.operation === operation && r.status === 'blackholed'));
    child.kill('SIGKILL'); // mid-flight: the request sent, never answered, the session not yet cleared
    await exited;
    expect(output).not.toContain('signed-out');
    expect(storage.getItem(`authchart.${setup.clientId}.session`)).not.toBeNull();
    expect(await refreshes(setup.clientId, refreshToken)).toBe('accepted');

    emu.faults.clear();
    const restarted = createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, endpoint: emu.endpoint, storage });
    await expect(restarted.getSession()).resolves.toEqual({}); // not restored: its sign-out had begun
    await eventually(async () => (await refreshes(setup.clientId, refreshToken)) === 'NotAuthorizedException');
    await eventually(async () => Object.keys(storage.readAll()).length === 0);
    const otherDevice = await checker.send(new GetUserCommand({ AccessToken: other.AuthenticationResult!.AccessToken! })).then(() => 'accepted', (error: Error) => error.name);
    expect(otherDevice).toBe(global ? 'NotAuthorizedException' : 'accepted');
    await restarted.stop();
  });
});
