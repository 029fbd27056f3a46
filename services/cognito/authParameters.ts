import type { AuthStep } from './types.js';
import { ErrorNames } from '../../machines/types.js';
import { isJsonObject as isObject } from '../encoding/json.js';
import type { SessionTokens } from '../storage/tokenStore.js';
import { CognitoCallError } from './errors.js';
import { onFirstUse } from './onFirstUse.js';

/**
 * SECRET_HASH's HMAC-SHA256 (Web Crypto, or @noble/hashes where there is none:
 * services/crypto/hashes.ts), in the sign-in flow's chunk (signInFlow.ts re-exports it): only app
 * clients with a secret load it when the transport is made (docs/performance.md). A client secret
 * belongs on a server, where this costs nothing; a browser app with one loads the sign-in chunk at start.
 */
const loadSecretHash = onFirstUse(() => import('../actors/signInFlow.js'), 'The SECRET_HASH code');

/** Parameter names whose values are not secret; every other value is redacted from messages. */
const PUBLIC_PARAMETERS = new Set(['USERNAME', 'SRP_A']);

/**
 * Adds SECRET_HASH (for `username`) when the client has a secret, and lists the values to redact
 * from any error message. Shared by every transport, and free of the SDK.
 */
export function createParameterSigner(clientId: string, clientSecret: string | undefined) {
  // Loaded now, not at the first call: that may be a refresh at a bad moment (a laptop waking up offline).
  let hashing = clientSecret ? loadSecretHash() : undefined;
  hashing?.catch(() => undefined); // a failed load is reported by the first call that needs it
  return async function sign(parameters: Readonly<Record<string, string>>, username = parameters.USERNAME): Promise<[Record<string, string>, string[]]> {
    const signed: Record<string, string> = { ...parameters };
    if (clientSecret && username) {
      hashing = hashing!.catch(loadSecretHash); // a load that failed is tried again
      signed.SECRET_HASH = await (await hashing).secretHash(clientSecret, username, clientId, onFirstUse);
    }
    return [signed, Object.entries(signed).filter(([key]) => !PUBLIC_PARAMETERS.has(key)).map(([, value]) => value)];
  };
}

type Json = Readonly<Record<string, unknown>>;
const stringOf = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** What InitiateAuth or RespondToAuthChallenge answered: tokens when there are access and ID tokens, else a challenge. */
export function toAuthStep(answer: object, refreshToken?: string): AuthStep {
  const json = answer as Json;
  const result = isObject(json.AuthenticationResult) ? json.AuthenticationResult : undefined;
  const accessToken = stringOf(result?.AccessToken);
  const idToken = stringOf(result?.IdToken);
  if (accessToken && idToken) {
    const refresh = stringOf(result?.RefreshToken) ?? refreshToken;
    return { kind: 'tokens', tokens: { accessToken, idToken, ...(refresh && { refreshToken: refresh }) } };
  }
  const session = stringOf(json.Session);
  const parameters: Record<string, string> = {};
  if (isObject(json.ChallengeParameters)) {
    for (const [key, value] of Object.entries(json.ChallengeParameters)) if (typeof value === 'string') parameters[key] = value;
  }
  return { kind: 'challenge', name: stringOf(json.ChallengeName) ?? 'UNKNOWN', ...(session && { session }), parameters, available: json.AvailableChallenges };
}

/**
 * What a refresh answered (`request`: GetTokensFromRefreshToken, or InitiateAuth's REFRESH_TOKEN_AUTH):
 * the new refresh token when the client rotates them, else the one sent (`refreshToken`). An answer
 * without access and ID tokens (a challenge included) is UnexpectedResponse naming the request: one
 * message and one code path for both refreshes, in both transports (docs/performance.md).
 */
export function toRefreshedTokens(answer: object, refreshToken: string, request = 'GetTokensFromRefreshToken'): SessionTokens {
  const step = toAuthStep(answer, refreshToken);
  if (step.kind === 'tokens') return step.tokens;
  throw new CognitoCallError(ErrorNames.unexpectedResponse, `${request} answered without access and ID tokens`);
}
