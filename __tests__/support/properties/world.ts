// The model, and the world it is checked against: one Auth over watched storage and a watched SDK client,
// with invariants 1–3 checked after every command.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { waitFor } from 'xstate';
import { createAuth, type Auth } from '../../../src/index';
import type { CognitoEmulator, SetupResult } from '../../../src/testing/index';
import { NETWORK_TIMEOUT_MS, SETTLE_BOUND_MS, STORAGE_TIMEOUT_MS } from './bounds';
import type { FaultName, FaultOp } from './faults';
import { bump, type Stats } from './stats';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export interface Model {
  /** Whether someone must be signed in now. */
  signedIn: boolean;
  /** The faults switched on, as the emulator has them. */
  readonly faults: Map<FaultOp, FaultName>;
  /** RevokeToken has been blackholed at some point in this run (KB2). */
  revokeTokenBlackholed: boolean;
}

type TokenKind = 'access' | 'id' | 'refresh';
export interface StoredTokens {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
}

/** Web-Storage-shaped, synchronous, and open to inspection. */
class MapStorage {
  readonly items = new Map<string, string>();
  getItem = (key: string): string | null => this.items.get(key) ?? null;
  setItem = (key: string, value: string): void => void this.items.set(key, value);
  removeItem = (key: string): void => void this.items.delete(key);
}

/** The slice of the SDK's HTTP handler that is wrapped to watch what goes on the wire. */
interface HttpHandlerLike {
  handle(request: { headers: Record<string, string>; body?: unknown }, options?: { abortSignal?: { aborted?: boolean } }): Promise<unknown>;
  updateHttpClientConfig(key: never, value: never): void;
  httpHandlerConfigs(): unknown;
  destroy?(): void;
}

const TARGET = 'AWSCognitoIdentityProviderService.';
const REFRESH_FLOWS = new Set(['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN']);

/** Thrown for a broken invariant; the message says which. */
export class InvariantViolation extends Error {
  override readonly name = 'InvariantViolation';
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: { name: string; message: string } };

/** Whether the outbox (its stored value) holds `token` only in entries queued as global intents. */
function heldByGlobalIntent(outbox: string, token: string): boolean {
  try {
    const entries = (JSON.parse(outbox) as { entries?: unknown }).entries;
    if (!Array.isArray(entries)) return false;
    const holding = entries.filter((entry) => JSON.stringify(entry).includes(token));
    return holding.length > 0 && holding.every((entry) => (entry as { global?: unknown }).global === true);
  } catch {
    return false;
  }
}

/** One Auth instance at a time (restarts replace it) over one storage, one user, one emulator. */
export class World {
  readonly storage = new MapStorage();
  readonly sessionKey: string;
  readonly outboxKey: string;
  /** Every token the library has received from Cognito in this run, and what it is. */
  readonly tokens = new Map<string, TokenKind>();
  /** Invariant 3 breaches seen on the wire since the last check. */
  readonly wireViolations: string[] = [];
  /** Operations sent since the last command began (for "no network call" checks). */
  sent: string[] = [];
  auth!: Auth;
  private client!: CognitoIdentityProviderClient;
  /** Set while a Parallel command with a long latency ran: a late answer may still be in flight. */
  lateAnswersPossible = false;

  constructor(
    readonly emu: CognitoEmulator,
    readonly user: SetupResult,
    readonly stats: Stats,
  ) {
    this.sessionKey = `authchart.${user.clientId}.session`;
    this.outboxKey = `authchart.${user.clientId}.revocationOutbox`;
    this.start();
  }

  /** A new SDK client (watched) and a new Auth over the same storage. */
  private start(): void {
    const client = new CognitoIdentityProviderClient({ region: this.emu.region, endpoint: this.emu.endpoint });
    this.watchWire(client);
    this.client = client;
    this.auth = createAuth({
      userPoolId: this.user.userPoolId,
      userPoolClientId: this.user.clientId,
      client,
      storage: this.storage,
      networkTimeoutMs: NETWORK_TIMEOUT_MS,
      storageTimeoutMs: STORAGE_TIMEOUT_MS,
    });
  }

