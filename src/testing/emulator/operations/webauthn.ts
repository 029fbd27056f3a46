// WebAuthn (passkeys): StartWebAuthnRegistration, CompleteWebAuthnRegistration,
// ListWebAuthnCredentials, DeleteWebAuthnCredential, and USER_AUTH's WEB_AUTHN challenge
// (CREDENTIAL_REQUEST_OPTIONS, answered with CREDENTIAL). Attestations and assertions are verified by
// @simplewebauthn/server (webauthn.ts loads it): challenge, origin, relying party, signature and
// counter. Each challenge is used once, whatever the answer; a refused answer stores nothing.
import type { EmulatorContext, OperationHandler } from '../context.js';
import * as p from '../protocol.js';
import type { AppClient, User } from '../state.js';
import { newChallenge, originAllowed, p256SignatureHolds, readCredential, refusal, relyingParty, webAuthnLibrary, WEBAUTHN_TIMEOUT_MS, type Passkey, type UserWebAuthn } from '../webauthn.js';
import { challenge, userAuthSession } from './challenges.js';
import * as check from './checks.js';
import { signInResult } from '../devices.js';

/** Cognito's limit of passkeys per user. */
export const MAX_PASSKEYS = 20;
const seconds = (ms: number): number => ms / 1000;

/** The signed-in user and the app client their access token was issued to. */
function caller(ctx: EmulatorContext, input: p.JsonObject): { user: User; clientId: string } {
  const token = p.requireString(input, 'AccessToken');
  const { clientId } = ctx.tokens.checkAdminAccessToken(token);
  return { user: check.signedInUser(ctx, token), clientId };
}

const webAuthnOf = (user: User): UserWebAuthn => (user.webAuthn ??= { passkeys: [] });

const descriptor = (passkey: Passkey): p.JsonObject => ({ type: 'public-key', id: passkey.credentialId, transports: [...passkey.transports] });

const originRefused = (): p.CognitoError => new p.CognitoError('WebAuthnOriginNotAllowedException', "The credential was made at an origin the user pool's relying party does not allow.");

/**
 * StartWebAuthnRegistration `{AccessToken}` → `{CredentialCreationOptions}`: the options for
 * navigator.credentials.create (JSON), with a new challenge remembered for this user and client
 * (a later Start replaces it).
 */
export const startWebAuthnRegistration: OperationHandler = (ctx, input) => {
  const { user, clientId } = caller(ctx, input);
  const pool = ctx.store.pool(user.poolId);
  const rp = relyingParty(pool.settings);
  const state = webAuthnOf(user);
  if (state.passkeys.length >= MAX_PASSKEYS) throw new p.CognitoError('LimitExceededException', `A user can have at most ${MAX_PASSKEYS} passkeys.`);
  const challengeValue = newChallenge();
  state.registration = { challenge: challengeValue, clientId, relyingPartyId: rp.id, expiresAt: ctx.now() + WEBAUTHN_TIMEOUT_MS };
  return {
    CredentialCreationOptions: {
      challenge: challengeValue,
      rp: { id: rp.id, name: pool.name },
      user: { id: Buffer.from(user.sub).toString('base64url'), name: user.username, displayName: user.attributes.get('email') ?? user.username },
      pubKeyCredParams: [
        { type: 'public-key', alg: -7 },
        { type: 'public-key', alg: -257 },
      ],
      timeout: WEBAUTHN_TIMEOUT_MS,
      excludeCredentials: state.passkeys.map(descriptor),
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: rp.userVerification },
      attestation: 'none',
    },
  };
};

/**
 * CompleteWebAuthnRegistration `{AccessToken, Credential}`: the browser's answer to the pending
 * registration, verified (challenge, origin, relying party, attestation), becomes one of the user's
 * passkeys. The registration is used up by this call, accepted or not.
 */
