// One engine instance over a BFF session's storage, as a server builds one per request: the
// library's own chart (createAuthCore) with the host's parts, no tab signals and the session
// store's lease as the refresh turn (RuntimeParts). Used in process by redisSessionStore.test.ts
// and in each child of the refresh storm (sessionChild.ts).
import { createAuthCore, type Auth } from '../../src/authCore';
import { resolveConfig } from '../../src/config';
import { createFetchCognito } from '../../services/cognito/fetchTransport';
import type { CognitoService } from '../../services/cognito/types';
import type { FleetOutbox, SessionStorage } from '../../services/server/sessionStore';

/** An emulator pool, as the engine is configured with it. */
export interface EnginePool {
  readonly userPoolId: string;
  readonly clientId: string;
  readonly region: string;
  readonly endpoint: string;
}

/** Called around the engine's refresh request (REFRESH_TOKEN_AUTH or GetTokensFromRefreshToken). */
export interface RefreshHooks {
  /** Before the request is sent. */
  readonly before?: () => void | Promise<void>;
  /** After Cognito answered, before the engine sees the answer. */
  readonly after?: () => void | Promise<void>;
}

export interface EngineOptions {
  /** The app client rotates refresh tokens (GetTokensFromRefreshToken). */
  readonly rotation?: boolean;
  readonly networkTimeoutMs?: number;
  readonly hooks?: RefreshHooks;
}

/** The transport with `hooks` around its refresh requests; the rest as it is. */
function hooked(base: CognitoService, hooks: RefreshHooks): CognitoService {
  const around =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await hooks.before?.();
      const answer = await call(...args);
      await hooks.after?.();
      return answer;
    };
  return {
    ...base,
    refreshTokens: around(base.refreshTokens.bind(base)),
    ...(base.getTokensFromRefreshToken && { getTokensFromRefreshToken: around(base.getTokensFromRefreshToken.bind(base)) }),
  };
}

/** One engine instance over `storage`, its refresh turn the storage's lease. Stop it when the request is done. */
export function sessionEngine(storage: SessionStorage, pool: EnginePool, options: EngineOptions = {}): Auth {
  const base = createFetchCognito({ region: pool.region, endpoint: pool.endpoint, clientId: pool.clientId });
  const transport = options.hooks ? hooked(base, options.hooks) : base;
  const settings = resolveConfig({
    userPoolId: pool.userPoolId,
    userPoolClientId: pool.clientId,
    region: pool.region,
    storage,
    transport,
    refreshTokenRotation: options.rotation ?? false,
    ...(options.networkTimeoutMs !== undefined && { networkTimeoutMs: options.networkTimeoutMs }),
  });
  return createAuthCore(settings, transport, undefined, { tabs: { signals: async () => null, lock: async () => storage.refreshLock } });
}

/** A fleet outbox that takes nothing (the tests of the session store need none; the fleet-outbox branch brings the real one). */
export function idleOutbox(): FleetOutbox {
  return {
    enqueue: async () => {},
    start: () => {},
    state: async () => ({ pending: 0, claimed: 0, dead: 0 }),
    onDeadLetter: () => () => {},
    stop: async () => {},
  };
}
