// startCognitoEmulator: wires the store, tokens, faults and server, and adds in-process helpers.
import type { ChallengeSession, EmulatorContext } from './context.js';
import { FaultRegistry } from './faults.js';
import { poolSettingsFromWire } from './poolSettings.js';
import type { JsonObject } from './protocol.js';
import { Inbox } from './inbox.js';
import * as ids from './ids.js';
import { totp } from './mfa.js';
import { codeFactor, fromBase32, poolAllowing } from './userMfa.js';
import { rotationFromOptions } from './rotation.js';
import { EmulatorServer } from './server.js';
import type { SrpState } from './srp.js';
import { ALL_OAUTH_SCOPES, DEFAULT_AUTH_FLOWS, Store } from './state.js';
import { OAuthEndpoints } from './oauth/index.js';
import { cognitoIssuer, TokenService } from './tokens.js';
import type {
  CognitoEmulator,
  CognitoEmulatorOptions,
  CreateUserOptions,
  CreateUserPoolClientOptions,
  EmulatorRequestRecord,
  SetupOptions,
  SetupResult,
} from './types.js';

/** AuthSessionValidity in minutes: 3 by default, else a whole number from 3 to 15 (RangeError). */
function authSessionValidityOf(minutes: number | undefined): number {
  if (minutes === undefined) return 3;
  if (!Number.isInteger(minutes) || minutes < 3 || minutes > 15) throw new RangeError(`authSessionValidity must be a whole number of minutes from 3 to 15, got ${String(minutes)}`);
  return minutes;
}

/**
 * Starts a Cognito-compatible server (AWS JSON 1.1, and the hosted UI's OAuth endpoints) on
 * 127.0.0.1, for tests: no AWS account, every token it issues checkable, faults on demand.
 * Rejects with RangeError for an accessTokenTtlSeconds not above 0 or an unknown `issuer`, or with
 * the server's error when it cannot listen. Call close() when done.
 */
