// The public Auth object over any CognitoService. It imports no transport, so the SDK-free entry
// (authchart/fetch) and the default one (authchart, over the AWS SDK) share every line of it.
// It decides nothing: each method validates its arguments, sends one event, and maps the
// statechart's answer (by call id) to a result or a typed error.
// First: the runtime imports xstate before any module of ours has bytes (see src/fetch/createAuth.ts).
import { startAuthRuntime, type AuthActor, type RuntimeParts } from './authRuntime.js';
import type { CallAnswer, CallEvent } from '../machines/authTypes.js';
import { ErrorNames, type DrainReport } from '../machines/types.js';
import { retryIsGlobal } from '../machines/signOutMachine.js';
import type { CognitoService } from '../services/cognito/types.js';
import type { SessionTokens } from '../services/storage/tokenStore.js';
import type { ResolvedConfig } from './config.js';
import { AuthConfigError, AuthInternalError, AuthStoppedError, AuthValidationError, StorageError, toAuthError } from './errors.js';
import { browserOpener } from './oauthConfig.js';
import { logoutUrl } from '../services/cognito/logoutUrl.js';
import { loadSignInFlow } from '../services/actors/authActors.js';
import { lazyKit } from '../services/actors/lazyKit.js';
import { listen, type AuthHubEvent, type AuthHubEventType } from './events.js';
import { COMPLETE, NO_SESSION, REDIRECTING, SIGNED_IN, toSignOutResult, type AuthSession, type HandledRedirect, type PasskeyAutofillResult, type RedirectSignInResult, type SignInResult, type SignOutResult } from './results.js';
import {
  validateConfirmSignIn,
  validateGetSession,
  validateRedirectUrl,
  validateSignIn,
  validateSignInWithRedirect,
  validateSignOut,
  type ConfirmSignInOptions,
  type GetSessionOptions,
  type SignInOptions,
  type SignInWithRedirectOptions,
  type SignOutOptions,
} from './validate.js';

export type { AuthActor } from './authRuntime.js';

/**
 * One authchart instance, as createAuth() returns it. Every method returns a promise and never
 * throws synchronously: a bad argument rejects with AuthValidationError. Every rejection is an
 * AuthError subclass; after stop() every call rejects with AuthStoppedError, and if the statechart
 * itself fails, with AuthInternalError. Bounds are in networkTimeoutMs (N) and storageTimeoutMs
 * (S), counted from when the statechart starts the call: one that arrives while another flow runs
 * waits for it first (docs/calls.md), and a call made at start-up waits up to 3 S more for the
 * stored session to load. Table: docs/sign-out.md, Bounds per method.
 */
