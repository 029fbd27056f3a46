/**
 * The signed-in MFA setup: setUpTotp() makes a new TOTP secret (GetUser, then
 * AssociateSoftwareToken), verifyTotpSetup() proves the user's authenticator app has it
 * (VerifySoftwareToken), updateMFAPreference() enables, disables and prefers factors
 * (SetUserMFAPreference), and fetchMFAPreference() reads them (GetUser).
 *
 *   idle ──SET_UP_TOTP──▶ readingSettings ──[TOTP works, no replace]: TotpAlreadyEnabled──▶ (back)
 *                               └──[else]──▶ associating ──secret──▶ awaitingCode
 *   awaitingCode ──VERIFY_TOTP_SETUP──▶ verifying ──verified──▶ idle
 *                                          └──failed (a wrong code: try again)──▶ awaitingCode
 *   awaitingCode ──SET_UP_TOTP──▶ readingSettings (a new secret replaces the waiting one)
 *   idle ──VERIFY_TOTP_SETUP: refused, NoPendingTotpSetup (nothing sent)
 *   idle | awaitingCode ──UPDATE_MFA_PREFERENCE──▶ settingPreference ──▶ (back)
 *   idle | awaitingCode ──FETCH_MFA_PREFERENCE──▶ readingPreference ──▶ (back)
 *   Any other failed step answers its failure and goes (back).
 *   (back) = awaitingCode while a secret waits for its code (context.pending), else idle.
 *
 * Why it is a chart:
 * - AssociateSoftwareToken over a working TOTP turns it off at sign-in until the new secret is
 *   verified, while GetUser still lists it (amplify-js #1226). So setUpTotp() reads the user's MFA
 *   settings first, and a guard refuses (TotpAlreadyEnabled) unless the app passed `replace`:
 *   nothing is sent beyond the read.
 * - verifyTotpSetup() needs a secret to verify: without a setUpTotp() on this instance, it is
 *   refused (NoPendingTotpSetup) and nothing is sent. A failed verification (a wrong code, the
 *   network) leaves the secret waiting: Cognito keeps it, and the user tries another code.
 * - Verifying does not enable TOTP, as in Amplify JS v6: the app calls updateMFAPreference()
 *   (`{ totp: 'PREFERRED' }` or `'ENABLED'`), so that it decides whether sign-in asks for it.
 * - One step at a time: a call during a step is refused (AccountStepInProgress), never sent twice.
 * - The shared secret never enters the chart: the actor leaves it in the vault and reports the
 *   receipt; the façade takes it out to give it to the app.
 */
import { assign, assertEvent, emit, fromPromise, setup } from 'xstate';
import { notProvided } from '../notProvided.js';
import { refused, toErrorInfo, type AccountRefusal, type Answered, type Asked, type Failed } from './shared.js';

/** A factor as Amplify JS v6 names it. */
export type MfaMethod = 'TOTP' | 'SMS' | 'EMAIL';
/** updateMFAPreference()'s value for a factor, as in Amplify JS v6. */
export type MfaPreferenceValue = 'ENABLED' | 'DISABLED' | 'PREFERRED' | 'NOT_PREFERRED';
/** A factor as Cognito names it. */
export type CognitoMfaFactor = 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA' | 'EMAIL_OTP';
/** What SetUserMFAPreference is sent for one factor. */
export interface MfaFactorSetting {
  readonly enabled: boolean;
  readonly preferred?: boolean;
}

/** The user's MFA settings, as GetUser reports them (a fact). */
export interface UserMfaSettings {
  readonly username: string;
  readonly mfaFactors: readonly string[];
  readonly preferredMfa?: string;
}

/** updateMFAPreference()'s argument: a factor left out is left as it is. */
export interface MfaPreferenceUpdate {
  /** TOTP (SOFTWARE_TOKEN_MFA). */
  readonly totp?: MfaPreferenceValue;
  /** SMS (SMS_MFA). */
  readonly sms?: MfaPreferenceValue;
  /** Email (EMAIL_OTP). */
  readonly email?: MfaPreferenceValue;
}

/** setUpTotp(). */
export interface SetUpTotpEvent extends Asked {
  /** The event's name. */
  readonly type: 'SET_UP_TOTP';
  /** Replace a TOTP that works (else: TotpAlreadyEnabled). */
  readonly replace: boolean;
}

