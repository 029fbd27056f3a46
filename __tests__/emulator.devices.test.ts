// The emulator's device tracking over HTTP with the AWS SDK: the pool's DeviceConfiguration,
// NewDeviceMetadata and the device_key claim, ConfirmDevice with a verifier computed here with the
// project's SRP primitives (support/deviceSrp.ts), ListDevices / GetDevice / UpdateDeviceStatus /
// ForgetDevice, device SRP skipping MFA on a remembered device (a wrong signature refused), and
// refresh tokens bound to their device.
import {
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminListDevicesCommand,
  AdminUpdateDeviceStatusCommand,
  type CognitoIdentityProviderClient,
  ConfirmDeviceCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ForgetDeviceCommand,
  GetDeviceCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  ListDevicesCommand,
  RespondToAuthChallengeCommand,
  UpdateDeviceStatusCommand,
  UpdateUserPoolCommand,
  type AuthenticationResultType,
  type ChallengeNameType,
  type DeviceType,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwtPayload, startCognitoEmulator, type CognitoEmulator, type EmulatorPoolSettings, type SetupResult } from '../src/testing/emulator.js';
import { startSrp } from '../services/srp/index.js';
import { deviceHandshake, deviceSecret, type DeviceSecret } from './support/deviceSrp.js';
import { hashPaths } from './support/hashes.js';
import { rejection, sdkClient } from './support/sdk.js';

let emu: CognitoEmulator;
let sdk: CognitoIdentityProviderClient;
let clock = Date.parse('2026-12-07T09:00:00Z');

beforeAll(async () => {
  emu = await startCognitoEmulator({ now: () => clock });
  sdk = sdkClient(emu.endpoint);
});
afterAll(async () => {
  sdk.destroy();
  await emu.close();
});

const tracking = (config: NonNullable<EmulatorPoolSettings['DeviceConfiguration']>): SetupResult =>
  emu.setup({ mfa: 'SOFTWARE_TOKEN_MFA', userPool: { MfaConfiguration: 'OPTIONAL', DeviceConfiguration: config } });

const signIn = (s: SetupResult, deviceKey?: string): Promise<InitiateAuthCommandOutput> =>
  sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: s.clientId, AuthParameters: { USERNAME: s.username, PASSWORD: s.password, ...(deviceKey && { DEVICE_KEY: deviceKey }) } }));

const respond = (s: SetupResult, name: ChallengeNameType, session: string | undefined, responses: Record<string, string>) =>
  sdk.send(new RespondToAuthChallengeCommand({ ClientId: s.clientId, ChallengeName: name, Session: session, ChallengeResponses: { USERNAME: s.username, ...responses } }));

