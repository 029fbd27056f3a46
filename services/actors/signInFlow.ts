import type { SessionSummary } from '../../machines/types.js';
import type { AnswerInput, CallAnswer, SignInInput, SignInStepOutput } from '../../machines/authTypes.js';
import type { AuthStep, CognitoService } from '../cognito/types.js';
import type { SecretVault } from '../storage/secretVault.js';
import { SrpError, startSrp } from '../srp/index.js';
import { platformHash } from '../crypto/hashes.js';
import type { TokenStore } from '../storage/tokenStore.js';
import type { SignOutOutbox } from '../storage/signOutOutbox.js';
import type { LazyKit } from './lazyKit.js';
import type { PendingChallengeStore } from '../storage/pendingChallenge.js';
import { saveOrReport } from './saveOrReport.js';
import { accountStepOf } from '../../machines/auth/accountSteps.js';
import type { AskConfirm, Asked, ChallengeParts, NetworkBudget, PasskeySettings } from './challengeFlow.js';
import { devicesOf, type DeviceSettings } from './devices.js';

export type { NetworkBudget } from './challengeFlow.js';

// Also in this chunk: SECRET_HASH (the transport loads it from here).
export { secretHash } from '../crypto/secretHash.js';

/** The challenges' chunk (challengeFlow.ts), once a flow has made its loader: a sign-in without a challenge never loads it. */
let challenges: (() => Promise<typeof import('./challengeFlow.js')>) | undefined;
/** The up-front helpers, as the first flow was handed them (lazyKit.ts, the same object for every instance): this chunk imports no registry. */
let lazy: LazyKit | undefined;

/**
 * What a sign-in step's answer (other than signed in or refused) means to the app, in Amplify's
 * shape (src/results.ts, SignInResult): a challenge's next step, with a TOTP setup's secret taken
 * from `vault` (the challenges' chunk, loaded already by the step that met it); CONFIRM_SIGN_UP or
 * RESET_PASSWORD for the chart's `accountStep`; signed in with a new device, whether it was confirmed
 * (`deviceConfirmed`, confirmingDevice). Any other answer is a fault of ours, which
 * `otherwise` (the façade's) turns into its error.
 */
export const nextStepOf = async (answer: CallAnswer, vault: SecretVault, otherwise: (answer: CallAnswer) => never, settings?: PasskeySettings, ask?: AskConfirm, then?: (answer: CallAnswer) => unknown) => {
  // A passkey (WEB_AUTHN) is answered there by the engine, through the façade's `ask` and `then`.
  if (answer.kind === 'challenge') return (await challenges!()).challengeStep(answer.challenge, vault, then && { kit: lazy!, otherwise, settings: settings!, ask: ask!, then });
  if (answer.kind === 'signedIn') return { isSignedIn: true, nextStep: { signInStep: 'DONE' }, deviceConfirmed: answer.deviceConfirmed } as const;
  if (answer.kind === 'accountStep') return { isSignedIn: false, nextStep: { signInStep: accountStepOf(answer.error.name, lazy!.CognitoExceptions) } } as const;
  return otherwise(answer);
};

/** Passkey autofill (challengeFlow.ts), loaded with the challenges' chunk: a password sign-in never loads it. */
export const passkeyAutofill = async (...args: Parameters<typeof import('./challengeFlow.js').passkeyAutofill>) => (await import('./challengeFlow.js')).passkeyAutofill(...args);

/** Cognito's AuthSessionValidity by default: a challenge's Session lives 3 minutes. */
export const DEFAULT_CHALLENGE_VALIDITY_MS = 3 * 60_000;



/**
 * Sign-in as Cognito runs it: InitiateAuth (password or SRP, whose PASSWORD_VERIFIER step is
 * answered here), then zero or more challenges the user answers. Secrets (password, challenge
 * answers, Cognito's challenge Session) arrive and leave through the vault; the statechart only
 * ever sees ChallengeSummary and SessionSummary.
 */