/** verifyTotpSetup(). */
export interface VerifyTotpSetupEvent extends Asked {
  /** The event's name. */
  readonly type: 'VERIFY_TOTP_SETUP';
  /** The vault receipt of the code, never the code. */
  readonly code: string;
  /** The name Cognito keeps with the secret. */
  readonly friendlyDeviceName?: string;
}

/** updateMFAPreference(): each factor's new value. */
export interface UpdateMfaPreferenceEvent extends Asked, MfaPreferenceUpdate {
  /** The event's name. */
  readonly type: 'UPDATE_MFA_PREFERENCE';
}

/** fetchMFAPreference(). */
export interface FetchMfaPreferenceEvent extends Asked {
  /** The event's name. */
  readonly type: 'FETCH_MFA_PREFERENCE';
}

/** The calls. */
export type MfaSetupEvent = SetUpTotpEvent | VerifyTotpSetupEvent | UpdateMfaPreferenceEvent | FetchMfaPreferenceEvent;

/** setUpTotp()'s answer. */
export interface TotpSetUpAnswer {
  /** Which answer. */
  readonly kind: 'totpSetUp';
  /** The vault receipt of the shared secret, never the secret. */
  readonly secret: string;
  /** The signed-in username (the setup URI's default account name). */
  readonly username: string;
}

/** fetchMFAPreference()'s answer, in Amplify's names. */
export interface MfaPreferenceAnswer {
  /** Which answer. */
  readonly kind: 'mfaPreference';
  /** The factors enabled, when any. */
  readonly enabled?: readonly MfaMethod[];
  /** The preferred factor, when one is. */
  readonly preferred?: MfaMethod;
}

/** What the flow answers a call with, besides a failure. */
export type MfaSetupAnswer =
  | TotpSetUpAnswer
  | {
      /** verifyTotpSetup() succeeded. */
      readonly kind: 'totpVerified';
    }
  | {
      /** updateMFAPreference() succeeded. */
      readonly kind: 'preferenceUpdated';
    }
  | MfaPreferenceAnswer;

interface MfaSetupContext {
  /** The call the running step answers. */
  readonly caller: number;
  /** setUpTotp()'s `replace`, while its step runs. */
  readonly replace: boolean;
  /** A secret from AssociateSoftwareToken waits for its code. */
  readonly pending: boolean;
  /** The user setUpTotp() read (the setup URI's default account name). */
  readonly username: string;
}

const METHODS: Readonly<Record<CognitoMfaFactor, MfaMethod>> = { SOFTWARE_TOKEN_MFA: 'TOTP', SMS_MFA: 'SMS', EMAIL_OTP: 'EMAIL' };
const FACTORS: Readonly<Record<keyof MfaPreferenceUpdate, CognitoMfaFactor>> = { totp: 'SOFTWARE_TOKEN_MFA', sms: 'SMS_MFA', email: 'EMAIL_OTP' };
const SETTINGS: Readonly<Record<MfaPreferenceValue, MfaFactorSetting>> = {
  ENABLED: { enabled: true },
  DISABLED: { enabled: false },
  PREFERRED: { enabled: true, preferred: true },
  NOT_PREFERRED: { enabled: true, preferred: false },
};

/** Whether the user's TOTP works: GetUser lists SOFTWARE_TOKEN_MFA among the enabled factors. */
export const totpEnabled = (settings: UserMfaSettings): boolean => settings.mfaFactors.includes('SOFTWARE_TOKEN_MFA');

/** GetUser's factors in Amplify's names (fetchMFAPreference()); a factor this library does not know is left out. */
export function mfaPreferenceOf(settings: UserMfaSettings): { readonly enabled?: readonly MfaMethod[]; readonly preferred?: MfaMethod } {
  const method = (factor: string): MfaMethod | undefined => (Object.hasOwn(METHODS, factor) ? METHODS[factor as CognitoMfaFactor] : undefined);
  const enabled = settings.mfaFactors.map(method).filter((m): m is MfaMethod => m !== undefined);
  const preferred = settings.preferredMfa === undefined ? undefined : method(settings.preferredMfa);
  return { ...(enabled.length > 0 && { enabled }), ...(preferred && { preferred }) };
}