export interface Auth {
  /**
   * Signs a user in (SRP by default), resolving signed in or with the challenge to answer next
   * (SignInResult: a code, a new password, an MFA choice or setup), or, for a user who has not
   * confirmed the sign-up or must reset the password, the step CONFIRM_SIGN_UP or RESET_PASSWORD
   * (nothing stored, no challenge waits).
   * Ends by N + 3 S (one budget N for every round trip of the step: SRP makes two).
   * Rejects with AuthStateError when the state forbids it (UserAlreadyAuthenticatedException: one
   * user at a time; SignInInProgressException; SignOutInProgressException; RevokedSessionNotCleared),
   * CognitoServiceError for Cognito's refusal as sent (NotAuthorizedException, UserNotFoundException,
   * …), CognitoUnreachableError (NetworkError, TimeoutError), UnexpectedResponseError, or StorageError
   * when the session could not be stored (nobody is then signed in). During a pending challenge it starts over.
   * With `options.authFlowType: 'USER_AUTH'` (a choice-based sign-in, InitiateAuth USER_AUTH): a
   * `preferredChallenge` of PASSWORD or PASSWORD_SRP with `password` signs in in one step; EMAIL_OTP
   * or SMS_OTP sends its code (CONFIRM_SIGN_IN_WITH_EMAIL_CODE, CONFIRM_SIGN_IN_WITH_SMS_CODE); none
   * (or one the user cannot use) resolves CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION. A password
   * factor without `password`, a `password` with any other, or an unknown factor rejects with
   * AuthValidationError, and nothing is sent; a client without ALLOW_USER_AUTH is Cognito's
   * InvalidParameterException. WEB_AUTHN (a passkey) is answered inline by the engine with the
   * authenticator (createAuth's `webAuthn`, or the browser's): the call ends once the user has
   * answered the passkey prompt, bounded by the challenge's deadline; a ceremony that did not happen
   * rejects with AuthStateError PasskeyCancelled, PasskeyRelyingPartyNotThisOrigin,
   * PasskeyNotSupported or PasskeyCeremonyFailed, nothing sent after it (docs/passkeys.md).
   */
  signIn(options: SignInOptions): Promise<SignInResult>;
  /**
   * Passkey autofill (WebAuthn's conditional mediation) for a known user: InitiateAuth USER_AUTH
   * with WEB_AUTHN for `username` (Cognito issues a passkey challenge only for a named user), then
   * the authenticator's `get` with mediation 'conditional', which waits, without a prompt, until
   * the user picks the passkey in the browser's autofill of an `<input autocomplete="username webauthn">`;
   * the assertion then signs the user in (DONE). Meanwhile the sign-in chart holds the challenge
   * (awaitingChallengeAnswer), so a password signIn(), a signOut() or another autofill cancels it:
   * the ceremony is aborted, nothing more is sent, and this resolves `{ isSignedIn: false,
   * autofill: 'cancelled' }` (never a rejection to leave unhandled). It resolves `autofill:
   * 'unavailable'` where the authenticator cannot wait so (then call signIn() from a button), and
   * `'expired'` once the challenge's deadline (authSessionValidityMinutes) passed: start it again.
   * A user without a passkey resolves the step Cognito offers instead (the choice). Rejects with
   * AuthValidationError (username), or as signIn() does for the ceremony and Cognito (docs/passkeys.md).
   */
  signInWithPasskeyAutofill(options: {
    /** The user to offer the passkeys of (a remembered username): 1 to 128 characters. */
    readonly username: string;
  }): Promise<PasskeyAutofillResult>;
  /**
   * Answers the challenge signIn() returned, in the field its step takes: `challengeResponse` (a
   * new password, or a TOTP, SMS, email or TOTP-setup code; USER_AUTH's first factor chosen, one of
   * `availableChallenges`, or the password after choosing PASSWORD or PASSWORD_SRP), `mfaType` (a choice of factor) or
   * `email` (an email MFA setup). Ends by N + 3 S (a TOTP setup's VerifySoftwareToken and its answer
   * share the budget N). Rejects with AuthValidationError naming the field for an answer of the
   * wrong kind for the step, a factor it does not offer, a second answer or an unknown field
   * (nothing is sent, the challenge stays open), AuthStateError NoPendingChallengeException without a pending challenge
   * (or SignInInProgressException during a step), SignInSessionExpired past the challenge's deadline
   * (authSessionValidityMinutes after its step began: nothing is sent, sign in again), CognitoServiceError for Cognito's refusal (a wrong
   * code is CodeMismatchException, a wrong TOTP-setup code EnableSoftwareTokenMFAException, and the challenge stays open for another try), and otherwise as signIn().
   */
  confirmSignIn(options: ConfirmSignInOptions): Promise<SignInResult>;
  /**
   * The current tokens, refreshed first when the access token expires within refreshSkewSeconds
   * (or when `forceRefresh`); `{}` when nobody is signed in. Concurrent calls share one refresh.
   * Ends by S, or N + 3 S when it refreshes. A refresh Cognito refuses for good
   * (NotAuthorizedException), or one the stored session has no refresh token for
   * (RefreshTokenMissing), ends the session: the store is cleared and it resolves `{}`. Rejects with AuthStateError RevokedSessionNotCleared (a sign-out killed the
   * tokens but could not clear the store), with the refresh's error when it could not reach a
   * final answer (CognitoUnreachableError NetworkError or TimeoutError, CognitoServiceError
   * TooManyRequestsException, …: the tokens are kept), or with StorageError.
   */
  getSession(options?: GetSessionOptions): Promise<AuthSession>;
  /**
   * Signs in through the hosted UI (managed login): records the sign-in in flight (state, PKCE
   * verifier) in `storage`, then opens the hosted UI with `oauth.opener` (in a browser: navigates,
   * and resolves `REDIRECTING`; an auth-session opener resolves signed in). No bound while the
   * opener waits on the user; once it returns, N + 3 S. Rejects with AuthConfigError when `oauth`
   * is not configured, or outside a browser without `oauth.opener`; HostedUiError
   * (RedirectSignInCancelled, OAuthStateMismatch, OAuthError); AuthStateError as signIn(); StorageError.
   */
  signInWithRedirect(options?: SignInWithRedirectOptions): Promise<RedirectSignInResult>;
  /**
   * Finishes a sign-in that returned from the hosted UI, or a sign-out that returned from /logout
   * (call it on page load); any other URL, or no `oauth` configured: `{ type: 'none' }`. `url`
   * defaults to `window.location.href`. Ends by N + 3 S. Rejects with AuthValidationError when there
   * is no URL (outside a browser), HostedUiError (RedirectSignInCancelled, OAuthStateMismatch,
   * OAuthError), CognitoUnreachableError (NetworkError, TimeoutError) or UnexpectedResponseError
   * from the code exchange, or StorageError.
   */
  handleRedirect(url?: string): Promise<HandledRedirect>;
  /**
   * Signs out: always clears this device when the storage allows it, and says what happened on the
   * server (see SignOutResult). Ends by N + 4 S (N + 7 S when the storage does not confirm the
   * clear: it is asked again); a hosted-UI session's by 1 S more until /logout is opened, then
   * waits on the opener (a browser navigates: `redirecting`). Never rejects for network or storage
   * reasons; rejects only with AuthValidationError for a bad argument, HostedUiError
   * SignOutUrlNotAllowed for a `redirectUrl` not in `oauth.redirectSignOut` (nothing sent or cleared),
   * or AuthStoppedError.
   */
  signOut(options?: SignOutOptions): Promise<SignOutResult>;
  /**
   * Runs the sign-out chart again over the tokens a partial result carries (given a `complete`
   * result, resolves `complete` at once, unless stop() was called). Ends by N + 2 S. Rejects with AuthValidationError for a `failed` or
   * `redirecting` result, a partial one with only `hostedUiError`, or anything not a SignOutResult.
   */
  retrySignOut(result: SignOutResult): Promise<SignOutResult>;
  /**
   * Finishes now every sign-out intent waiting in the outbox, within one deadline: no intent
   * starts after N, and the drain ends by N + 2 S; what is left stays queued (`pending`).
   */
  flushRevocations(): Promise<DrainReport>;
  /**
   * Subscribes `handler` to one event type (signedIn, customOAuthState, signInWithRedirect_failure,
   * signedOut, tokenRefresh, tokenRefresh_failure, storageError; see AuthHubEvent); returns the
   * unsubscribe function. A handler that throws is logged with console.error, never rethrown.
   */
  on<T extends AuthHubEventType>(type: T, handler: (event: Extract<AuthHubEvent, { type: T }>) => void): () => void;
  /** The running statechart: subscribe(), getSnapshot(), on(). Its context holds no token. */
  readonly actor: AuthActor;
  /**
   * Stops the statechart, and the SDK client createAuth built (not one passed as `client`).
   * Pending calls reject with AuthStoppedError. Calling it again does nothing. A sign-out it cut
   * short stays queued in the outbox, released (its lease ended) so that the next instance over
   * the storage finishes it at once. Resolves once that is written: one storage step, bounded by
   * S once its turn comes; a storage that fails leaves the lease to end on its own.
   */
  stop(): Promise<void>;
}

