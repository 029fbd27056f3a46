// Admin operations: CreateUserPool, CreateUserPoolClient, AdminCreateUser, AdminSetUserPassword.
import type { OperationHandler } from '../context.js';
import * as ids from '../ids.js';
import * as p from '../protocol.js';
import type { AppClient, User, UserPool } from '../state.js';

const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };
/** Cognito's documented default when ExplicitAuthFlows is omitted from CreateUserPoolClient. */
const API_DEFAULT_FLOWS = ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'];

const seconds = (ms: number): number => ms / 1000;

export function describePool(pool: UserPool): p.JsonObject {
  return {
    Id: pool.id,
    Name: pool.name,
    Arn: pool.arn,
    CreationDate: seconds(pool.createdAt),
    LastModifiedDate: seconds(pool.createdAt),
    EstimatedNumberOfUsers: pool.users.size,
  };
}

export function describeClient(c: AppClient): p.JsonObject {
  return {
    UserPoolId: c.userPoolId,
    ClientName: c.clientName,
    ClientId: c.clientId,
    ...(c.clientSecret === undefined ? {} : { ClientSecret: c.clientSecret }),
    CreationDate: seconds(c.createdAt),
    LastModifiedDate: seconds(c.createdAt),
    ExplicitAuthFlows: c.explicitAuthFlows,
    EnableTokenRevocation: c.enableTokenRevocation,
    PreventUserExistenceErrors: c.preventUserExistenceErrors ? 'ENABLED' : 'LEGACY',
    RefreshTokenValidity: 30,
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

export function describeUser(u: User): p.JsonObject {
  return {
    Username: u.username,
    Attributes: [...u.attributes].map(([Name, Value]) => ({ Name, Value })),
    UserCreateDate: seconds(u.createdAt),
    UserLastModifiedDate: seconds(u.updatedAt),
    Enabled: u.enabled,
    UserStatus: u.status,
  };
}

export const createUserPool: OperationHandler = (ctx, input) => ({
  UserPool: describePool(ctx.store.createPool(p.requireString(input, 'PoolName'))),
});

export const createUserPoolClient: OperationHandler = (ctx, input) => {
  const validity = p.optionalNumber(input, 'AccessTokenValidity');
  const unitsMember = input.TokenValidityUnits;
  const unit = p.isJsonObject(unitsMember) ? p.optionalString(unitsMember, 'AccessToken') : undefined;
  const client = ctx.store.createClient({
    userPoolId: p.requireString(input, 'UserPoolId'),
    clientName: p.requireString(input, 'ClientName'),
    generateSecret: p.optionalBoolean(input, 'GenerateSecret') ?? false,
    enableTokenRevocation: p.optionalBoolean(input, 'EnableTokenRevocation') ?? true,
    explicitAuthFlows: p.optionalStringList(input, 'ExplicitAuthFlows') ?? API_DEFAULT_FLOWS,
    accessTokenTtlSeconds: validity === undefined ? undefined : validity * (UNIT_SECONDS[unit ?? 'hours'] ?? 3600),
    preventUserExistenceErrors: p.optionalString(input, 'PreventUserExistenceErrors') === 'ENABLED',
    oauth: {
      callbackUrls: p.optionalStringList(input, 'CallbackURLs') ?? [],
      logoutUrls: p.optionalStringList(input, 'LogoutURLs') ?? [],
      scopes: p.optionalStringList(input, 'AllowedOAuthScopes') ?? [],
      flows: p.optionalStringList(input, 'AllowedOAuthFlows') ?? [],
      enabled: p.optionalBoolean(input, 'AllowedOAuthFlowsUserPoolClient') ?? false,
      identityProviders: p.optionalStringList(input, 'SupportedIdentityProviders') ?? [],
    },
  });
  return { UserPoolClient: describeClient(client) };
};

export const adminCreateUser: OperationHandler = (ctx, input) => {
  const poolId = p.requireString(input, 'UserPoolId');
  const username = p.requireString(input, 'Username');
  const temporary = p.optionalString(input, 'TemporaryPassword') ?? ids.password();
  const attributes = p.attributeList(input, 'UserAttributes');
  const user = ctx.store.createUser(poolId, username, temporary, 'FORCE_CHANGE_PASSWORD', attributes);
  return { User: describeUser(user) };
};

export const adminSetUserPassword: OperationHandler = (ctx, input) => {
  const user = ctx.store.user(p.requireString(input, 'UserPoolId'), p.requireString(input, 'Username'));
  const password = p.requireString(input, 'Password');
  ctx.store.setPassword(user, password, p.optionalBoolean(input, 'Permanent') ?? false);
  return {};
};