/** updateMFAPreference()'s values as SetUserMFAPreference's settings: ENABLED, DISABLED, PREFERRED (enabled and preferred), NOT_PREFERRED (enabled, not preferred). */
export function mfaSettingsFor(update: MfaPreferenceUpdate): Partial<Record<CognitoMfaFactor, MfaFactorSetting>> {
  const settings: Partial<Record<CognitoMfaFactor, MfaFactorSetting>> = {};
  for (const key of Object.keys(FACTORS) as Array<keyof MfaPreferenceUpdate>) {
    const value = update[key];
    if (value !== undefined) settings[FACTORS[key]] = SETTINGS[value];
  }
  return settings;
}

const failure = ({ event }: { readonly event: { readonly error: unknown } }): Failed => ({ kind: 'failed', error: toErrorInfo(event.error) });

/** While a step runs, every call is refused (AccountStepInProgress): nothing is sent twice. */
const busy = { type: 'refuse', params: { refusal: 'stepInProgress' } } as const;
const WHILE_A_STEP_RUNS = { SET_UP_TOTP: { actions: busy }, VERIFY_TOTP_SETUP: { actions: busy }, UPDATE_MFA_PREFERENCE: { actions: busy }, FETCH_MFA_PREFERENCE: { actions: busy } } as const;

/** A step failed: its caller gets the failure, and the flow goes back to where it was (a secret that waited still waits). */
const BACK_WITH_FAILURE = [
  { guard: 'setupPending', target: 'awaitingCode', actions: { type: 'answer', params: failure } },
  { target: 'idle', actions: { type: 'answer', params: failure } },
] as const;

