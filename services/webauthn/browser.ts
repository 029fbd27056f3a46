// The browser's authenticator (navigator.credentials), through WebAuthn Level 3's JSON methods:
// PublicKeyCredential.parseRequestOptionsFromJSON / parseCreationOptionsFromJSON turn Cognito's
// options into the browser's, and PublicKeyCredential#toJSON turns the credential back (Chromium
// 129+, Firefox 119+, Safari 18.4+). Where they are missing the ceremony fails as 'Unsupported':
// no byte conversion of our own. Loaded only when a ceremony runs, never up front.
import { WebAuthnPlatformNames } from '../../machines/errors/passkeyNames.js';
import { WebAuthnCeremonyError, type CeremonyFailure, type CeremonyOptions, type WebAuthnClient, type WebAuthnJson } from './types.js';

/** The JSON methods of WebAuthn Level 3, typed loosely: lib.dom's forms need the DOM's own option types. */
interface JsonCapablePublicKeyCredential {
  parseRequestOptionsFromJSON?(options: unknown): PublicKeyCredentialRequestOptions;
  parseCreationOptionsFromJSON?(options: unknown): PublicKeyCredentialCreationOptions;
  isConditionalMediationAvailable?(): Promise<boolean>;
}

const KNOWN: readonly CeremonyFailure[] = [WebAuthnPlatformNames.notAllowed, WebAuthnPlatformNames.security, WebAuthnPlatformNames.invalidState, WebAuthnPlatformNames.aborted];

/** The page's PublicKeyCredential with its JSON methods, or null where WebAuthn is absent. */
function platform(): JsonCapablePublicKeyCredential | null {
  const found = (globalThis as { PublicKeyCredential?: unknown }).PublicKeyCredential;
  return typeof found === 'function' && typeof navigator !== 'undefined' && navigator.credentials ? (found as JsonCapablePublicKeyCredential) : null;
}

/** A browser failure as a fact: its DOMException name when it is one WebAuthn defines, else Other. The browser's message is kept; it names no secret. */
function failureOf(error: unknown): WebAuthnCeremonyError {
  if (error instanceof WebAuthnCeremonyError) return error;
  const name = error instanceof Error ? error.name : '';
  const failure = KNOWN.find((known) => known === name) ?? (name === WebAuthnPlatformNames.typeError ? 'Malformed' : 'Other');
  return new WebAuthnCeremonyError(failure, `The browser's WebAuthn ceremony failed (${name || 'unknown'}): ${error instanceof Error ? error.message.slice(0, 200) : 'no reason given'}`);
}

/** Runs one ceremony: the options parsed by the browser, the credential back in JSON. */
async function ceremony(kind: 'get' | 'create', options: WebAuthnJson, how: CeremonyOptions): Promise<WebAuthnJson> {
  const pkc = platform();
  const parse = kind === 'get' ? pkc?.parseRequestOptionsFromJSON : pkc?.parseCreationOptionsFromJSON;
  if (!pkc || !parse) throw new WebAuthnCeremonyError('Unsupported', 'This platform has no WebAuthn with its JSON methods (parse…OptionsFromJSON): pass createAuth a `webAuthn` client');
  how.signal.throwIfAborted();
  try {
    const publicKey = parse.call(pkc, options);
    const credential =
      kind === 'get'
        ? await navigator.credentials.get({ publicKey: publicKey as PublicKeyCredentialRequestOptions, signal: how.signal, ...(how.mediation && { mediation: how.mediation }) })
        : await navigator.credentials.create({ publicKey: publicKey as PublicKeyCredentialCreationOptions, signal: how.signal });
    const json = (credential as { toJSON?: () => unknown } | null)?.toJSON?.();
    if (typeof json !== 'object' || json === null) throw new WebAuthnCeremonyError('Malformed', 'The browser answered without a public-key credential');
    return json as WebAuthnJson;
  } catch (error) {
    throw failureOf(error);
  }
}

/** navigator.credentials as a WebAuthnClient. */
export const browserWebAuthn: WebAuthnClient = {
  get: (options, how) => ceremony('get', options, how),
  create: (options, how) => ceremony('create', options, how),
  conditionalMediation: async () => (await platform()?.isConditionalMediationAvailable?.()) === true,
};
