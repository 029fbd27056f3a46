// The fleet's sign-out outbox on a real Redis (redisFleetOutbox), finished by a real `finish`: an
// engine instance over the session's record in Redis runs flushRevocations() against the Cognito
// emulator over HTTP. A process killed while it holds an entry (child processes), Cognito down then
// back (RevokeToken / GlobalSignOut sent twice), a dead letter and its replay, a Redis restart with
// AOF, and state() in each phase.
import { createHash, randomBytes } from 'node:crypto';
import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createClient } from 'redis';
import { createAuth } from '../src/index';
import { redisFleetOutbox, type FinishReport, type FleetOutboxError, type RedisFleetOutbox, type RedisFleetOutboxOptions } from '../src/server/index';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';
import { engineFinish, recordKey, redisHashStorage, startOutboxChild, type EngineConfig, type OutboxChild } from './support/fleetOutbox';
import { serverView } from './support/harness';
import { redisAvailable, startRedis, type TestRedis } from './support/redisServer';
import { eventually } from './support/revocation';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const describeRedis = redisAvailable() ? describe : describe.skip;
jest.setTimeout(90_000);

describeRedis('the fleet outbox on Redis', () => {
  let redis: TestRedis;
  let emu: CognitoEmulator;
  let admin: ReturnType<typeof createClient>;
  let server: ReturnType<typeof serverView>;
  let cognito: CognitoIdentityProviderClient;
  const outboxes: RedisFleetOutbox[] = [];
  const children: OutboxChild[] = [];
  let prefixCount = 0;

  beforeAll(async () => {
    [redis, emu] = await Promise.all([startRedis(), startCognitoEmulator()]);
    admin = createClient({ url: redis.url, socket: { reconnectStrategy: () => 50 } });
    admin.on('error', () => {});
    await admin.connect();
    server = serverView(emu);
    cognito = new CognitoIdentityProviderClient({ region: emu.region, endpoint: emu.endpoint, maxAttempts: 1 });
  });
  afterEach(async () => {
    emu.faults.clear();
    await Promise.all(children.splice(0).map((child) => child.kill('SIGTERM')));
    await Promise.all(outboxes.splice(0).map((outbox) => outbox.stop()));
  });
  afterAll(async () => {
    cognito?.destroy();
    server?.destroy();
    if (admin?.isOpen) await admin.close();
    await Promise.all([redis?.close(), emu?.close()]);
  });

  /** An outbox of this test process on its own client (a process of the fleet), stopped after the test. */
  function outboxOf(keyPrefix: string, options: Partial<RedisFleetOutboxOptions> = {}): RedisFleetOutbox {
    const outbox = redisFleetOutbox({ client: admin, keyPrefix, blockMs: 200, ...options });
    outboxes.push(outbox);
    return outbox;
  }

  /**
   * A signed-in session whose sign-out could not reach Cognito: the BFF enqueued its hash first,
   * then the engine's sign-out queued the intent in the session's record (write-ahead) and cleared
   * the session. Also a second sign-in of the same user (another device) that only a global sign-out ends.
   */
  async function queuedIntent(keyPrefix: string, global: boolean) {
    const setup = emu.setup();
    const other = await cognito.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: setup.clientId, AuthParameters: { USERNAME: setup.username, PASSWORD: setup.password } }));
    const sessionHash = createHash('sha256').update(randomBytes(32)).digest('hex');
    const storage = redisHashStorage(admin, recordKey(keyPrefix, sessionHash));
    const auth = createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, endpoint: emu.endpoint, storage, revocationOutbox: { retryBaseMs: 600_000 } });
    await auth.signIn({ username: setup.username, password: setup.password, authFlow: 'USER_PASSWORD_AUTH' });
    const tokens = JSON.parse((await storage.getItem(`authchart.${setup.clientId}.session`))!) as { accessToken: string; refreshToken: string };
    emu.faults.set('RevokeToken', { type: 'reset' });
    emu.faults.set('GlobalSignOut', { type: 'reset' });
    await outboxOf(keyPrefix).enqueue(sessionHash);
    await expect(auth.signOut({ global })).resolves.toMatchObject({ type: 'partial', finishedBy: 'outbox' });
    await auth.stop();
    emu.faults.clear();
    const engine: EngineConfig = { endpoint: emu.endpoint, userPoolId: setup.userPoolId, clientId: setup.clientId, networkTimeoutMs: 1000, storageTimeoutMs: 1000 };
    return { sessionHash, tokens, otherAccessToken: other.AuthenticationResult!.AccessToken!, engine, record: recordKey(keyPrefix, sessionHash) };
  }
  type Queued = Awaited<ReturnType<typeof queuedIntent>>;

  /** What Cognito says now: the refresh token (local and global), and the other device's access token (global only). */
  async function expectFinished(queued: Queued, global: boolean) {
    expect(await server.refreshWith(queued.engine.clientId, queued.tokens.refreshToken)).toBe('NotAuthorizedException');
    expect(await server.getUser(queued.otherAccessToken)).toBe(global ? 'NotAuthorizedException' : 'accepted');
    // Nothing of the intent is left in the record: no token anywhere in it.
    expect(JSON.stringify(await admin.hGetAll(queued.record))).not.toContain(queued.tokens.refreshToken);
  }

  const nextPrefix = () => `fleet${++prefixCount}:`;
  const stateIs = (outbox: RedisFleetOutbox, expected: { pending: number; claimed: number; dead: number }) => async () =>
    JSON.stringify(await outbox.state().catch(() => null)) === JSON.stringify(expected);
  /** Which consumer holds the stream's one pending entry (XPENDING), if any. */
  const holder = async (keyPrefix: string) => (await admin.xPendingRange(`${keyPrefix}outbox`, 'authchart-fleet', '-', '+', 1))[0]?.consumer;
  /** A finish that records what each attempt reported. */
  const recorded = (finish: (hash: string) => Promise<FinishReport>) => {
    const reports: Array<number | 'threw'> = [];
    const run = async (hash: string) => {
      try {
        const report = await finish(hash);
        reports.push(report.left);
        return report;
      } catch (error) {
        reports.push('threw');
        throw error;
      }
    };
    return { run, reports };
  };

  test.each([
    ['local', false],
    ['global', true],
  ] as const)('a %s intent is finished by another process after the first is SIGKILLed while it holds it: taken over with XAUTOCLAIM after claimIdleMs', async (_, global) => {
    const keyPrefix = nextPrefix();
    const queued = await queuedIntent(keyPrefix, global);
    const watcher = outboxOf(keyPrefix);
    expect(await watcher.state()).toEqual({ pending: 1, claimed: 0, dead: 0 });
    // The stream carries the session's hash and nothing else: no token, no session id.
    const entries = (await admin.xRange(`${keyPrefix}outbox`, '-', '+')) ?? [];
    expect(entries.map((entry) => ({ ...entry.message }))).toEqual([{ h: queued.sessionHash }]);
    // Cognito takes the request and never answers: A's attempt hangs in it, holding the entry.
    emu.faults.set('RevokeToken', { type: 'blackhole' });
    emu.faults.set('GlobalSignOut', { type: 'blackhole' });
    emu.resetRequests();
    const base = { redisUrl: redis.url, keyPrefix, claimIdleMs: 1000, maxDeliveries: 40 };
    // A's engine leases the intent in the record for 2 N + 4 S = 7 s: B's attempts before then find it held.
    const a = await startOutboxChild({ ...base, consumer: 'A', engine: { ...queued.engine, networkTimeoutMs: 3000, storageTimeoutMs: 250 } });
    children.push(a);
    await eventually(() => emu.requests.some((request) => request.status === 'blackholed'), 10_000);
    expect(await holder(keyPrefix)).toBe('A');
    expect(await watcher.state()).toEqual({ pending: 1, claimed: 1, dead: 0 });
    await a.kill('SIGKILL');
    expect(a.output()).toContain(`finishing ${queued.sessionHash}`);
    expect(a.output()).not.toContain('finished');
    // Dead, A still holds it: nothing finished, the refresh token still works.
    expect(await watcher.state()).toEqual({ pending: 1, claimed: 1, dead: 0 });
    expect(await server.refreshWith(queued.engine.clientId, queued.tokens.refreshToken)).toBe('accepted');

    emu.faults.clear();
    const b = await startOutboxChild({ ...base, consumer: 'B', engine: queued.engine });
    children.push(b);
    // B can have it only through XAUTOCLAIM (A read it with XREADGROUP), once idle for claimIdleMs.
    await eventually(async () => (await holder(keyPrefix)) === 'B', 20_000);
    await eventually(stateIs(watcher, { pending: 0, claimed: 0, dead: 0 }), 30_000);
    expect(b.output()).toContain(`finished ${queued.sessionHash} 0`);
    expect(b.output()).not.toContain('dead');
    await expectFinished(queued, global);
  });

  test.each([
    ['local', 'RevokeToken', false],
    ['global', 'GlobalSignOut', true],
  ] as const)('Cognito down: a %s intent is retried until Cognito is back, then finished once; its %s sent twice still ends right', async (_, operation, global) => {
    const keyPrefix = nextPrefix();
    const queued = await queuedIntent(keyPrefix, global);
    const outbox = outboxOf(keyPrefix, { claimIdleMs: 300, maxDeliveries: 1000 });
    const finish = recorded(engineFinish(admin, keyPrefix, queued.engine));
    emu.faults.set('RevokeToken', { type: 'reset' });
    emu.faults.set('GlobalSignOut', { type: 'reset' });
    outbox.start(finish.run);
    await eventually(() => finish.reports.length >= 3, 20_000);
    expect(finish.reports.every((left) => left === 1)).toBe(true);
    expect(await outbox.state()).toEqual({ pending: 1, claimed: 1, dead: 0 });
    // Back, but slow: Cognito carries out the next call after the engine has given up waiting
    // (a timeout, retryable), so the following attempt sends it again.
    emu.resetRequests();
    emu.faults.clear();
    emu.faults.set(operation, { type: 'latency', ms: 1500 }, { times: 1 });
    await eventually(stateIs(outbox, { pending: 0, claimed: 0, dead: 0 }), 30_000);
    // The slow call and the next one (before or after the slow one was carried out: right either way).
    await eventually(() => emu.requests.filter((request) => request.operation === operation).length >= 2, 10_000);
    expect(finish.reports.filter((left) => left === 0)).toHaveLength(1);
    await expectFinished(queued, global);
  });

  test('after maxDeliveries an intent is dead-lettered to <prefix>outbox:dead once, across two processes; state() counts it; a replay finishes it', async () => {
    const keyPrefix = nextPrefix();
    const queued = await queuedIntent(keyPrefix, false);
    emu.faults.set('RevokeToken', { type: 'reset' });
    const fleet = [outboxOf(keyPrefix, { claimIdleMs: 1000, maxDeliveries: 3 }), outboxOf(keyPrefix, { claimIdleMs: 1000, maxDeliveries: 3 })];
    const dead: Array<{ sessionHash: string; deliveries: number }> = [];
    for (const outbox of fleet) {
      outbox.onDeadLetter((event) => dead.push(event));
      outbox.start(engineFinish(admin, keyPrefix, queued.engine));
    }
    await eventually(stateIs(fleet[0]!, { pending: 0, claimed: 0, dead: 1 }), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500)); // room for a second event, were there one
    // 3 deliveries, or more had an attempt outlasted claimIdleMs (the other process then took it over meanwhile).
    expect(dead).toEqual([{ sessionHash: queued.sessionHash, deliveries: expect.any(Number) }]);
    expect(dead[0]!.deliveries).toBeGreaterThanOrEqual(3);
    const letters = (await admin.xRange(`${keyPrefix}outbox:dead`, '-', '+')) ?? [];
    expect(letters.map((letter) => ({ h: letter.message.h, d: letter.message.d }))).toEqual([{ h: queued.sessionHash, d: String(dead[0]!.deliveries) }]);
    // Given up, not lost: the intent is still in the record, and Cognito still takes the token.
    expect(await server.refreshWith(queued.engine.clientId, queued.tokens.refreshToken)).toBe('accepted');

    // The replay docs/server.md describes: the hash back on the outbox, the dead letter removed.
    emu.faults.clear();
    await admin.xAdd(`${keyPrefix}outbox`, '*', { h: letters[0]!.message.h! });
    await admin.xDel(`${keyPrefix}outbox:dead`, letters[0]!.id);
    await eventually(stateIs(fleet[0]!, { pending: 0, claimed: 0, dead: 0 }), 30_000);
    expect(dead).toHaveLength(1);
    await expectFinished(queued, false);
  });

  test('a Redis restart (killed, AOF) loses nothing: the pending entry is still finished afterwards; the process reports the outage and goes on', async () => {
    const keyPrefix = nextPrefix();
    const queued = await queuedIntent(keyPrefix, false);
    emu.faults.set('RevokeToken', { type: 'reset' });
    // A process of its own: an unhandled rejection would end it (Node's default).
    const worker = await startOutboxChild({ redisUrl: redis.url, keyPrefix, consumer: 'W', claimIdleMs: 300, maxDeliveries: 1000, engine: queued.engine });
    children.push(worker);
    const watcher = outboxOf(keyPrefix);
    await eventually(() => worker.output().includes(`finished ${queued.sessionHash} 1`), 20_000);
    expect(await watcher.state()).toEqual({ pending: 1, claimed: 1, dead: 0 });

    await redis.stop({ kill: true });
    try {
      await eventually(() => /error (read|claim)/.test(worker.output()), 10_000);
      await expect(watcher.state()).rejects.toThrow();
    } finally {
      await redis.start();
    }
    // Still there, still held, after the restart.
    await eventually(stateIs(watcher, { pending: 1, claimed: 1, dead: 0 }), 20_000);
    emu.faults.clear();
    await eventually(stateIs(watcher, { pending: 0, claimed: 0, dead: 0 }), 30_000);
    expect(worker.output()).toContain(`finished ${queued.sessionHash} 0`);
    expect(worker.alive()).toBe(true);
    await expectFinished(queued, false);
  });

  // Narrow tests of the loop with stand-in finishes (no engine): what it does with what a finish reports.
  const someHash = () => createHash('sha256').update(randomBytes(32)).digest('hex');

  test('a finish that throws could not tell: the entry stays pending, each throw is a delivery, and maxDeliveries of them dead-letter it; onError hears the error’s name only', async () => {
    const keyPrefix = nextPrefix();
    const outbox = outboxOf(keyPrefix, { claimIdleMs: 100, maxDeliveries: 2 });
    const errors: FleetOutboxError[] = [];
    outbox.onError((error) => errors.push(error));
    const dead: number[] = [];
    outbox.onDeadLetter(({ deliveries }) => dead.push(deliveries));
    const hash = someHash();
    await outbox.enqueue(hash);
    outbox.start(async () => {
      throw new Error(`a message that names ${hash}`);
    });
    await eventually(stateIs(outbox, { pending: 0, claimed: 0, dead: 1 }), 10_000);
    expect(dead).toEqual([2]);
    expect(errors.map(({ operation, message }) => ({ operation, message }))).toEqual([
      { operation: 'finish', message: 'Error' },
      { operation: 'finish', message: 'Error' },
    ]);
    expect(outbox.errorCount).toBe(2);
  });

  test('stop() leaves what the process holds pending: another takes it over after claimIdleMs; a process that holds nothing leaves the group', async () => {
    const keyPrefix = nextPrefix();
    const first = outboxOf(keyPrefix, { claimIdleMs: 500, consumer: 'first' });
    const hash = someHash();
    await first.enqueue(hash);
    let began = false;
    first.start(() => {
      began = true;
      return new Promise<FinishReport>(() => {}); // still working when the process stops
    });
    await eventually(() => began, 10_000);
    await first.stop();
    expect(await outboxOf(keyPrefix).state()).toEqual({ pending: 1, claimed: 1, dead: 0 });
    const second = outboxOf(keyPrefix, { claimIdleMs: 500, consumer: 'second' });
    const finished: string[] = [];
    second.start(async (sessionHash) => {
      finished.push(sessionHash);
      return { left: 0 };
    });
    await eventually(stateIs(second, { pending: 0, claimed: 0, dead: 0 }), 10_000);
    expect(finished).toEqual([hash]);
    await second.stop();
    const consumers = (await admin.xInfoConsumers(`${keyPrefix}outbox`, 'authchart-fleet')).map((entry) => entry.name);
    expect(consumers).toEqual(['first']); // it still held an entry when it stopped; the second held nothing
  });

  test('enqueue takes only a session hash; options are checked', async () => {
    const outbox = outboxOf(nextPrefix());
    await expect(outbox.enqueue('a-session-id-not-a-hash')).rejects.toThrow(TypeError);
    expect(await outbox.state()).toEqual({ pending: 0, claimed: 0, dead: 0 });
    expect(() => redisFleetOutbox({ client: admin, claimIdleMs: 0 })).toThrow(RangeError);
    expect(() => redisFleetOutbox({ client: admin, maxDeliveries: 1.5 })).toThrow(RangeError);
  });
});
