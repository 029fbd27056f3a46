import type { FetchLike } from '../cognito/fetchTransport.js';
import { fromCallback, fromPromise } from 'xstate';
import type { PickedIntent } from '../../machines/outboxMachine.js';
import type { AnnounceScope, IntentSource, RecordedIntent, SettleInput, StoreAfterClear } from '../../machines/signOutMachine.js';
import { ErrorNames } from '../../machines/types.js';
import { resolverOf, type ServicesSource } from './registry.js';
import { CognitoCallError, FieldError } from '../cognito/errors.js';
import type { CognitoService } from '../cognito/types.js';
import { refreshWithSessionMethod } from '../cognito/refreshMethod.js';
import { readJwtClaims } from '../encoding/jwt.js';
import type { IntentTokens, SignOutOutbox } from '../storage/signOutOutbox.js';
import type { SecretVault } from '../storage/secretVault.js';
import type { TokenStore } from '../storage/tokenStore.js';
import { tokenFacts } from '../encoding/tokenFacts.js';
import { onFirstUse } from '../cognito/onFirstUse.js';
import { lazyKit } from './lazyKit.js';

/**
 * The implementations of the sign-out and outbox machines' actors. The tokens of a flow are copied
 * into its outbox intent once (recordIntent); every call reads them from there when it sends, so no
 * token ever travels through the statechart.
 */
export interface SignOutServices {
  /** Sends RevokeToken and GlobalSignOut, and the refresh the chart may send before GlobalSignOut. */
  readonly cognito: CognitoService;
  /** The app client rotates refresh tokens: the refresh before GlobalSignOut is GetTokensFromRefreshToken, as the session's is. Default false. */
  readonly refreshTokenRotation?: boolean;
  /** The session's tokens: recordIntent copies them from here, clearTokens removes them. */
  readonly store: TokenStore;
  /** The sign-out intents: each flow's tokens, and what is left queued for a later try. */
  readonly outbox: SignOutOutbox;
  /** Where retrySignOut() hands a partial result's tokens over (by reference, never through the chart). */
  readonly vault: SecretVault;
  /** createAuth's revocationEndpoint: the app's API the sign-out tells what ended. Absent: nothing is announced. */
  readonly revocationEndpoint?: string;
  /** authchart/fetch's `fetch`: the announcement goes through it too (an app that goes offline goes offline everywhere). Default: globalThis.fetch, looked up at each call. */
  readonly fetch?: FetchLike;
  /** createAuth's networkTimeoutMs: the network budget of one flow, in ms: every Cognito request of one sign-in step, of one refresh, of one sign-out's server calls (GlobalSignOut and RevokeToken together), or of one outbox drain ends within it, retries included. Here: the bound of the announcement's request (default 3000). */
  readonly networkTimeoutMs?: number;
  /** The clock the access token's remaining life is read with (a fact; the chart decides whether it has expired). Default: Date.now. */
  readonly now?: () => number;
}

const noTokens = () => new CognitoCallError(ErrorNames.tokensMissing, 'The sign-out intent has no tokens left in memory');
/** The announcement's request, a chunk of its own: a page that never announces never fetches it; offline, the load fails as the request would. */
const loadAnnouncer = onFirstUse(() => import('../api/announceSignOut.js'), 'The announcement');

/**
 * The default actors of both sign-out charts: `recordIntent`, `refreshAccessToken`, `revokeToken`,
 * `globalSignOut`, `announceSignOut`, `clearTokens`, `confirmClear` and `settleIntent` for signOutMachine, `pickIntent` and `watchBackoff` for
 * outboxMachine (each chart ignores the other's). `services` is one instance's services, or a
 * registry the running instance bound its own to.
 */