export const completeWebAuthnRegistration: OperationHandler = async (ctx, input) => {
  const { user, clientId } = caller(ctx, input);
  const rp = relyingParty(ctx.store.pool(user.poolId).settings);
  const credential = readCredential(input.Credential);
  const state = webAuthnOf(user);
  const pending = state.registration;
  if (pending === undefined || pending.expiresAt <= ctx.now() || pending.relyingPartyId !== rp.id) {
    throw new p.CognitoError('WebAuthnChallengeNotFoundException', 'No registration is pending for this user: call StartWebAuthnRegistration first.');
  }
  if (pending.clientId !== clientId) throw new p.CognitoError('WebAuthnClientMismatchException', 'The access token is for another app client than the one that started the registration.');
  state.registration = undefined;
  if (!originAllowed(credential.origin, rp.id)) throw originRefused();
  const library = await webAuthnLibrary();
  let verified;
  try {
    verified = await library.verifyRegistrationResponse({ response: credential.json, expectedChallenge: pending.challenge, expectedOrigin: credential.origin, expectedRPID: rp.id, requireUserVerification: rp.userVerification === 'required' });
  } catch (error) {
    throw refusal(error, () => notVerified(error));
  }
  const info = verified.registrationInfo;
  if (!verified.verified || info === undefined) throw notVerified(undefined);
  const credentialId = Buffer.from(info.credentialID).toString('base64url');
  for (const other of ctx.store.pool(user.poolId).users.values()) {
    if (other.webAuthn?.passkeys.some((k) => k.credentialId === credentialId)) throw new p.CognitoError('InvalidParameterException', 'This credential is already registered.');
  }
  const response = credential.json.response;
  const transports = p.isJsonObject(response) && Array.isArray(response.transports) ? response.transports.filter((t): t is string => typeof t === 'string') : [];
  const attachment = credential.json.authenticatorAttachment;
  state.passkeys.push({
    credentialId,
    publicKey: info.credentialPublicKey,
    counter: info.counter,
    relyingPartyId: rp.id,
    friendlyName: `Passkey ${state.passkeys.length + 1}`,
    attachment: typeof attachment === 'string' ? attachment : undefined,
    transports,
    createdAt: ctx.now(),
  });
  user.updatedAt = ctx.now();
  return {};
};

/** A registration the library refused: a challenge that is not the pending one, or a credential it cannot accept. */
function notVerified(error: unknown): p.CognitoError {
  const message = error instanceof Error ? error.message : '';
  if (/challenge/i.test(message)) return new p.CognitoError('WebAuthnChallengeNotFoundException', 'The credential answers another challenge than the pending registration.');
  return new p.CognitoError('WebAuthnCredentialNotSupportedException', 'The credential could not be verified, or its format or algorithm is not supported.');
}

/** ListWebAuthnCredentials `{AccessToken, MaxResults?, NextToken?}` → `{Credentials, NextToken?}`, oldest first. */
export const listWebAuthnCredentials: OperationHandler = (ctx, input) => {
  const { user } = caller(ctx, input);
  const max = p.optionalNumber(input, 'MaxResults') ?? MAX_PASSKEYS;
  if (!Number.isInteger(max) || max < 1 || max > MAX_PASSKEYS) throw p.validationError('maxResults', `Member must have value between 1 and ${MAX_PASSKEYS}`, String(max));
  const next = p.optionalString(input, 'NextToken');
  const start = next === undefined ? 0 : Number.parseInt(next, 10);
  if (!Number.isInteger(start) || start < 0) throw new p.CognitoError('InvalidParameterException', 'Invalid NextToken.');
  const passkeys = user.webAuthn?.passkeys ?? [];
  const page = passkeys.slice(start, start + max);
  const Credentials: p.JsonObject[] = page.map((k) => ({
    CredentialId: k.credentialId,
    FriendlyCredentialName: k.friendlyName,
    RelyingPartyId: k.relyingPartyId,
    ...(k.attachment === undefined ? {} : { AuthenticatorAttachment: k.attachment }),
    AuthenticatorTransports: [...k.transports],
    CreatedAt: seconds(k.createdAt),
  }));
  const answer: p.JsonObject = { Credentials };
  if (start + max < passkeys.length) answer.NextToken = String(start + max);
  return answer;
};

/** DeleteWebAuthnCredential `{AccessToken, CredentialId}`: one of the user's passkeys removed. */
export const deleteWebAuthnCredential: OperationHandler = (ctx, input) => {
  const { user } = caller(ctx, input);
  const id = p.requireString(input, 'CredentialId');
  const passkeys = user.webAuthn?.passkeys ?? [];
  const index = passkeys.findIndex((k) => k.credentialId === id);
  if (index < 0) throw new p.CognitoError('ResourceNotFoundException', 'The user has no credential with this CredentialId.');
  passkeys.splice(index, 1);
  user.updatedAt = ctx.now();
  return {};
};

