// The passkey ceremony's names: the error names of a WebAuthn ceremony that did not happen (each an
// AuthStateError: nothing was sent after it), and the platform's names the authenticator reads its
// facts from. Part of the one error registry (docs/errors.md is generated from this file too), but
// a file apart: the sign-in's challenges chunk and the browser's authenticator load it on first use,
// and no module createAuth loads up front imports it, so that no page fetches it as a shared file
// (esbuild splits a module both sides import into a file of its own; services/actors/lazyKit.ts).
// So registry.ts does not list these names: scripts/diagrams/errors.ts and src/account/kit.ts read
// them here.

/** A passkey ceremony's own errors (authchart/account's registration, createAuth's passkey sign-in): each an AuthStateError, and none of them sent to Cognito. */
export const PasskeyErrorNames = {
  /** A passkey ceremony the user declined, or whose prompt timed out (the browser's NotAllowedError); for a sign-in, also: none of the user's passkeys is on this device. Nothing was registered, nothing was sent after the ceremony. Offer to try again. */
  passkeyCancelled: 'PasskeyCancelled',
  /** The browser refused the ceremony because the user pool's relying party (WebAuthnConfiguration.RelyingPartyId) is neither this page's host nor a registrable suffix of it, or the page is not a secure context (the browser's SecurityError). Set the pool's RelyingPartyId to the app's domain (a passkey belongs to one relying party), or serve the app from it. Nothing was sent after the ceremony. */
  passkeyRelyingPartyNotThisOrigin: 'PasskeyRelyingPartyNotThisOrigin',
  /** associateWebAuthnCredential() on an authenticator that already holds a passkey of this user for this relying party (one the options exclude: the browser's InvalidStateError). Nothing new was registered; the passkey the user has still works. */
  passkeyAlreadyRegistered: 'PasskeyAlreadyRegistered',
  /** This platform has no WebAuthn with the JSON methods of WebAuthn Level 3 (PublicKeyCredential.parseCreationOptionsFromJSON / parseRequestOptionsFromJSON: Chromium 129+, Firefox 119+, Safari 18.4+), or no WebAuthn at all (React Native, Node): pass a `webAuthn` client to createAccount() (or createAuth()). Nothing was sent after the ceremony. */
  passkeyNotSupported: 'PasskeyNotSupported',
  /** The authenticator failed in a way WebAuthn names no reason for (its message says how), or answered with something that is not a public-key credential in WebAuthn's JSON form. Nothing was sent after the ceremony. */
  passkeyCeremonyFailed: 'PasskeyCeremonyFailed',
} as const;

/** A passkey ceremony's own error name. */
export type PasskeyErrorName = (typeof PasskeyErrorNames)[keyof typeof PasskeyErrorNames];

/** Whether `name` is one of PasskeyErrorNames. */
export const isPasskeyErrorName = (name: string): name is PasskeyErrorName => (Object.values(PasskeyErrorNames) as string[]).includes(name);

/**
 * The names a WebAuthn ceremony fails with, as the platform gives them (DOMException names, read
 * by services/webauthn/browser.ts as facts), and the error class of a ceremony that did not happen.
 * Never reported as ours: the charts turn each into one of AccountErrorNames' passkey names.
 */
export const WebAuthnPlatformNames = {
  /** The user declined, or the prompt timed out. */
  notAllowed: 'NotAllowedError',
  /** The relying party is not this origin's, or the page is not a secure context. */
  security: 'SecurityError',
  /** The authenticator holds a credential the options exclude. */
  invalidState: 'InvalidStateError',
  /** The ceremony's signal aborted it. */
  aborted: 'AbortError',
  /** Options the browser could not parse. */
  typeError: 'TypeError',
  /** services/webauthn/types.ts's WebAuthnCeremonyError, by its name. */
  ceremony: 'WebAuthnCeremonyError',
} as const;

