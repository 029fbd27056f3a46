// What authchart needs from a WebAuthn authenticator, in WebAuthn's JSON forms (the Level 3
// `…JSON` dictionaries, bytes as base64url), which is what Cognito sends and takes:
// CREDENTIAL_REQUEST_OPTIONS and CREDENTIAL (a WEB_AUTHN challenge), CredentialCreationOptions and
// Credential (StartWebAuthnRegistration, CompleteWebAuthnRegistration). In a browser the default
// (./browser.ts) is navigator.credentials; React Native and tests bring their own through
// createAuth's `webAuthn` option. Nothing here holds a secret: a credential's private key never
// leaves the authenticator, and a challenge and its signed answer pass straight to Cognito.

import { WebAuthnPlatformNames } from '../../machines/errors/passkeyNames.js';
import type { CeremonyFailure } from '../../machines/webauthn.js';

/** A JSON object as WebAuthn's JSON forms are: the caller checks the fields it reads. */
export type WebAuthnJson = Readonly<Record<string, unknown>>;

/** How a ceremony is to run. */
export interface CeremonyOptions {
  /** Aborts the ceremony (the browser's request is cancelled); the promise then rejects. */
  readonly signal: AbortSignal;
  /**
   * `get` only: 'conditional' offers the passkeys in the browser's autofill of a field marked
   * `autocomplete="username webauthn"` and waits for the user to pick one (passkey autofill);
   * absent: the browser's own prompt.
   */
  readonly mediation?: 'conditional';
}

/**
 * An authenticator, as authchart calls it. `get` answers a WEB_AUTHN challenge's request options
 * with an assertion (PublicKeyCredentialJSON with an AuthenticatorAssertionResponseJSON), `create`
 * answers registration options with a new credential (…with an AuthenticatorAttestationResponseJSON).
 * A ceremony that did not happen rejects with a WebAuthnCeremonyError saying why.
 */
export interface WebAuthnClient {
  /** A sign-in's ceremony: CREDENTIAL_REQUEST_OPTIONS (PublicKeyCredentialRequestOptionsJSON) in, the assertion (PublicKeyCredentialJSON) out. */
  get(options: WebAuthnJson, how: CeremonyOptions): Promise<WebAuthnJson>;
  /** A registration's ceremony: CredentialCreationOptions (PublicKeyCredentialCreationOptionsJSON) in, the new credential (PublicKeyCredentialJSON) out. */
  create(options: WebAuthnJson, how: CeremonyOptions): Promise<WebAuthnJson>;
  /** Whether `get` can wait with mediation 'conditional' (passkey autofill) here. Absent: it cannot. */
  conditionalMediation?(): Promise<boolean>;
}

/** Why a ceremony did not happen, as a fact (defined with what the charts decide it means: machines/webauthn.ts). */
export type { CeremonyFailure } from '../../machines/webauthn.js';

/** A ceremony that did not happen: `failure` says why; the message never carries the options or a credential. */
export class WebAuthnCeremonyError extends Error {
  constructor(
    /** Why the ceremony did not happen (a fact; the charts decide what it means to the app). */
    readonly failure: CeremonyFailure,
    message: string,
  ) {
    super(message);
    this.name = WebAuthnPlatformNames.ceremony;
  }
}
