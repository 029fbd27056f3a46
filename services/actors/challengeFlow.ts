// The challenges' part of the sign-in flow, a chunk of its own: signInFlow.ts loads it when Cognito
// first asks for a challenge, so a password sign-in without one never downloads it. It turns
// Cognito's challenge into the summary the chart holds (MFA_SETUP with TOTP alone associates the
// new secret at once), sends an answer (RespondToAuthChallenge; a TOTP setup's VerifySoftwareToken
// first), and words a challenge's next step for the app. USER_AUTH (a choice-based sign-in) starts
// here too: its first InitiateAuth, and the first factor chosen at SELECT_CHALLENGE. What a challenge takes and is, at its
// stage, is decided in machines/auth/challenges.ts; here are the round trips. Secrets (answers,
// Sessions, the TOTP secret) pass through the vault only.
import type { AuthStep } from '../cognito/types.js';
import type { SecretVault } from '../storage/secretVault.js';
import type { PendingChallengeStore } from '../storage/pendingChallenge.js';
import type { LazyKit } from './lazyKit.js';
import type { AnswerInput, ChallengeSummary, SignInInput, SignInStepOutput } from '../../machines/authTypes.js';
import { CHALLENGES } from '../../machines/auth/signInTypes.js';
import { answerFieldOf, firstFactorsOf, isAnswerable, isPasswordFactor, MFA_TYPES, mfaTypesOf, misfitOf, setupOf, signInStepOf } from '../../machines/auth/challenges.js';
import type { AuthFlow, CognitoService } from '../cognito/types.js';
import type { CallAnswer, CallEvent } from '../../machines/authTypes.js';
import { ceremonyErrorOf, isCeremonyErrorName } from '../../machines/webauthn.js';
import type { WebAuthnClient, WebAuthnJson } from '../webauthn/types.js';
// The browser's authenticator rides in this chunk (loaded at the first challenge): one file fewer than an import() of its own.
import { browserWebAuthn } from '../webauthn/browser.js';

/** A step's network budget: each call gets what the ones before it left (signInFlow.ts, networkBudget). */
export type NetworkBudget = <T>(call: (signal: AbortSignal) => Promise<T>) => Promise<T>;

/** What the sign-in flow hands this chunk: its services, its network budget, and its settle for the step an answer leads to. */
export interface ChallengeParts {
  readonly cognito: CognitoService;
  readonly vault: SecretVault;
  readonly kit: LazyKit;
  readonly pendingChallenges: (() => Promise<PendingChallengeStore>) | null;
  readonly challengeValidityMs: number;
  /** The library's clock: a challenge's deadline is read on it. */
  readonly now: () => number;
  readonly networkBudget: (signal: AbortSignal) => NetworkBudget;
  readonly settle: (step: AuthStep, asked: Asked, signal: AbortSignal, send: NetworkBudget) => Promise<SignInStepOutput>;
  /** An SRP sign-in whose SRP_A goes with `first` (InitiateAuth USER_AUTH, or SELECT_CHALLENGE's answer); the PASSWORD_VERIFIER that follows is answered there (signInFlow.ts). */
  readonly srp: (username: string, password: string, send: NetworkBudget, device: Record<string, string>, first: (srpA: string, signal: AbortSignal) => Promise<AuthStep>) => Promise<AuthStep>;
}

/** Who signed in, how, and when the step began (a challenge's Session lives AuthSessionValidity from then). */
export interface Asked {
  readonly username: string;
  readonly authFlow?: AuthFlow | undefined;
  readonly began: number;
}

type ChallengeStep = Extract<AuthStep, { kind: 'challenge' }>;
type Summary = Omit<ChallengeSummary, 'sessionRef' | 'secretRef' | 'deadline'> & { readonly deadline: number };

