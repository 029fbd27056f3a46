/**
 * Passkeys (WebAuthn) of the signed-in user: associateWebAuthnCredential() registers a new one
 * (StartWebAuthnRegistration, the authenticator's `create`, CompleteWebAuthnRegistration),
 * listWebAuthnCredentials() reads them a page at a time (ListWebAuthnCredentials), and
 * deleteWebAuthnCredential() removes one (DeleteWebAuthnCredential).
 *
 *   idle ──ASSOCIATE──▶ [maxSignInAge asked] checkingSignIn ──[signed in too long ago]: RecentSignInRequired──▶ idle
 *     │                                            └──[recent]──▶ startingRegistration
 *     └──ASSOCIATE (no maxSignInAge)──────────────────────────────▶ startingRegistration
 *   startingRegistration ──options──▶ creating ──credential──▶ completing ──stored──▶ idle
 *        (each step's failure answers it and goes back to idle; nothing is stored by Cognito
 *         unless CompleteWebAuthnRegistration succeeded)
 *   idle ──LIST──▶ listing ──▶ idle          idle ──DELETE──▶ deleting ──▶ idle
 *   Every step: any call is refused (AccountStepInProgress), never sent twice.
 *
 * Why it is a chart:
 * - The authenticator reports why a ceremony did not happen as a fact (the browser's
 *   NotAllowedError, SecurityError, InvalidStateError, or Unsupported); what each means to the app
 *   (PasskeyCancelled, PasskeyRelyingPartyNotThisOrigin, PasskeyAlreadyRegistered,
 *   PasskeyNotSupported) is decided here (machines/webauthn.ts), and after a failed ceremony
 *   nothing more is sent: the registration Cognito started simply expires.
 * - Cognito registers a passkey for any valid access token, however long ago the user signed in
 *   (StartWebAuthnRegistration documents no recency rule; amplify-js #14419). An app that wants a
 *   step-up passes `maxSignInAgeSeconds`: the token's auth_time is read first (a fact), and a guard
 *   refuses with RecentSignInRequired before anything is sent.
 * - The creation options (their challenge) and the credential never enter the chart: the actors
 *   leave them in the vault and report receipts, taken out only as the next request is built.
 */
import { assign, assertEvent, emit, fromPromise, setup } from 'xstate';
import { notProvided } from '../notProvided.js';
import { ceremonyErrorOf } from '../webauthn.js';
import { refused, toErrorInfo, type AccountRefusal, type Answered, type Asked, type Failed } from './shared.js';

/** One of the user's passkeys, as ListWebAuthnCredentials describes it (a fact; members Cognito left out are absent). */
export interface PasskeyFacts {
  /** The credential's id (base64url), as the authenticator names it. */
  readonly credentialId: string;
  /** The name Cognito gave it. */
  readonly friendlyName?: string;
  /** The relying party it belongs to. */
  readonly relyingPartyId?: string;
  /** 'platform' (built into the device) or 'cross-platform' (a security key, a phone). */
  readonly attachment?: string;
  /** How the authenticator is reached: 'internal', 'usb', 'hybrid', … */
  readonly transports?: readonly string[];
  /** When it was registered (epoch ms). */
  readonly createdAt?: number;
}

/** associateWebAuthnCredential(). */
export interface AssociateWebAuthnCredentialEvent extends Asked {
  /** The event's name. */
  readonly type: 'ASSOCIATE_WEBAUTHN_CREDENTIAL';
  /** The call's time (the library's clock, epoch ms): the sign-in's age is measured to it. */
  readonly at: number;
  /** Refuse (RecentSignInRequired) unless the user signed in within this many ms of `at`; absent: no such rule. */
  readonly maxSignInAgeMs?: number;
}

/** listWebAuthnCredentials(). */
export interface ListWebAuthnCredentialsEvent extends Asked {
  /** The event's name. */
  readonly type: 'LIST_WEBAUTHN_CREDENTIALS';
  /** At most this many passkeys in the page (Cognito's MaxResults). */
  readonly pageSize?: number;
  /** The page after the one that answered this token. */
  readonly nextToken?: string;
}

/** deleteWebAuthnCredential(). */
export interface DeleteWebAuthnCredentialEvent extends Asked {
  /** The event's name. */
  readonly type: 'DELETE_WEBAUTHN_CREDENTIAL';
  /** The passkey's id, as listed. */
  readonly credentialId: string;
}

/** The calls. */
export type PasskeysEvent = AssociateWebAuthnCredentialEvent | ListWebAuthnCredentialsEvent | DeleteWebAuthnCredentialEvent;