/** The TOTP answer to a SOFTWARE_TOKEN_MFA challenge (the clock moves on, so each code is new). */
async function passMfa(s: SetupResult, out: { ChallengeName?: string; Session?: string }, deviceKey?: string): Promise<AuthenticationResultType> {
  expect(out.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  clock += 30_000;
  const done = await respond(s, 'SOFTWARE_TOKEN_MFA', out.Session, { SOFTWARE_TOKEN_MFA_CODE: emu.mfaCode(s.userPoolId, s.username), ...(deviceKey && { DEVICE_KEY: deviceKey }) });
  return done.AuthenticationResult!;
}

/** A sign-in with MFA on a new device, then ConfirmDevice: the device's secret and the tokens. */
async function confirmedDevice(s: SetupResult, name = 'Test laptop'): Promise<{ secret: DeviceSecret; tokens: AuthenticationResultType; userConfirmationNecessary: boolean | undefined }> {
  const tokens = await passMfa(s, await signIn(s));
  const meta = tokens.NewDeviceMetadata!;
  const secret = await deviceSecret(meta.DeviceGroupKey!, meta.DeviceKey!);
  const confirmed = await sdk.send(new ConfirmDeviceCommand({ AccessToken: tokens.AccessToken, DeviceKey: secret.deviceKey, DeviceName: name, DeviceSecretVerifierConfig: secret.verifierConfig }));
  return { secret, tokens, userConfirmationNecessary: confirmed.UserConfirmationNecessary };
}

/** The access token's device_key claim. */
const claim = (token: string): unknown => decodeJwtPayload(token)?.device_key;

const attribute = (device: DeviceType | undefined, name: string): string | undefined => device?.DeviceAttributes?.find((a) => a.Name === name)?.Value;

test('DeviceConfiguration: CreateUserPool takes it, DescribeUserPool answers it, UpdateUserPool without it turns tracking off', async () => {
  const id = (await sdk.send(new CreateUserPoolCommand({ PoolName: 'devices', DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false } }))).UserPool!.Id!;
  expect((await sdk.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!.DeviceConfiguration).toEqual({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false });
  await sdk.send(new UpdateUserPoolCommand({ UserPoolId: id }));
  expect((await sdk.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!.DeviceConfiguration).toBeUndefined();
});

test('a pool that does not track devices returns no NewDeviceMetadata and no device_key claim', async () => {
  const s = emu.setup();
  const tokens = (await signIn(s)).AuthenticationResult!;
  expect(tokens.NewDeviceMetadata).toBeUndefined();
  expect(claim(tokens.AccessToken!)).toBeUndefined();
});

test('a sign-in on a new device returns NewDeviceMetadata; ConfirmDevice remembers it; ListDevices and GetDevice show its name and status', async () => {
  const s = tracking({ ChallengeRequiredOnNewDevice: true });
  const { secret, tokens, userConfirmationNecessary } = await confirmedDevice(s);
  expect(secret.deviceKey).toMatch(/^us-east-1_[0-9a-f-]{36}$/);
  expect(claim(tokens.AccessToken!)).toBe(secret.deviceKey);
  expect(userConfirmationNecessary).toBe(false);
  const listed = (await sdk.send(new ListDevicesCommand({ AccessToken: tokens.AccessToken }))).Devices!;
  expect(listed.map((d) => d.DeviceKey)).toEqual([secret.deviceKey]);
  expect(attribute(listed[0], 'device_name')).toBe('Test laptop');
  expect(attribute(listed[0], 'dev:device_remembered_status')).toBe('remembered');
  expect(listed[0]!.DeviceCreateDate).toBeInstanceOf(Date);
  expect(listed[0]!.DeviceLastAuthenticatedDate).toBeInstanceOf(Date);
  await sdk.send(new UpdateDeviceStatusCommand({ AccessToken: tokens.AccessToken, DeviceKey: secret.deviceKey, DeviceRememberedStatus: 'not_remembered' }));
  const got = (await sdk.send(new GetDeviceCommand({ AccessToken: tokens.AccessToken, DeviceKey: secret.deviceKey }))).Device;
  expect(attribute(got, 'dev:device_remembered_status')).toBe('not_remembered');
  // Not remembered: the next sign-in on it asks for MFA, and the device is known (no new metadata).
  const again = await passMfa(s, await signIn(s, secret.deviceKey), secret.deviceKey);
  expect(again.NewDeviceMetadata).toBeUndefined();
  expect(claim(again.AccessToken!)).toBe(secret.deviceKey);
});

test('DeviceOnlyRememberedOnUserPrompt: ConfirmDevice says the user must confirm; the device is remembered only by UpdateDeviceStatus', async () => {
  const s = tracking({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true });
  const { secret, tokens, userConfirmationNecessary } = await confirmedDevice(s);
  expect(userConfirmationNecessary).toBe(true);
  const before = (await sdk.send(new ListDevicesCommand({ AccessToken: tokens.AccessToken }))).Devices!;
  expect(attribute(before[0], 'dev:device_remembered_status')).toBe('not_remembered');
  expect((await signIn(s, secret.deviceKey)).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  await sdk.send(new UpdateDeviceStatusCommand({ AccessToken: tokens.AccessToken, DeviceKey: secret.deviceKey, DeviceRememberedStatus: 'remembered' }));
  expect((await signIn(s, secret.deviceKey)).ChallengeName).toBe('DEVICE_SRP_AUTH');
});

/** DEVICE_SRP_AUTH, then the DEVICE_PASSWORD_VERIFIER answer. */
async function deviceSrp(s: SetupResult, secret: DeviceSecret, out: InitiateAuthCommandOutput) {
  expect(out.ChallengeName).toBe('DEVICE_SRP_AUTH');
  const handshake = deviceHandshake(secret);
  const verifier = await respond(s, 'DEVICE_SRP_AUTH', out.Session, { DEVICE_KEY: secret.deviceKey, SRP_A: handshake.srpA });
  expect(verifier.ChallengeName).toBe('DEVICE_PASSWORD_VERIFIER');
  const answer = await handshake.answer(verifier.ChallengeParameters ?? {});
  return respond(s, 'DEVICE_PASSWORD_VERIFIER', verifier.Session, answer);
}

test('a remembered device skips MFA with ChallengeRequiredOnNewDevice: device SRP instead of the TOTP code', async () => {
  const s = tracking({ ChallengeRequiredOnNewDevice: true });
  const { secret } = await confirmedDevice(s);
  const done = await deviceSrp(s, secret, await signIn(s, secret.deviceKey));
  expect(done.ChallengeName).toBeUndefined();
  expect(done.AuthenticationResult!.NewDeviceMetadata).toBeUndefined();
  expect(claim(done.AuthenticationResult!.AccessToken!)).toBe(secret.deviceKey);
});

test('USER_SRP_AUTH with DEVICE_KEY: PASSWORD_VERIFIER, then device SRP, then tokens', async () => {
  const s = tracking({ ChallengeRequiredOnNewDevice: true });
  const { secret } = await confirmedDevice(s);
  const handshake = startSrp(hashPaths()[0]!.hash);
  const init = await sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: s.clientId, AuthParameters: { USERNAME: s.username, SRP_A: handshake.srpA, DEVICE_KEY: secret.deviceKey } }));
  const p = init.ChallengeParameters ?? {};
  const answer = await handshake.answer({ userPoolId: s.userPoolId, userIdForSrp: p.USER_ID_FOR_SRP ?? '', password: s.password, srpB: p.SRP_B ?? '', salt: p.SALT ?? '', secretBlock: p.SECRET_BLOCK ?? '' });
  const out = await respond(s, 'PASSWORD_VERIFIER', undefined, { PASSWORD_CLAIM_SIGNATURE: answer.passwordClaimSignature, PASSWORD_CLAIM_SECRET_BLOCK: answer.passwordClaimSecretBlock, TIMESTAMP: answer.timestamp, DEVICE_KEY: secret.deviceKey });
  const done = await deviceSrp(s, secret, out);
  expect(claim(done.AuthenticationResult!.AccessToken!)).toBe(secret.deviceKey);
});

