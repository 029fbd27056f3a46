// setUpTotp(), verifyTotpSetup(), updateMFAPreference() and fetchMFAPreference(): the façade over
// the MFA-setup chart (machines/account/mfaSetupMachine.ts). Each validates its argument, sends one
// event, and maps the chart's answer to Amplify JS v6's result. The TOTP code goes to the chart as
// a vault receipt; the shared secret comes back as one, and is taken out of the vault here.
import { mfaSetupMachine, type MfaMethod, type MfaPreferenceValue, type MfaSetupAnswer, type MfaSetupEvent } from '../../machines/account/mfaSetupMachine.js';
import { createMfaSetupActors } from '../../services/actors/account/mfaSetup.js';
import { AuthInternalError, AuthValidationError } from '../errors.js';
import { objectOrUndefined, text } from '../validate.js';
import type { AccountKit } from './kit.js';

export type { MfaMethod, MfaPreferenceValue } from '../../machines/account/mfaSetupMachine.js';

/** setUpTotp()'s options. */
export interface SetUpTotpOptions {
  /** Replace a TOTP that works: without it, setUpTotp() for a user whose TOTP is enabled is refused (TotpAlreadyEnabled). Default false. */
  readonly replace?: boolean;
}

/** setUpTotp()'s result, as Amplify JS v6's TOTPSetupDetails. */
export interface TOTPSetupDetails {
  /** The base32 secret Cognito made, for an authenticator app. A secret: show it to the user once, never store or log it. */
  readonly sharedSecret: string;
  /**
   * The `otpauth://totp/<appName>:<accountName>?secret=…&issuer=<appName>` URI an authenticator app
   * scans (as a QR code): `appName` is the issuer the app shows, `accountName` defaults to the
   * signed-in username. Both are URI-encoded. Throws AuthValidationError for an empty `appName`
   * or `accountName`.
   */
  getSetupUri(appName: string, accountName?: string): URL;
}

/** verifyTotpSetup()'s argument, as in Amplify JS v6. */
export interface VerifyTotpSetupInput {
  /** The six-digit code the authenticator app shows. Never stored, never in the statechart or an error. */
  readonly code: string;
  /** Options, as in Amplify JS v6. */
  readonly options?: {
    /** A name for the device, which Cognito keeps with the secret. */
    readonly friendlyDeviceName?: string;
  };
}

/** updateMFAPreference()'s argument, as in Amplify JS v6: a factor left out is left as it is. */
export interface UpdateMFAPreferenceInput {
  /** SMS codes (SMS_MFA): the user needs a phone_number. */
  readonly sms?: MfaPreferenceValue;
  /** TOTP (SOFTWARE_TOKEN_MFA): the user needs a verified TOTP setup. */
  readonly totp?: MfaPreferenceValue;
  /** Email codes (EMAIL_OTP): the user needs an email, and the pool email MFA. */
  readonly email?: MfaPreferenceValue;
}

/** fetchMFAPreference()'s result, as in Amplify JS v6: each key is left out when Cognito lists nothing for it. */
export interface FetchMFAPreferenceOutput {
  /** The factors enabled for the user. */
  readonly enabled?: readonly MfaMethod[];
  /** The factor sign-in asks for first. */
  readonly preferred?: MfaMethod;
}

export interface MfaSetupCalls {
  /**
   * Makes a new TOTP secret for the signed-in user: reads the user's MFA settings (GetUser), then
   * AssociateSoftwareToken. Ends by 2N (plus a refresh of the tokens, if they are about to
   * expire). The secret works only once verifyTotpSetup() accepts a code from it. Rejects with
   * AuthValidationError, AuthStateError UserUnAuthenticatedException (nobody signed in; nothing
   * sent), TotpAlreadyEnabled (TOTP already works for the user and `replace` was not passed: a
   * new secret would turn it off until verified, so only the read was sent) or
   * AccountStepInProgress (another step of the MFA setup runs), CognitoServiceError
   * (SoftwareTokenMFANotFoundException: the pool has no TOTP; NotAuthorizedException, …), or
   * CognitoUnreachableError.
   */
  setUpTotp(options?: SetUpTotpOptions): Promise<TOTPSetupDetails>;
  /**
   * Verifies the newest setUpTotp() secret with a code from the authenticator app
   * (VerifySoftwareToken). Ends by N. It does not enable TOTP for sign-in, as in Amplify JS v6:
   * call updateMFAPreference({ totp: 'PREFERRED' }) (or 'ENABLED') next. Rejects with
   * AuthValidationError, AuthStateError NoPendingTotpSetup (no setUpTotp() on this instance;
   * nothing sent), UserUnAuthenticatedException or AccountStepInProgress, CognitoServiceError
   * (EnableSoftwareTokenMFAException or CodeMismatchException for a wrong code: the secret still
   * waits, try another code), or CognitoUnreachableError.
   */
  verifyTotpSetup(input: VerifyTotpSetupInput): Promise<void>;
  /**
   * Enables, disables and prefers the user's MFA factors (SetUserMFAPreference): 'ENABLED',
   * 'DISABLED', 'PREFERRED' (enabled and preferred), 'NOT_PREFERRED' (enabled, not preferred).
   * Ends by N. Rejects with AuthValidationError, AuthStateError UserUnAuthenticatedException or
   * AccountStepInProgress, CognitoServiceError (InvalidParameterException: a factor the user has
   * not set up, or two preferred), or CognitoUnreachableError.
   */
  updateMFAPreference(input: UpdateMFAPreferenceInput): Promise<void>;
  /**
   * The user's enabled and preferred MFA factors (GetUser). Ends by N. Rejects with AuthStateError
   * UserUnAuthenticatedException or AccountStepInProgress, CognitoServiceError, or CognitoUnreachableError.
   */
  fetchMFAPreference(): Promise<FetchMFAPreferenceOutput>;
}

