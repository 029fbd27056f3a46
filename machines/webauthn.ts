// What a WebAuthn ceremony's failure means, decided here for every chart that runs one (the passkey
// registration of authchart/account; a passkey sign-in). The authenticator (services/webauthn/)
// reports a fact, `failure`, the browser's DOMException name or 'Unsupported' / 'Malformed' /
// 'Other'; this turns it into the typed error the app sees. Pure: no I/O, no browser.
// It imports only the passkey names (never the registry or errorInfo.ts, which createAuth loads up
// front): the sign-in's challenges chunk loads this file, and a module shared with the entry would
// be split into a file of its own that every page fetches (services/actors/lazyKit.ts says why).
import { PasskeyErrorNames, WebAuthnPlatformNames } from './errors/passkeyNames.js';
import type { ErrorInfo } from './types.js';

/**
 * Why a ceremony did not happen, as a fact: the browser's DOMException name where there was one
 * (`NotAllowedError`: the user declined or the prompt timed out; `SecurityError`: the relying party
 * is not this page's origin or a registrable suffix of it; `InvalidStateError`: the authenticator
 * already holds a credential the options exclude; `AbortError`: aborted), or 'Unsupported' where
 * this platform has no WebAuthn (or not its JSON forms), 'Malformed' where the options or the
 * answer are not WebAuthn's JSON, 'Other' for anything else.
 */
export type CeremonyFailure = 'NotAllowedError' | 'SecurityError' | 'InvalidStateError' | 'AbortError' | 'Unsupported' | 'Malformed' | 'Other';

/** The typed error each failure is, and what it means in words (the ceremony's own message follows). */
const MEANINGS: { readonly [failure in CeremonyFailure]: ErrorInfo } = {
  NotAllowedError: { name: PasskeyErrorNames.passkeyCancelled, message: 'The passkey prompt was declined or timed out' },
  SecurityError: { name: PasskeyErrorNames.passkeyRelyingPartyNotThisOrigin, message: "The user pool's relying party is not this page's domain (or the page is not secure)" },
  InvalidStateError: { name: PasskeyErrorNames.passkeyAlreadyRegistered, message: 'This authenticator already holds a passkey of this user' },
  AbortError: { name: WebAuthnPlatformNames.aborted, message: 'The passkey ceremony was aborted' },
  Unsupported: { name: PasskeyErrorNames.passkeyNotSupported, message: "This platform has no WebAuthn with its JSON methods: pass a `webAuthn` client" },
  Malformed: { name: PasskeyErrorNames.passkeyCeremonyFailed, message: "The passkey options or the authenticator's answer are not WebAuthn's JSON" },
  Other: { name: PasskeyErrorNames.passkeyCeremonyFailed, message: 'The authenticator failed' },
};

const isFailure = (value: unknown): value is CeremonyFailure => typeof value === 'string' && Object.hasOwn(MEANINGS, value);

/**
 * The error a ceremony's rejection is reported as: a WebAuthn ceremony's fact (an error carrying
 * `failure`) becomes its typed error, with the authenticator's own message after ours (it names no
 * secret: the options and the credential never enter it); anything else is undefined: the caller
 * reports it as it is (toErrorInfo).
 */
export function ceremonyErrorOf(error: unknown): ErrorInfo | undefined {
  const { failure, message } = typeof error === 'object' && error !== null ? (error as { failure?: unknown; message?: unknown }) : {};
  if (!isFailure(failure)) return undefined;
  const meaning = MEANINGS[failure];
  const told = typeof message === 'string' ? message.slice(0, 200) : '';
  return { name: meaning.name, message: told ? `${meaning.message} (${told})` : meaning.message };
}

/** Whether `name` is one of the passkey ceremony's own errors (ceremonyErrorOf's): each an AuthStateError, and nothing was sent after the ceremony. */
export { isPasskeyErrorName as isCeremonyErrorName } from './errors/passkeyNames.js';
