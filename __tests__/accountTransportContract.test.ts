// The account calls (services/cognito/accountCalls.ts) over both account wires, fetch and the AWS
// SDK, against the emulator over HTTP: every call answers the same facts on both, every refusal the
// same CognitoCallError name, and no password, code, session or token in any message. SecretHash
// is checked with a client that has a secret.
import { CognitoIdentityProviderClient, ConfirmDeviceCommand, InitiateAuthCommand, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { deviceSecret } from './support/deviceSrp';
import { createAccountCalls, type AccountCalls } from '../services/cognito/accountCalls';
import { sdkAccountWire } from '../services/cognito/accountSdk';
import { fetchAccountWire } from '../services/cognito/accountWire';
import { CognitoCallError } from '../services/cognito/errors';
import { onFirstUse } from '../services/cognito/onFirstUse';
import { totp } from '../src/testing/emulator/mfa';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';
import { SoftAuthenticator, type CreationOptions } from './support/softAuthenticator';

let emu!: CognitoEmulator;
let sdk!: CognitoIdentityProviderClient;
beforeAll(async () => {
  emu = await startCognitoEmulator();
  sdk = new CognitoIdentityProviderClient({ region: emu.region, endpoint: emu.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
});
afterAll(async () => {
  sdk.destroy();
  await emu.close();
});

const WIRES = ['fetch', 'sdk'] as const;
function callsOver(wire: (typeof WIRES)[number], clientId: string, clientSecret?: string): AccountCalls {
  const made =
    wire === 'fetch'
      ? fetchAccountWire({ region: emu.region, endpoint: emu.endpoint, clientId, ...(clientSecret && { clientSecret }) })
      : sdkAccountWire({ client: sdk, ...(clientSecret && { clientSecret }) });
  return createAccountCalls({ wire: made, clientId, ...(clientSecret && { clientSecret }), load: onFirstUse });
}

/** The error a call rejects with: its name, and whether its message holds any of `secrets`. */
async function refusal(call: Promise<unknown>, secrets: readonly string[]): Promise<string> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CognitoCallError);
  for (const secret of secrets) expect((error as Error).message).not.toContain(secret);
  return (error as Error).name;
}

const newestCode = (username: string, userPoolId: string, purpose: string) => [...emu.inbox(username, { userPoolId })].reverse().find((message) => message.purpose === purpose)!.code;

/** Base32 (RFC 4648) to bytes, for the TOTP secret AssociateSoftwareToken answers. */
function base32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text.replace(/=+$/, '')) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  return Buffer.from(bits.match(/.{8}/g)!.map((byte) => parseInt(byte, 2)));
}