const PREFERENCE_VALUES: readonly string[] = ['ENABLED', 'DISABLED', 'PREFERRED', 'NOT_PREFERRED'] satisfies readonly MfaPreferenceValue[];

/** The otpauth URI of Google Authenticator's Key URI format: issuer and account URI-encoded. */
export function totpSetupUri(sharedSecret: string, username: string, appName: unknown, accountName: unknown = username): URL {
  text('appName', appName, 256, true);
  text('accountName', accountName, 256, true);
  const issuer = encodeURIComponent(appName);
  return new URL(`otpauth://totp/${issuer}:${encodeURIComponent(accountName)}?secret=${encodeURIComponent(sharedSecret)}&issuer=${issuer}`);
}

function answerOf<K extends MfaSetupAnswer['kind']>(answer: MfaSetupAnswer, kind: K): Extract<MfaSetupAnswer, { readonly kind: K }> {
  if (answer.kind !== kind) throw new AuthInternalError(new Error(`the MFA setup answered ${answer.kind} for ${kind}`));
  return answer as Extract<MfaSetupAnswer, { readonly kind: K }>;
}

export function mfaSetupCalls(kit: AccountKit): MfaSetupCalls {
  const { services, vault } = kit;
  const ask = kit.flow<MfaSetupEvent, MfaSetupAnswer>(mfaSetupMachine.provide({ actors: createMfaSetupActors(services) }));
  return {
    setUpTotp: async (options) => {
      kit.live('setUpTotp');
      const { replace = false } = objectOrUndefined(options, 'setUpTotp options', '{ replace: true }');
      if (typeof replace !== 'boolean') throw new AuthValidationError('replace', 'must be a boolean');
      const { secret, username } = answerOf(await ask('setUpTotp', { type: 'SET_UP_TOTP', replace }), 'totpSetUp');
      const sharedSecret = vault.take(secret);
      if (sharedSecret === undefined) throw new AuthInternalError(new Error('the shared secret was not in the vault'));
      return { sharedSecret, getSetupUri: (appName, accountName) => totpSetupUri(sharedSecret, username, appName, accountName) };
    },
    verifyTotpSetup: async (input) => {
      kit.live('verifyTotpSetup');
      const { code, options } = objectOrUndefined(input ?? null, 'verifyTotpSetup input', '{ code }');
      text('code', code, 2048, true);
      const { friendlyDeviceName } = objectOrUndefined(options, 'options', '{ friendlyDeviceName }');
      if (friendlyDeviceName !== undefined) text('options.friendlyDeviceName', friendlyDeviceName, 2048, true);
      const ref = vault.deposit(code);
      answerOf(await ask('verifyTotpSetup', { type: 'VERIFY_TOTP_SETUP', code: ref, ...(friendlyDeviceName !== undefined && { friendlyDeviceName }) }).finally(() => vault.discard(ref)), 'totpVerified');
    },
    updateMFAPreference: async (input) => {
      kit.live('updateMFAPreference');
      const given = objectOrUndefined(input ?? null, 'updateMFAPreference input', "{ totp: 'PREFERRED' }");
      const update: { sms?: MfaPreferenceValue; totp?: MfaPreferenceValue; email?: MfaPreferenceValue } = {};
      for (const key of ['sms', 'totp', 'email'] as const) {
        const value = given[key];
        if (value === undefined) continue;
        if (typeof value !== 'string' || !PREFERENCE_VALUES.includes(value)) throw new AuthValidationError(key, "must be 'ENABLED', 'DISABLED', 'PREFERRED' or 'NOT_PREFERRED'");
        update[key] = value as MfaPreferenceValue;
      }
      answerOf(await ask('updateMFAPreference', { type: 'UPDATE_MFA_PREFERENCE', ...update }), 'preferenceUpdated');
    },
    fetchMFAPreference: async () => {
      kit.live('fetchMFAPreference');
      const { enabled, preferred } = answerOf(await ask('fetchMFAPreference', { type: 'FETCH_MFA_PREFERENCE' }), 'mfaPreference');
      return { ...(enabled && { enabled: [...enabled] }), ...(preferred && { preferred }) };
    },
  };
}
