import {
  CognitoIdentityProviderClient,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { toCognitoCallError } from './cognitoErrors.js';
import { secretHash } from './secretHash.js';
import type { SessionTokens } from './tokenStore.js';

/** What InitiateAuth answered: tokens, or a challenge the user must answer. */
export type InitiateAuthAnswer =
  | { readonly kind: 'tokens'; readonly tokens: SessionTokens }
  | { readonly kind: 'challenge'; readonly challengeName: string };

export type InitiateAuthRequest =
  | { readonly flow: 'USER_PASSWORD_AUTH'; readonly username: string; readonly password: string }
  | { readonly flow: 'REFRESH_TOKEN_AUTH'; readonly username: string; readonly refreshToken: string };

/**
 * The Cognito user-pool calls authchart makes. Every method honours `signal` and rejects with a
 * CognitoCallError (name + message free of secrets). Transports (the AWS SDK one here, a fetch one
 * later) implement this interface, so the machines and the public API never see a wire format.
 */
export interface CognitoService {
  revokeToken(refreshToken: string, signal?: AbortSignal): Promise<void>;
  globalSignOut(accessToken: string, signal?: AbortSignal): Promise<void>;
  initiateAuth(request: InitiateAuthRequest, signal?: AbortSignal): Promise<InitiateAuthAnswer>;
}

export interface SdkCognitoOptions {
  readonly client: CognitoIdentityProviderClient;
  readonly clientId: string;
  readonly clientSecret?: string;
}

/** The CognitoService over `@aws-sdk/client-cognito-identity-provider`. */
export function createSdkCognito({ client, clientId, clientSecret }: SdkCognitoOptions): CognitoService {
  async function call<T>(operation: string, secrets: Array<string | undefined>, signal: AbortSignal | undefined, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw toCognitoCallError(error, operation, [...secrets, clientSecret], signal);
    }
  }
  const options = (signal?: AbortSignal) => (signal ? { abortSignal: signal } : {});

  return {
    async revokeToken(refreshToken, signal) {
      const command = new RevokeTokenCommand({ Token: refreshToken, ClientId: clientId, ...(clientSecret && { ClientSecret: clientSecret }) });
      await call('RevokeToken', [refreshToken], signal, () => client.send(command, options(signal)));
    },
    async globalSignOut(accessToken, signal) {
      await call('GlobalSignOut', [accessToken], signal, () => client.send(new GlobalSignOutCommand({ AccessToken: accessToken }), options(signal)));
    },
    async initiateAuth(request, signal) {
      const hash: Record<string, string> = clientSecret ? { SECRET_HASH: await secretHash(clientSecret, request.username, clientId) } : {};
      const parameters: Record<string, string> =
        request.flow === 'USER_PASSWORD_AUTH'
          ? { USERNAME: request.username, PASSWORD: request.password, ...hash }
          : { REFRESH_TOKEN: request.refreshToken, ...hash };
      const secrets = [request.flow === 'USER_PASSWORD_AUTH' ? request.password : request.refreshToken, hash.SECRET_HASH];
      const command = new InitiateAuthCommand({ AuthFlow: request.flow, ClientId: clientId, AuthParameters: parameters });
      const answer = await call('InitiateAuth', secrets, signal, () => client.send(command, options(signal)));
      const result = answer.AuthenticationResult;
      if (result?.AccessToken && result.IdToken) {
        const refreshToken = result.RefreshToken ?? (request.flow === 'REFRESH_TOKEN_AUTH' ? request.refreshToken : undefined);
        return { kind: 'tokens', tokens: { accessToken: result.AccessToken, idToken: result.IdToken, ...(refreshToken && { refreshToken }) } };
      }
      return { kind: 'challenge', challengeName: answer.ChallengeName ?? 'UNKNOWN' };
    },
  };
}

/** An SDK client for a region, optionally at another endpoint (a local emulator). */
export function createCognitoClient(region: string, endpoint?: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ region, ...(endpoint && { endpoint }) });
}