/** The challenge Cognito asked for, held by the chart: stored first (durableChallenges), its Session (and a TOTP secret) in the vault. */
export async function challengeOf(parts: ChallengeParts, step: ChallengeStep, asked: Asked, signal: AbortSignal, send: NetworkBudget): Promise<SignInStepOutput> {
  const { ErrorNames, CognitoCallError } = parts.kit;
  const { name, parameters: p } = step;
  const mfaTypes = mfaTypesOf(p.MFAS_CAN_CHOOSE ?? p.MFAS_CAN_SETUP, name === 'MFA_SETUP');
  const availableChallenges = firstFactorsOf(step.available);
  if (!isAnswerable(name, name === 'SELECT_CHALLENGE' ? availableChallenges : mfaTypes)) throw new CognitoCallError(ErrorNames.unsupportedChallenge, `Cognito asked for the ${name} challenge, which authchart cannot answer yet`);
  const summary: Summary = {
    name,
    username: p.USERNAME ?? p.USER_ID_FOR_SRP ?? asked.username,
    deadline: asked.began + parts.challengeValidityMs,
    authFlow: asked.authFlow,
    ...(p.CODE_DELIVERY_DESTINATION && { codeDeliveryDestination: p.CODE_DELIVERY_DESTINATION }),
    ...(p.requiredAttributes && { missingAttributes: requiredAttributes(p.requiredAttributes) }),
    ...(CHALLENGES[name].answer === 'mfaType' && { mfaTypes }),
    ...(name === 'SELECT_CHALLENGE' && { availableChallenges }),
  };
  // WEB_AUTHN: its request options (their challenge) wait in the vault for the authenticator, as a TOTP setup's secret does.
  if (name === 'WEB_AUTHN') return offer(parts, summary, step.session ?? '', p.CREDENTIAL_REQUEST_OPTIONS ?? '{}');
  const setup = setupOf(name, mfaTypes);
  // MFA_SETUP with TOTP alone: there is nothing to choose, so the secret is associated at once.
  return setup ? setUp(parts, { ...summary, setup }, step.session ?? '', asked.began, signal, send) : offer(parts, summary, step.session ?? '');
}

/** What a passkey answer reads of createAuth's settings: its authenticator, and its clock. */
export interface PasskeySettings {
  readonly webAuthn?: WebAuthnClient | undefined;
  now(): number;
}

/** The façade's own call (authCore.ts's ask): a confirmSignIn() the engine makes with the authenticator's assertion, or the autofill's signIn(). */
export type AskConfirm = (method: string, call: WithoutId<Extract<CallEvent, { type: 'CONFIRM_SIGN_IN' | 'SIGN_IN' }>>) => Promise<CallAnswer>;
/** A call event as the façade sends it (its id is the façade's). */
type WithoutId<E> = E extends CallEvent ? Omit<E, 'id'> : never;

/** The auth chart's actor, as the autofill watches it: which challenge it holds. */
export interface WatchedChart {
  subscribe(observer: (snapshot: { readonly context: { readonly challenge: { readonly sessionRef: string } | null } }) => void): { unsubscribe(): void };
}

/** What the autofill takes from the façade (authCore.ts). */
export interface AutofillParts extends Omit<PasskeyParts, 'watch'> {
  readonly actor: WatchedChart;
}

/**
 * Passkey autofill (authCore.ts's signInWithPasskeyAutofill), loaded by the façade with import():
 * a USER_AUTH sign-in preferring WEB_AUTHN for `username`, sent through the façade's own `ask`,
 * whose challenge the engine answers with a conditional ceremony that waits only while the chart
 * holds that challenge (answerWithPasskey, `watch`). Any other answer (a user without a passkey:
 * the choice) is read as signIn()'s.
 */
