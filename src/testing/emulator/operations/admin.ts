// Admin operations: CreateUserPool, UpdateUserPool, DescribeUserPool, AdminCreateUser, AdminSetUserPassword (app clients: app-clients.ts).
import type { OperationHandler } from '../context.js';
import * as ids from '../ids.js';
import * as p from '../protocol.js';
import { describePoolSettings, poolSettingsFromWire } from '../poolSettings.js';
import type { User, UserPool } from '../state.js';

const seconds = (ms: number): number => ms / 1000;

export function describePool(pool: UserPool): p.JsonObject {
  return {
    Id: pool.id,
    Name: pool.name,
    Arn: pool.arn,
    CreationDate: seconds(pool.createdAt),
    LastModifiedDate: seconds(pool.updatedAt),
    EstimatedNumberOfUsers: pool.users.size,
    ...describePoolSettings(pool.settings),
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
  UserPool: describePool(ctx.store.createPool(p.requireString(input, 'PoolName'), poolSettingsFromWire(input))),
});

/** UpdateUserPool: the whole configuration again (a member left out gets its default); SetUserPoolMfaConfig's factors are kept. */
export const updateUserPool: OperationHandler = (ctx, input) => {
  const pool = ctx.store.pool(p.requireString(input, 'UserPoolId'));
  pool.settings = poolSettingsFromWire(input, pool.settings);
  pool.updatedAt = ctx.now();
  return {};
};

export const describeUserPool: OperationHandler = (ctx, input) => ({ UserPool: describePool(ctx.store.pool(p.requireString(input, 'UserPoolId'))) });

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