test('without ChallengeRequiredOnNewDevice a remembered device answers device SRP and then MFA still', async () => {
  const s = tracking({ ChallengeRequiredOnNewDevice: false });
  const { secret } = await confirmedDevice(s);
  const afterDevice = await deviceSrp(s, secret, await signIn(s, secret.deviceKey));
  const tokens = await passMfa(s, afterDevice);
  expect(claim(tokens.AccessToken!)).toBe(secret.deviceKey);
});

test('a wrong device signature is refused (NotAuthorizedException) and its session cannot be retried', async () => {
  const s = tracking({ ChallengeRequiredOnNewDevice: true });
  const { secret } = await confirmedDevice(s);
  const out = await signIn(s, secret.deviceKey);
  const handshake = deviceHandshake(secret);
  const verifier = await respond(s, 'DEVICE_SRP_AUTH', out.Session, { DEVICE_KEY: secret.deviceKey, SRP_A: handshake.srpA });
  const answer = await handshake.answer(verifier.ChallengeParameters ?? {});
  const sig = answer.PASSWORD_CLAIM_SIGNATURE!;
  const wrong = { ...answer, PASSWORD_CLAIM_SIGNATURE: sig.startsWith('A') ? `B${sig.slice(1)}` : `A${sig.slice(1)}` };
  expect(await rejection(respond(s, 'DEVICE_PASSWORD_VERIFIER', verifier.Session, wrong))).toMatchObject({ name: 'NotAuthorizedException' });
  // Single use: the right answer on the same session is refused now.
  expect(await rejection(respond(s, 'DEVICE_PASSWORD_VERIFIER', verifier.Session, answer))).toMatchObject({ name: 'NotAuthorizedException' });
  // A device password that is not the one confirmed: refused too.
  const impostor = { ...secret, password: 'not-the-device-password' };
  expect(await rejection(deviceSrp(s, impostor, await signIn(s, secret.deviceKey)))).toMatchObject({ name: 'NotAuthorizedException' });
  // The right answer on a new sign-in works.
  expect((await deviceSrp(s, secret, await signIn(s, secret.deviceKey))).AuthenticationResult).toBeDefined();
});