/** Whether `user` can sign in with a passkey now (the pool's relying party is set and they hold one of it). */
export function hasPasskey(user: User, relyingPartyId: string | undefined): boolean {
  return relyingPartyId !== undefined && (user.webAuthn?.passkeys.some((k) => k.relyingPartyId === relyingPartyId) ?? false);
}

/** USER_AUTH's WEB_AUTHN challenge: CREDENTIAL_REQUEST_OPTIONS for navigator.credentials.get, listing the user's passkeys. */
export function webAuthnChallenge(ctx: EmulatorContext, client: AppClient, user: User | undefined, username: string): p.JsonObject {
  const rp = relyingParty(ctx.store.pool(client.userPoolId).settings);
  const challengeValue = newChallenge();
  const passkeys = user?.webAuthn?.passkeys.filter((k) => k.relyingPartyId === rp.id) ?? [];
  const options = { challenge: challengeValue, rpId: rp.id, allowCredentials: passkeys.map(descriptor), timeout: WEBAUTHN_TIMEOUT_MS, userVerification: rp.userVerification };
  const who = { poolId: client.userPoolId, username: user?.username ?? username };
  return challenge(ctx, client, who, 'WEB_AUTHN', { CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(options) }, { firstFactor: true, webAuthnChallenge: challengeValue, ...(user ? {} : { simulated: true }) });
}

const incorrect = (): p.CognitoError => new p.CognitoError('NotAuthorizedException', 'The passkey could not be verified.');

/**
 * RespondToAuthChallenge WEB_AUTHN `{USERNAME, CREDENTIAL}`: the assertion (JSON) for the session's
 * challenge, by one of this user's passkeys, verified (origin, relying party, signature, a higher
 * counter) → tokens. The session is used up by the first answer, right or wrong.
 */
export async function answerWebAuthn(ctx: EmulatorContext, input: p.JsonObject, client: AppClient, responses: Record<string, string>): Promise<p.JsonObject> {
  const username = check.requireParam(responses, 'USERNAME');
  const given = check.requireParam(responses, 'CREDENTIAL');
  check.verifySecretHash(client, responses.SECRET_HASH, [username]);
  const { id, session, user } = userAuthSession(ctx, input, client, 'WEB_AUTHN', username);
  ctx.sessions.delete(id);
  const rp = relyingParty(ctx.store.pool(client.userPoolId).settings);
  const credential = readCredential(given);
  const passkey = user?.webAuthn?.passkeys.find((k) => k.credentialId === credential.id);
  if (!user || session.simulated === true || session.webAuthnChallenge === undefined || passkey === undefined) throw incorrect();
  if (passkey.relyingPartyId !== rp.id) throw new p.CognitoError('WebAuthnRelyingPartyMismatchException', "The passkey was registered for another relying party than the user pool's.");
  if (!originAllowed(credential.origin, rp.id)) throw originRefused();
  const library = await webAuthnLibrary();
  let newCounter: number;
  try {
    const authenticator = { credentialID: Buffer.from(passkey.credentialId, 'base64url'), credentialPublicKey: passkey.publicKey, counter: passkey.counter };
    const result = await library.verifyAuthenticationResponse({ response: credential.json, expectedChallenge: session.webAuthnChallenge, expectedOrigin: credential.origin, expectedRPID: rp.id, authenticator, requireUserVerification: rp.userVerification === 'required' });
    // The library refuses short P-256 signatures that hold (p256SignatureHolds says why): only the signature is judged again.
    if (!result.verified && !(await p256SignatureHolds(credential.json, passkey.publicKey))) throw incorrect();
    newCounter = result.authenticationInfo.newCounter;
  } catch (error) {
    throw refusal(error, incorrect);
  }
  passkey.counter = newCounter;
  // Through the device tracking's end of a sign-in, as a password's or an email code's.
  return signInResult(ctx, client, user, responses.DEVICE_KEY ?? session.deviceKey);
}
