import { fromCallback, fromPromise } from 'xstate';
import type { PickedIntent } from '../../machines/outboxMachine.js';
import type { IntentSource, RecordedIntent, SettleInput } from '../../machines/signOutMachine.js';
import { ErrorNames } from '../../machines/types.js';
import { resolverOf, type ServicesSource } from './registry.js';
import { CognitoCallError, FieldError } from '../cognito/errors.js';
import type { CognitoService } from '../cognito/types.js';
import { liveAccessToken } from '../cognito/liveAccessToken.js';
import type { IntentTokens, SignOutOutbox } from '../storage/signOutOutbox.js';
import type { SecretVault } from '../storage/secretVault.js';
import type { TokenStore } from '../storage/tokenStore.js';
import { tokenFacts } from '../encoding/tokenFacts.js';

/**
 * The implementations of the sign-out and outbox machines' actors. The tokens of a flow are copied
 * into its outbox intent once (recordIntent); every call reads them from there when it sends, so no
 * token ever travels through the statechart.
 */
export interface SignOutServices {
  /** Sends RevokeToken and GlobalSignOut (and the refresh GlobalSignOut may need first). */
  readonly cognito: CognitoService;
  /** The session's tokens: recordIntent copies them from here, clearTokens removes them. */
  readonly store: TokenStore;
  /** The sign-out intents: each flow's tokens, and what is left queued for a later try. */
  readonly outbox: SignOutOutbox;
  /** Where retrySignOut() hands a partial result's tokens over (by reference, never through the chart). */
  readonly vault: SecretVault;
  /** The clock that decides whether an access token has expired before GlobalSignOut. Default: Date.now. */
  readonly now?: () => number;
}

const noTokens = () => new CognitoCallError(ErrorNames.tokensMissing, 'The sign-out intent has no tokens left in memory');

/**
 * The default actors of both sign-out charts: `recordIntent`, `revokeToken`, `globalSignOut`,
 * `clearTokens` and `settleIntent` for signOutMachine, `pickIntent` and `watchBackoff` for
 * outboxMachine (each chart ignores the other's). `services` is one instance's services, or a
 * registry the running instance bound its own to.
 */
export function createSignOutActors(services: ServicesSource<SignOutServices>) {
  const servicesOf = resolverOf(services);
  return {
    recordIntent: fromPromise<RecordedIntent, { source: IntentSource; global: boolean }>(async ({ input, system }) => {
      const { store, outbox, vault } = servicesOf(system);
      const tokens = await tokensFrom(input.source, store, vault);
      const intentId = await outbox.record(tokens, input.global);
      return { intentId, ...tokenFacts(tokens) };
    }),
    revokeToken: fromPromise<void, { intentId: string }>(async ({ input, signal, system }) => {
      const { cognito, outbox } = servicesOf(system);
      const tokens = outbox.tokensOf(input.intentId);
      if (!tokens) throw noTokens();
      if (tokens.refreshToken) await cognito.revokeToken(tokens.refreshToken, signal);
    }),
    globalSignOut: fromPromise<void, { intentId: string }>(async ({ input, signal, system }) => {
      const { cognito, outbox, now = Date.now } = servicesOf(system);
      const tokens = outbox.tokensOf(input.intentId);
      if (!tokens?.accessToken) throw noTokens();
      await cognito.globalSignOut(await liveAccessToken(cognito, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }, signal, now), signal);
    }),
    clearTokens: fromPromise<void>(({ system }) => servicesOf(system).store.clear()),
    settleIntent: fromPromise<{ queued: boolean }, SettleInput>(({ input, system }) => servicesOf(system).outbox.settle(input)),
    pickIntent: fromPromise<PickedIntent, { everyEntry: boolean; tried: readonly string[]; take: boolean }>(({ input, system }) =>
      servicesOf(system).outbox.pick(input.everyEntry, input.tried, input.take),
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