test('ForgetDevice: the next sign-in on it asks for MFA and gets a new device; its refresh token stops working', async () => {
  const s = tracking({ ChallengeRequiredOnNewDevice: true });
  const { secret, tokens } = await confirmedDevice(s);
  await sdk.send(new ForgetDeviceCommand({ AccessToken: tokens.AccessToken, DeviceKey: secret.deviceKey }));
  expect((await sdk.send(new ListDevicesCommand({ AccessToken: tokens.AccessToken }))).Devices).toEqual([]);
  const again = await passMfa(s, await signIn(s, secret.deviceKey), secret.deviceKey);
  expect(again.NewDeviceMetadata?.DeviceKey).toBeDefined();
  expect(again.NewDeviceMetadata?.DeviceKey).not.toBe(secret.deviceKey);
  const refresh = sdk.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: s.clientId, AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken!, DEVICE_KEY: secret.deviceKey } }));
  expect(await rejection(refresh)).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
});

test('a device-bound refresh token refreshes only with its DEVICE_KEY (even before ConfirmDevice)', async () => {
  const s = tracking({ ChallengeRequiredOnNewDevice: true });
  const tokens = await passMfa(s, await signIn(s)); // never confirmed, as after a failed ConfirmDevice
  const deviceKey = tokens.NewDeviceMetadata!.DeviceKey!;
  const refresh = (params: Record<string, string>) =>
    sdk.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: s.clientId, AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken!, ...params } }));
  expect(await rejection(refresh({}))).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
  expect(await rejection(refresh({ DEVICE_KEY: 'us-east-1_00000000-0000-0000-0000-000000000000' }))).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
  const refreshed = (await refresh({ DEVICE_KEY: deviceKey })).AuthenticationResult!;
  expect(claim(refreshed.AccessToken!)).toBe(deviceKey);
  const viaApi = sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: s.clientId, RefreshToken: tokens.RefreshToken }));
  expect(await rejection(viaApi)).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
  expect((await sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: s.clientId, RefreshToken: tokens.RefreshToken, DeviceKey: deviceKey }))).AuthenticationResult?.AccessToken).toBeDefined();
});

test("another user's device key: ConfirmDevice and GetDevice do not find it, and a sign-in naming it gets MFA and a device of its own", async () => {
  const alice = tracking({ ChallengeRequiredOnNewDevice: true });
  const { secret } = await confirmedDevice(alice);
  emu.createUser({ userPoolId: alice.userPoolId, username: 'bob', password: alice.password, mfa: 'SOFTWARE_TOKEN_MFA' });
  const bob: SetupResult = { ...alice, username: 'bob' };
  const out = await signIn(bob, secret.deviceKey);
  const bobTokens = await passMfa(bob, out, secret.deviceKey);
  expect(bobTokens.NewDeviceMetadata?.DeviceKey).not.toBe(secret.deviceKey);
  const confirm = sdk.send(new ConfirmDeviceCommand({ AccessToken: bobTokens.AccessToken, DeviceKey: secret.deviceKey, DeviceSecretVerifierConfig: secret.verifierConfig }));
  expect(await rejection(confirm)).toMatchObject({ name: 'ResourceNotFoundException' });
  expect(await rejection(sdk.send(new GetDeviceCommand({ AccessToken: bobTokens.AccessToken, DeviceKey: secret.deviceKey })))).toMatchObject({ name: 'ResourceNotFoundException' });
  expect(await rejection(sdk.send(new ForgetDeviceCommand({ AccessToken: bobTokens.AccessToken, DeviceKey: secret.deviceKey })))).toMatchObject({ name: 'ResourceNotFoundException' });
});