describe.each(WIRES)('over %s', (wire) => {
  const password = 'Str0ng-passw0rd!';

  test('sign-up: SignUp, ResendConfirmationCode, ConfirmSignUp; a wrong code and a taken name are refused by name', async () => {
    for (const secret of [false, true]) {
      const pool = emu.setup({ userPool: { AutoVerifiedAttributes: ['email'] }, generateSecret: secret });
      const calls = callsOver(wire, pool.clientId, pool.clientSecret);
      const username = `new-${wire}`;
      const signedUp = await calls.signUp({ username, password, userAttributes: { email: `${username}@example.com` } });
      expect(signedUp).toMatchObject({ userConfirmed: false, userSub: expect.any(String), codeDelivery: { deliveryMedium: 'EMAIL', attributeName: 'email', destination: expect.stringMatching(/\*\*\*/) } });
      expect(await refusal(calls.signUp({ username, password }), [password])).toBe('UsernameExistsException');
      expect(await calls.resendSignUpCode({ username })).toMatchObject({ codeDelivery: { deliveryMedium: 'EMAIL' } });
      expect(await refusal(calls.confirmSignUp({ username, confirmationCode: '000000x' }), ['000000x'])).toMatch(/CodeMismatchException|InvalidParameterException/);
      const code = newestCode(username, pool.userPoolId, 'signUp');
      const confirmed = await calls.confirmSignUp({ username, confirmationCode: code });
      expect(confirmed.session).toEqual(expect.any(String));
    }
  });

  test('InitiateAuth USER_AUTH with ConfirmSignUp\'s Session: tokens once (SECRET_HASH for a client with a secret); used again, NotAuthorizedException without the Session in the message', async () => {
    for (const secret of [false, true]) {
      const pool = emu.setup({ userPool: { AutoVerifiedAttributes: ['email'] }, explicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], generateSecret: secret });
      const calls = callsOver(wire, pool.clientId, pool.clientSecret);
      const username = `auto-${wire}`;
      await calls.signUp({ username, password, userAttributes: { email: `${username}@example.com` } });
      const { session } = await calls.confirmSignUp({ username, confirmationCode: newestCode(username, pool.userPoolId, 'signUp') });
      const step = await calls.signInWithSession({ username, session: session! });
      expect(step).toMatchObject({ kind: 'tokens', tokens: { accessToken: expect.any(String), idToken: expect.any(String), refreshToken: expect.any(String) } });
      expect(await refusal(calls.signInWithSession({ username, session: session! }), [session!])).toBe('NotAuthorizedException');
    }
  });

  test('passwords: ForgotPassword, ConfirmForgotPassword, ChangePassword', async () => {
    const pool = emu.setup();
    const calls = callsOver(wire, pool.clientId);
    expect(await calls.forgotPassword({ username: pool.username })).toMatchObject({ codeDelivery: { deliveryMedium: 'EMAIL' } });
    const code = newestCode(pool.username, pool.userPoolId, 'resetPassword');
    expect(await refusal(calls.confirmForgotPassword({ username: pool.username, confirmationCode: code, newPassword: 'short' }), [code, 'short'])).toBe('InvalidPasswordException');
    await calls.confirmForgotPassword({ username: pool.username, confirmationCode: code, newPassword: password });
    const signedIn = await sdk.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: pool.username, PASSWORD: password } }));
    const accessToken = signedIn.AuthenticationResult!.AccessToken!;
    expect(await refusal(calls.changePassword({ accessToken, oldPassword: 'Wr0ng-password!', newPassword: 'An0ther-password!' }), [accessToken, 'Wr0ng-password!', 'An0ther-password!'])).toBe('NotAuthorizedException');
    await calls.changePassword({ accessToken, oldPassword: password, newPassword: 'An0ther-password!' });
  });

  test('attributes: GetUser, UpdateUserAttributes with a code, VerifyUserAttribute, GetUserAttributeVerificationCode, DeleteUserAttributes, DeleteUser', async () => {
    const pool = emu.setup({ userPool: { AutoVerifiedAttributes: ['email'] } }); // codes go only to attributes the pool verifies
    const calls = callsOver(wire, pool.clientId);
    const signedIn = await sdk.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: pool.username, PASSWORD: pool.password } }));
    const accessToken = signedIn.AuthenticationResult!.AccessToken!;
    expect(await calls.getUser(accessToken)).toMatchObject({ username: pool.username, attributes: { email: `${pool.username}@example.com` } });
    const updated = await calls.updateUserAttributes(accessToken, { email: 'moved@example.com', name: 'Jane' });
    expect(updated.codeDeliveries).toEqual([expect.objectContaining({ deliveryMedium: 'EMAIL', attributeName: 'email' })]);
    expect(await calls.sendUserAttributeVerificationCode(accessToken, 'email')).toMatchObject({ codeDelivery: { deliveryMedium: 'EMAIL' } });
    expect(await refusal(calls.verifyUserAttribute(accessToken, 'email', '000000x'), [accessToken, '000000x'])).toMatch(/CodeMismatchException|InvalidParameterException/);
    await calls.verifyUserAttribute(accessToken, 'email', newestCode(pool.username, pool.userPoolId, 'attribute'));
    expect((await calls.getUser(accessToken)).attributes).toMatchObject({ email: 'moved@example.com', email_verified: 'true', name: 'Jane' });
    await calls.deleteUserAttributes(accessToken, ['name']);
    expect((await calls.getUser(accessToken)).attributes.name).toBeUndefined();
    await calls.deleteUser(accessToken);
    expect(await refusal(calls.getUser(accessToken), [accessToken])).toMatch(/NotAuthorizedException|UserNotFoundException/);
  });

  test('TOTP: AssociateSoftwareToken, VerifySoftwareToken, SetUserMFAPreference, then GetUser lists it', async () => {
    const pool = emu.setup();
    await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.userPoolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    const calls = callsOver(wire, pool.clientId);
    const signedIn = await sdk.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: pool.username, PASSWORD: pool.password } }));
    const accessToken = signedIn.AuthenticationResult!.AccessToken!;
    const { sharedSecret } = await calls.associateSoftwareToken({ accessToken });
    expect(await refusal(calls.verifySoftwareToken({ accessToken }, '000000'), [accessToken])).toMatch(/CodeMismatchException|EnableSoftwareTokenMFAException/);
    expect(await calls.verifySoftwareToken({ accessToken }, totp(base32(sharedSecret), Date.now()), 'laptop')).toMatchObject({ verified: true });
    await calls.setMfaPreference(accessToken, { SOFTWARE_TOKEN_MFA: { enabled: true, preferred: true } });
    expect(await calls.getUser(accessToken)).toMatchObject({ mfaFactors: ['SOFTWARE_TOKEN_MFA'], preferredMfa: 'SOFTWARE_TOKEN_MFA' });
  });

  test('devices: ListDevices, UpdateDeviceStatus, ForgetDevice; an unknown device refused by name', async () => {
    const pool = emu.setup({ userPool: { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true } } });
    const calls = callsOver(wire, pool.clientId);
    const signIn = () => sdk.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: pool.username, PASSWORD: pool.password } }));
    const keys: string[] = [];
    let accessToken = '';
    for (let n = 0; n < 2; n++) {
      const result = (await signIn()).AuthenticationResult!;
      accessToken = result.AccessToken!;
      const { DeviceKey, DeviceGroupKey } = result.NewDeviceMetadata!;
      const secret = await deviceSecret(DeviceGroupKey!, DeviceKey!);
      await sdk.send(new ConfirmDeviceCommand({ AccessToken: accessToken, DeviceKey, DeviceName: `device ${n}`, DeviceSecretVerifierConfig: secret.verifierConfig }));
      keys.push(DeviceKey!);
    }
    const { devices, paginationToken } = await calls.listDevices(accessToken, undefined);
    expect(paginationToken).toBeUndefined();
    expect(devices.map((d) => [d.key, d.attributes.device_name, d.attributes['dev:device_remembered_status']])).toEqual([
      [keys[0], 'device 0', 'remembered'],
      [keys[1], 'device 1', 'remembered'],
    ]);
    expect(devices[0]).toMatchObject({ createdAt: expect.any(Number), lastAuthenticatedAt: expect.any(Number) });
    await calls.updateDeviceStatus(accessToken, keys[0]!, false);
    expect((await calls.listDevices(accessToken, undefined)).devices[0]!.attributes['dev:device_remembered_status']).toBe('not_remembered');
    await calls.forgetDevice(accessToken, keys[0]!);
    expect((await calls.listDevices(accessToken, undefined)).devices.map((d) => d.key)).toEqual([keys[1]]);
    expect(await refusal(calls.forgetDevice(accessToken, keys[0]!), [accessToken])).toBe('ResourceNotFoundException');
  });

  test('passkeys: StartWebAuthnRegistration, CompleteWebAuthnRegistration, ListWebAuthnCredentials (pages), DeleteWebAuthnCredential; a replayed credential is refused by name, without the token or the credential in the message', async () => {
    const pool = emu.setup({ explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], userPool: { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } } });
    const calls = callsOver(wire, pool.clientId);
    const signedIn = await sdk.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: pool.username, PASSWORD: pool.password } }));
    const accessToken = signedIn.AuthenticationResult!.AccessToken!;
    expect(await refusal(calls.startWebAuthnRegistration(accessToken), [accessToken])).toBe('WebAuthnConfigurationMissingException');
    await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.userPoolId, WebAuthnConfiguration: { RelyingPartyId: 'localhost' } }));
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { options } = await calls.startWebAuthnRegistration(accessToken);
      expect(options).toMatchObject({ rp: { id: 'localhost' }, challenge: expect.any(String) });
      const key = new SoftAuthenticator();
      const credential = key.register(options as unknown as CreationOptions, 'http://localhost');
      await calls.completeWebAuthnRegistration(accessToken, credential);
      ids.push(key.id);
      // The same credential again: its registration was used up.
      const parts = Object.values(credential.response as Record<string, string>).filter((v) => typeof v === 'string' && v.length > 16);
      expect(await refusal(calls.completeWebAuthnRegistration(accessToken, credential), [accessToken, ...parts])).toBe('WebAuthnChallengeNotFoundException');
    }
    const first = await calls.listWebAuthnCredentials(accessToken, { maxResults: 1 });
    expect(first).toEqual({ credentials: [{ credentialId: ids[0], friendlyName: 'Passkey 1', relyingPartyId: 'localhost', attachment: 'platform', transports: ['internal'], createdAt: expect.any(Number) }], nextToken: expect.any(String) });
    expect(Math.abs(first.credentials[0]!.createdAt! - Date.now())).toBeLessThan(60_000);
    const second = await calls.listWebAuthnCredentials(accessToken, { maxResults: 1, nextToken: first.nextToken! });
    expect(second).toEqual({ credentials: [expect.objectContaining({ credentialId: ids[1] })] });
    await calls.deleteWebAuthnCredential(accessToken, ids[0]!);
    expect((await calls.listWebAuthnCredentials(accessToken, {})).credentials.map((k) => k.credentialId)).toEqual([ids[1]]);
    expect(await refusal(calls.deleteWebAuthnCredential(accessToken, ids[0]!), [accessToken])).toBe('ResourceNotFoundException');
  });
});