export async function passkeyAutofill(options: unknown, check: (input: unknown) => { readonly username: string }, parts: AutofillParts): Promise<unknown> {
  // signIn()'s own check, with the autofill's factor: a username is due, and a password refused.
  const { username } = check({ ...(options as object), options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' } });
  const { vault } = parts;
  const credential = vault.deposit('');
  const answer = await parts.ask('signInWithPasskeyAutofill', { type: 'SIGN_IN', username, authFlow: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN', credential }).finally(() => vault.discard(credential));
  if (answer.kind !== 'challenge' || answer.challenge.name !== 'WEB_AUTHN') return parts.then(answer);
  return answerWithPasskey(answer.challenge, { ...parts, watch: parts.actor });
}

/** What answering a passkey challenge takes: the instance's vault, settings and façade. */
export interface PasskeyParts {
  readonly vault: SecretVault;
  readonly kit: LazyKit;
  /** createAuth's `webAuthn` (absent: the browser's) and `now`. */
  readonly settings: PasskeySettings;
  /** The façade's refusal (authCore.ts): throws the app's error for a refused answer. */
  readonly otherwise: (answer: CallAnswer) => never;
  /** The façade's call: sends the assertion (a vault receipt) as the challenge's answer. */
  readonly ask: AskConfirm;
  /** The façade's reading of what follows (toSignIn): signed in, another challenge (a second WEB_AUTHN comes back here), or a refusal. */
  readonly then: (answer: CallAnswer) => unknown;
  /** Passkey autofill: the ceremony is conditional, and waits only while this chart holds the challenge. */
  readonly watch?: WatchedChart;
}

/**
 * WEB_AUTHN (a passkey), answered by the engine as Amplify does, not by the user: the
 * authenticator's `get` with the challenge's CREDENTIAL_REQUEST_OPTIONS (until the challenge's
 * deadline), then its assertion as CREDENTIAL. What follows is settled as any answer is: a second
 * WEB_AUTHN in a row comes back here and is answered the same way (Amplify throws there). A
 * ceremony that did not happen sends nothing: its fact is the typed error machines/webauthn.ts
 * decides (PasskeyCancelled, …), and the challenge stays with the chart until a new signIn() starts
 * over. The options and the assertion pass through the vault only.
 */
export async function answerWithPasskey(challenge: ChallengeSummary, parts: PasskeyParts): Promise<unknown> {
  const { vault, kit, watch } = parts;
  const options = challenge.secretRef === undefined ? undefined : vault.take(challenge.secretRef);
  // One signal for the ceremony: the challenge's deadline, or (autofill) the chart holding another challenge, or none (a signIn(), a signOut(), another autofill). No AbortSignal.any or .timeout: React Native lacks them.
  const ceremony = new AbortController();
  let expired = false;
  let takenOver = false;
  const left = challenge.deadline === undefined ? undefined : Math.max(1, challenge.deadline - parts.settings.now());
  const timer = left === undefined ? undefined : setTimeout(() => ((expired = true), ceremony.abort()), Math.min(left, 2 ** 31 - 1));
  const watching = watch?.subscribe((snapshot) => snapshot.context.challenge?.sessionRef !== challenge.sessionRef && ((takenOver = true), ceremony.abort()));
  let credential: WebAuthnJson;
  try {
    if (options === undefined) throw new kit.CognitoCallError(kit.ErrorNames.internal, 'The passkey request options are no longer available');
    const client = parts.settings.webAuthn ?? browserWebAuthn;
    if (typeof client.get !== 'function') throw new kit.FieldError(kit.ErrorNames.config, 'webAuthn', 'must be a WebAuthn client: an object with get() and create()');
    if (watch && (await client.conditionalMediation?.()) !== true) return { isSignedIn: false, autofill: 'unavailable' };
    credential = await client.get(JSON.parse(options) as WebAuthnJson, { signal: ceremony.signal, ...(watch && { mediation: 'conditional' as const }) });
  } catch (error) {
    if (watch && takenOver) return { isSignedIn: false, autofill: 'cancelled' };
    if (watch && expired) return { isSignedIn: false, autofill: 'expired' };
    return refuse(parts, ceremonyErrorOf(error) ?? { name: error instanceof Error ? error.name : kit.ErrorNames.unnamed, message: error instanceof Error ? error.message : 'The authenticator failed' });
  } finally {
    watching?.unsubscribe();
    clearTimeout(timer);
  }
  // Picked after the chart moved on: nothing is sent.
  if (takenOver) return { isSignedIn: false, autofill: 'cancelled' };
  const ref = vault.deposit(JSON.stringify(credential));
  return parts.ask('confirmSignIn', { type: 'CONFIRM_SIGN_IN', credential: ref, userAttributes: {}, at: parts.settings.now() }).then(parts.then).finally(() => vault.discard(ref));
}

/**
 * The app's error for a ceremony that did not happen, through the façade's own refusal. Its class
 * is the registry's for the passkey names (AuthStateError: nothing was sent): made as the façade
 * makes the sign-in chart's own state refusals, then named, so that createAuth's up-front class
 * table need not list names only this chunk meets. Any other name keeps its registry class.
 */
function refuse(parts: PasskeyParts, error: { readonly name: string; readonly message: string }): never {
  const { ErrorNames } = parts.kit;
  if (!isCeremonyErrorName(error.name)) return parts.otherwise({ kind: 'refused', error });
  try {
    return parts.otherwise({ kind: 'refused', error: { name: ErrorNames.noPendingChallenge, message: error.message } });
  } catch (made) {
    Object.defineProperty(made, 'name', { value: error.name, writable: true, configurable: true, enumerable: false });
    throw made;
  }
}

/**
 * USER_AUTH's start: InitiateAuth USER_AUTH with USERNAME and PREFERRED_CHALLENGE when one is
 * asked. PASSWORD goes with the password, PASSWORD_SRP with SRP_A (its PASSWORD_VERIFIER answered
 * by the engine): one step, as a password sign-in. Any other leads to its challenge, or to
 * SELECT_CHALLENGE when Cognito offers a choice instead. `password` is '' without one (the façade
 * allows it only with PASSWORD or PASSWORD_SRP).
 */
export async function startUserAuth(parts: ChallengeParts, input: SignInInput, password: string, device: Record<string, string>, asked: Asked, signal: AbortSignal, send: NetworkBudget): Promise<SignInStepOutput> {
  const { username, preferredChallenge } = input;
  const initiate = (more: Record<string, string>, bounded: AbortSignal) =>
    parts.cognito.initiateAuth('USER_AUTH', { USERNAME: username, ...(preferredChallenge && { PREFERRED_CHALLENGE: preferredChallenge }), ...device, ...more }, bounded);
  const step =
    preferredChallenge === 'PASSWORD_SRP'
      ? await parts.srp(username, password, send, device, (srpA, bounded) => initiate({ SRP_A: srpA }, bounded))
      : await send((bounded) => initiate(preferredChallenge === 'PASSWORD' ? { PASSWORD: password } : {}, bounded));
  return parts.settle(step, asked, signal, send);
}

/** Stored before anyone hears of it (durableChallenges: any instance over this storage can answer it from now on), then held by reference. */
async function offer(parts: ChallengeParts, summary: Summary, session: string, secret?: string): Promise<SignInStepOutput> {
  await (await parts.pendingChallenges?.())?.write({ ...summary, session });
  return { kind: 'challenge', challenge: { ...summary, sessionRef: parts.vault.deposit(session), ...(secret && { secretRef: parts.vault.deposit(secret) }) } };
}

/**
 * MFA_SETUP at the factor chosen: EMAIL asks for an address (nothing sent yet); TOTP associates a
 * new secret with the challenge's Session (AssociateSoftwareToken), whose answer is a new Session
 * with AuthSessionValidity from `began`.
 */
async function setUp(parts: ChallengeParts, summary: Summary & { setup: 'TOTP' | 'EMAIL' }, session: string, began: number, signal: AbortSignal, send: NetworkBudget): Promise<SignInStepOutput> {
  if (summary.setup === 'EMAIL') return offer(parts, summary, session);
  const answer = await mfaSetupCall(parts, 'AssociateSoftwareToken', { Session: session }, [session], send);
  const { SecretCode, Session } = answer;
  if (typeof SecretCode !== 'string' || typeof Session !== 'string') throw new parts.kit.CognitoCallError(parts.kit.ErrorNames.unexpectedResponse, 'AssociateSoftwareToken answered without a SecretCode and a Session');
  if (signal.aborted) throw new parts.kit.CognitoCallError(parts.kit.ErrorNames.aborted, 'The sign-in was abandoned before its result was stored');
  return offer(parts, { ...summary, deadline: began + parts.challengeValidityMs }, Session, SecretCode);
}

/** AssociateSoftwareToken or VerifySoftwareToken with a sign-in's Session, over the transport's own call. */
function mfaSetupCall(parts: ChallengeParts, operation: 'AssociateSoftwareToken' | 'VerifySoftwareToken', payload: Record<string, string>, secrets: string[], send: NetworkBudget) {
  const { mfaSetup } = parts.cognito;
  if (!mfaSetup) throw new parts.kit.CognitoCallError(parts.kit.ErrorNames.unsupportedChallenge, 'This Cognito transport cannot set up TOTP during a sign-in');
  return send((bounded) => mfaSetup(operation, payload, secrets, bounded));
}

/**
 * Answers the open challenge. An answer of the wrong kind for its stage (misfitOf) is refused as
 * AuthValidationError naming the field, before anything is sent: the challenge stays open.
 */
export async function answerChallenge(parts: ChallengeParts, input: AnswerInput, signal: AbortSignal): Promise<SignInStepOutput> {
  const { vault, kit, cognito } = parts;
  const { challenge } = input;
  const answer = vault.take(input.credential);
  if (answer === undefined) throw new kit.CognitoCallError(kit.ErrorNames.internal, 'The challenge answer is no longer available');
  const misfit = misfitOf(challenge, input.field ?? 'challengeResponse', answer);
  if (misfit) throw new kit.FieldError(kit.ErrorNames.validation, misfit[0], misfit[1]);
  const session = vault.take(challenge.sessionRef);
  if (session === undefined) throw new kit.CognitoCallError(kit.ErrorNames.internal, 'The challenge answer is no longer available');
  const { name, username, setup } = challenge;
  const began = parts.now();
  const asked = { ...challenge, began };
  const send = parts.networkBudget(signal);
  const respond = async (responses: Record<string, string>, given = session) =>
    parts.settle(await send((bounded) => cognito.respondToAuthChallenge(name, given || undefined, { USERNAME: username, ...responses }, bounded)), asked, signal, send);
  // A stage that sends nothing yet keeps the challenge's deadline.
  const staying = { ...without(challenge), deadline: challenge.deadline ?? began + parts.challengeValidityMs };
  const { firstFactor } = challenge;
  try {
    // MFA_SETUP's choice: the factor is set up next (TOTP: its secret associated now); nothing is answered to Cognito yet.
    if (name === 'MFA_SETUP' && !setup) return await setUp(parts, { ...staying, setup: answer as 'TOTP' | 'EMAIL' }, session, began, signal, send);
    if (setup === 'TOTP') {
      const verified = await mfaSetupCall(parts, 'VerifySoftwareToken', { Session: session, UserCode: answer }, [session, answer], send);
      return await respond({}, typeof verified.Session === 'string' ? verified.Session : '');
    }
    // SELECT_CHALLENGE's choice of PASSWORD or PASSWORD_SRP: the password is asked first (CONFIRM_SIGN_IN_WITH_PASSWORD); nothing is sent yet.
    if (name === 'SELECT_CHALLENGE' && !firstFactor && isPasswordFactor(answer)) return await offer(parts, { ...staying, firstFactor: answer }, session);
    // The password: SELECT_CHALLENGE is answered with the factor and the password (PASSWORD), or its SRP_A (PASSWORD_SRP, whose PASSWORD_VERIFIER the engine answers).
    if (firstFactor === 'PASSWORD') return await respond({ ANSWER: firstFactor, PASSWORD: answer });
    if (firstFactor) {
      const first = (srpA: string, bounded: AbortSignal) => cognito.respondToAuthChallenge(name, session, { USERNAME: username, ANSWER: firstFactor, SRP_A: srpA }, bounded);
      return await parts.settle(await parts.srp(username, answer, send, {}, first), asked, signal, send);
    }
    const value = answerFieldOf(challenge) === 'mfaType' ? MFA_TYPES[answer as keyof typeof MFA_TYPES] : answer;
    return await respond({ [CHALLENGES[name].wire]: value, ...(name === 'NEW_PASSWORD_REQUIRED' && prefixed(input.userAttributes)) });
  } catch (error) {
    // A wrong code leaves the challenge open (the chart decides, isWrongAnswer): keep Cognito's session for the next attempt.
    vault.restore(challenge.sessionRef, session);
    throw error;
  }
}

/** The summary without its vault references. */
function without({ sessionRef: _session, secretRef: _secret, ...summary }: ChallengeSummary): Omit<ChallengeSummary, 'sessionRef' | 'secretRef'> {
  return summary;
}

/**
 * The next step a challenge means to an app, in Amplify's shape (src/results.ts, SignInResult): what
 * signIn() and confirmSignIn() resolve. A TOTP setup's shared secret is taken from the vault here,
 * once, into the result: it is never in the chart.
 */
export function challengeStep(challenge: ChallengeSummary, vault: SecretVault, passkey?: Omit<PasskeyParts, 'vault'>) {
  // A passkey: not the user's step; the engine answers it with the authenticator's assertion.
  if (challenge.name === 'WEB_AUTHN' && passkey) return answerWithPasskey(challenge, { ...passkey, vault });
  const { name, missingAttributes, codeDeliveryDestination: destination, mfaTypes, secretRef, availableChallenges, firstFactor } = challenge;
  const sharedSecret = secretRef === undefined ? undefined : vault.take(secretRef);
  const deliveryMedium = name === 'SMS_MFA' || name === 'SMS_OTP' ? 'SMS' : name === 'EMAIL_OTP' ? 'EMAIL' : undefined;
  return {
    isSignedIn: false,
    nextStep: {
      signInStep: signInStepOf(challenge),
      ...(missingAttributes?.length && { missingAttributes }),
      ...(deliveryMedium && { codeDeliveryDetails: { deliveryMedium, ...(destination && { destination }) } }),
      ...(mfaTypes && !challenge.setup && { allowedMFATypes: mfaTypes }),
      ...(availableChallenges && !firstFactor && { availableChallenges }),
      ...(sharedSecret && {
        totpSetupDetails: {
          sharedSecret,
          getSetupUri: (appName: string, accountName = challenge.username) =>
            new URL(`otpauth://totp/${encodeURIComponent(appName)}:${encodeURIComponent(accountName)}?secret=${sharedSecret}&issuer=${encodeURIComponent(appName)}`),
        },
      }),
    },
  } as const;
}

function prefixed(attributes: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).map(([key, value]) => [`userAttributes.${key}`, value]));
}

function requiredAttributes(json: string): string[] {
  try {
    const list: unknown = JSON.parse(json);
    return Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string').map((item) => item.replace(/^userAttributes\./, '')) : [];
  } catch {
    return [];
  }
}