type Call = CallEvent extends infer E ? (E extends CallEvent ? Omit<E, 'id'> : never) : never;
/** The chart's answer to one call; for a `session` answer, the read of the tokens it started. */
interface Answered {
  readonly answer: CallAnswer;
  readonly tokens?: Promise<SessionTokens | null>;
}

/** Starts an instance over `cognito`; `release` frees what the caller built for it (e.g. an SDK client); `parts` are a host's (authchart/server). */
export function createAuthCore(settings: ResolvedConfig, cognito: CognitoService, release?: () => void, parts?: RuntimeParts): Auth {
  const { actor, store, vault, outbox } = startAuthRuntime(settings, cognito, parts);
  const pending = new Map<number, { method: string; resolve: (answer: Answered) => void; reject: (error: unknown) => void }>();
  let nextId = 0;
  let stopped = false;

  actor.on('answered', ({ id, answer }) => {
    const call = pending.get(id);
    pending.delete(id);
    // The tokens of a `session` answer are read now, while the chart is still where it answered:
    // the store runs its calls in order, so this read comes before any sign-out the chart takes next.
    call?.resolve({ answer, ...(answer.kind === 'session' && { tokens: store.load() }) });
  });
  actor.subscribe({ error: (error) => failAll(() => new AuthInternalError(error)) });
  function failAll(errorFor: (method: string) => unknown): void {
    for (const [id, call] of pending) {
      pending.delete(id);
      call.reject(errorFor(call.method));
    }
  }

  /** Sends one call event and resolves with the statechart's answer to it. */
  function answerTo(method: string, call: Call): Promise<Answered> {
    if (stopped) return Promise.reject(new AuthStoppedError(method));
    // A statechart that stopped on an error answers nothing more: say so now rather than wait.
    const { status, error } = actor.getSnapshot();
    if (status !== 'active') return Promise.reject(new AuthInternalError(error));
    const id = ++nextId;
    const answered = new Promise<Answered>((resolve, reject) => pending.set(id, { method, resolve, reject }));
    actor.send({ ...call, id } as CallEvent);
    return answered;
  }
  const ask = (method: string, call: Call): Promise<CallAnswer> => answerTo(method, call).then(({ answer }) => answer);
  const refused = (answer: CallAnswer): never => {
    if (answer.kind === 'refused') throw toAuthError(answer.error);
    throw toAuthError({ name: ErrorNames.internal, message: `The statechart answered '${answer.kind}'` });
  };
  // Any other answer's next step (a challenge; CONFIRM_SIGN_UP, RESET_PASSWORD) comes from the sign-in flow's chunk, loaded already by the step that led to it.
  const toSignIn = (answer: CallAnswer): SignInResult | Promise<SignInResult> => {
    // A sign-in that got a new device: its result (with deviceConfirmed) comes from the sign-in flow's chunk too.
    if (answer.kind === 'signedIn' && answer.deviceConfirmed === undefined) return SIGNED_IN;
    // A passkey challenge is answered there too, by the engine: `ask` and toSignIn send its answer and read what follows.
    return answer.kind === 'refused' ? refused(answer) : loadSignInFlow().then((flow) => flow.nextStepOf(answer, vault, refused, settings, ask, toSignIn) as Promise<SignInResult>);
  };
  // Callers that joined one flow get one outcome object, and so one result object.
  const results = new WeakMap<object, SignOutResult>();
  const toSignOut = (answer: CallAnswer): SignOutResult => {
    if (answer.kind !== 'signOut') return refused(answer);
    const { outcome } = answer;
    let result: SignOutResult | undefined = results.get(outcome);
    if (!result) {
      result = toSignOutResult(outcome, outcome.intentId === undefined ? undefined : outbox.takeTokens(outcome.intentId));
      results.set(outcome, result);
    }
    return result;
  };
  /**
   * Every method is async, so a validation error rejects the promise and never throws. After stop()
   * the call rejects with AuthStoppedError before anything else: no answer comes from the façade
   * alone (a complete result to retry, a URL when oauth is off, a bad argument). One closure per
   * method (no wrapper around each): an idle instance's heap counts them (docs/performance.md).
   */
  const live = (name: string): void => {
    if (stopped) throw new AuthStoppedError(name);
  };

  return {
    actor,
    signIn: async (options) => {
      live('signIn');
      const { password, ...asked } = validateSignIn(options);
      const credential = vault.deposit(password);
      return ask('signIn', { type: 'SIGN_IN', ...asked, credential }).then(toSignIn).finally(() => vault.discard(credential));
    },
    confirmSignIn: async (options) => {
      live('confirmSignIn');
      const { field, answer, userAttributes } = validateConfirmSignIn(options);
      const credential = vault.deposit(answer);
      return ask('confirmSignIn', { type: 'CONFIRM_SIGN_IN', credential, field, userAttributes, at: settings.now() }).then(toSignIn).finally(() => vault.discard(credential));
    },
    getSession: async (options) => {
      live('getSession');
      const { answer, tokens: read } = await answerTo('getSession', { type: 'GET_SESSION', forceRefresh: validateGetSession(options).forceRefresh, at: settings.now() });
      if (answer.kind === 'noSession') return NO_SESSION;
      if (answer.kind !== 'session') return refused(answer);
      const tokens = await (read ?? Promise.resolve(null)).catch((error: unknown) => {
        throw new StorageError(ErrorNames.storage, error instanceof Error ? error.message : 'The session could not be read');
      });
      if (!tokens) return NO_SESSION;
      return { tokens, username: answer.username, expiresAt: answer.expiresAt };
    },
    signInWithPasskeyAutofill: async (options) => {
      live('signInWithPasskeyAutofill');
      return (await loadSignInFlow()).passkeyAutofill(options, validateSignIn, { vault, actor, settings, ask, then: toSignIn, otherwise: refused, kit: lazyKit }) as Promise<PasskeyAutofillResult>;
    },
    signInWithRedirect: async (options) => {
      live('signInWithRedirect');
      const valid = validateSignInWithRedirect(options);
      if (!settings.oauth) throw new AuthConfigError('oauth', 'is needed for signInWithRedirect(): { domain, redirectSignIn, redirectSignOut }');
      if (!settings.oauth.opener && !browserOpener()) throw new AuthConfigError('oauth.opener', 'is needed outside a browser: a function (url, returnTo) => Promise<OpenerResult>');
      const answer = await ask('signInWithRedirect', { type: 'SIGN_IN_WITH_REDIRECT', ...valid });
      return answer.kind === 'redirecting' ? REDIRECTING : toSignIn(answer);
    },
    handleRedirect: async (url) => {
      live('handleRedirect');
      const href = validateRedirectUrl(url);
      if (!settings.oauth) return { type: 'none' } as HandledRedirect;
      const credential = vault.deposit(href);
      const answer = await ask('handleRedirect', { type: 'HANDLE_REDIRECT', credential }).finally(() => vault.discard(credential));
      if (answer.kind === 'noRedirect') return { type: 'none' } as HandledRedirect;
      if (answer.kind === 'signedIn') return { type: 'signedIn', ...(answer.customState !== undefined && { customState: answer.customState }) } as HandledRedirect;
      if (answer.kind === 'signOut') return { type: 'signedOut', result: toSignOutResult(answer.outcome, undefined) } as HandledRedirect;
      return refused(answer);
    },
    signOut: async (options) => {
      live('signOut');
      const { oauth } = settings;
      const { global, returnTo } = validateSignOut(options, oauth?.redirectSignOut);
      const hostedUi = oauth && returnTo !== undefined ? { logoutUrl: logoutUrl({ domain: oauth.domain, clientId: settings.clientId, logoutUri: returnTo }), returnTo } : undefined;
      const answer = await ask('signOut', { type: 'SIGN_OUT', global, ...(hostedUi && { hostedUi }) });
      if (answer.kind === 'signOutRedirecting') {
        if (answer.intentId !== undefined) outbox.takeTokens(answer.intentId); // no result carries them: let them go
        return { type: 'redirecting', signedOutLocally: true, logoutUrl: answer.logoutUrl } as SignOutResult;
      }
      return toSignOut(answer);
    },
    retrySignOut: async (result) => {
      live('retrySignOut');
      const partial = validateRetry(result);
      if (!partial) return COMPLETE;
      const { globalSignOutError, revokeTokenError } = partial;
      const refreshToken = revokeTokenError?.refreshToken || globalSignOutError?.refreshToken || undefined;
      const tokens = { ...(globalSignOutError?.accessToken && { accessToken: globalSignOutError.accessToken }), ...(refreshToken && { refreshToken }) };
      const credential = vault.deposit(JSON.stringify(tokens));
      // What the sign-out asked for, as the result recorded it: the chart's retryIsGlobal reads it.
      return ask('retrySignOut', { type: 'RETRY_SIGN_OUT', credential, global: retryIsGlobal(partial) })
        .then(toSignOut)
        .finally(() => vault.discard(credential));
    },
    flushRevocations: async () => {
      live('flushRevocations');
      const answer = await ask('flushRevocations', { type: 'FLUSH_REVOCATIONS' });
      return answer.kind === 'flush' ? answer.report : refused(answer);
    },
    on: (type, handler) => listen(actor, type, handler),
    async stop() {
      if (stopped) return;
      stopped = true;
      actor.stop();
      vault.clear();
      failAll((name) => new AuthStoppedError(name));
      // Its sign-outs will never settle their outbox entries: the next instance finishes them at once.
      await outbox.release();
      release?.();
    },
  };
}

/** A partial result to retry, or null for a complete one (nothing to do). */
function validateRetry(result: unknown): Extract<SignOutResult, { type: 'partial' }> | null {
  const type = typeof result === 'object' && result !== null ? (result as { type?: unknown }).type : undefined;
  if (type === 'complete') return null;
  if (type === 'redirecting') throw new AuthValidationError('result', "is 'redirecting': handleRedirect() on the return from /logout has the result");
  if (type === 'partial') {
    const { globalSignOutError, revokeTokenError } = result as Extract<SignOutResult, { type: 'partial' }>;
    if (!globalSignOutError && !revokeTokenError) throw new AuthValidationError('result', 'has only a hostedUiError: open result.hostedUiError.logoutUrl instead');
  }
  if (type === 'failed') throw new AuthValidationError('result', "is 'failed': the session is still stored, so call signOut() again");
  if (type !== 'partial') throw new AuthValidationError('result', 'must be a SignOutResult returned by signOut()');
  return result as Extract<SignOutResult, { type: 'partial' }>;
}
