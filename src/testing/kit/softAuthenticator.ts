// A software passkey for tests: a P-256 key from node:crypto, and the registration ('none'
// attestation) and assertion a browser would send, built here from WebAuthn's byte layouts. The
// emulator verifies them with @simplewebauthn/server; this side only has to produce them honestly
// (and, for the hostile tests, dishonestly).
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

type Cbor = number | string | Uint8Array | Cbor[] | Map<Cbor, Cbor> | { [key: string]: Cbor };

function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
  if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(length, 1);
  return b;
}

/** The few CBOR shapes WebAuthn needs (RFC 8949): integers, byte and text strings, arrays, maps. */
export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  const entries: Array<[Cbor, Cbor]> = value instanceof Map ? [...value] : Object.entries(value);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();

/**
 * An ECDSA signature (DER) whose r and s are each a full 32 bytes. About 1 in 128 P-256 signatures
 * has a shorter r or s, which @simplewebauthn/server 9.0.3's unwrapEC2Signature turns into fewer
 * than 64 bytes and then refuses as a bad signature (the emulator's verifier would flake). ECDSA
 * signs with a fresh random k each time, so signing again gives another valid signature.
 */
/** Which kind of signature assert() makes: full width (r and s 32 bytes each, the default), or a short one. */
export type SignatureShape = 'full' | 'shortS' | 'shortR' | 'shortRTopBitSet';

/**
 * Signs until the DER signature has `shape`: a short r or s (fewer than 32 bytes once DER's sign
 * byte is dropped) is about 1 in 256 each; a short r whose top bit is set, about 1 in 512.
 */
function signatureShaped(signOnce: () => Buffer, shape: SignatureShape): Buffer {
  for (;;) {
    const der = signOnce();
    const rLength = der[3]!;
    const sLength = der[5 + rLength]!;
    const width = (length: number, at: number) => length - (der[at] === 0 ? 1 : 0);
    const rWidth = width(rLength, 4);
    const sWidth = width(sLength, 6 + rLength);
    const rTopBit = (der[4 + rLength - rWidth]! & 0x80) !== 0;
    const shaped = { full: rWidth === 32 && sWidth === 32, shortS: rWidth === 32 && sWidth < 32, shortR: rWidth < 32 && !rTopBit, shortRTopBitSet: rWidth < 32 && rTopBit }[shape];
    if (shaped) return der;
  }
}

const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

export interface CreationOptions {
  challenge: string;
  rp: { id: string };
  excludeCredentials?: Array<{ id: string }>;
}
export interface RequestOptions {
  challenge: string;
  rpId: string;
  allowCredentials: Array<{ id: string }>;
}

/** One authenticator holding one credential (made by `register`). */
export class SoftAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly privateKey: KeyObject;
  private readonly publicJwk: { x: string; y: string };
  /** The signature counter, raised by each assertion. */
  counter = 0;

  constructor() {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    const jwk = pair.publicKey.export({ format: 'jwk' });
    this.publicJwk = { x: jwk.x ?? '', y: jwk.y ?? '' };
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  private authData(rpId: string, flags: number, attested?: Buffer): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(this.counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
  }

  /** The PublicKeyCredential (JSON) navigator.credentials.create would give at `origin` for these options (without user verification when `userVerified` is false). */
  register(options: CreationOptions, origin: string, rpId = options.rp.id, userVerified = true): Record<string, unknown> {
    const coseKey = new Map<Cbor, Cbor>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(this.publicJwk.x, 'base64url')],
      [-3, Buffer.from(this.publicJwk.y, 'base64url')],
    ]);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, cbor(coseKey)]);
    const attestationObject = cbor({ fmt: 'none', attStmt: {}, authData: this.authData(rpId, UP | (userVerified ? UV : 0) | AT, attested) });
    const clientDataJSON = JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin, crossOrigin: false });
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: { clientDataJSON: b64url(Buffer.from(clientDataJSON)), attestationObject: b64url(attestationObject), transports: ['internal'] },
    };
  }

  /** The assertion navigator.credentials.get would give at `origin`; the counter goes up first. `tamper` flips a bit of the signature. */
  assert(options: RequestOptions, origin: string, how: { rpId?: string; tamper?: boolean; counter?: number; signature?: SignatureShape } = {}): string {
    this.counter = how.counter ?? this.counter + 1;
    const authenticatorData = this.authData(how.rpId ?? options.rpId, UP | UV);
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false }));
    // `signature`: full width unless asked; a short r or s is what about 1 in 128 of any authenticator's signatures are (src/testing/emulator/webauthn.ts, p256SignatureHolds).
    const signature = signatureShaped(() => sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), this.privateKey), how.signature ?? 'full');
    if (how.tamper === true) signature[signature.length - 1] = (signature[signature.length - 1] ?? 0) ^ 0x01;
    return JSON.stringify({
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authenticatorData), signature: b64url(signature) },
    });
  }
}
