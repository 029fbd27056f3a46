// App client operations: CreateUserPoolClient, UpdateUserPoolClient, DescribeUserPoolClient.
import type { EmulatorContext, OperationHandler } from '../context.js';
import * as p from '../protocol.js';
import { describeRotation, rotationFromWire } from '../rotation.js';
import type { AppClient, ClientSettings } from '../state.js';

const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };
/** Cognito's documented default when ExplicitAuthFlows is omitted from CreateUserPoolClient. */
const API_DEFAULT_FLOWS = ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'];

const seconds = (ms: number): number => ms / 1000;

export function describeClient(c: AppClient): p.JsonObject {
  return {
    UserPoolId: c.userPoolId,
    ClientName: c.clientName,
    ClientId: c.clientId,
    ...(c.clientSecret === undefined ? {} : { ClientSecret: c.clientSecret }),
    CreationDate: seconds(c.createdAt),
    LastModifiedDate: seconds(c.updatedAt),
    ExplicitAuthFlows: c.explicitAuthFlows,
    EnableTokenRevocation: c.enableTokenRevocation,
    PreventUserExistenceErrors: c.preventUserExistenceErrors ? 'ENABLED' : 'LEGACY',
    AuthSessionValidity: c.authSessionValidityMinutes,
    RefreshTokenValidity: 30,
    RefreshTokenRotation: describeRotation(c.rotation),
    CallbackURLs: c.oauth.callbackUrls,
    LogoutURLs: c.oauth.logoutUrls,
    AllowedOAuthScopes: c.oauth.scopes,
    AllowedOAuthFlows: c.oauth.flows,
    AllowedOAuthFlowsUserPoolClient: c.oauth.enabled,
    SupportedIdentityProviders: c.oauth.identityProviders,
    ...(c.accessTokenTtlSeconds === undefined
      ? {}
      : { AccessTokenValidity: c.accessTokenTtlSeconds, TokenValidityUnits: { AccessToken: 'seconds', IdToken: 'seconds' } }),
  };
}

/**
 * The settings members of CreateUserPoolClient and UpdateUserPoolClient. Both take the whole
 * configuration: a member left out gets its default, as the API reference says of the update.
 */
function settingsFromWire(input: p.JsonObject, clientName: string): Omit<ClientSettings, 'userPoolId'> {
  const validity = p.optionalNumber(input, 'AccessTokenValidity');
  const unitsMember = input.TokenValidityUnits;
  const unit = p.isJsonObject(unitsMember) ? p.optionalString(unitsMember, 'AccessToken') : undefined;
  const authSessionValidityMinutes = p.optionalNumber(input, 'AuthSessionValidity') ?? 3;
  if (!Number.isInteger(authSessionValidityMinutes) || authSessionValidityMinutes < 3 || authSessionValidityMinutes > 15) throw p.validationError('authSessionValidity', 'Member must have value between 3 and 15', authSessionValidityMinutes);
  return {
    clientName,
    authSessionValidityMinutes,
    enableTokenRevocation: p.optionalBoolean(input, 'EnableTokenRevocation') ?? true,
    explicitAuthFlows: p.optionalStringList(input, 'ExplicitAuthFlows') ?? API_DEFAULT_FLOWS,
    accessTokenTtlSeconds: validity === undefined ? undefined : validity * (UNIT_SECONDS[unit ?? 'hours'] ?? 3600),
    preventUserExistenceErrors: p.optionalString(input, 'PreventUserExistenceErrors') === 'ENABLED',
    rotation: rotationFromWire(input),
    oauth: {
      callbackUrls: p.optionalStringList(input, 'CallbackURLs') ?? [],
      logoutUrls: p.optionalStringList(input, 'LogoutURLs') ?? [],
      scopes: p.optionalStringList(input, 'AllowedOAuthScopes') ?? [],
      flows: p.optionalStringList(input, 'AllowedOAuthFlows') ?? [],
      enabled: p.optionalBoolean(input, 'AllowedOAuthFlowsUserPoolClient') ?? false,
      identityProviders: p.optionalStringList(input, 'SupportedIdentityProviders') ?? [],
    },
  };
}

export const createUserPoolClient: OperationHandler = (ctx, input) => {
  const userPoolId = p.requireString(input, 'UserPoolId');
  const settings = settingsFromWire(input, p.requireString(input, 'ClientName'));
  const client = ctx.store.createClient({ ...settings, userPoolId, generateSecret: p.optionalBoolean(input, 'GenerateSecret') ?? false });
  return { UserPoolClient: describeClient(client) };
};

/** The client, if it belongs to the pool; ResourceNotFoundException otherwise. */
function clientOfPool(ctx: EmulatorContext, input: p.JsonObject): AppClient {
  const poolId = p.requireString(input, 'UserPoolId');
  ctx.store.pool(poolId);
  const client = ctx.store.client(p.requireString(input, 'ClientId'));
  if (client.userPoolId !== poolId) throw new p.CognitoError('ResourceNotFoundException', `User pool client ${client.clientId} does not exist.`);
  return client;
}

export const updateUserPoolClient: OperationHandler = (ctx, input) => {
  const old = clientOfPool(ctx, input);
  const settings = settingsFromWire(input, p.optionalString(input, 'ClientName') ?? old.clientName);
  return { UserPoolClient: describeClient(ctx.store.updateClient(old.clientId, settings)) };
};

export const describeUserPoolClient: OperationHandler = (ctx, input) => ({ UserPoolClient: describeClient(clientOfPool(ctx, input)) });
