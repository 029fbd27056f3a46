// What every account flow's façade (src/account/*) shares for one createAccount(auth): the
// instance's settings and vault, the account calls over its transport, a runner for each flow's
// chart, and the error an answer's failure is thrown as. It decides nothing.
import { createActor, type AnyStateMachine } from 'xstate';
import type { Auth } from '../authCore.js';
import { runtimeOf, type AuthRuntime } from '../authRuntime.js';
import type { AuthConfig, ResolvedConfig } from '../config.js';
import { AuthConfigError, AuthInternalError, AuthStateError, AuthStoppedError, toAuthError, type AuthError } from '../errors.js';
import { isAccountErrorName } from '../../machines/errors/registry.js';
import { isPasskeyErrorName } from '../../machines/errors/passkeyNames.js';
import type { ErrorInfo } from '../../machines/types.js';
import type { Answered, Asked } from '../../machines/account/shared.js';
import { createAccountCalls } from '../../services/cognito/accountCalls.js';
import { fetchAccountWire, type AccountWire } from '../../services/cognito/accountWire.js';
import { onFirstUse } from '../../services/cognito/onFirstUse.js';
import type { AccountServices } from '../../services/actors/account/kit.js';
import type { SecretVault } from '../../services/storage/secretVault.js';
import type { WebAuthnClient } from '../../services/webauthn/types.js';

/** createAccount()'s options. */
export interface AccountOptions {
  /**
   * Where the account calls go. By default, over fetch to the endpoint createAuth uses (`endpoint`,
   * or the region's), with its `fetch`, networkTimeoutMs and clientSecret: they are Cognito's public
   * operations, which no AWS credentials sign, so an app on the AWS SDK entry needs no SDK for them
   * either. Required when createAuth was given its own `transport`, or a `client` whose endpoint
   * createAuth was not told: `fetchAccountWire()` builds one.
   */
  readonly wire?: AccountWire;
  /** The clock the flows read deadlines with (epoch ms). Default: createAuth's `now` (Date.now unless given); for tests, to move past a deadline without waiting. */
  readonly now?: () => number;
  /** An XState inspection observer for the flows' charts (as createAuth's `inspect`). Default: createAuth's `inspect`, so one inspector sees the auth chart and the flows. */
  readonly inspect?: AuthConfig['inspect'];
  /**
   * The authenticator passkey registration runs (`create`), in WebAuthn's JSON forms. Default:
   * createAuth's `webAuthn`, else the browser's navigator.credentials through WebAuthn Level 3's
   * JSON methods, loaded only when a registration begins. React Native (a passkey module's JSON
   * calls) and tests bring their own.
   */
  readonly webAuthn?: WebAuthnClient;
}

/** The error an account chart's failure is thrown as: the account flows' own names and the passkey ceremony's are AuthStateError; the rest, as the error registry says. */
export function toAccountError(error: ErrorInfo): AuthError {
  return isAccountErrorName(error.name) || isPasskeyErrorName(error.name) ? new AuthStateError(error.name, error.message) : toAuthError(error);
}

/** A flow's chart, running: `ask` sends one call event and resolves with its answer, or rejects with its typed error. */
export type Ask<E extends Asked & { readonly type: string }, A> = (method: string, event: E extends unknown ? Omit<E, 'id'> : never) => Promise<A>;

/** What the account flows of one instance share. */
export interface AccountKit {
  readonly auth: Auth;
  readonly settings: ResolvedConfig;
  readonly runtime: Pick<AuthRuntime, 'settings' | 'store' | 'vault' | 'outbox'>;
  readonly vault: SecretVault;
  readonly services: AccountServices;
  /** The authenticator: AccountOptions.webAuthn, else createAuth's, else the browser's, loaded on first use. */
  webAuthn(): Promise<WebAuthnClient>;
  /** Rejects with AuthStoppedError once the instance was stopped. */
  live(method: string): void;
  /** Starts `machine` (its actors provided) on the first call, and answers calls through it. */
  flow<E extends Asked & { readonly type: string }, A>(machine: AnyStateMachine): Ask<E, A>;
}

