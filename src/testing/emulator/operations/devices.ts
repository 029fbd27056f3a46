// The device operations (ConfirmDevice, UpdateDeviceStatus, ListDevices, GetDevice, ForgetDevice,
// and the Admin* variants of the last four) and the device SRP challenges of a sign-in on a remembered device: DEVICE_SRP_AUTH (the client's
// SRP_A) answered with DEVICE_PASSWORD_VERIFIER (SRP_B, SALT, SECRET_BLOCK), whose signature is
// checked against the verifier ConfirmDevice stored. The device SRP is the user SRP with the
// DeviceGroupKey hashed where the pool name goes and the DeviceKey as the user id.
import type { EmulatorContext, OperationHandler } from '../context.js';
import { deviceSkipsMfa, describeDevice, findDevice, rememberedDevice, signInResult } from '../devices.js';
import * as p from '../protocol.js';
import { claimMatches, parseSrpA, secretBlock, serverEphemeral } from '../srp.js';
import type { AppClient, Device, User } from '../state.js';
import * as srp from '../../../../services/srp/math.js';
import { challenge, mfaChallenge, pendingSession } from './challenges.js';
import * as check from './checks.js';
import { claimAnswer } from './srp-auth.js';

/** Whose devices a request names: the access token's user, or (Admin*) UserPoolId and Username. */
type Owner = (ctx: EmulatorContext, input: p.JsonObject) => User;

/** The signed-in user an access token names (Cognito's user APIs: the admin scope, not revoked). */
const caller: Owner = (ctx, input) => {
  const grant = ctx.tokens.checkAdminAccessToken(p.requireString(input, 'AccessToken'));
  const user = ctx.store.findUser(grant.poolId, grant.sub);
  if (!user) throw new p.CognitoError('UserNotFoundException', 'User does not exist.');
  return user;
};

/** Admin*: UserPoolId and Username (ResourceNotFoundException, UserNotFoundException). */
const named: Owner = (ctx, input) => ctx.store.user(p.requireString(input, 'UserPoolId'), p.requireString(input, 'Username'));

const noDevice = (): p.CognitoError => new p.CognitoError('ResourceNotFoundException', 'Device does not exist.');

/** The caller's device with this key; ResourceNotFoundException for an unknown one or another user's. */
function ownDevice(user: User, key: string, confirmedOnly: boolean): Device {
  const device = findDevice(user, key);
  if (!device || (confirmedOnly && device.verifier === undefined)) throw noDevice();
  return device;
}

/** A non-negative integer from base64 bytes (big-endian), or undefined when it is not base64 or empty. */
function base64Integer(text: string | undefined): bigint | undefined {
  if (text === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === 0 ? undefined : BigInt(`0x${bytes.toString('hex')}`);
}

/**
 * ConfirmDevice {AccessToken, DeviceKey, DeviceSecretVerifierConfig {PasswordVerifier, Salt}
 * (base64 of the integers' bytes), DeviceName?} → {UserConfirmationNecessary}. The device is
 * remembered at once, unless DeviceOnlyRememberedOnUserPrompt: then it waits for UpdateDeviceStatus
 * and UserConfirmationNecessary is true.
 */
export const confirmDevice: OperationHandler = (ctx, input) => {
  const user = caller(ctx, input);
  const device = ownDevice(user, p.requireString(input, 'DeviceKey'), false);
  const config = input.DeviceSecretVerifierConfig;
  if (!p.isJsonObject(config)) throw p.validationError('deviceSecretVerifierConfig', 'Member must not be null');
  const verifier = base64Integer(p.optionalString(config, 'PasswordVerifier'));
  const salt = base64Integer(p.optionalString(config, 'Salt'));
  if (verifier === undefined || salt === undefined || srp.mod(verifier, srp.N) === 0n) {
    throw new p.CognitoError('InvalidParameterException', 'DeviceSecretVerifierConfig needs a base64 PasswordVerifier and Salt.');
  }
  const name = p.optionalString(input, 'DeviceName');
  const onPrompt = ctx.store.pool(user.poolId).settings.deviceConfiguration?.deviceOnlyRememberedOnUserPrompt === true;
  device.verifier = { salt, verifier };
  device.name = name ?? device.name;
  device.remembered = !onPrompt;
  device.modifiedAt = ctx.now();
  return { UserConfirmationNecessary: onPrompt };
};

/** UpdateDeviceStatus {AccessToken, DeviceKey, DeviceRememberedStatus: remembered | not_remembered} → {}. */
const updateStatus = (owner: Owner): OperationHandler => (ctx, input) => {
  const user = owner(ctx, input);
  const device = ownDevice(user, p.requireString(input, 'DeviceKey'), true);
  const status = p.optionalString(input, 'DeviceRememberedStatus');
  if (status !== undefined && status !== 'remembered' && status !== 'not_remembered') {
    throw p.validationError('deviceRememberedStatus', 'Member must satisfy enum value set: [remembered, not_remembered]', status);
  }
  if (status !== undefined) device.remembered = status === 'remembered';
  device.modifiedAt = ctx.now();
  return {};
};

/** GetDevice {DeviceKey, AccessToken} → {Device}. */
const get = (owner: Owner): OperationHandler => (ctx, input) => {
  const user = owner(ctx, input);
  return { Device: describeDevice(ownDevice(user, p.requireString(input, 'DeviceKey'), true)) };
};

/** ForgetDevice {AccessToken, DeviceKey} → {}: the device is gone; refresh tokens bound to it stop working. */
const forget = (owner: Owner): OperationHandler => (ctx, input) => {
  const user = owner(ctx, input);
  const device = ownDevice(user, p.requireString(input, 'DeviceKey'), false);
  user.devices?.delete(device.key);
  return {};
};

/**
 * ListDevices {AccessToken, Limit? (1-60, default 60), PaginationToken?} → {Devices, PaginationToken?}:
 * the confirmed devices, oldest first. The PaginationToken is opaque (an offset, base64url).
 */
const list = (owner: Owner): OperationHandler => (ctx, input) => {
  const user = owner(ctx, input);
  const limit = p.optionalNumber(input, 'Limit') ?? 60;
  if (!Number.isInteger(limit) || limit < 0 || limit > 60) throw p.validationError('limit', 'Member must have value between 0 and 60', String(limit));
  const token = p.optionalString(input, 'PaginationToken');
  const offset = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString());
  if (!Number.isInteger(offset) || offset < 0) throw new p.CognitoError('InvalidParameterException', 'Invalid PaginationToken.');
  const confirmed = [...(user.devices?.values() ?? [])].filter((d) => d.verifier !== undefined).sort((a, b) => a.createdAt - b.createdAt);
  const page = confirmed.slice(offset, offset + (limit === 0 ? 60 : limit));
  const next = offset + page.length;
  return { Devices: page.map(describeDevice), ...(next < confirmed.length ? { PaginationToken: Buffer.from(String(next)).toString('base64url') } : {}) };
};

