// WebAuthn (passkeys) in the emulator: the relying-party and origin rule, the passkeys a user holds,
// and the verification library, @simplewebauthn/server (an optional peer), loaded with import() on
// the first WebAuthn verification so that nothing else the emulator does, and nothing a browser
// entry loads, needs it. The operations are operations/webauthn.ts.
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import type { PoolSettings } from './poolSettings.js';
import * as p from './protocol.js';

/** One registered passkey (CompleteWebAuthnRegistration). The public key only: the private key never leaves the authenticator. */
export interface Passkey {
  /** base64url, as the browser names it. */
  readonly credentialId: string;
  readonly publicKey: Uint8Array;
  /** The authenticator's signature counter: each sign-in's must be higher (when either is not 0). */
  counter: number;
  readonly relyingPartyId: string;
  readonly friendlyName: string;
  readonly attachment: string | undefined;
  readonly transports: readonly string[];
  readonly createdAt: number;
}

/** A user's passkeys and the registration StartWebAuthnRegistration began (one at a time). */
export interface UserWebAuthn {
  readonly passkeys: Passkey[];
  registration?: { readonly challenge: string; readonly clientId: string; readonly relyingPartyId: string; readonly expiresAt: number };
}

/** How long a registration or sign-in challenge may be answered (the options' timeout too). */
export const WEBAUTHN_TIMEOUT_MS = 3 * 60 * 1000;

/** A new random challenge, base64url as WebAuthn's JSON options carry it. */
export const newChallenge = (): string => randomBytes(32).toString('base64url');

/**
 * The pool's relying party: WEB_AUTHN must be an allowed first factor (WebAuthnNotEnabledException)
 * and SetUserPoolMfaConfig must have set WebAuthnConfiguration.RelyingPartyId
 * (WebAuthnConfigurationMissingException: the emulator has no hosted-UI domain to fall back on).
 */
export function relyingParty(settings: PoolSettings): { id: string; userVerification: 'required' | 'preferred' } {
  if (!settings.allowedFirstAuthFactors.includes('WEB_AUTHN')) throw new p.CognitoError('WebAuthnNotEnabledException', 'WebAuthn is not enabled for this user pool: add WEB_AUTHN to Policies.SignInPolicy.AllowedFirstAuthFactors.');
  const id = settings.webAuthnRelyingPartyId;
  if (id === undefined) throw new p.CognitoError('WebAuthnConfigurationMissingException', 'The user pool has no WebAuthnConfiguration.RelyingPartyId (SetUserPoolMfaConfig).');
  return { id, userVerification: settings.webAuthnUserVerification ?? 'preferred' };
}

/**
 * Whether a browser at `origin` may use passkeys of relying party `rpId`: the origin's host is
 * the id or a subdomain of it, over https, or over http on localhost (tests).
 */
export function originAllowed(origin: string, rpId: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== origin) return false;
  const host = url.hostname;
  const under = host === rpId || host.endsWith(`.${rpId}`);
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && (host === 'localhost' || host.endsWith('.localhost')));
  return under && secure;
}

/** The browser's JSON answer (a PublicKeyCredential as JSON) given as Credential or CREDENTIAL, with the origin its clientDataJSON names. */
export interface CredentialJson {
  readonly json: p.JsonObject;
  readonly id: string;
  readonly origin: string;
}

const notACredential = (): p.CognitoError => new p.CognitoError('InvalidParameterException', 'The credential is not a WebAuthn PublicKeyCredential in JSON form.');

/** Reads the credential (a JSON object, or its text) and the origin its clientDataJSON was made at. Signatures are the library's. */
export function readCredential(value: unknown): CredentialJson {
  let json: unknown = value;
  if (typeof value === 'string') {
    try {
      json = JSON.parse(value);
    } catch {
      throw notACredential();
    }
  }
  if (!p.isJsonObject(json) || typeof json.id !== 'string' || !p.isJsonObject(json.response) || typeof json.response.clientDataJSON !== 'string') throw notACredential();
  let clientData: unknown;
  try {
    clientData = JSON.parse(Buffer.from(json.response.clientDataJSON, 'base64url').toString('utf8'));
  } catch {
    throw notACredential();
  }
  if (!p.isJsonObject(clientData) || typeof clientData.origin !== 'string') throw notACredential();
  return { json, id: json.id, origin: clientData.origin };
}