/** What the flow answers a call with, besides a failure. */
export type PasskeysAnswer =
  | {
      /** associateWebAuthnCredential() stored a new passkey. */
      readonly kind: 'credentialAssociated';
      /** The new passkey's id, as the authenticator named it. */
      readonly credentialId: string;
    }
  | {
      /** listWebAuthnCredentials()'s page. */
      readonly kind: 'credentials';
      /** The passkeys of the page. */
      readonly credentials: readonly PasskeyFacts[];
      /** There is a next page: pass this token for it. */
      readonly nextToken?: string;
    }
  | {
      /** deleteWebAuthnCredential() removed the passkey. */
      readonly kind: 'credentialDeleted';
    };

/** What the sign-in reader reports: when the access token's session began (its auth_time, epoch ms), when it says. */
export interface SignInFacts {
  readonly signedInAt?: number;
}

interface PasskeysContext {
  /** The call the running step answers. */
  readonly caller: number;
  /** The running associateWebAuthnCredential()'s time and step-up bound (ms; null: none). */
  readonly at: number;
  readonly maxSignInAgeMs: number | null;
  /** The vault receipt of the creation options (their challenge is a secret), between the steps that pass it on. */
  readonly options: string;
  /** The vault receipt of the new credential, and its id. */
  readonly credential: string;
  readonly credentialId: string;
}

const failure = ({ event }: { readonly event: { readonly error: unknown } }): Failed => ({ kind: 'failed', error: toErrorInfo(event.error) });

/** While a step runs, every call is refused (AccountStepInProgress): nothing is sent twice. */
const busy = { type: 'refuse', params: { refusal: 'stepInProgress' } } as const;
const WHILE_A_STEP_RUNS = { ASSOCIATE_WEBAUTHN_CREDENTIAL: { actions: busy }, LIST_WEBAUTHN_CREDENTIALS: { actions: busy }, DELETE_WEBAUTHN_CREDENTIAL: { actions: busy } } as const;
const FAILED = { target: 'idle', actions: { type: 'answer', params: failure } } as const;

/** Whether a sign-in at `signedInAt` is too long before `at` for the bound (a token that does not say when is too old). */
export const signedInTooLongAgo = (at: number, maxSignInAgeMs: number, signedInAt: number | undefined): boolean => signedInAt === undefined || at - signedInAt > maxSignInAgeMs;

