// WebAuthn (passkeys) in the emulator: the relying-party and origin rule, the passkeys a user holds,
// and the verification library, @simplewebauthn/server (an optional peer), loaded with import() on
// the first WebAuthn verification so that nothing else the emulator does, and nothing a browser
// entry loads, needs it. The operations are operations/webauthn.ts.
import { randomBytes } from 'node:crypto';
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

/** The order of P-256's group: (r, s) and (r, n − s) are the same signature's two valid forms. */
const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

/**
 * An assertion's ECDSA signature (DER, base64url) in a form @simplewebauthn/server 9.0.3 reads
 * right. Its unwrapEC2Signature drops DER's sign byte but never pads, so a valid signature whose r
 * or s is shorter than 32 bytes (about 1 in 128 of every P-256 authenticator's) became fewer than
 * 64 bytes and was refused. Here a short s becomes n − s (ECDSA's other valid form of the same
 * signature), and a short value whose top bit is clear is padded with zeros to 32 bytes (which the
 * library keeps). A short r whose top bit is set (about 1 in 512) cannot be given to this library
 * version at all and stays refused. Anything that is not a P-256 signature in DER is given back as
 * it is: the library judges it. Neither change alters what the signature proves.
 */
export function paddedEcdsaSignature(signature: string): string {
  const der = Buffer.from(signature, 'base64url');
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2 || der[2] !== 0x02) return signature;
  const rLength = der[3]!;
  const sAt = 4 + rLength;
  if (der[sAt] !== 0x02 || sAt + 2 + der[sAt + 1]! !== der.length) return signature;
  const integer = (at: number, length: number): Buffer | null => {
    const bytes = der.subarray(at, at + length);
    const value = bytes[0] === 0 && length > 1 ? bytes.subarray(1) : bytes;
    return value.length > 32 ? null : value;
  };
  const r = integer(4, rLength);
  let s = integer(sAt + 2, der[sAt + 1]!);
  if (!r || !s || (r.length === 32 && s.length === 32)) return signature;
  if (s.length < 32) {
    const other = P256_ORDER - BigInt(`0x${s.toString('hex')}`);
    if (other > 0n) s = Buffer.from(other.toString(16).padStart(64, '0'), 'hex');
  }
  // A full-width value whose top bit is set keeps DER's sign byte (33 bytes), which the library drops; a short one with its top bit clear is padded to 32.
  const encode = (value: Buffer): Buffer => {
    const trimmed = value.length > 32 ? value.subarray(value.length - 32) : value;
    const padded = (trimmed[0]! & 0x80) === 0 ? Buffer.concat([Buffer.alloc(32 - trimmed.length), trimmed]) : trimmed;
    const body = (padded[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), padded]) : padded;
    return Buffer.concat([Buffer.from([0x02, body.length]), body]);
  };
  const body = Buffer.concat([encode(r), encode(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]).toString('base64url');
}
