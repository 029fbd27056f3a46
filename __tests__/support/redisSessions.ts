// Shared set-up for the tests of sessions in Redis (redisSessionStore.test.ts, refreshStorm.test.ts):
// a real redis-server, the emulator with a clock that can be set back (so a sign-in's access token
// has expired already by the real clock), and a session signed in by the library's own engine.
import { createHash, randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { storageKeys } from '../../services/storage/keys';
import { redisSessionStore, type SessionStore } from '../../src/server/index';
import { startCognitoEmulator, type CognitoEmulator, type SetupResult } from '../../src/testing/index';
import { startRedis, type TestRedis } from './redisServer';
import { idleOutbox, sessionEngine, type EnginePool } from './sessionEngine';

/** The test's own node-redis client. */
const testClient = (url: string) => createClient({ url, socket: { reconnectStrategy: () => 50 } });

/** A session stored in Redis, signed in with tokens whose access token has expired. */
export interface StoredSession {
  readonly hash: string;
  readonly pool: EnginePool;
  readonly setup: SetupResult;
  readonly rotation: boolean;
  /** The tokens as the sign-in stored them. */
  readonly signedIn: { readonly accessToken: string; readonly idToken: string; readonly refreshToken: string; readonly generation: number };
}

export interface SessionsRig {
  readonly redis: TestRedis;
  readonly emu: CognitoEmulator;
  /** A node-redis client of the test's own, connected. */
  readonly client: ReturnType<typeof testClient>;
  readonly keyPrefix: string;
  /** A store in this process, on `client`. */
  readonly store: SessionStore;
  /** Signs a new user in (its own pool), in a new session, with an access token expired an hour ago. */
  newSession(options?: { rotation?: { retryGracePeriodSeconds: number } }): Promise<StoredSession>;
  /** The session record as stored (parsed), or null. */
  record(session: StoredSession): Promise<{ accessToken: string; idToken: string; refreshToken?: string; generation: number } | null>;
  /** The requests that refreshed (REFRESH_TOKEN_AUTH or GetTokensFromRefreshToken) since the session was signed in. */
  refreshes(): ReadonlyArray<{ readonly operation: string; readonly status: number | string }>;
  close(): Promise<void>;
}

/** The SHA-256 of a new random session id, in hex (what the BFF names a session by). */
export const newSessionHash = (): string => createHash('sha256').update(randomBytes(32)).digest('hex');

export const recordKey = (keyPrefix: string, hash: string) => `${keyPrefix}session:{${hash}}`;
export const leaseKey = (keyPrefix: string, hash: string) => `${keyPrefix}lease:{${hash}}`;

export async function startSessionsRig(keyPrefix: string, leaseMs: number): Promise<SessionsRig> {
  let shiftMs = 0;
  const [redis, emu] = await Promise.all([startRedis(), startCognitoEmulator({ now: () => Date.now() + shiftMs })]);
  const client = testClient(redis.url);
  client.on('error', () => {});
  await client.connect();
  const store = redisSessionStore({ client, keyPrefix, leaseMs, outbox: idleOutbox() });

  async function record(session: StoredSession) {
    const raw = await client.hGet(recordKey(keyPrefix, session.hash), storageKeys(session.pool.clientId).session);
    return raw ? (JSON.parse(raw) as { accessToken: string; idToken: string; refreshToken?: string; generation: number }) : null;
  }

  return {
    redis,
    emu,
    client,
    keyPrefix,
    store,
    record,
    async newSession(options = {}) {
      const rotation = options.rotation !== undefined;
      const setup = emu.setup(rotation ? { refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: options.rotation!.retryGracePeriodSeconds } } : {});
      const pool = { userPoolId: setup.userPoolId, clientId: setup.clientId, region: emu.region, endpoint: emu.endpoint };
      const hash = newSessionHash();
      // Issued two hours ago by the emulator's clock: the access token (one hour) expired an hour ago.
      shiftMs = -2 * 3600_000;
      const auth = sessionEngine(store.storageFor(hash), pool, { rotation });
      try {
        await auth.signIn({ username: setup.username, password: setup.password, authFlow: 'USER_PASSWORD_AUTH' });
      } finally {
        shiftMs = 0;
        await auth.stop();
      }
      await store.expire(hash, 24 * 3600);
      emu.resetRequests();
      const session = { hash, pool, setup, rotation } as Omit<StoredSession, 'signedIn'>;
      const stored = await record(session as StoredSession);
      if (!stored?.refreshToken) throw new Error('the sign-in stored no session');
      return { ...session, signedIn: { ...stored, refreshToken: stored.refreshToken } };
    },
    refreshes: () => emu.requests.filter((request) => request.operation === 'GetTokensFromRefreshToken' || request.operation === 'InitiateAuth'),
    async close() {
      await store.close();
      if (client.isOpen) await client.close();
      await Promise.all([redis.close(), emu.close()]);
    },
  };
}
