import { fromPromise } from 'xstate';
import { resolverOf, type ServicesSource } from './registry.js';
import type { AnswerInput, SignInInput, SignInStepOutput, StoredSession } from '../../machines/authMachine.js';
import type { SessionSummary, SignInMethod } from '../../machines/types.js';
import { ErrorNames } from '../../machines/types.js';
import { refreshedElsewhere } from '../../machines/refreshTurn.js';
import type { StoreAfterClear } from '../../machines/signOutMachine.js';
import { CognitoCallError } from '../cognito/errors.js';
import { onFirstUse } from '../cognito/onFirstUse.js';
import { lazyKit } from './lazyKit.js';
import { refreshWithSessionMethod } from '../cognito/refreshMethod.js';
import type { CognitoService } from '../cognito/types.js';
import type { SignOutOutbox } from '../storage/signOutOutbox.js';
import type { SecretVault } from '../storage/secretVault.js';
import type { PendingChallengeStore } from '../storage/pendingChallenge.js';
import type { TabLink } from '../tabs/tabLink.js';
import { summarizeSession, type TokenStore } from '../storage/tokenStore.js';
import type { DeviceSettings } from './devices.js';

/** What the auth machine's own actors need (loadSession, signIn, answerChallenge, refreshTokens, clearSession). */
export interface AuthServices {
  /** Sends InitiateAuth, RespondToAuthChallenge and the refreshes. */
  readonly cognito: CognitoService;
  /** Where the session's tokens are read, saved and cleared. */
  readonly store: TokenStore;
  /** Holds the secrets the chart passes by reference only: passwords, challenge answers, Cognito's challenge Session. */
  readonly vault: SecretVault;
  /** The user pool's id, `<region>_<id>`: SRP needs it, and tokens of another pool are refused. */
  readonly userPoolId: string;
  /** createAuth's networkTimeoutMs: the network budget of one flow, in ms: every Cognito request of one sign-in step, of one refresh, of one sign-out's server calls (GlobalSignOut and RevokeToken together), or of one outbox drain ends within it, retries included. */
  readonly networkTimeoutMs: number;
  /** The sign-out outbox: a stored session whose tokens it holds is a sign-out that did not finish, never restored. */
  readonly outbox: SignOutOutbox;
  /** The app client rotates refresh tokens: refresh with GetTokensFromRefreshToken and keep the new one. */
  readonly refreshTokenRotation?: boolean;
  /** Tabs over the same storage: after its turn to refresh, a tab watches their writes of the session (readStoredRefresh). Null or absent: no other tabs. */
  readonly tabs?: TabLink | null;
  /**
   * createAuth's durableChallenges: resolves the store a challenge waiting for its answer is kept in
   * (Cognito's Session with it; loaded on first use, the same store each time), so that any
   * instance over the same storage answers it, and loadSession reads it. Null or absent: the
   * challenge lives in this instance's memory only.
   */
  readonly pendingChallenges?: (() => Promise<PendingChallengeStore>) | null;
  /** AuthSessionValidity in ms (createAuth's authSessionValidityMinutes × 60000): a challenge's deadline is when its step began plus this. Default 3 minutes. */
  readonly challengeValidityMs?: number;
  /** createAuth's settings (its storage, deviceName): where this user's remembered device is kept. Absent: no device is remembered (a new one's confirmation is a deviceError). */
  readonly settings?: DeviceSettings;
}

/**
 * The sign-in flow (SRP and its crypto, the challenges), loaded on the first sign-in: a page whose
 * user is signed in already never loads it.
 */
export const loadSignInFlow = onFirstUse(() => import('./signInFlow.js'), 'The sign-in flow');

/**
 * The implementations of the auth machine's own actors (sign-out has its own: signOutActors).
 * `services` is one instance's services, or a registry the running instance bound its own to.
 */
