import {
  CognitoIdentityProviderClient,
  GetTokensFromRefreshTokenCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  type ChallengeNameType,
} from '@aws-sdk/client-cognito-identity-provider';
import { createParameterSigner, toAuthStep, toRefreshedTokens } from './authParameters.js';
import { toCognitoCallError } from './errors.js';
import { withDeadline } from './deadline.js';
import type { CognitoService } from './types.js';
import { onFirstUse } from './onFirstUse.js';

const loadAccountSdk = onFirstUse(() => import('./accountSdk.js'), 'The MFA setup calls');

// The shared types live in cognitoTypes.ts (no import circle with authParameters.ts); re-exported here
// for the modules that import them from the SDK transport.
export type { AuthFlow, AuthStep, CognitoService } from './types.js';

export interface SdkCognitoOptions {
  /** The client, or a function that builds it at the first call (and returns the same one after). */
  readonly client: CognitoIdentityProviderClient | (() => CognitoIdentityProviderClient);
  readonly clientId: string;
  readonly clientSecret?: string;
  /** Every call (the SDK's retries included) ends with TimeoutError after this. Default 3000. */
  readonly callTimeoutMs?: number;
}

/** The CognitoService over `@aws-sdk/client-cognito-identity-provider`. */
export function createSdkCognito({ client: clientOrBuild, clientId, clientSecret, callTimeoutMs = 3000 }: SdkCognitoOptions): CognitoService {
  const clientOf = typeof clientOrBuild === 'function' ? clientOrBuild : () => clientOrBuild;
  /** One bounded call: a silent server can never hang a sign-in, a refresh or a revocation. */
  async function call<T>(operation: string, secrets: Array<string | undefined>, signal: AbortSignal | undefined, send: (client: CognitoIdentityProviderClient, options: { abortSignal: AbortSignal }) => Promise<T>): Promise<T> {
    const deadline = withDeadline(signal, callTimeoutMs);
    try {
      return await send(clientOf(), { abortSignal: deadline.signal });
    } catch (error) {
      throw toCognitoCallError(error, operation, [...secrets, clientSecret], deadline.signal);
    } finally {
      deadline.done();
    }
  }
  const sign = createParameterSigner(clientId, clientSecret);

  return {
    async revokeToken(refreshToken, signal) {
      const command = new RevokeTokenCommand({ Token: refreshToken, ClientId: clientId, ...(clientSecret && { ClientSecret: clientSecret }) });
      await call('RevokeToken', [refreshToken], signal, (client, options) => client.send(command, options));
    },
    async globalSignOut(accessToken, signal) {
      await call('GlobalSignOut', [accessToken], signal, (client, options) => client.send(new GlobalSignOutCommand({ AccessToken: accessToken }), options));
    },
    async initiateAuth(flow, parameters, signal) {
      const [signed, secrets] = await sign(parameters);
      const command = new InitiateAuthCommand({ AuthFlow: flow, ClientId: clientId, AuthParameters: signed });
      return toAuthStep(await call('InitiateAuth', secrets, signal, (client, options) => client.send(command, options)));
    },
    async refreshTokens(refreshToken, username, signal, deviceKey) {
      const [signed, secrets] = await sign({ REFRESH_TOKEN: refreshToken, ...(deviceKey && { DEVICE_KEY: deviceKey }) }, username);
      const command = new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: signed });
      return toRefreshedTokens(await call('InitiateAuth', secrets, signal, (client, options) => client.send(command, options)), refreshToken, 'REFRESH_TOKEN_AUTH');
    },
    async getTokensFromRefreshToken(refreshToken, signal, deviceKey) {
      const command = new GetTokensFromRefreshTokenCommand({ RefreshToken: refreshToken, ClientId: clientId, ...(clientSecret && { ClientSecret: clientSecret }), ...(deviceKey && { DeviceKey: deviceKey }) });
      return toRefreshedTokens(await call('GetTokensFromRefreshToken', [refreshToken], signal, (client, options) => client.send(command, options)), refreshToken);
    },
    async respondToAuthChallenge(name, session, responses, signal) {
      const [signed, secrets] = await sign(responses);
      const command = new RespondToAuthChallengeCommand({ ChallengeName: name as ChallengeNameType, ClientId: clientId, ChallengeResponses: signed, ...(session && { Session: session }) });
      return toAuthStep(await call('RespondToAuthChallenge', [...secrets, session], signal, (client, options) => client.send(command, options)));
    },
    // Its commands load with the account wire's, on the first TOTP setup during a sign-in.
    async mfaSetup(operation, payload, secrets, signal) {
      const { sdkAccountWire } = await loadAccountSdk();
      return sdkAccountWire({ client: clientOf(), callTimeoutMs, ...(clientSecret && { clientSecret }) })(operation, payload, secrets, signal);
    },
  };
}

/** An SDK client for a region, optionally at another endpoint (a local emulator). */
export function createCognitoClient(region: string, endpoint?: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ region, ...(endpoint && { endpoint }) });
}