export function createSignOutActors(services: ServicesSource<SignOutServices>) {
  const servicesOf = resolverOf(services);
  return {
    recordIntent: fromPromise<RecordedIntent, { source: IntentSource; global: boolean }>(async ({ input, system }) => {
      const { store, outbox, vault, now = Date.now, revocationEndpoint } = servicesOf(system);
      const tokens = await tokensFrom(input.source, store, vault);
      const announces = revocationEndpoint !== undefined;
      const intentId = await outbox.record(tokens, input.global, announces);
      // The facts of what the intent holds (an intent renewed already keeps its newer tokens); a local
      // one holds no access token, so the given one still says what the client allows.
      return { intentId, ...tokenFacts({ ...tokens, ...outbox.tokensOf(intentId) }, now()), announces };
    }),
    /**
     * The refresh before GlobalSignOut, with the session's method. The new tokens are secrets the
     * chart never sees: they replace the intent's in the outbox (renew), where GlobalSignOut,
     * RevokeToken and a later retry read them. A rotated refresh token is renewed in even when the
     * chart has moved on, so it is revoked or queued, never left live and unknown.
     */
    refreshAccessToken: fromPromise<void, { intentId: string }>(async ({ input, signal, system }) => {
      const { cognito, outbox, refreshTokenRotation = false } = servicesOf(system);
      const tokens = outbox.tokensOf(input.intentId);
      if (!tokens?.refreshToken) throw new CognitoCallError(ErrorNames.refreshTokenMissing, 'No refresh token');
      const username = readJwtClaims(tokens.accessToken ?? '')?.username;
      const fresh = await refreshWithSessionMethod(cognito, refreshTokenRotation, { ...tokens, refreshToken: tokens.refreshToken }, typeof username === 'string' ? username : '', signal);
      await outbox.renew(input.intentId, { accessToken: fresh.accessToken, ...(fresh.refreshToken && { refreshToken: fresh.refreshToken }) });
    }),
    revokeToken: fromPromise<void, { intentId: string }>(async ({ input, signal, system }) => {
      const { cognito, outbox } = servicesOf(system);
      const tokens = outbox.tokensOf(input.intentId);
      if (!tokens) throw noTokens();
      if (tokens.refreshToken) await cognito.revokeToken(tokens.refreshToken, signal);
    }),
    globalSignOut: fromPromise<void, { intentId: string }>(async ({ input, signal, system }) => {
      const { cognito, outbox } = servicesOf(system);
      const tokens = outbox.tokensOf(input.intentId);
      if (!tokens?.accessToken) throw noTokens();
      await cognito.globalSignOut(tokens.accessToken, signal);
    }),
    /** Tells the app's API what ended, with the intent's access token; resolves the status, whatever it is. */
    announceSignOut: fromPromise<{ status: number }, { intentId: string; scope: AnnounceScope }>(async ({ input, signal, system }) =>
      (await loadAnnouncer()).announceSignOut(lazyKit, servicesOf(system), input, signal),
    ),
    clearTokens: fromPromise<void>(({ system }) => servicesOf(system).store.clear()),
    confirmClear: fromPromise<StoreAfterClear>(({ system }) => servicesOf(system).store.afterClear()),
    settleIntent: fromPromise<{ queued: boolean }, SettleInput>(({ input, system }) => servicesOf(system).outbox.settle(input)),
    pickIntent: fromPromise<PickedIntent, { everyEntry: boolean; tried: readonly string[]; take: boolean; globalOnly?: boolean }>(({ input, system }) =>
      servicesOf(system).outbox.pick(input.everyEntry, input.tried, input.take, input.globalOnly),
    ),
    /** Sends INTENTS_DUE when the earliest entry's backoff has passed. Its timer never keeps a process alive. */
    watchBackoff: fromCallback(({ sendBack, system }) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let stopped = false;
      servicesOf(system)
        .outbox.nextAttemptIn()
        .then((wait) => {
          if (wait === null || stopped) return;
          timer = setTimeout(() => sendBack({ type: 'INTENTS_DUE' }), wait);
          (timer as { unref?: () => void }).unref?.();
        }, () => {});
      return () => {
        stopped = true;
        clearTimeout(timer);
      };
    }),
  };
}

/** The stored session's tokens, or a partial result's (handed over through the vault as JSON). */
async function tokensFrom(source: IntentSource, store: TokenStore, vault: SecretVault): Promise<IntentTokens> {
  if (source.kind === 'session') {
    const tokens = await store.load();
    if (!tokens) throw new CognitoCallError(ErrorNames.corruptSession, 'There is no usable session in the store to sign out with');
    return { accessToken: tokens.accessToken, ...(tokens.refreshToken && { refreshToken: tokens.refreshToken }) };
  }
  if (source.kind === 'retry') {
    const json = vault.take(source.credential);
    if (!json) throw new CognitoCallError(ErrorNames.tokensMissing, 'The tokens of the result to retry are gone');
    return parseIntentTokens(json);
  }
  throw new CognitoCallError(ErrorNames.internal, 'A queued intent needs no recording');
}

/** The tokens a retry handed over as JSON. Never echoes the text: JSON.parse's message quotes its input. */
function parseIntentTokens(json: string): IntentTokens {
  const unreadable = () => new FieldError(ErrorNames.validation, 'result', 'The result to retry has tokens that are not strings');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw unreadable();
  }
  const { accessToken, refreshToken } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if ((accessToken !== undefined && typeof accessToken !== 'string') || (refreshToken !== undefined && typeof refreshToken !== 'string')) throw unreadable();
  return { ...(accessToken !== undefined && { accessToken }), ...(refreshToken !== undefined && { refreshToken }) };
}