export function createAuthActors(services: ServicesSource<AuthServices>) {
  const servicesOf = resolverOf(services);
  /** The sign-in flow (its chunk loaded on first use) over the running instance's services. */
  const signInFlowOf = async (system: Parameters<typeof servicesOf>[0]) => (await loadSignInFlow()).createSignInFlow(signInServices(servicesOf(system)));
  return {
    /**
     * Reads the stored session without a network call, and how the outbox holds its tokens (facts:
     * the chart decides, isRestorable / isRevokedByOutbox / isQueuedByOutbox). What cannot be used
     * as one (bad JSON, half a session, a non-JWT, another client's tokens) is removed, then
     * reported as CorruptSession.
     */
    loadSession: fromPromise<StoredSession | null>(async ({ system }) => {
      const services = servicesOf(system);
      const { store, outbox } = services;
      const stored = await store.read();
      // None: the challenge another instance stored, if any (durableChallenges), its Session deposited in this vault.
      if (!stored) return (await (await services.pendingChallenges?.())?.readChallenge(services.vault)) ?? null;
      if ('summary' in stored) return { session: stored.summary, heldByOutbox: await outbox.heldAs(stored.tokens) };
      await store.clear();
      throw new CognitoCallError(ErrorNames.corruptSession, `Removed a stored session that could not be used: ${stored.corrupt}`);
    }),
    signIn: fromPromise<SignInStepOutput, SignInInput>(async ({ input, signal, system }) => (await signInFlowOf(system)).start(input, signal)),
    confirmDevice: fromPromise<void, { ref: string }>(async ({ input, signal, system }) => (await signInFlowOf(system)).confirmDevice(input, signal)),
    answerChallenge: fromPromise<SignInStepOutput, AnswerInput>(async ({ input, signal, system }) => (await signInFlowOf(system)).answer(input, signal)),
    refreshTokens: fromPromise<SessionSummary, RefreshInput>(({ input, signal, system }) => refreshOnce(servicesOf(system), input, signal)),
    readStoredRefresh: fromPromise<SessionSummary | null, { held: SessionSummary | null; watch: boolean }>(async ({ input, signal, system }) => {
      const { store, tabs } = servicesOf(system);
      const signals = input.watch && tabs ? await tabs.signals() : null;
      // Chromium can read localStorage stale right after another tab's write: the write is readable
      // once this tab's `storage` event for it has come, so each such event is a reason to read again.
      for (;;) {
        const seen = signals?.sessionWrites() ?? 0;
        const read = await store.read();
        const stored = read && 'summary' in read ? read.summary : null;
        if (!signals || signal.aborted || refreshedElsewhere(stored, input.held)) return stored;
        await signals.sessionWrittenSince(seen, signal); // the chart's tabRefreshDeadline ends the wait
      }
    }),
    /** What the store holds after a clear it did not confirm: a fact (the chart's mayStillHoldSession decides). */
    confirmClear: fromPromise<StoreAfterClear>(({ system }) => servicesOf(system).store.afterClear()),
    /** Queues a rotated refresh token a refresh could not store (its vault receipt), for the outbox's next drain. */
    queueRotatedToken: fromPromise<void, { ref: string }>(async ({ input, system }) => {
      const { vault, outbox } = servicesOf(system);
      const refreshToken = vault.take(input.ref);
      if (refreshToken) await outbox.queue({ refreshToken }); // a receipt taken already: nothing left to queue
    }),
    /** Clears the store; the outbox's revoked marks then have no session left to mark (dropped outside the clear's deadline, never failing). */
    clearSession: fromPromise<void>(async ({ system }) => {
      const { store, outbox } = servicesOf(system);
      await store.clear();
      void outbox.forgetRevoked().catch(() => undefined); // an app's own outbox (authchart/actors) may reject: never an unhandled rejection
    }),
  };
}

/** The sign-in flow's services: this instance's, and what its chunk takes from the up-front load (lazyKit.ts). */
function signInServices(services: AuthServices) {
  return { ...services, kit: lazyKit };
}

/** What a refresh knows: whose session, how it was signed in, and which access token it holds (its jti, or when it expires). */
interface RefreshInput {
  readonly username: string;
  readonly signedInWith: SignInMethod;
  readonly expiresAt: number;
  readonly tokenId?: string;
}

/** One refresh at Cognito, its tokens saved unless a sign-out began meanwhile. */
async function refreshOnce(services: AuthServices, input: RefreshInput, signal: AbortSignal): Promise<SessionSummary> {
  const { cognito, store, outbox, refreshTokenRotation } = services;
  const generation = await store.generation(); // from storage: another instance's sign-out changes it too
  const tokens = await store.load();
  if (!tokens?.refreshToken) throw new CognitoCallError(ErrorNames.refreshTokenMissing, 'The stored session has no refresh token');
  const { refreshToken } = tokens;
  const fresh = await refreshWithSessionMethod(cognito, refreshTokenRotation ?? false, { ...tokens, refreshToken }, input.username, signal);
  try {
    const summary = summarizeSession(fresh, input.signedInWith);
    if (!summary) throw new CognitoCallError(ErrorNames.unexpectedResponse, 'The refresh returned an access token that is not a Cognito JWT');
    // Left refreshing (a sign-out began): these tokens must never be written back.
    if (signal.aborted) throw new CognitoCallError(ErrorNames.aborted, 'The refresh was abandoned');
    // Refused if any sign-out cleared the store meanwhile, or began one (its intent is in the outbox).
    await store.save(fresh, { expectedGeneration: generation, stillWanted: async () => !(await outbox.holds({ refreshToken })) });
    return summary;
  } catch (error) {
    // A rotated refresh token is live on the server from now on and not stored: a fact the failure
    // carries (its vault receipt, never the token), and the chart queues it (leftRotatedTokenUnstored).
    if (fresh.refreshToken !== undefined && fresh.refreshToken !== refreshToken) {
      // Abandoned (a sign-out overtook the refresh): no chart hears this failure, so the outbox holds the token at once.
      if (signal.aborted || typeof error !== 'object' || error === null) await outbox.queue({ refreshToken: fresh.refreshToken }).catch(() => undefined);
      else Object.assign(error, { rotatedTokenRef: services.vault.deposit(fresh.refreshToken) });
    }
    throw error;
  }
}

