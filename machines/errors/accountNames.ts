// The error registry's account side (machines/errors/registry.ts re-exports it): the names only the
// account flows (authchart/account) meet. Apart from ErrorNames so that createAuth's bundles, which
// never reach the account flows, carry none of them. registry.ts, serverNames.ts and this file are
// the one registry: __tests__/errorRegistry.test.ts reads them as such, and docs/errors.md is
// generated from all three.

/** The account flows' own refusals (authchart/account): each an AuthStateError, and none of them sent to Cognito. */
export const AccountErrorNames = {
  /** An account call that needs a signed-in user (updatePassword(), the attributes, deleteUser(), the MFA setup), with nobody signed in. Amplify JS v6 throws the same name. */
  userUnauthenticated: 'UserUnAuthenticatedException',
  /** An account call while a step of the same flow runs (two resetPassword() at once, a confirmSignUp() during a signUp()): wait for the first to end. Nothing was sent. */
  accountStepInProgress: 'AccountStepInProgress',
  /** autoSignIn() with no auto sign-in waiting on this storage: signUp() was not asked for one (`options.autoSignIn`), the sign-up is not confirmed yet, or the auto sign-in already ran. */
  noPendingAutoSignIn: 'NoPendingAutoSignIn',
  /** autoSignIn() after the deadline of ConfirmSignUp's Session (the app client's AuthSessionValidity, createAuth's authSessionValidityMinutes): nothing was sent, and the record is removed. Sign in with the password. */
  autoSignInExpired: 'AutoSignInExpired',
  /** setUpTotp() for a user whose TOTP already works: a new AssociateSoftwareToken would turn it off until the new secret is verified. Nothing was sent; pass `{ replace: true }` to replace it. */
  totpAlreadyEnabled: 'TotpAlreadyEnabled',
  /** verifyTotpSetup() with no setUpTotp() before it on this instance. Nothing was sent. */
  noPendingTotpSetup: 'NoPendingTotpSetup',
  /** rememberDevice() or forgetDevice() without a device, for a session Cognito bound to no device (the pool does not track devices, or a hosted-UI sign-in): there is no "this device". Nothing was sent. */
  deviceNotTracked: 'DeviceNotTracked',
  /** associateWebAuthnCredential({ maxSignInAgeSeconds }) when the user signed in longer ago than that (the access token's auth_time): Cognito itself registers a passkey for any valid access token, so this step-up rule is the app's, asked for by that option. Nothing was sent; sign the user in again, then register. */
  recentSignInRequired: 'RecentSignInRequired',
} as const;

/**
 * Cognito's exception names that the account flows (and only they) decide on. Apart from
 * CognitoExceptions (registry.ts), which createAuth's bundles carry whole. Each is Cognito's own
 * word, reported as a CognitoServiceError when a flow passes it on.
 */
export const AccountCognitoExceptions = {
  /** The access token's user no longer exists: deleteUser() takes a DeleteUser answered so as gone already (an earlier call landed, or an admin deleted the user), and ends the session as after its own. */
  userNotFound: 'UserNotFoundException',
  /** StartWebAuthnRegistration, CompleteWebAuthnRegistration, a WEB_AUTHN sign-in: passkeys are off for the user pool (WEB_AUTHN is not among Policies.SignInPolicy.AllowedFirstAuthFactors, or the pool's tier has no passkeys: Essentials or Plus). Nothing was registered. */
  webAuthnNotEnabled: 'WebAuthnNotEnabledException',
  /** StartWebAuthnRegistration: the user pool has no relying party (SetUserPoolMfaConfig's WebAuthnConfiguration.RelyingPartyId) and no domain to fall back on. Configure the pool; nothing was registered. */
  webAuthnConfigurationMissing: 'WebAuthnConfigurationMissingException',
  /** CompleteWebAuthnRegistration with no registration pending for the user (no StartWebAuthnRegistration, or it expired or was answered already), or a credential answering another challenge: a replayed or stale registration. Nothing was stored; call associateWebAuthnCredential() again. */
  webAuthnChallengeNotFound: 'WebAuthnChallengeNotFoundException',
  /** CompleteWebAuthnRegistration (or a WEB_AUTHN sign-in) with a credential made for another relying party than the user pool's RelyingPartyId. Nothing was stored. */
  webAuthnRelyingPartyMismatch: 'WebAuthnRelyingPartyMismatchException',
  /** CompleteWebAuthnRegistration (or a WEB_AUTHN sign-in) with a credential made at an origin the user pool's relying party does not allow: the page's host must be the RelyingPartyId or a subdomain of it, over https. Nothing was stored. */
  webAuthnOriginNotAllowed: 'WebAuthnOriginNotAllowedException',
  /** CompleteWebAuthnRegistration with a credential Cognito cannot take: its attestation did not verify, or its format or key algorithm is not one Cognito supports. Nothing was stored. */
  webAuthnCredentialNotSupported: 'WebAuthnCredentialNotSupportedException',
  /** CompleteWebAuthnRegistration with an access token of another app client than the StartWebAuthnRegistration's. Nothing was stored; start again from one app client. */
  webAuthnClientMismatch: 'WebAuthnClientMismatchException',
  /** StartWebAuthnRegistration for a user who holds as many passkeys as Cognito allows (20), or a request limit was reached: delete a passkey (deleteWebAuthnCredential()) first, or try later. */
  limitExceeded: 'LimitExceededException',
} as const;

/** A name only the account flows meet. */
export type AccountErrorName = (typeof AccountErrorNames)[keyof typeof AccountErrorNames];
/** A Cognito exception name only the account flows decide on or explain. */
export type AccountCognitoExceptionName = (typeof AccountCognitoExceptions)[keyof typeof AccountCognitoExceptions];
