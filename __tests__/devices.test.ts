// Remembered devices (issue 22), the library side, end to end over HTTP against the emulator, through
// both transports: a sign-in that gets NewDeviceMetadata confirms the device (confirmingDevice) and
// stores its record; a failed ConfirmDevice is reported (deviceError, deviceConfirmed: false) and the
// session still refreshes; a remembered device answers device SRP and skips MFA; a forgotten one is
// asked for MFA again, and its session's refresh is refused as DeviceRefreshRefused; the record
// survives a reload and a sign-out; another user's device key is never taken for this user's; every
// refresh sends DEVICE_KEY (the emulator refuses a device-bound refresh without it); and the device's
// password, verifier and salt are nowhere observable.
import { AdminForgetDeviceCommand, AdminListDevicesCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { AuthHubEvent } from '../src/index';
import { refreshErrorOf } from '../machines/auth/shared';
import { accountHarness } from './support/accountEmulator';
import { accountApp, type AccountApp, type Transport } from './support/accountApp';
import type { InspectableStorage } from './support/harness';

const h = accountHarness();
// The library reads token expiry on the real clock: the emulator's starts there, and moves from there.
h.clock = Date.now();

type Made = ReturnType<typeof h.pool>;

/** A pool with TOTP MFA on (OPTIONAL) that tracks devices, and a user with TOTP. */
function trackingPool(config: { ChallengeRequiredOnNewDevice?: boolean; DeviceOnlyRememberedOnUserPrompt?: boolean } = { ChallengeRequiredOnNewDevice: true }): Made {
  return h.pool({ mfa: 'SOFTWARE_TOKEN_MFA', userPool: { AutoVerifiedAttributes: ['email'], MfaConfiguration: 'OPTIONAL', DeviceConfiguration: config } });
}

/** The TOTP code now, the clock first moved on so that no code is used twice. */
function totp(made: Made): string {
  h.clock += 30_000;
  const code = h.emu.mfaCode(made.userPoolId, made.username);
  h.secrets.push(code);
  return code;
}

/** Signs in with the password, answering TOTP when asked: the sign-in's last result, and whether MFA was asked. */
async function signIn(app: AccountApp, made: Made) {
  const first = await app.auth.signIn({ username: made.username, password: made.password });
  if (first.isSignedIn) return { result: first, mfaAsked: false };
  expect(first.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');
  return { result: await app.auth.confirmSignIn({ challengeResponse: totp(made) }), mfaAsked: true };
}

const recordKey = (made: Made) => `authchart.${made.clientId}.device.${encodeURIComponent(made.username)}`;
/** The device record as stored (the test may read it: the app's storage is the app's). */
function storedDevice(storage: InspectableStorage, made: Made): { deviceKey: string; groupKey: string; password: string; username: string } | null {
  const raw = storage.getItem(recordKey(made));
  return typeof raw === 'string' ? JSON.parse(raw) : null;
}

const devicesOf = async (made: Made) => (await h.sdk.send(new AdminListDevicesCommand({ UserPoolId: made.userPoolId, Username: made.username }))).Devices ?? [];
const remembered = (device: { DeviceAttributes?: { Name?: string; Value?: string }[] }) => device.DeviceAttributes?.find((a) => a.Name === 'dev:device_remembered_status')?.Value;

/** Every device event the app hears. */
function deviceErrors(app: AccountApp): AuthHubEvent[] {
  const heard: AuthHubEvent[] = [];
  app.auth.on('deviceError', (event) => heard.push(event));
  return heard;
}

/** The secrets of the instance now (tokens) and of its device (the record's password). */
async function secretsOf(app: AccountApp, made: Made): Promise<string[]> {
  const { tokens } = await app.auth.getSession();
  const device = storedDevice(app.storage, made);
  return [tokens?.accessToken ?? '', tokens?.refreshToken ?? '', tokens?.idToken ?? '', device?.password ?? ''];
}

describe.each<Transport>(['fetch', 'sdk'])('over %s', (transport) => {
  test('a new device is confirmed (deviceConfirmed: true) and remembered; every refresh sends DEVICE_KEY; after a sign-out and a reload the device answers device SRP and MFA is skipped', async () => {
    const made = trackingPool();
    const app = accountApp(h, made, { transport });
    const heard = deviceErrors(app);
    const first = await signIn(app, made);
    expect(first.mfaAsked).toBe(true);
    expect(first.result).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' }, deviceConfirmed: true });
    expect(heard).toEqual([]);
    const device = storedDevice(app.storage, made)!;
    expect(device).toMatchObject({ username: made.username, deviceKey: expect.stringMatching(/^us-east-1_/), groupKey: expect.any(String), password: expect.any(String) });
    const listed = await devicesOf(made);
    expect(listed.map((d) => d.DeviceKey)).toEqual([device.deviceKey]);
    expect(remembered(listed[0]!)).toBe('remembered');
    expect(listed[0]!.DeviceAttributes?.find((a) => a.Name === 'device_name')?.Value).toMatch(/\S/); // never empty (amplify-js #12854)
    // The refresh token is bound to the device: the emulator refuses a refresh without its DEVICE_KEY.
    const before = await app.auth.getSession();
    const refreshed = await app.auth.getSession({ forceRefresh: true });
    expect(refreshed.tokens!.accessToken).not.toBe(before.tokens!.accessToken);
    const secrets = await secretsOf(app, made);
    // A sign-out keeps the device: it stays remembered.
    await expect(app.auth.signOut()).resolves.toMatchObject({ type: 'complete' });
    expect(storedDevice(app.storage, made)).toEqual(device);
    await app.stop();
    // A reload: new instances over the same storage. The device answers DEVICE_SRP_AUTH: no MFA, no new device.
    const reloaded = app.reload();
    const from = h.emu.requests.length;
    const again = await signIn(reloaded, made);
    expect(again).toEqual({ result: { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, mfaAsked: false });
    expect(h.emu.requests.slice(from).map((r) => r.operation)).toEqual(['InitiateAuth', 'RespondToAuthChallenge', 'RespondToAuthChallenge', 'RespondToAuthChallenge']);
    expect(storedDevice(reloaded.storage, made)).toEqual(device);
    await expect(reloaded.auth.getSession({ forceRefresh: true })).resolves.toMatchObject({ username: made.username });
    expect(reloaded.leaked([...secrets, ...(await secretsOf(reloaded, made))])).toEqual([]);
    await reloaded.stop();
  });

  test.each(['PASSWORD', 'PASSWORD_SRP'] as const)('USER_AUTH (%s) on a remembered device sends its DEVICE_KEY and answers device SRP: MFA is skipped, no new device', async (preferredChallenge) => {
    const made = h.pool({
      mfa: 'SOFTWARE_TOKEN_MFA',
      explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      userPool: { AutoVerifiedAttributes: ['email'], MfaConfiguration: 'OPTIONAL', DeviceConfiguration: { ChallengeRequiredOnNewDevice: true }, Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD'] } } },
    });
    const app = accountApp(h, made, { transport });
    expect((await signIn(app, made)).mfaAsked).toBe(true);
    const device = storedDevice(app.storage, made)!;
    await app.auth.signOut();
    const from = h.emu.requests.length;
    const result = await app.auth.signIn({ username: made.username, password: made.password, options: { authFlowType: 'USER_AUTH', preferredChallenge } });
    expect(result).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    // Without the DEVICE_KEY Cognito would ask for TOTP (a new device); with it, DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER are answered by the engine.
    const srp = preferredChallenge === 'PASSWORD_SRP' ? ['RespondToAuthChallenge'] : [];
    expect(h.emu.requests.slice(from).map((r) => r.operation)).toEqual(['InitiateAuth', ...srp, 'RespondToAuthChallenge', 'RespondToAuthChallenge']);
    expect((await devicesOf(made)).map((d) => d.DeviceKey)).toEqual([device.deviceKey]);
    await app.stop();
  });

  test('a failed ConfirmDevice is reported (deviceError naming the step, deviceConfirmed: false), nothing is stored for the device, and the session still refreshes', async () => {
    const made = trackingPool();
    const app = accountApp(h, made, { transport });
    const heard = deviceErrors(app);
    h.emu.faults.set('ConfirmDevice', { type: 'error', name: 'InternalErrorException', message: 'injected', status: 500 });
    try {
      const { result } = await signIn(app, made);
      expect(result).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' }, deviceConfirmed: false });
    } finally {
      h.emu.faults.clear();
    }
    expect(heard).toEqual([{ type: 'deviceError', error: { name: 'InternalErrorException', message: expect.stringMatching(/^ConfirmDevice: /) } }]);
    expect(storedDevice(app.storage, made)).toBeNull();
    expect(app.auth.actor.getSnapshot().matches('signedIn')).toBe(true);
    const before = await app.auth.getSession();
    await expect(app.auth.getSession({ forceRefresh: true })).resolves.toMatchObject({ username: made.username });
    expect((await app.auth.getSession()).tokens!.accessToken).not.toBe(before.tokens!.accessToken);
    expect(app.leaked(await secretsOf(app, made))).toEqual([]);
    await app.stop();
  });

  test('a forgotten device: its session is refused as DeviceRefreshRefused and ends; the next sign-in is asked for MFA and gets a new device', async () => {
    const made = trackingPool();
    const app = accountApp(h, made, { transport });
    await signIn(app, made);
    const device = storedDevice(app.storage, made)!;
    const ended: AuthHubEvent[] = [];
    app.auth.on('tokenRefresh_failure', (event) => ended.push(event));
    await h.sdk.send(new AdminForgetDeviceCommand({ UserPoolId: made.userPoolId, Username: made.username, DeviceKey: device.deviceKey }));
    const after = await app.settle(app.auth.getSession({ forceRefresh: true }));
    expect(after).not.toHaveProperty('tokens');
    expect(ended).toEqual([{ type: 'tokenRefresh_failure', error: { name: 'DeviceRefreshRefused', message: expect.stringContaining('Invalid Refresh Token') } }]);
    expect(app.auth.actor.getSnapshot().matches('signedOut')).toBe(true);
    const again = await signIn(app, made);
    expect(again.mfaAsked).toBe(true);
    expect(again.result).toMatchObject({ deviceConfirmed: true });
    expect(storedDevice(app.storage, made)!.deviceKey).not.toBe(device.deviceKey);
    await app.stop();
  });

  test("another user's device key is never this user's: the sign-in is asked for MFA and gets a device of its own; a forged device password is refused (NotAuthorizedException) and nothing is stored", async () => {
    const a = trackingPool();
    const appA = accountApp(h, a, { transport });
    await signIn(appA, a);
    const deviceA = storedDevice(appA.storage, a)!;
    await appA.stop();
    // B's pool is A's: plant A's device record under B's name.
    const b: Made = { ...a, username: 'bob', password: 'Bob-Passw0rd!' };
    h.emu.createUser({ userPoolId: a.userPoolId, username: b.username, password: b.password, attributes: { email: 'bob@example.com' }, mfa: 'SOFTWARE_TOKEN_MFA' });
    h.secrets.push(b.password);
    const appB = accountApp(h, b, { transport });
    appB.storage.setItem(recordKey(b), JSON.stringify({ version: 1, ...deviceA, username: b.username }));
    const signedInB = await signIn(appB, b);
    expect(signedInB.mfaAsked).toBe(true);
    expect(storedDevice(appB.storage, b)!.deviceKey).not.toBe(deviceA.deviceKey);
    expect((await devicesOf(a)).map((d) => d.DeviceKey)).toEqual([deviceA.deviceKey]);
    await appB.auth.signOut();
    // B's own device, its password forged: DEVICE_PASSWORD_VERIFIER is refused, nobody is signed in, nothing stored.
    const ownB = storedDevice(appB.storage, b)!;
    appB.storage.setItem(recordKey(b), JSON.stringify({ version: 1, ...ownB, password: 'forged' }));
    const refused = await appB.settle(appB.auth.signIn({ username: b.username, password: b.password }));
    expect(refused).toMatchObject({ name: 'NotAuthorizedException' });
    expect(appB.storage.getItem(`authchart.${b.clientId}.session`)).toBeNull();
    expect(appB.auth.actor.getSnapshot().matches('signedOut')).toBe(true);
    await appB.stop();
  });

  test('fetchDevices() lists the devices with names; rememberDevice() after DeviceOnlyRememberedOnUserPrompt makes the next sign-in skip MFA; forgetDevice({ device }) forgets that one only; forgetDevice() forgets this one and its record, and MFA is asked again', async () => {
    const made = trackingPool({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true });
    // A second device of the user, confirmed elsewhere (another app instance over its own storage).
    const other = accountApp(h, made, { transport, config: { deviceName: 'Phone' } as never });
    await signIn(other, made);
    const otherKey = storedDevice(other.storage, made)!.deviceKey;
    await other.stop();
    const app = accountApp(h, made, { transport, config: { deviceName: 'Laptop' } as never });
    await signIn(app, made);
    const own = storedDevice(app.storage, made)!;
    const listed = await app.settle(app.account.fetchDevices());
    expect(listed).toEqual([
      { id: otherKey, name: 'Phone', attributes: expect.objectContaining({ device_name: 'Phone' }), createdAt: expect.any(Date), lastAuthenticatedAt: expect.any(Date), remembered: false },
      { id: own.deviceKey, name: 'Laptop', attributes: expect.objectContaining({ device_name: 'Laptop' }), createdAt: expect.any(Date), lastAuthenticatedAt: expect.any(Date), remembered: false },
    ]);
    await expect(app.settle(app.account.rememberDevice())).resolves.toBeUndefined();
    expect((await app.account.fetchDevices()).find((d) => d.id === own.deviceKey)?.remembered).toBe(true);
    await app.auth.signOut();
    expect((await signIn(app, made)).mfaAsked).toBe(false); // remembered: device SRP, no MFA
    // Another device, by id: that one only; this device's record stays.
    await expect(app.settle(app.account.forgetDevice({ device: { id: otherKey } }))).resolves.toBeUndefined();
    expect((await app.account.fetchDevices()).map((d) => d.id)).toEqual([own.deviceKey]);
    expect(storedDevice(app.storage, made)).toEqual(own);
    // This device: gone at Cognito and here; the session's refresh is refused, and the next sign-in asks for MFA.
    await expect(app.settle(app.account.forgetDevice())).resolves.toBeUndefined();
    expect(storedDevice(app.storage, made)).toBeNull();
    expect(await devicesOf(made)).toEqual([]);
    await app.auth.getSession({ forceRefresh: true });
    expect(app.auth.actor.getSnapshot().matches('signedOut')).toBe(true);
    expect((await signIn(app, made)).mfaAsked).toBe(true);
    expect(app.leaked([own.password, ...(await secretsOf(app, made))])).toEqual([]);
    await app.stop();
  });

  test('rememberDevice() and forgetDevice() on a session without a device are refused (DeviceNotTracked), nothing sent; nobody signed in: UserUnAuthenticatedException; a bad device id: AuthValidationError', async () => {
    const made = h.pool();
    const app = accountApp(h, made, { transport });
    await expect(app.account.fetchDevices()).rejects.toMatchObject({ name: 'UserUnAuthenticatedException' });
    await app.auth.signIn({ username: made.username, password: made.password });
    const from = h.emu.requests.length;
    await expect(app.account.rememberDevice()).rejects.toMatchObject({ name: 'DeviceNotTracked' });
    await expect(app.account.forgetDevice()).rejects.toMatchObject({ name: 'DeviceNotTracked' });
    expect(h.emu.requests.slice(from)).toEqual([]);
    await expect(app.account.forgetDevice({ device: { id: '' } })).rejects.toMatchObject({ name: 'AuthValidationError', field: 'device.id' });
    await expect(app.account.forgetDevice({ device: 'x' } as never)).rejects.toMatchObject({ name: 'AuthValidationError' });
    await expect(app.account.fetchDevices()).resolves.toEqual([]);
    await app.stop();
  });

  test('DeviceOnlyRememberedOnUserPrompt: the device is confirmed and stored, not remembered: the next sign-in still asks for MFA', async () => {
    const made = trackingPool({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true });
    const app = accountApp(h, made, { transport });
    const { result } = await signIn(app, made);
    expect(result).toMatchObject({ deviceConfirmed: true });
    const device = storedDevice(app.storage, made)!;
    expect(remembered((await devicesOf(made))[0]!)).toBe('not_remembered');
    await app.auth.signOut();
    const again = await signIn(app, made);
    expect(again.mfaAsked).toBe(true);
    expect(again.result).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } }); // the same device: no new one
    expect(storedDevice(app.storage, made)).toEqual(device);
    await app.stop();
  });
});

test('ConfirmDevice carries a DeviceName (the createAuth option, else the platform: never empty); the verifier and salt it sends are nowhere observable', async () => {
  const made = trackingPool();
  const bodies: string[] = [];
  const fetch = (url: string, init: RequestInit) => {
    if (String((init.headers as Record<string, string>)['x-amz-target']).endsWith('ConfirmDevice')) bodies.push(String(init.body));
    return globalThis.fetch(url, init);
  };
  const app = accountApp(h, made, { config: { fetch, deviceName: 'Kitchen tablet' } as never });
  await signIn(app, made);
  const sent = JSON.parse(bodies[0]!) as { DeviceName: string; DeviceSecretVerifierConfig: { PasswordVerifier: string; Salt: string } };
  expect(sent.DeviceName).toBe('Kitchen tablet');
  const listed = await devicesOf(made);
  expect(listed[0]!.DeviceAttributes?.find((a) => a.Name === 'device_name')?.Value).toBe('Kitchen tablet');
  const { PasswordVerifier, Salt } = sent.DeviceSecretVerifierConfig;
  expect(app.leaked([PasswordVerifier, Salt, ...(await secretsOf(app, made))])).toEqual([]);
  await app.stop();
  // An empty name is refused at createAuth.
  expect(() => accountApp(h, made, { config: { deviceName: ' ' } })).toThrow(expect.objectContaining({ name: 'AuthConfigError', field: 'deviceName' }));
});

test('refreshErrorOf (machines/): DeviceRefreshRefused only for NotAuthorizedException "Invalid Refresh Token" of a refresh that named a device', () => {
  const refused = Object.assign(new Error('Invalid Refresh Token'), { name: 'NotAuthorizedException' });
  expect(refreshErrorOf(Object.assign(refused, { deviceKeySent: true }))).toEqual({ name: 'DeviceRefreshRefused', message: 'Invalid Refresh Token' });
  const noDevice = Object.assign(new Error('Invalid Refresh Token'), { name: 'NotAuthorizedException' });
  expect(refreshErrorOf(noDevice)).toBe(noDevice);
  const revoked = Object.assign(new Error('Refresh Token has been revoked'), { name: 'NotAuthorizedException', deviceKeySent: true });
  expect(refreshErrorOf(revoked)).toBe(revoked);
  const offline = Object.assign(new Error('offline'), { name: 'NetworkError', deviceKeySent: true });
  expect(refreshErrorOf(offline)).toBe(offline);
});