test('ListDevices pages with Limit and PaginationToken, oldest first', async () => {
  const s = tracking({ ChallengeRequiredOnNewDevice: true });
  const first = await confirmedDevice(s, 'first');
  clock += 1000;
  const second = await confirmedDevice(s, 'second');
  const page1 = await sdk.send(new ListDevicesCommand({ AccessToken: second.tokens.AccessToken, Limit: 1 }));
  expect(page1.Devices!.map((d) => d.DeviceKey)).toEqual([first.secret.deviceKey]);
  const page2 = await sdk.send(new ListDevicesCommand({ AccessToken: second.tokens.AccessToken, Limit: 1, PaginationToken: page1.PaginationToken }));
  expect(page2.Devices!.map((d) => d.DeviceKey)).toEqual([second.secret.deviceKey]);
  expect(page2.PaginationToken).toBeUndefined();
});

test('the Admin* variants name the user by UserPoolId and Username', async () => {
  const s = tracking({ ChallengeRequiredOnNewDevice: true });
  const { secret } = await confirmedDevice(s, 'admin-seen');
  const who = { UserPoolId: s.userPoolId, Username: s.username };
  expect((await sdk.send(new AdminListDevicesCommand(who))).Devices!.map((d) => d.DeviceKey)).toEqual([secret.deviceKey]);
  await sdk.send(new AdminUpdateDeviceStatusCommand({ ...who, DeviceKey: secret.deviceKey, DeviceRememberedStatus: 'not_remembered' }));
  expect(attribute((await sdk.send(new AdminGetDeviceCommand({ ...who, DeviceKey: secret.deviceKey }))).Device, 'dev:device_remembered_status')).toBe('not_remembered');
  await sdk.send(new AdminForgetDeviceCommand({ ...who, DeviceKey: secret.deviceKey }));
  expect((await sdk.send(new AdminListDevicesCommand(who))).Devices).toEqual([]);
  expect(await rejection(sdk.send(new AdminGetDeviceCommand({ ...who, Username: 'nobody', DeviceKey: secret.deviceKey })))).toMatchObject({ name: 'UserNotFoundException' });
});

test("DEVICE_SRP_AUTH answered for another device than the sign-in's is refused", async () => {
  const s = tracking({ ChallengeRequiredOnNewDevice: true });
  const first = await confirmedDevice(s, 'first');
  const second = await confirmedDevice(s, 'second');
  const out = await signIn(s, first.secret.deviceKey);
  const handshake = deviceHandshake(second.secret);
  const answer = respond(s, 'DEVICE_SRP_AUTH', out.Session, { DEVICE_KEY: second.secret.deviceKey, SRP_A: handshake.srpA });
  expect(await rejection(answer)).toMatchObject({ name: 'NotAuthorizedException' });
});

test('ConfirmDevice with a verifier that is not base64 is refused and stores nothing', async () => {
  const s = tracking({ ChallengeRequiredOnNewDevice: true });
  const tokens = await passMfa(s, await signIn(s));
  const deviceKey = tokens.NewDeviceMetadata!.DeviceKey!;
  const bad = sdk.send(new ConfirmDeviceCommand({ AccessToken: tokens.AccessToken, DeviceKey: deviceKey, DeviceSecretVerifierConfig: { PasswordVerifier: 'not base64!', Salt: 'AAEC' } }));
  expect(await rejection(bad)).toMatchObject({ name: 'InvalidParameterException' });
  expect((await sdk.send(new ListDevicesCommand({ AccessToken: tokens.AccessToken }))).Devices).toEqual([]);
  expect((await signIn(s, deviceKey)).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
});