export function createSignInFlow(services: {
  cognito: CognitoService;
  store: TokenStore;
  vault: SecretVault;
  userPoolId: string;
  networkTimeoutMs: number;
  /** Where a refresh token the sign-in could not store goes when no chart hears of it (the step was abandoned). */
  outbox: SignOutOutbox;
  /** What this chunk takes from the up-front load, handed in (lazyKit.ts says why). */
  kit: LazyKit;
  /** durableChallenges: resolves where a challenge waiting for its answer is stored for any instance to answer. Null or absent: memory only. */
  pendingChallenges?: (() => Promise<PendingChallengeStore>) | null;
  /** AuthSessionValidity in ms: a challenge's deadline is when its step began plus this. Default 3 minutes. */
  challengeValidityMs?: number;
  /** The library's clock (createAuth's `now`), which a challenge's deadline is read on. Default Date.now. */
  now?: () => number;
  /** createAuth's settings: where devices are remembered (its storage), and deviceName. Absent (a bare machine's actors): no device is remembered. */
  settings?: DeviceSettings;
}) {
  const { cognito, store, vault, outbox, userPoolId, networkTimeoutMs, kit, pendingChallenges = null, challengeValidityMs = DEFAULT_CHALLENGE_VALIDITY_MS, now = Date.now } = services;
  const { CognitoCallError, CognitoExceptions, ErrorNames, summarizeSession, withDeadline } = kit;
  // Web Crypto, or @noble/hashes loaded where there is none: a failed load is a NetworkError.
  const hash = platformHash(kit.onFirstUse);
  /**
   * One network budget for every round trip of a step (SRP makes two), not one deadline each: each
   * request gets what the ones before it left. Time spent computing between them (SRP's modular
   * exponentiation) is not charged to the network, so a busy CPU cannot fail a sign-in on its own.
   */
  function networkBudget(signal: AbortSignal): NetworkBudget {
    let left = networkTimeoutMs;
    return async <T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> => {
      const deadline = withDeadline(signal, Math.max(1, left));
      const started = Date.now();
      try {
        return await call(deadline.signal);
      } finally {
        left -= Date.now() - started;
        deadline.done();
      }
    };
  }
  challenges ??= kit.onFirstUse(() => import('./challengeFlow.js'), 'The challenges');
  lazy ??= kit;
  /** What a step's last answer leads to: signed in (tokens stored), or a challenge (the challenges' chunk holds it). */
  async function settle(step: AuthStep, asked: Asked, signal: AbortSignal, send: NetworkBudget): Promise<SignInStepOutput> {
    // The statechart gave up on this step (its deadline, or a stop): nothing may be stored now, tokens or a challenge.
    if (signal.aborted) throw new CognitoCallError(ErrorNames.aborted, 'The sign-in was abandoned before its result was stored');
    // A remembered device proves itself (DEVICE_SRP_AUTH), after any first factor: the engine answers, with the record of Cognito's username.
    if (step.kind === 'challenge' && step.name === 'DEVICE_SRP_AUTH') step = await devices.answer(step, step.parameters.USERNAME ?? asked.username, send);
    if (step.kind === 'challenge') return (await challenges!()).challengeOf(parts, step, asked, signal, send);
    const session: SessionSummary | null = summarizeSession(step.tokens, 'password');
    if (!session) throw new CognitoCallError(ErrorNames.unexpectedResponse, 'Cognito returned an access token that is not a Cognito JWT');
    await saveOrReport(step.tokens, store.save(step.tokens), { vault, outbox, signal, kit });
    // Signed in: a stored challenge of this sign-in is over. Its removal failing leaves a record that a session stored beside it outranks (loadSession).
    await pendingChallenges?.().then((stored) => stored.clear()).catch(() => undefined);
    // A new device (NewDeviceMetadata): the chart confirms it (confirmingDevice).
    const device = devices.pending(step, session.username);
    return { kind: 'signedIn', session, ...(device && { device }) };
  }

  /** SRP's own faults (a degenerate SRP_B, bad hex or base64) are reported under the registry's name. */
  async function srpStep<T>(step: () => T | Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      throw error instanceof SrpError ? new CognitoCallError(ErrorNames.srp, error.message) : error;
    }
  }

  const devices = devicesOf(services, hash, srpStep);

  /**
   * SRP: `first` sends SRP_A (InitiateAuth USER_SRP_AUTH; for USER_AUTH, its own request), and the
   * PASSWORD_VERIFIER that follows is answered here. `device`: a remembered device's DEVICE_KEY, sent with both.
   */
  async function signInWithSrp(
    username: string,
    password: string,
    send: NetworkBudget,
    device: Record<string, string>,
    first = (srpA: string, bounded: AbortSignal) => cognito.initiateAuth('USER_SRP_AUTH', { USERNAME: username, SRP_A: srpA, ...device }, bounded),
  ): Promise<AuthStep> {
    const handshake = await srpStep(() => startSrp(hash));
    const step = await send((bounded) => first(handshake.srpA, bounded));
    if (step.kind !== 'challenge' || step.name !== 'PASSWORD_VERIFIER') return step;
    const p = step.parameters;
    const srpUser = p.USER_ID_FOR_SRP ?? username;
    const answer = await srpStep(() => handshake.answer({ userPoolId, userIdForSrp: srpUser, password, srpB: p.SRP_B ?? '', salt: p.SALT ?? '', secretBlock: p.SECRET_BLOCK ?? '' }));
    const claim = { ...device, USERNAME: p.USERNAME ?? srpUser, PASSWORD_CLAIM_SECRET_BLOCK: answer.passwordClaimSecretBlock, PASSWORD_CLAIM_SIGNATURE: answer.passwordClaimSignature, TIMESTAMP: answer.timestamp };
    return send((bounded) => cognito.respondToAuthChallenge('PASSWORD_VERIFIER', step.session, claim, bounded));
  }

  const parts: ChallengeParts = { cognito, vault, kit, pendingChallenges, challengeValidityMs, networkBudget, settle, now, srp: signInWithSrp };

  return {
    async start(input: SignInInput, signal: AbortSignal): Promise<SignInStepOutput> {
      const password = vault.take(input.credential);
      // The façade deposits it and this step takes it once: its absence is a fault of ours, and nothing is sent.
      if (password === undefined) throw new CognitoCallError(ErrorNames.internal, 'The password for this sign-in is no longer available');
      const began = now();
      const send = networkBudget(signal);
      // This user's remembered device, if any: its DEVICE_KEY goes with the sign-in, and it answers DEVICE_SRP_AUTH itself (settle).
      const remembered = await devices.remembered(input.username);
      const device: Record<string, string> = remembered ? { DEVICE_KEY: remembered.deviceKey } : {};
      // USER_AUTH (a choice-based sign-in) starts in the challenges' chunk: it mostly leads to one.
      if (input.authFlow === 'USER_AUTH') return (await challenges!()).startUserAuth(parts, input, password, device, { ...input, began }, signal, send);
      const step =
        input.authFlow === 'USER_SRP_AUTH'
          ? await signInWithSrp(input.username, password, send, device)
          : await send((bounded) => cognito.initiateAuth('USER_PASSWORD_AUTH', { USERNAME: input.username, PASSWORD: password, ...device }, bounded));
      return settle(step, { ...input, began }, signal, send);
    },

    async answer(input: AnswerInput, signal: AbortSignal): Promise<SignInStepOutput> {
      return (await challenges!()).answerChallenge(parts, input, signal);
    },

    /** confirmingDevice's work: ConfirmDevice for the sign-in's new device (PendingDevice `ref`), then its record stored. */
    confirmDevice: (input: { ref: string }, signal: AbortSignal): Promise<void> => devices.confirm(input.ref, signal, networkBudget(signal)),
  };
}