  /**
   * Records every token the library receives (from the deserialized answers) and checks every
   * request as it is handed to the socket (after the SDK's retry loop and abort checks), against
   * the emulator's revocation state at that moment. A request the SDK aborts before sending is
   * not counted; one the emulator holds (latency) is judged by when it was sent, not answered.
   */
  private watchWire(client: CognitoIdentityProviderClient): void {
    client.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const answer = (result.output as { AuthenticationResult?: { AccessToken?: string; IdToken?: string; RefreshToken?: string } }).AuthenticationResult;
        if (answer?.AccessToken) this.tokens.set(answer.AccessToken, 'access');
        if (answer?.IdToken) this.tokens.set(answer.IdToken, 'id');
        if (answer?.RefreshToken) this.tokens.set(answer.RefreshToken, 'refresh');
        return result;
      },
      { step: 'initialize', name: 'propertiesTokenRecorder' },
    );
    const config = client.config as unknown as { requestHandler: HttpHandlerLike };
    const inner = config.requestHandler;
    config.requestHandler = {
      handle: (request, options) => {
        if (!options?.abortSignal?.aborted) this.onSend(String(request.headers['x-amz-target'] ?? ''), request.body);
        return inner.handle(request, options);
      },
      updateHttpClientConfig: (key, value) => inner.updateHttpClientConfig(key, value),
      httpHandlerConfigs: () => inner.httpHandlerConfigs(),
      destroy: () => inner.destroy?.(),
    };
  }

  private onSend(target: string, body: unknown): void {
    const operation = target.startsWith(TARGET) ? target.slice(TARGET.length) : target;
    this.sent.push(operation);
    bump(this.stats.requestsSent, operation);
    let input: Record<string, unknown>;
    try {
      const text = typeof body === 'string' ? body : body instanceof Uint8Array ? new TextDecoder().decode(body) : '';
      input = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Every Cognito request has a JSON body: one that cannot be read would blind invariant 3.
      this.wireViolations.push(`${operation} sent with a body the test cannot read (${typeof body})`);
      return;
    }
    const presented = (token: unknown, use: string, { allowRevoked = false } = {}) => {
      if (typeof token !== 'string') return;
      const revoked = this.emu.tokenRevoked(token);
      if (revoked === undefined) this.wireViolations.push(`${use} with a token Cognito never issued`);
      else if (revoked && allowRevoked) this.stats.reRevocations += 1;
      else if (revoked) this.wireViolations.push(`${use} with an already revoked ${this.tokens.get(token) ?? ''} token`);
    };
    if (operation === 'InitiateAuth' && REFRESH_FLOWS.has(String(input.AuthFlow))) {
      presented((input.AuthParameters as Record<string, unknown> | undefined)?.REFRESH_TOKEN, 'InitiateAuth REFRESH_TOKEN_AUTH');
    } else if (operation === 'GlobalSignOut' || operation === 'GetUser') {
      presented(input.AccessToken, operation);
    } else if (operation === 'RevokeToken') {
      presented(input.Token, 'RevokeToken', { allowRevoked: true }); // revoking again is idempotent: allowed
    }
  }

  /** `await auth.stop()`, then a new createAuth over the same storage, loaded. */
  async restart(): Promise<void> {
    await this.auth.stop();
    this.client.destroy();
    this.start();
    await this.settle('createAuth() loading the stored session', waitFor(this.auth.actor, (s) => !s.matches('loadingSession')), SETTLE_BOUND_MS);
  }

  async dispose(): Promise<void> {
    await this.auth.stop();
    this.client.destroy();
  }

  get flushRevocations(): (() => Promise<unknown>) | undefined {
    const flush = (this.auth as { flushRevocations?: unknown }).flushRevocations;
    return typeof flush === 'function' ? () => (flush as () => Promise<unknown>).call(this.auth) : undefined;
  }

  /** The stored session, or null. */
  storedSession(): StoredTokens | null {
    const raw = this.storage.items.get(this.sessionKey);
    if (raw === undefined) return null;
    const { accessToken, idToken, refreshToken } = JSON.parse(raw) as StoredTokens;
    return { accessToken, idToken, ...(refreshToken !== undefined && { refreshToken }) };
  }

  /** Invariant 2: the call settles within `boundMs`. */
  async settle<T>(what: string, promise: Promise<T>, boundMs: number): Promise<Outcome<T>> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stuck = new Promise<'stuck'>((resolve) => (timer = setTimeout(() => resolve('stuck'), boundMs)));
    const outcome = await Promise.race([
      promise.then(
        (value): Outcome<T> => ({ ok: true, value }),
        (error: { name?: unknown; message?: unknown }): Outcome<T> => ({ ok: false, error: { name: String(error?.name), message: String(error?.message) } }),
      ),
      stuck,
    ]);
    clearTimeout(timer);
    if (outcome === 'stuck') {
      this.stats.stuck += 1;
      throw new InvariantViolation(`invariant 2: ${what} did not settle within ${boundMs} ms (state ${JSON.stringify(this.auth.actor.getSnapshot().value)})`);
    }
    return outcome;
  }

  /** Invariants 1–3 and the model's signed-in state, after every command. */
  checkInvariants(model: Model, after: string): void {
    // 2: nothing transient once every call has settled.
    const state = this.auth.actor.getSnapshot();
    const steady = state.matches('signedOut') || state.matches({ signedIn: 'active' });
    if (!steady) throw new InvariantViolation(`invariant 2: after ${after} the statechart is left in ${JSON.stringify(state.value)}`);
    // 3: no revoked token was sent.
    if (this.wireViolations.length > 0) {
      this.stats.revokedTokenUses += this.wireViolations.length;
      throw new InvariantViolation(`invariant 3: during ${after}: ${this.wireViolations.join('; ')}`);
    }
    // 1: tokens only where they may be.
    for (const [key, value] of this.storage.items) {
      for (const [token, kind] of this.tokens) {
        if (!value.includes(token)) continue;
        // The outbox keeps the refresh token to finish a sign-out later, and a queued GLOBAL intent the access token too.
        const allowed = (key === this.sessionKey && model.signedIn) || (key === this.outboxKey && (kind === 'refresh' || (kind === 'access' && heldByGlobalIntent(value, token))));
        if (!allowed) {
          this.stats.tokensLeftBehind += 1;
          throw new InvariantViolation(`invariant 1: after ${after} (${model.signedIn ? 'signed in' : 'signed out'}) storage key ${key} still holds ${kind === 'refresh' ? 'a refresh' : kind === 'id' ? 'an ID' : 'an access'} token`);
        }
      }
    }
    // The model: signed in exactly when it must be, with a whole session stored.
    if (state.matches('signedIn') !== model.signedIn) {
      throw new Error(`model: after ${after} the statechart is ${JSON.stringify(state.value)}, expected ${model.signedIn ? 'signedIn' : 'signedOut'}`);
    }
    const stored = this.storedSession();
    if (model.signedIn && !(stored && this.tokens.get(stored.accessToken) === 'access' && this.tokens.get(stored.idToken) === 'id' && stored.refreshToken && this.tokens.get(stored.refreshToken) === 'refresh')) {
      throw new Error(`model: after ${after} signed in, but the stored session is not a whole session of this user`);
    }
    if (!model.signedIn && stored) throw new Error(`model: after ${after} signed out, but a session is stored`);
  }
}