/** What the emulator uses of @simplewebauthn/server (9.x), described here so that its types stay out of the emulator's declarations. */
export interface WebAuthnLibrary {
  verifyRegistrationResponse(options: { response: unknown; expectedChallenge: string; expectedOrigin: string; expectedRPID: string; requireUserVerification: boolean }): Promise<{
    verified: boolean;
    registrationInfo?: { credentialID: Uint8Array; credentialPublicKey: Uint8Array; counter: number };
  }>;
  verifyAuthenticationResponse(options: {
    response: unknown;
    expectedChallenge: string;
    expectedOrigin: string;
    expectedRPID: string;
    authenticator: { credentialID: Uint8Array; credentialPublicKey: Uint8Array; counter: number };
    requireUserVerification: boolean;
  }): Promise<{ verified: boolean; authenticationInfo: { newCounter: number } }>;
}

const LIBRARY = '@simplewebauthn/server';
let loading: Promise<WebAuthnLibrary> | undefined;

/** The library, loaded once; a clear InternalErrorException when the optional package is not installed. */
export function webAuthnLibrary(): Promise<WebAuthnLibrary> {
  loading ??= import('@simplewebauthn/server').then(
    // The library types `response` as the browser's JSON shapes; the emulator hands it the request's
    // JSON as read (`unknown` here), which the library checks field by field itself.
    (module) => module as unknown as WebAuthnLibrary,
    () => {
      loading = undefined;
      throw new p.CognitoError('InternalErrorException', `The emulator's WebAuthn verification needs the optional package ${LIBRARY} (npm install --save-dev ${LIBRARY}@^9.0.3).`);
    },
  );
  return loading;
}

/**
 * The library's refusal, as Cognito names it: a relying-party hash that is not the pool's →
 * WebAuthnRelyingPartyMismatchException; anything else (signature, challenge, counter, format) →
 * `otherwise`. The library's own message is not passed on (it can quote the challenge).
 */
export function refusal(error: unknown, otherwise: () => p.CognitoError): p.CognitoError {
  if (error instanceof p.CognitoError) return error;
  const message = error instanceof Error ? error.message : '';
  if (/RP ID/i.test(message)) return new p.CognitoError('WebAuthnRelyingPartyMismatchException', "The credential was made for another relying party than the user pool's.");
  return otherwise();
}

/**
 * Whether an assertion's P-256 signature holds, checked by node:crypto when @simplewebauthn/server
 * 9.0.3 said it does not. That version's unwrapEC2Signature drops DER's sign byte but never pads,
 * so a valid signature whose r or s is shorter than 32 bytes (about 1 in 128 of every P-256
 * authenticator's, Chromium's virtual one too) reaches WebCrypto short and is refused. The library
 * has by then checked everything else (challenge, origin, relying party, flags, counter: each
 * throws before the signature is looked at), so only the signature is checked again here: the
 * credential's COSE key read by the library (convertCOSEtoPKCS), the DER signature read by
 * node:crypto (dsaEncoding 'der'). A key that is not P-256 keeps the library's verdict.
 */
export async function p256SignatureHolds(response: unknown, cosePublicKey: Uint8Array): Promise<boolean> {
  const r = p.isJsonObject(response) && p.isJsonObject(response.response) ? response.response : undefined;
  const [authenticatorData, clientDataJSON, signature] = [r?.authenticatorData, r?.clientDataJSON, r?.signature].map((v) => (typeof v === 'string' ? Buffer.from(v, 'base64url') : undefined));
  if (!authenticatorData || !clientDataJSON || !signature) return false;
  const { convertCOSEtoPKCS } = (await import('@simplewebauthn/server/helpers')) as { convertCOSEtoPKCS(key: Uint8Array): Uint8Array };
  let point: Buffer;
  try {
    point = Buffer.from(convertCOSEtoPKCS(cosePublicKey));
  } catch {
    return false;
  }
  if (point.length !== 65) return false;
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') }, format: 'jwk' });
  const signed = Buffer.concat([authenticatorData, createHash('sha256').update(clientDataJSON).digest()]);
  try {
    return verify('sha256', signed, { key, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}