export async function startCognitoEmulator(options: CognitoEmulatorOptions = {}): Promise<CognitoEmulator> {
  const region = options.region ?? 'us-east-1';
  const now = options.now ?? Date.now;
  const ttl = options.accessTokenTtlSeconds ?? 3600;
  if (!(ttl > 0)) throw new RangeError('accessTokenTtlSeconds must be > 0');
  const issuer = options.issuer ?? 'endpoint';
  if (issuer !== 'endpoint' && issuer !== 'aws') throw new RangeError(`issuer must be 'endpoint' or 'aws', got ${String(issuer)}`);

  let endpoint = '';
  const store = new Store(region, now);
  const tokens = new TokenService((poolId) => (issuer === 'aws' ? cognitoIssuer(poolId) : `${endpoint}/${poolId}`), now, ttl);
  const ctx: EmulatorContext = { store, tokens, region, now, inbox: new Inbox(now), sessions: new Map<string, ChallengeSession>(), srp: new Map<string, SrpState>() };
  const faults = new FaultRegistry();
  const requests: EmulatorRequestRecord[] = [];
  const oauth = new OAuthEndpoints(ctx, () => endpoint);
  const server = new EmulatorServer(ctx, faults, (record) => requests.push(record), oauth);
  const port = await server.listen(options.port ?? 0);
  endpoint = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  const emulator: CognitoEmulator = {
    endpoint,
    region,
    faults,
    requests,
    close: () => (closing ??= server.close()),
    resetRequests: () => {
      requests.length = 0;
    },
    tokenRevoked: (token) => tokens.isRevoked(token),
    jwks: (userPoolId) => {
      store.pool(userPoolId); // ResourceNotFoundException for a pool that does not exist, as the HTTP 404
      return tokens.signer.jwks();
    },
    createUserPool: (name, settings) => ({ userPoolId: store.createPool(name ?? 'authchart-test-pool', poolSettingsFromWire((settings ?? {}) as JsonObject)).id }),
    createUserPoolClient: (o: CreateUserPoolClientOptions) => {
      const client = store.createClient({
        userPoolId: o.userPoolId,
        clientName: o.clientName ?? 'authchart-test-client',
        generateSecret: o.generateSecret ?? false,
        enableTokenRevocation: o.enableTokenRevocation ?? true,
        explicitAuthFlows: [...(o.explicitAuthFlows ?? DEFAULT_AUTH_FLOWS)],
        accessTokenTtlSeconds: o.accessTokenTtlSeconds,
        preventUserExistenceErrors: o.preventUserExistenceErrors ?? false,
        authSessionValidityMinutes: authSessionValidityOf(o.authSessionValidity),
        rotation: rotationFromOptions(o.refreshTokenRotation),
        oauth: {
          callbackUrls: [...(o.callbackUrls ?? [])],
          logoutUrls: [...(o.logoutUrls ?? [])],
          scopes: [...(o.allowedOAuthScopes ?? ALL_OAUTH_SCOPES)],
          flows: [...(o.allowedOAuthFlows ?? ['code'])],
          enabled: o.allowedOAuthFlowsUserPoolClient ?? true,
          identityProviders: [...(o.supportedIdentityProviders ?? ['COGNITO'])],
        },
      });
      return client.clientSecret === undefined
        ? { clientId: client.clientId }
        : { clientId: client.clientId, clientSecret: client.clientSecret };
    },
    createUser: (o: CreateUserOptions) => {
      const status = o.confirmed === false ? 'UNCONFIRMED' : o.permanent === false ? 'FORCE_CHANGE_PASSWORD' : 'CONFIRMED';
      const attributes = { ...o.attributes };
      const phone = o.phoneNumber ?? attributes.phone_number ?? (o.mfa === 'SMS_MFA' ? '+15555550100' : undefined);
      if (phone !== undefined) Object.assign(attributes, { phone_number: phone, phone_number_verified: 'true' });
      const pool = store.pool(o.userPoolId);
      if (o.mfa !== undefined) pool.settings = poolAllowing(pool.settings, o.mfa); // a pool must offer the factor for the user to have it
      store.createUser(o.userPoolId, o.username, o.password, status, attributes, o.mfa);
    },
    inbox: (username, options = {}) => {
      let poolId = options.userPoolId;
      if (poolId === undefined) {
        if (store.pools.size !== 1) throw new Error(`inbox(): the emulator has ${store.pools.size} user pools; pass { userPoolId }`);
        poolId = [...store.pools.keys()][0]!;
      }
      store.pool(poolId);
      return ctx.inbox.of(poolId, username);
    },
    totpCode: (sharedSecret) => totp(fromBase32(sharedSecret), now()),
    mfaCode: (userPoolId, username) => {
      const user = store.user(userPoolId, username);
      const factor = codeFactor(user.mfa);
      if (factor === undefined) throw new Error(`User ${username} has no MFA`);
      const secret = user.mfa.totpSecret;
      if (factor === 'SOFTWARE_TOKEN_MFA' && secret !== undefined) return totp(secret, now());
      const code = factor === 'SMS_MFA' ? user.lastSmsCode : factor === 'EMAIL_OTP' ? ctx.inbox.latest(userPoolId, user.username, 'mfa')?.code : undefined;
      if (code === undefined) throw new Error(factor === 'SOFTWARE_TOKEN_MFA' ? `The TOTP of ${username} is not verified` : `No ${factor === 'SMS_MFA' ? 'SMS' : 'email'} code has been sent to ${username} yet`);
      return code;
    },
    setup: (o: SetupOptions = {}): SetupResult => {
      const { userPoolId } = emulator.createUserPool(undefined, o.userPool);
      const client = emulator.createUserPoolClient({
        userPoolId,
        ...(o.explicitAuthFlows && { explicitAuthFlows: o.explicitAuthFlows }),
        ...(o.preventUserExistenceErrors === undefined ? {} : { preventUserExistenceErrors: o.preventUserExistenceErrors }),
        ...(o.authSessionValidity === undefined ? {} : { authSessionValidity: o.authSessionValidity }),
        ...(o.generateSecret === undefined ? {} : { generateSecret: o.generateSecret }),
        ...(o.enableTokenRevocation === undefined ? {} : { enableTokenRevocation: o.enableTokenRevocation }),
        ...(o.callbackUrls && { callbackUrls: o.callbackUrls }),
        ...(o.logoutUrls && { logoutUrls: o.logoutUrls }),
        ...(o.allowedOAuthScopes && { allowedOAuthScopes: o.allowedOAuthScopes }),
        ...(o.allowedOAuthFlows && { allowedOAuthFlows: o.allowedOAuthFlows }),
        ...(o.allowedOAuthFlowsUserPoolClient === undefined ? {} : { allowedOAuthFlowsUserPoolClient: o.allowedOAuthFlowsUserPoolClient }),
        ...(o.supportedIdentityProviders && { supportedIdentityProviders: o.supportedIdentityProviders }),
        ...(o.refreshTokenRotation && { refreshTokenRotation: o.refreshTokenRotation }),
      });
      const username = o.username ?? 'test-user';
      const password = ids.password();
      const attributes = { email: `${username}@example.com`, email_verified: 'true' };
      emulator.createUser({ userPoolId, username, password, attributes, ...(o.mfa && { mfa: o.mfa }) });
      return { userPoolId, ...client, username, password };
    },
  };
  return emulator;
}