/** The MFA-setup chart (this file's header); its actors are provided by services/actors/account/mfaSetup.ts. */
export const mfaSetupMachine = setup({
  types: {
    context: {} as MfaSetupContext,
    events: {} as MfaSetupEvent,
    emitted: {} as Answered<MfaSetupAnswer>,
  },
  actors: {
    /** GetUser: the user's name and MFA settings. */
    readMfaSettings: fromPromise<UserMfaSettings, void>(notProvided('readMfaSettings')),
    /** AssociateSoftwareToken: the shared secret, left in the vault; its receipt. */
    associateSoftwareToken: fromPromise<{ readonly secret: string }, void>(notProvided('associateSoftwareToken')),
    /** VerifySoftwareToken with the code (a vault receipt). */
    verifySoftwareToken: fromPromise<void, { readonly code: string; readonly friendlyDeviceName?: string }>(notProvided('verifySoftwareToken')),
    /** SetUserMFAPreference. */
    setMfaPreference: fromPromise<void, { readonly settings: Partial<Record<CognitoMfaFactor, MfaFactorSetting>> }>(notProvided('setMfaPreference')),
  },
  actions: {
    /** The running step's caller becomes this event's. */
    takeCaller: assign({ caller: ({ event }) => event.id }),
    /** setUpTotp()'s caller and its `replace`. */
    takeSetUp: assign(({ event }) => (assertEvent(event, 'SET_UP_TOTP'), { caller: event.id, replace: event.replace })),
    /** A new secret waits for its code. */
    markPending: assign({ pending: true }),
    /** No secret waits any more. */
    clearPending: assign({ pending: false }),
    /** The user setUpTotp() read. */
    keepUsername: assign({ username: (_, params: { readonly username: string }) => params.username }),
    /** Answers the running step's caller. */
    answer: emit(({ context }, answer: MfaSetupAnswer | Failed) => ({ type: 'answered' as const, id: context.caller, answer })),
    /** Refuses this event's call with one of ACCOUNT_REFUSALS. */
    refuse: emit(({ event }, params: { readonly refusal: AccountRefusal }) => ({ type: 'answered' as const, id: event.id, answer: refused(params.refusal) })),
    /** Refuses the running step's call (a decision made on its actor's report). */
    refuseCaller: emit(({ context }, params: { readonly refusal: AccountRefusal }) => ({ type: 'answered' as const, id: context.caller, answer: refused(params.refusal) })),
  },
  guards: {
    /** A secret waits for its code: a step ends back in awaitingCode. */
    setupPending: ({ context }) => context.pending,
    /** TOTP works and the app did not ask to replace it: setUpTotp() is refused. */
    keepsTotp: ({ context }, settings: UserMfaSettings) => totpEnabled(settings) && !context.replace,
    /** The same, while an earlier secret waits for its code. */
    keepsTotpWhilePending: ({ context }, settings: UserMfaSettings) => totpEnabled(settings) && !context.replace && context.pending,
  },
}).createMachine({
  id: 'mfaSetup',
  context: { caller: 0, replace: false, pending: false, username: '' },
  initial: 'idle',
  states: {
    idle: {
      on: {
        SET_UP_TOTP: { target: 'readingSettings', actions: 'takeSetUp' },
        VERIFY_TOTP_SETUP: { actions: { type: 'refuse', params: { refusal: 'noPendingTotpSetup' } } },
        UPDATE_MFA_PREFERENCE: { target: 'settingPreference', actions: 'takeCaller' },
        FETCH_MFA_PREFERENCE: { target: 'readingPreference', actions: 'takeCaller' },
      },
    },
    awaitingCode: {
      on: {
        SET_UP_TOTP: { target: 'readingSettings', actions: 'takeSetUp' },
        VERIFY_TOTP_SETUP: { target: 'verifying', actions: 'takeCaller' },
        UPDATE_MFA_PREFERENCE: { target: 'settingPreference', actions: 'takeCaller' },
        FETCH_MFA_PREFERENCE: { target: 'readingPreference', actions: 'takeCaller' },
      },
    },
    readingSettings: {
      invoke: {
        src: 'readMfaSettings',
        onDone: [
          // Nothing is sent beyond the read: a new secret would turn off the TOTP that works (#1226).
          { guard: { type: 'keepsTotpWhilePending', params: ({ event }) => event.output }, target: 'awaitingCode', actions: { type: 'refuseCaller', params: { refusal: 'totpAlreadyEnabled' } } },
          { guard: { type: 'keepsTotp', params: ({ event }) => event.output }, target: 'idle', actions: { type: 'refuseCaller', params: { refusal: 'totpAlreadyEnabled' } } },
          { target: 'associating', actions: { type: 'keepUsername', params: ({ event }) => ({ username: event.output.username }) } },
        ],
        onError: BACK_WITH_FAILURE,
      },
      on: WHILE_A_STEP_RUNS,
    },
    associating: {
      invoke: {
        src: 'associateSoftwareToken',
        onDone: { target: 'awaitingCode', actions: ['markPending', { type: 'answer', params: ({ context, event }) => ({ kind: 'totpSetUp' as const, secret: event.output.secret, username: context.username }) }] },
        onError: BACK_WITH_FAILURE,
      },
      on: WHILE_A_STEP_RUNS,
    },
    verifying: {
      invoke: {
        src: 'verifySoftwareToken',
        input: ({ event }) => (assertEvent(event, 'VERIFY_TOTP_SETUP'), { code: event.code, ...(event.friendlyDeviceName !== undefined && { friendlyDeviceName: event.friendlyDeviceName }) }),
        onDone: { target: 'idle', actions: ['clearPending', { type: 'answer', params: { kind: 'totpVerified' as const } }] },
        // A wrong code (EnableSoftwareTokenMFAException, CodeMismatchException) or any other failure: Cognito keeps the secret, the user tries again.
        onError: { target: 'awaitingCode', actions: { type: 'answer', params: failure } },
      },
      on: WHILE_A_STEP_RUNS,
    },
    settingPreference: {
      invoke: {
        src: 'setMfaPreference',
        input: ({ event }) => (assertEvent(event, 'UPDATE_MFA_PREFERENCE'), { settings: mfaSettingsFor(event) }),
        onDone: [
          { guard: 'setupPending', target: 'awaitingCode', actions: { type: 'answer', params: { kind: 'preferenceUpdated' as const } } },
          { target: 'idle', actions: { type: 'answer', params: { kind: 'preferenceUpdated' as const } } },
        ],
        onError: BACK_WITH_FAILURE,
      },
      on: WHILE_A_STEP_RUNS,
    },
    readingPreference: {
      invoke: {
        src: 'readMfaSettings',
        onDone: [
          { guard: 'setupPending', target: 'awaitingCode', actions: { type: 'answer', params: ({ event }) => ({ kind: 'mfaPreference' as const, ...mfaPreferenceOf(event.output) }) } },
          { target: 'idle', actions: { type: 'answer', params: ({ event }) => ({ kind: 'mfaPreference' as const, ...mfaPreferenceOf(event.output) }) } },
        ],
        onError: BACK_WITH_FAILURE,
      },
      on: WHILE_A_STEP_RUNS,
    },
  },
});
