// Cognito's own word on an access token (GetUser), for an API server's revocation list: a fact,
// 'valid', 'revoked' or 'unknown' (Cognito could not be asked). What it means is the list's call.
import { CognitoExceptions, ServerErrorNames } from '../../machines/errors/registry.js';
import { createFetchCall } from '../cognito/fetchTransport.js';
import { factsOfClaims } from '../encoding/tokenFacts.js';

/** Cognito's answer about one access token. */
export type CognitoVerdict = 'valid' | 'revoked' | 'unknown';

/** The pool and app client the list's tokens come from; `endpoint` is for the emulator. */
export interface CognitoPoolConfig {
  /** The user pool, e.g. 'eu-west-1_AbC123'. */
  readonly userPoolId: string;
  /** The app client the tokens were issued to. */
  readonly clientId: string;
  /** The pool's region, e.g. 'eu-west-1'. */
  readonly region: string;
  /** Another Cognito endpoint, e.g. authchart's emulator (`emulator.endpoint`). */
  readonly endpoint?: string;
}

/** Names with which GetUser says the token is no longer good: revoked (or expired), or the user is gone. */
const REVOKED = new Set<string>([CognitoExceptions.notAuthorized, ServerErrorNames.userNotFound]);

/**
 * Asks Cognito (GetUser with the access token) whether a token is still good. Resolves 'unknown'
 * when Cognito could not be asked (network, deadline, throttling), never rejects. `callTimeoutMs`
 * bounds the call and its retries.
 */
export function createCognitoCheck(config: CognitoPoolConfig, callTimeoutMs = 3000): (accessToken: string, signal?: AbortSignal) => Promise<CognitoVerdict> {
  const call = createFetchCall({ region: config.region, clientId: config.clientId, callTimeoutMs, ...(config.endpoint !== undefined && { endpoint: config.endpoint }) });
  return async (accessToken, signal) => {
    try {
      // GetUser's attributes are not read: only whether Cognito still accepts the token.
      await call('GetUser', { AccessToken: accessToken }, [accessToken], signal);
      return 'valid';
    } catch (error) {
      const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
      return typeof name === 'string' && REVOKED.has(name) ? 'revoked' : 'unknown';
    }
  };
}

/**
 * Whether GetUser can be asked with a token of these claims: it needs Cognito's admin scope, which
 * a hosted-UI token has only when the app client asked for it (a token with no scope claim is tried).
 */
export const canAskCognito = (claims: Readonly<Record<string, unknown>>): boolean => factsOfClaims(claims).scope !== 'other';