export const updateDeviceStatus = updateStatus(caller);
export const getDevice = get(caller);
export const forgetDevice = forget(caller);
export const listDevices = list(caller);
/** The Admin* variants: {UserPoolId, Username} instead of AccessToken (IAM-signed, any credentials here). */
export const adminUpdateDeviceStatus = updateStatus(named);
export const adminGetDevice = get(named);
export const adminForgetDevice = forget(named);
export const adminListDevices = list(named);

const incorrect = (): p.CognitoError => new p.CognitoError('NotAuthorizedException', 'Incorrect username or password.');

/** RespondToAuthChallenge DEVICE_SRP_AUTH {USERNAME, DEVICE_KEY, SRP_A} → DEVICE_PASSWORD_VERIFIER. */
export function answerDeviceSrpAuth(ctx: EmulatorContext, input: p.JsonObject, client: AppClient, responses: Record<string, string>): p.JsonObject {
  const username = check.requireParam(responses, 'USERNAME');
  const deviceKey = check.requireParam(responses, 'DEVICE_KEY');
  const A = parseSrpA(check.requireParam(responses, 'SRP_A'));
  check.verifySecretHash(client, responses.SECRET_HASH, [username]);
  if (A === undefined) throw new p.CognitoError('InvalidParameterException', 'SRP_A is not a valid SRP value.');
  const { id, session, user } = pendingSession(ctx, input, client, 'DEVICE_SRP_AUTH', username);
  ctx.sessions.delete(id);
  // Another device's key (the user's or another user's), or one forgotten meanwhile.
  const device = session.deviceKey === deviceKey ? rememberedDevice(ctx.store.pool(user.poolId), user, deviceKey) : undefined;
  if (!device?.verifier) throw incorrect();
  const { b, B } = serverEphemeral(device.verifier.verifier);
  const block = secretBlock();
  return challenge(
    ctx, client, user, 'DEVICE_PASSWORD_VERIFIER',
    { USERNAME: user.username, DEVICE_KEY: device.key, SRP_B: B.toString(16), SALT: device.verifier.salt.toString(16), SECRET_BLOCK: block },
    { deviceKey: device.key, deviceSrp: { A, B, b, block } },
  );
}

/**
 * RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER {USERNAME, DEVICE_KEY, PASSWORD_CLAIM_SECRET_BLOCK,
 * PASSWORD_CLAIM_SIGNATURE, TIMESTAMP}: the signature over DeviceGroupKey | DeviceKey | block |
 * timestamp, checked with the stored verifier. Single use: a wrong signature ends the sign-in
 * (NotAuthorizedException). Right: tokens when the device skips MFA (devices.ts deviceSkipsMfa),
 * else the user's MFA.
 */
export function answerDevicePasswordVerifier(ctx: EmulatorContext, input: p.JsonObject, client: AppClient, responses: Record<string, string>): p.JsonObject {
  const { username, block, signature, timestamp } = claimAnswer(client, responses);
  const deviceKey = check.requireParam(responses, 'DEVICE_KEY');
  const { id, session, user } = pendingSession(ctx, input, client, 'DEVICE_PASSWORD_VERIFIER', username);
  ctx.sessions.delete(id);
  const pool = ctx.store.pool(user.poolId);
  const device = session.deviceKey === deviceKey ? rememberedDevice(pool, user, deviceKey) : undefined;
  const state = session.deviceSrp;
  if (!device?.verifier || !state || state.block !== block) throw incorrect();
  if (!claimMatches({ ...state, verifier: device.verifier.verifier }, device.groupKey, device.key, block, timestamp, signature)) throw incorrect();
  if (!user.enabled) throw new p.CognitoError('NotAuthorizedException', 'User is disabled.');
  return deviceSkipsMfa(pool) ? signInResult(ctx, client, user, device.key) : mfaChallenge(ctx, client, user, device.key);
}