/** The passkeys chart (this file's header); its actors are provided by services/actors/account/passkeys.ts. */
export const passkeysMachine = setup({
  types: {
    context: {} as PasskeysContext,
    events: {} as PasskeysEvent,
    emitted: {} as Answered<PasskeysAnswer>,
  },
  actors: {
    /** The access token's auth_time: when the user signed in. */
    readSignIn: fromPromise<SignInFacts, void>(notProvided('readSignIn')),
    /** StartWebAuthnRegistration: the creation options, left in the vault; their receipt. */
    startRegistration: fromPromise<{ readonly options: string }, void>(notProvided('startRegistration')),
    /** The authenticator's `create` with the options (a receipt): the credential, left in the vault, and its id. */
    createCredential: fromPromise<{ readonly credential: string; readonly credentialId: string }, { readonly options: string }>(notProvided('createCredential')),
    /** CompleteWebAuthnRegistration with the credential (a receipt). */
    completeRegistration: fromPromise<void, { readonly credential: string }>(notProvided('completeRegistration')),
    /** ListWebAuthnCredentials. */
    listCredentials: fromPromise<{ readonly credentials: readonly PasskeyFacts[]; readonly nextToken?: string }, { readonly pageSize?: number; readonly nextToken?: string }>(notProvided('listCredentials')),
    /** DeleteWebAuthnCredential. */
    deleteCredential: fromPromise<void, { readonly credentialId: string }>(notProvided('deleteCredential')),
  },
  actions: {
    /** The running step's caller becomes this event's. */
    takeCaller: assign({ caller: ({ event }) => event.id }),
    /** associateWebAuthnCredential()'s caller, time and bound. */
    takeAssociate: assign(({ event }) => (assertEvent(event, 'ASSOCIATE_WEBAUTHN_CREDENTIAL'), { caller: event.id, at: event.at, maxSignInAgeMs: event.maxSignInAgeMs ?? null, options: '', credential: '', credentialId: '' })),
    /** Answers the running step's caller. */
    answer: emit(({ context }, answer: PasskeysAnswer | Failed) => ({ type: 'answered' as const, id: context.caller, answer })),
    /** Refuses this event's call with one of ACCOUNT_REFUSALS. */
    refuse: emit(({ event }, params: { readonly refusal: AccountRefusal }) => ({ type: 'answered' as const, id: event.id, answer: refused(params.refusal) })),
    /** Refuses the running step's call (a decision made on its actor's report). */
    refuseCaller: emit(({ context }, params: { readonly refusal: AccountRefusal }) => ({ type: 'answered' as const, id: context.caller, answer: refused(params.refusal) })),
  },
  guards: {
    /** The app asked for a recent sign-in. */
    asksRecentSignIn: ({ event }) => event.type === 'ASSOCIATE_WEBAUTHN_CREDENTIAL' && event.maxSignInAgeMs !== undefined,
    /** The user signed in longer ago than the app allows. */
    signInTooOld: ({ context }, facts: SignInFacts) => context.maxSignInAgeMs !== null && signedInTooLongAgo(context.at, context.maxSignInAgeMs, facts.signedInAt),
  },
}).createMachine({
  id: 'passkeys',
  context: { caller: 0, at: 0, maxSignInAgeMs: null, options: '', credential: '', credentialId: '' },
  initial: 'idle',
  states: {
    idle: {
      on: {
        ASSOCIATE_WEBAUTHN_CREDENTIAL: [
          { guard: 'asksRecentSignIn', target: 'checkingSignIn', actions: 'takeAssociate' },
          { target: 'startingRegistration', actions: 'takeAssociate' },
        ],
        LIST_WEBAUTHN_CREDENTIALS: { target: 'listing', actions: 'takeCaller' },
        DELETE_WEBAUTHN_CREDENTIAL: { target: 'deleting', actions: 'takeCaller' },
      },
    },
    checkingSignIn: {
      invoke: {
        src: 'readSignIn',
        onDone: [
          // Nothing is sent: the app's step-up rule refuses before StartWebAuthnRegistration.
          { guard: { type: 'signInTooOld', params: ({ event }) => event.output }, target: 'idle', actions: { type: 'refuseCaller', params: { refusal: 'recentSignInRequired' } } },
          { target: 'startingRegistration' },
        ],
        onError: FAILED,
      },
      on: WHILE_A_STEP_RUNS,
    },
    startingRegistration: {
      invoke: {
        src: 'startRegistration',
        onDone: { target: 'creating', actions: assign({ options: ({ event }) => event.output.options }) },
        onError: FAILED,
      },
      on: WHILE_A_STEP_RUNS,
    },
    creating: {
      invoke: {
        src: 'createCredential',
        input: ({ context }) => ({ options: context.options }),
        onDone: { target: 'completing', actions: assign({ credential: ({ event }) => event.output.credential, credentialId: ({ event }) => event.output.credentialId }) },
        // The ceremony did not happen: its fact decides the typed error, and nothing more is sent.
        onError: { target: 'idle', actions: { type: 'answer', params: ({ event }) => ({ kind: 'failed' as const, error: ceremonyErrorOf(event.error) ?? toErrorInfo(event.error) }) } },
      },
      on: WHILE_A_STEP_RUNS,
    },
    completing: {
      invoke: {
        src: 'completeRegistration',
        input: ({ context }) => ({ credential: context.credential }),
        onDone: { target: 'idle', actions: { type: 'answer', params: ({ context }) => ({ kind: 'credentialAssociated' as const, credentialId: context.credentialId }) } },
        onError: FAILED,
      },
      on: WHILE_A_STEP_RUNS,
    },
    listing: {
      invoke: {
        src: 'listCredentials',
        input: ({ event }) => (assertEvent(event, 'LIST_WEBAUTHN_CREDENTIALS'), { ...(event.pageSize !== undefined && { pageSize: event.pageSize }), ...(event.nextToken !== undefined && { nextToken: event.nextToken }) }),
        onDone: { target: 'idle', actions: { type: 'answer', params: ({ event }) => ({ kind: 'credentials' as const, credentials: event.output.credentials, ...(event.output.nextToken !== undefined && { nextToken: event.output.nextToken }) }) } },
        onError: FAILED,
      },
      on: WHILE_A_STEP_RUNS,
    },
    deleting: {
      invoke: {
        src: 'deleteCredential',
        input: ({ event }) => (assertEvent(event, 'DELETE_WEBAUTHN_CREDENTIAL'), { credentialId: event.credentialId }),
        onDone: { target: 'idle', actions: { type: 'answer', params: { kind: 'credentialDeleted' as const } } },
        onError: FAILED,
      },
      on: WHILE_A_STEP_RUNS,
    },
  },
});
