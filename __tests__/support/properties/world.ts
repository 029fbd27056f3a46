// The model, and the world it is checked against: one Auth over watched storage and a watched SDK client,
// with invariants 1–3 checked after every command.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { waitFor } from 'xstate';
import { AuthError, createAuth, type Auth, type AuthSession } from '../../../src/index';
import type { CognitoEmulator, SetupResult } from '../../../src/testing/index';
import { NETWORK_TIMEOUT_MS, SETTLE_BOUND_MS, STORAGE_TIMEOUT_MS } from './bounds';
import type { FaultName, FaultOp } from './faults';
import { bump, type Stats } from './stats';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export interface Model {
  /** Whether instance A's statechart must be signed in now. */
  signedIn: boolean;
  /** Whether instance B's statechart must be signed in now; null when the run has no instance B. */
  signedInB: boolean | null;
  /** Whether a whole session must be in the shared storage now (A and B read and write the same one). */
  stored: boolean;
  /** Whether the storage answers asynchronously in this run. */
  readonly asyncStorage: boolean;
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

export type Who = 'A' | 'B';

/** How the storage answers in a run: null, synchronously; else each call after 1..maxDelayMs ms (seeded). */
export type StorageTiming = null | { readonly maxDelayMs: number; readonly seed: number };

/**
 * Web-Storage-shaped and open to inspection. With a timing, asynchronous as React Native's
 * AsyncStorage: each call is carried out (and answered) after a random delay of 1..maxDelayMs ms,
 * so calls of two instances interleave as they would on a device.
 */
class MapStorage {
  readonly items = new Map<string, string>();
  private state: number;
  constructor(readonly timing: StorageTiming) {
    this.state = (timing?.seed ?? 0) >>> 0;
  }
  /** mulberry32: the delays are a function of the run's seed. */
  private random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  private answer<T>(act: () => T): T | Promise<T> {
    if (!this.timing) return act();
    const ms = 1 + Math.floor(this.random() * this.timing.maxDelayMs);
    return new Promise<T>((resolve) => setTimeout(() => resolve(act()), ms));
  }
  getItem = (key: string): string | null | Promise<string | null> => this.answer(() => this.items.get(key) ?? null);
  setItem = (key: string, value: string): void | Promise<void> => this.answer(() => void this.items.set(key, value));
  removeItem = (key: string): void | Promise<void> => this.answer(() => void this.items.delete(key));
}

/** A call made from an auth.on() handler, tracked until it settles. */
interface HandlerCall {
  readonly label: string;
  readonly startedAt: number;
  readonly outcome: Promise<Outcome<unknown> & { authError: boolean }>;
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
  readonly storage: MapStorage;
  readonly sessionKey: string;
  readonly outboxKey: string;
  /** Every token the library has received from Cognito in this run, and what it is. */
  readonly tokens = new Map<string, TokenKind>();
  /**
   * Tokens of sign-outs the outbox queued (finishedBy 'outbox'). A call that timed out may have
   * landed at Cognito after all, and only Cognito can tell: finishing the intent may present them
   * revoked (answered 'revoked', so the entry goes). Counted, not a violation.
   */
  readonly queuedTokens = new Set<string>();
  /** Invariant 3 breaches seen on the wire since the last check. */
  readonly wireViolations: string[] = [];
  /** Operations sent since the last command began (for "no network call" checks). */
  sent: string[] = [];
  /**
   * Every HTTP attempt of the current command, as the SDK's handler saw it: the operation, when it
   * began and ended (ms since the command began) and how it ended. Printed with a wrong result, so
   * that a deadline miss tells a retry (a reset socket, the SDK's backoff) from a slow answer.
   */
  attempts: { operation: string; startMs: number; endMs?: number; outcome?: string }[] = [];
  commandStartedAt = performance.now();
  /** The attempts of the current command, one per line. */
  attemptLog(): string {
    return this.attempts
      .map((a) => `${a.operation} ${a.startMs.toFixed(1)}..${a.endMs === undefined ? 'open' : a.endMs.toFixed(1)} ms: ${a.outcome ?? 'pending'}`)
      .join('\n');
  }
  auth!: Auth;
  private client!: CognitoIdentityProviderClient;
  /** Instance B: a second createAuth over the same storage, pool and client (undefined: none in this run). */
  authB: Auth | undefined;
  private clientB: CognitoIdentityProviderClient | undefined;
  /** Set while a Parallel command with a long latency ran: a late answer may still be in flight. */
  lateAnswersPossible = false;
  /** Set while a cross-instance race runs: one instance may present a token the other is revoking. */
  crossRace = false;
  /** auth.on() handlers registered and not yet fired; while any is, the model cannot tell what comes next. */
  readonly armed = new Set<{ readonly who: Who; readonly off: () => void }>();
  /** Calls made from handlers that have not been awaited yet. */
  handlerCalls: HandlerCall[] = [];

  constructor(
    readonly emu: CognitoEmulator,
    readonly user: SetupResult,
    readonly stats: Stats,
    timing: StorageTiming = null,
  ) {
    this.storage = new MapStorage(timing);
    this.sessionKey = `authchart.${user.clientId}.session`;
    this.outboxKey = `authchart.${user.clientId}.revocationOutbox`;
    [this.auth, this.client] = this.start();
  }

  /** A new SDK client (watched) and a new Auth over the same storage. */
  private start(): [Auth, CognitoIdentityProviderClient] {
    const client = new CognitoIdentityProviderClient({ region: this.emu.region, endpoint: this.emu.endpoint });
    this.watchWire(client);
    const auth = createAuth({
      userPoolId: this.user.userPoolId,
      userPoolClientId: this.user.clientId,
      client,
      storage: this.storage,
      networkTimeoutMs: NETWORK_TIMEOUT_MS,
      storageTimeoutMs: STORAGE_TIMEOUT_MS,
    });
    return [auth, client];
  }

  /** Waits until instance A has loaded the stored session (with an asynchronous storage that takes a while). */
  async loaded(): Promise<void> {
    const a = this.auth;
    await this.settle('createAuth() loading the stored session', waitFor(a.actor, (s) => !s.matches('loadingSession')), SETTLE_BOUND_MS);
  }

  /** Starts instance B over the same storage, and waits until it has loaded the stored session. */
  async startB(): Promise<void> {
    [this.authB, this.clientB] = this.start();
    const b = this.authB;
    await this.settle('createAuth() of instance B loading the stored session', waitFor(b.actor, (s) => !s.matches('loadingSession')), SETTLE_BOUND_MS);
  }

  authOf(who: Who): Auth {
    if (who === 'A') return this.auth;
    if (!this.authB) throw new Error('model: a command for instance B in a run without one');
    return this.authB;
  }

  /**
   * Registers, for the next `type` event of instance `who`, a handler that makes `call` and tracks
   * its promise. The handler removes itself before calling.
   */
  armHandler(who: Who, type: 'signedOut' | 'tokenRefresh_failure' | 'signedIn', label: string, call: (auth: Auth) => Promise<unknown>): void {
    const auth = this.authOf(who);
    const entry = {
      who,
      off: auth.on(type, () => {
        entry.off();
        this.armed.delete(entry);
        bump(this.stats.handlerCalls, label);
        const outcome = Promise.resolve()
          .then(() => call(auth))
          .then(
            (value) => {
              // Handed out by getSession() from a handler: never a token the server has revoked.
              if (value && typeof value === 'object' && 'tokens' in value) this.checkHandedOut(value as AuthSession, label);
              return { ok: true as const, value, authError: false };
            },
            (error: unknown) => ({ ok: false as const, error: { name: String((error as Error)?.name), message: String((error as Error)?.message) }, authError: error instanceof AuthError }),
          );
        this.handlerCalls.push({ label, startedAt: Date.now(), outcome });
      }),
    };
    this.armed.add(entry);
  }

  /** Whether a handler may fire, or a handler's call is still out: the model cannot tell the next state. */
  get racing(): boolean {
    return this.armed.size > 0 || this.handlerCalls.length > 0;
  }

  /** Invariant 2 for calls made from handlers: each settles (a result or an AuthError) within SIGN_IN_BOUND_MS of its start. */
  async drainHandlerCalls(boundMs: number): Promise<void> {
    while (this.handlerCalls.length > 0) {
      const calls = this.handlerCalls;
      this.handlerCalls = [];
      for (const call of calls) {
        const outcome = await this.settle(`${call.label} (called from a handler)`, call.outcome, Math.max(0, call.startedAt + boundMs - Date.now()));
        if (!outcome.ok) throw new Error(`harness: a handler call's outcome rejected`);
        if (!outcome.value.ok && !outcome.value.authError) throw new InvariantViolation(`${call.label} (called from a handler) rejected with ${outcome.value.error.name}, not an AuthError`);
        bump(this.stats.handlerCalls, `${call.label} ${outcome.value.ok ? 'resolved' : `rejected ${outcome.value.error.name}`}`);
      }
    }
  }

  /** The outbox holds a global intent (a sign-out's GlobalSignOut left to it), as the storage says now. */
  globalIntentQueued(): boolean {
    return /"global":true/.test(this.storage.items.get(this.outboxKey) ?? '');
  }

  /** Tokens handed out must not be revoked at the server at the moment they are handed out. */
  checkHandedOut(session: AuthSession, what: string): void {
    const tokens = session.tokens;
    if (!tokens) return;
    for (const [kind, token] of [['access', tokens.accessToken], ['refresh', tokens.refreshToken]] as const) {
      if (token === undefined) continue;
      if (this.emu.tokenRevoked(token) !== false) {
        this.stats.revokedTokenUses += 1;
        throw new InvariantViolation(`invariant 3: ${what} handed out ${this.emu.tokenRevoked(token) ? 'a revoked' : 'an unknown'} ${kind} token`);
      }
    }
  }

  /** Invariant 2: both statecharts reach signedOut or signedIn.active within `boundMs` (a check the chart began on its own). */
  async steady(after: string, boundMs: number): Promise<void> {
    for (const [who, auth] of [['A', this.auth], ['B', this.authB]] as const) {
      if (auth) await this.settle(`instance ${who} settling after ${after}`, waitFor(auth.actor, (s) => s.matches('signedOut') || s.matches({ signedIn: 'active' })), boundMs);
    }
  }

  /** After calls the model could not predict: learn the states from the statecharts and the storage (each checked for steadiness and wholeness by checkInvariants). */
  resync(model: Model, after: string): void {
    for (const [who, auth] of [['A', this.auth], ['B', this.authB]] as const) {
      if (!auth) continue;
      const state = auth.actor.getSnapshot();
      if (!(state.matches('signedOut') || state.matches({ signedIn: 'active' }))) throw new InvariantViolation(`invariant 2: after ${after} instance ${who} is left in ${JSON.stringify(state.value)}`);
      if (who === 'A') model.signedIn = state.matches('signedIn');
      else model.signedInB = state.matches('signedIn');
    }
    model.stored = this.storedSession() !== null;
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
        const target = String(request.headers['x-amz-target'] ?? '');
        if (!options?.abortSignal?.aborted) this.onSend(target, request.body);
        const attempt: World['attempts'][number] = { operation: target.replace(TARGET, ''), startMs: performance.now() - this.commandStartedAt };
        this.attempts.push(attempt);
        const ended = (outcome: string): void => {
          attempt.endMs = performance.now() - this.commandStartedAt;
          attempt.outcome = outcome;
        };
        return inner.handle(request, options).then(
          (answer) => {
            ended(`HTTP ${(answer as { response?: { statusCode?: number } }).response?.statusCode ?? '?'}`);
            return answer;
          },
          (error: unknown) => {
            const e = error as { name?: string; code?: string };
            ended(`${e.name ?? 'Error'}${e.code ? ` ${e.code}` : ''}`);
            throw error;
          },
        );
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
      else if (revoked && (allowRevoked || this.queuedTokens.has(token))) this.stats.reRevocations += 1;
      else if (revoked && this.crossRace && use.startsWith('InitiateAuth')) this.stats.crossInstanceRevokedRefreshes += 1; // loaded before the other instance's sign-out revoked it: no lock between instances
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
    for (const entry of [...this.armed]) if (entry.who === 'A') (entry.off(), this.armed.delete(entry));
    await this.auth.stop();
    this.client.destroy();
    [this.auth, this.client] = this.start();
    await this.settle('createAuth() loading the stored session', waitFor(this.auth.actor, (s) => !s.matches('loadingSession')), SETTLE_BOUND_MS);
  }

  async dispose(): Promise<void> {
    for (const entry of this.armed) entry.off();
    this.armed.clear();
    await this.auth.stop();
    this.client.destroy();
    await this.authB?.stop();
    this.clientB?.destroy();
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
      const b = this.authB ? `, instance B ${JSON.stringify(this.authB.actor.getSnapshot().value)}` : '';
      throw new InvariantViolation(`invariant 2: ${what} did not settle within ${boundMs} ms (state ${JSON.stringify(this.auth.actor.getSnapshot().value)}${b})`);
    }
    return outcome;
  }

  /** Invariants 1–3 and the model's signed-in state, after every command. */
  checkInvariants(model: Model, after: string): void {
    // 2: nothing transient once every call has settled.
    const state = this.auth.actor.getSnapshot();
    for (const [who, auth] of [['', this.auth], [' of instance B', this.authB]] as const) {
      const snapshot = auth?.actor.getSnapshot();
      const steady = !snapshot || snapshot.matches('signedOut') || snapshot.matches({ signedIn: 'active' });
      if (!steady) throw new InvariantViolation(`invariant 2: after ${after} the statechart${who} is left in ${JSON.stringify(snapshot?.value)}`);
    }
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
        const allowed = (key === this.sessionKey && model.stored) || (key === this.outboxKey && (kind === 'refresh' || (kind === 'access' && heldByGlobalIntent(value, token))));
        if (!allowed) {
          this.stats.tokensLeftBehind += 1;
          throw new InvariantViolation(`invariant 1: after ${after} (${model.stored ? 'a session stored' : 'no session may be stored'}) storage key ${key} still holds ${kind === 'refresh' ? 'a refresh' : kind === 'id' ? 'an ID' : 'an access'} token`);
        }
      }
    }
    // The model: signed in exactly when it must be, with a whole session stored.
    if (state.matches('signedIn') !== model.signedIn) {
      throw new Error(`model: after ${after} the statechart is ${JSON.stringify(state.value)}, expected ${model.signedIn ? 'signedIn' : 'signedOut'}`);
    }
    if (this.authB && this.authB.actor.getSnapshot().matches('signedIn') !== model.signedInB) {
      throw new Error(`model: after ${after} instance B's statechart is ${JSON.stringify(this.authB.actor.getSnapshot().value)}, expected ${model.signedInB ? 'signedIn' : 'signedOut'}`);
    }
    const stored = this.storedSession();
    if (model.stored && !(stored && this.tokens.get(stored.accessToken) === 'access' && this.tokens.get(stored.idToken) === 'id' && stored.refreshToken && this.tokens.get(stored.refreshToken) === 'refresh')) {
      throw new Error(`model: after ${after} a session must be stored, but the stored one is not a whole session of this user`);
    }
    if (!model.stored && stored) throw (this.stats.tokensLeftBehind += 1, new InvariantViolation(`invariant 1: after ${after} no session may be stored (signed out), but one is`));
  }
}