function wireFor(settings: ResolvedConfig, given: AccountWire | undefined): AccountWire {
  if (given) return given;
  if (settings.transport) throw new AuthConfigError('wire', 'is needed: createAuth() was given its own transport, so createAccount() cannot tell where to send; pass createAccount(auth, { wire: fetchAccountWire({ ... }) })');
  const { region, endpoint, clientId, clientSecret, networkTimeoutMs: callTimeoutMs } = settings;
  return fetchAccountWire({ region, clientId, callTimeoutMs, ...(endpoint !== undefined && { endpoint }), ...(clientSecret !== undefined && { clientSecret }), ...(settings.fetch && { fetch: settings.fetch }) });
}

export function createAccountKit(auth: Auth, options: AccountOptions = {}): AccountKit {
  if (typeof options !== 'object' || options === null) throw new AuthConfigError('options', 'must be an object such as { wire }');
  if (options.wire !== undefined && typeof options.wire !== 'function') throw new AuthConfigError('wire', 'must be a function: an account wire such as fetchAccountWire({ ... })');
  if (options.now !== undefined && typeof options.now !== 'function') throw new AuthConfigError('now', 'must be a function returning epoch milliseconds');
  if (options.inspect !== undefined && typeof options.inspect !== 'function' && (typeof options.inspect !== 'object' || options.inspect === null)) throw new AuthConfigError('inspect', 'must be an inspection observer or function');
  const { webAuthn } = options;
  if (webAuthn !== undefined && (typeof webAuthn !== 'object' || webAuthn === null || typeof webAuthn.get !== 'function' || typeof webAuthn.create !== 'function')) {
    throw new AuthConfigError('webAuthn', 'must be a WebAuthn client: an object with get() and create()');
  }
  if (typeof (auth as Partial<Auth> | null)?.actor?.getSnapshot !== 'function') throw new AuthConfigError('auth', 'must be an instance createAuth() returned');
  const runtime = runtimeOf(auth.actor);
  const { settings, vault } = runtime;
  const wire = wireFor(settings, options.wire);
  const calls = createAccountCalls({ wire, clientId: settings.clientId, ...(settings.clientSecret !== undefined && { clientSecret: settings.clientSecret }), load: onFirstUse });
  const stopped = () => auth.actor.getSnapshot().status !== 'active';
  const live = (method: string): void => {
    if (stopped()) throw new AuthStoppedError(method);
  };
  let nextId = 0;
  return {
    auth,
    settings,
    runtime,
    vault,
    services: {
      calls,
      vault,
      now: options.now ?? settings.now,
      accessToken: () => auth.getSession().then((session) => session.tokens?.accessToken ?? null),
    },
    webAuthn: async () => webAuthn ?? settings.webAuthn ?? (await import('../../services/webauthn/browser.js')).browserWebAuthn,
    live,
    flow<E extends Asked & { readonly type: string }, A>(machine: AnyStateMachine): Ask<E, A> {
      const pending = new Map<number, { readonly resolve: (answer: A) => void; readonly reject: (error: unknown) => void; readonly method: string }>();
      const failAll = (errorFor: (method: string) => unknown): void => {
        for (const [id, call] of pending) {
          pending.delete(id);
          call.reject(errorFor(call.method));
        }
      };
      let actor: ReturnType<typeof createActor<AnyStateMachine>> | undefined;
      const started = () => {
        if (actor) return actor;
        const inspect = options.inspect ?? settings.inspect;
        const running = createActor(machine, { ...(inspect && { inspect }) });
        running.on('answered', (emitted) => {
          const { id, answer } = emitted as unknown as Answered<A>;
          const call = pending.get(id);
          pending.delete(id);
          if (!call) return;
          if ((answer as { kind?: unknown }).kind === 'failed') call.reject(toAccountError((answer as { error: ErrorInfo }).error));
          else call.resolve(answer as A);
        });
        running.subscribe({ error: (error) => failAll(() => new AuthInternalError(error)) });
        // The flow stops with its instance: its pending calls reject with AuthStoppedError.
        auth.actor.subscribe({ complete: () => (running.stop(), failAll((method) => new AuthStoppedError(method))) });
        running.start();
        return (actor = running);
      };
      return (method, event) => {
        if (stopped()) return Promise.reject(new AuthStoppedError(method));
        const running = started();
        const { status, error } = running.getSnapshot();
        if (status !== 'active') return Promise.reject(new AuthInternalError(error));
        const id = ++nextId;
        const answered = new Promise<A>((resolve, reject) => pending.set(id, { resolve, reject, method }));
        running.send({ ...event, id });
        return answered;
      };
    },
  };
}
