// Device tracking (the pool's DeviceConfiguration): which device a sign-in is bound to, the
// NewDeviceMetadata of a sign-in without a known device, whether a remembered device answers
// device SRP and then skips MFA, and the refresh check (a device-bound refresh token must name its
// device). The device operations and the device SRP challenges are in operations/devices.ts.
import type { EmulatorContext } from './context.js';
import * as ids from './ids.js';
import * as p from './protocol.js';
import type { AppClient, Device, User, UserPool } from './state.js';
import type { RefreshRecord } from './tokens.js';

/** Whether the pool tracks devices (any DeviceConfiguration member given). */
export const tracksDevices = (pool: UserPool): boolean => pool.settings.deviceConfiguration !== undefined;

/** The user's device with this key, or undefined (unknown, forgotten, or another user's). */
export function findDevice(user: User, key: string | undefined): Device | undefined {
  return key === undefined ? undefined : user.devices?.get(key);
}

/** A device that authenticates with device SRP: confirmed, remembered, in a pool that tracks devices. */
export function rememberedDevice(pool: UserPool, user: User, key: string | undefined): Device | undefined {
  const device = findDevice(user, key);
  return tracksDevices(pool) && device?.verifier !== undefined && device.remembered ? device : undefined;
}

/**
 * Whether a remembered device that passed device SRP skips MFA: ChallengeRequiredOnNewDevice is
 * true ("a remembered device can sign in with device authentication instead of SMS and TOTP
 * factors"), and the pool has MFA on (ON or OPTIONAL: "remembered devices can override MFA only in
 * user pools with MFA active"; with MFA OFF there is nothing to skip).
 */
export function deviceSkipsMfa(pool: UserPool): boolean {
  return pool.settings.deviceConfiguration?.challengeRequiredOnNewDevice === true && pool.settings.mfaConfiguration !== 'OFF';
}

/**
 * A finished sign-in's answer. In a pool that tracks devices the tokens are bound to a device: the
 * user's device named by DEVICE_KEY, or else a new one, returned as NewDeviceMetadata (Cognito
 * "includes a device key in the response to any sign-in that doesn't already include device
 * information"; an unknown or forgotten key counts as none).
 */
export function signInResult(ctx: EmulatorContext, client: AppClient, user: User, deviceKey: string | undefined): p.JsonObject {
  const pool = ctx.store.pool(user.poolId);
  if (!tracksDevices(pool)) return { AuthenticationResult: ctx.tokens.signIn(pool, client, user), ChallengeParameters: {} };
  const now = ctx.now();
  let device = findDevice(user, deviceKey);
  const fresh = device === undefined;
  if (device === undefined) {
    device = { key: `${ctx.region}_${ids.uuid()}`, groupKey: `-${ids.randomChars(9)}`, verifier: undefined, name: undefined, remembered: false, createdAt: now, modifiedAt: now, lastAuthenticatedAt: now };
    (user.devices ??= new Map()).set(device.key, device);
  }
  device.lastAuthenticatedAt = now;
  const tokens = ctx.tokens.signIn(pool, client, user, { deviceKey: device.key });
  const result: p.JsonObject = fresh ? { ...tokens, NewDeviceMetadata: { DeviceKey: device.key, DeviceGroupKey: device.groupKey } } : tokens;
  return { AuthenticationResult: result, ChallengeParameters: {} };
}

/**
 * A refresh of a device-bound refresh token must name its device (REFRESH_TOKEN_AUTH's DEVICE_KEY,
 * GetTokensFromRefreshToken's DeviceKey), and the device must still exist: otherwise Cognito's
 * NotAuthorizedException 'Invalid Refresh Token'. Tokens of a sign-in without device tracking
 * (or from the hosted UI) are not bound, and any DEVICE_KEY sent with them is ignored.
 */
export function checkRefreshDevice(record: RefreshRecord, user: User, deviceKey: string | undefined): void {
  if (record.deviceKey === undefined) return;
  if (deviceKey !== record.deviceKey || findDevice(user, deviceKey) === undefined) {
    throw new p.CognitoError('NotAuthorizedException', 'Invalid Refresh Token');
  }
}

/** A device as GetDevice and ListDevices answer it (DeviceType). */
export function describeDevice(device: Device): p.JsonObject {
  const attributes = [
    { Name: 'device_status', Value: 'valid' },
    ...(device.name === undefined ? [] : [{ Name: 'device_name', Value: device.name }]),
    { Name: 'last_ip_used', Value: '127.0.0.1' },
    { Name: 'dev:device_remembered_status', Value: device.remembered ? 'remembered' : 'not_remembered' },
  ];
  return {
    DeviceKey: device.key,
    DeviceAttributes: attributes,
    DeviceCreateDate: device.createdAt / 1000,
    DeviceLastModifiedDate: device.modifiedAt / 1000,
    DeviceLastAuthenticatedDate: device.lastAuthenticatedAt / 1000,
  };
}
