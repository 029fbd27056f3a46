// The emulator's attribute operations and DeleteUser over HTTP with the AWS SDK: UpdateUserAttributes
// with AttributesRequireVerificationBeforeUpdate on and off, GetUserAttributeVerificationCode,
// VerifyUserAttribute (the newest code, 24 hours), DeleteUserAttributes and DeleteUser (the user's
// tokens stop working, the username is free again), with Cognito's errors; codes are read from
// emu.inbox().
import {
  AdminCreateUserCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserAttributesCommand,
  DeleteUserCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  UpdateUserAttributesCommand,
  UpdateUserPoolCommand,
  VerifyUserAttributeCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { rejection, sdkClient } from './support/sdk.js';
import { decodeJwtPayload, startCognitoEmulator, type CognitoEmulator, type EmulatorPoolSettings, type SetupResult } from '../src/testing/emulator.js';

let emu: CognitoEmulator;
let sdk: CognitoIdentityProviderClient;
let clock = Date.now();
beforeAll(async () => {
  emu = await startCognitoEmulator({ now: () => clock });
  sdk = sdkClient(emu.endpoint);
});
afterAll(async () => {
  sdk.destroy();
  await emu.close();
});

interface SignedIn extends SetupResult {
  accessToken: string;
  refreshToken: string;
}

/** A pool with `userPool`'s settings, its user signed in (email `<username>@example.com`, verified). */
async function signedIn(userPool: EmulatorPoolSettings = {}): Promise<SignedIn> {
  const setup = emu.setup({ userPool, username: `u${Math.random().toString(36).slice(2, 10)}` });
  const auth = await sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: setup.clientId, AuthParameters: { USERNAME: setup.username, PASSWORD: setup.password } }));
  return { ...setup, accessToken: auth.AuthenticationResult!.AccessToken!, refreshToken: auth.AuthenticationResult!.RefreshToken! };
}

const attributesOf = async (s: SignedIn): Promise<Record<string, string>> => {
  const out = await sdk.send(new GetUserCommand({ AccessToken: s.accessToken }));
  return Object.fromEntries((out.UserAttributes ?? []).map((a: AttributeType) => [a.Name!, a.Value!]));
};
const update = (s: SignedIn, attributes: Record<string, string>) =>
  sdk.send(new UpdateUserAttributesCommand({ AccessToken: s.accessToken, UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })) }));
const verify = (s: SignedIn, name: string, code: string) => sdk.send(new VerifyUserAttributeCommand({ AccessToken: s.accessToken, AttributeName: name, Code: code }));
const sendCode = (s: SignedIn, name: string) => sdk.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: s.accessToken, AttributeName: name }));
/** The newest attribute code the user was sent, and where it went. */
const lastCode = (s: SignedIn) => {
  const messages = emu.inbox(s.username, { userPoolId: s.userPoolId }).filter((m) => m.purpose === 'attribute');
  return messages[messages.length - 1]!;
};
const refreshedIdToken = async (s: SignedIn) => {
  const out = await sdk.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: s.clientId, AuthParameters: { REFRESH_TOKEN: s.refreshToken } }));
  return decodeJwtPayload(out.AuthenticationResult!.IdToken!);
};

describe('UpdateUserAttributes without AttributesRequireVerificationBeforeUpdate', () => {
  test('a new email replaces the old at once, unverified; with the pool auto-verifying email a code goes to the new address and verifies it', async () => {
    const s = await signedIn({ AutoVerifiedAttributes: ['email'] });
    const out = await update(s, { email: 'new@example.org', given_name: 'Jane' });
    expect(out.CodeDeliveryDetailsList).toEqual([{ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'n***@e***' }]);
    expect(await attributesOf(s)).toMatchObject({ email: 'new@example.org', email_verified: 'false', given_name: 'Jane' });
    expect(await refreshedIdToken(s)).toMatchObject({ email: 'new@example.org', email_verified: false });
    const sent = lastCode(s);
    expect(sent).toMatchObject({ purpose: 'attribute', channel: 'EMAIL', destination: 'new@example.org' });
    const wrong = sent.code === '000000' ? '111111' : '000000';
    expect(await rejection(verify(s, 'email', wrong))).toMatchObject({ name: 'CodeMismatchException' });
    expect((await attributesOf(s)).email_verified).toBe('false');
    await expect(verify(s, 'email', sent.code)).resolves.toBeDefined();
    expect(await attributesOf(s)).toMatchObject({ email: 'new@example.org', email_verified: 'true' });
  });

  test('a pool that does not auto-verify the attribute sends no code: the email changes, unverified, and the answer has no CodeDeliveryDetailsList', async () => {
    const s = await signedIn();
    const out = await update(s, { email: 'quiet@example.org' });
    expect(out.CodeDeliveryDetailsList ?? []).toEqual([]);
    expect(await attributesOf(s)).toMatchObject({ email: 'quiet@example.org', email_verified: 'false' });
    expect(emu.inbox(s.username, { userPoolId: s.userPoolId })).toEqual([]);
    // GetUserAttributeVerificationCode still sends one on request.
    const { CodeDeliveryDetails } = await sendCode(s, 'email');
    expect(CodeDeliveryDetails).toEqual({ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'q***@e***' });
    await verify(s, 'email', lastCode(s).code);
    expect((await attributesOf(s)).email_verified).toBe('true');
  });

  test('the same value again changes nothing: no code, the verified flag stays', async () => {
    const s = await signedIn({ AutoVerifiedAttributes: ['email'] });
    const out = await update(s, { email: `${s.username}@example.com` });
    expect(out.CodeDeliveryDetailsList ?? []).toEqual([]);
    expect((await attributesOf(s)).email_verified).toBe('true');
  });
});

describe('UpdateUserAttributes with AttributesRequireVerificationBeforeUpdate', () => {
  test('the old email and its verified flag stay in force (GetUser, the ID token) until the new one is verified; then the new one replaces it, verified', async () => {
    const s = await signedIn({ AutoVerifiedAttributes: ['email'], UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } });
    const old = `${s.username}@example.com`;
    const out = await update(s, { email: 'pending@example.org', family_name: 'Doe' });
    expect(out.CodeDeliveryDetailsList).toEqual([{ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'p***@e***' }]);
    expect(await attributesOf(s)).toMatchObject({ email: old, email_verified: 'true', family_name: 'Doe' });
    expect(await refreshedIdToken(s)).toMatchObject({ email: old, email_verified: true });
    expect(lastCode(s).destination).toBe('pending@example.org');
    await verify(s, 'email', lastCode(s).code);
    expect(await attributesOf(s)).toMatchObject({ email: 'pending@example.org', email_verified: 'true' });
    expect(await refreshedIdToken(s)).toMatchObject({ email: 'pending@example.org', email_verified: true });
  });

  test('GetUserAttributeVerificationCode sends a new code to the pending value: the newest confirms, an older one does not', async () => {
    const s = await signedIn({ UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } });
    await update(s, { email: 'later@example.org' });
    const first = lastCode(s).code;
    const { CodeDeliveryDetails } = await sendCode(s, 'email');
    expect(CodeDeliveryDetails).toEqual({ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'l***@e***' });
    const second = lastCode(s);
    expect(second.destination).toBe('later@example.org');
    if (first !== second.code) expect(await rejection(verify(s, 'email', first))).toMatchObject({ name: 'CodeMismatchException' });
    expect((await attributesOf(s)).email).toBe(`${s.username}@example.com`);
    await verify(s, 'email', second.code);
    expect((await attributesOf(s)).email).toBe('later@example.org');
  });

  test('a phone number waits too, and its code goes by SMS to the new number, masked in the answer', async () => {
    const s = await signedIn({ UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email', 'phone_number'] } });
    const out = await update(s, { phone_number: '+15555550199' });
    expect(out.CodeDeliveryDetailsList).toEqual([{ AttributeName: 'phone_number', DeliveryMedium: 'SMS', Destination: '+*******0199' }]);
    expect((await attributesOf(s)).phone_number).toBeUndefined();
    expect(lastCode(s)).toMatchObject({ channel: 'SMS', destination: '+15555550199' });
    await verify(s, 'phone_number', lastCode(s).code);
    expect(await attributesOf(s)).toMatchObject({ phone_number: '+15555550199', phone_number_verified: 'true' });
  });

  test('a code is valid for 24 hours by the emulator’s clock: later, ExpiredCodeException and nothing changes', async () => {
    const s = await signedIn({ UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } });
    await update(s, { email: 'slow@example.org' });
    const code = lastCode(s).code;
    const start = clock;
    try {
      clock = start + 24 * 3600 * 1000 + 1;
      // a token minted now, since the first one has expired too
      const fresh = await signedInAgain(s);
      expect(await rejection(verify(fresh, 'email', code))).toMatchObject({ name: 'ExpiredCodeException' });
      expect((await attributesOf(fresh)).email).toBe(`${s.username}@example.com`);
      await sendCode(fresh, 'email');
      clock += 24 * 3600 * 1000 - 1000;
      await verify(await signedInAgain(s), 'email', lastCode(s).code);
      expect((await attributesOf(await signedInAgain(s))).email).toBe('slow@example.org');
    } finally {
      clock = Date.now();
    }
  });
});

test('the setting through Cognito’s API: CreateUserPool turns it on, UpdateUserPool without it turns it off (the next change replaces at once)', async () => {
  const pool = await sdk.send(new CreateUserPoolCommand({ PoolName: 'attrs', AutoVerifiedAttributes: ['email'], UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } }));
  const userPoolId = pool.UserPool!.Id!;
  const client = await sdk.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'c', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
  emu.createUser({ userPoolId, username: 'api-user', password: 'Passw0rd!long', attributes: { email: 'first@example.com', email_verified: 'true' } });
  const s = await signedInAgain({ userPoolId, clientId: client.UserPoolClient!.ClientId!, username: 'api-user', password: 'Passw0rd!long', accessToken: '', refreshToken: '' });
  await update(s, { email: 'second@example.com' });
  expect(await attributesOf(s)).toMatchObject({ email: 'first@example.com', email_verified: 'true' });
  await sdk.send(new UpdateUserPoolCommand({ UserPoolId: userPoolId, AutoVerifiedAttributes: ['email'] }));
  const out = await update(s, { email: 'third@example.com' });
  expect(out.CodeDeliveryDetailsList).toEqual([{ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 't***@e***' }]);
  expect(await attributesOf(s)).toMatchObject({ email: 'third@example.com', email_verified: 'false' });
  await verify(s, 'email', lastCode(s).code);
  expect(await attributesOf(s)).toMatchObject({ email: 'third@example.com', email_verified: 'true' });
});

async function signedInAgain(s: SignedIn): Promise<SignedIn> {
  const auth = await sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: s.clientId, AuthParameters: { USERNAME: s.username, PASSWORD: s.password } }));
  return { ...s, accessToken: auth.AuthenticationResult!.AccessToken!, refreshToken: auth.AuthenticationResult!.RefreshToken! };
}

test('a used code is retired: presenting it again → ExpiredCodeException; a new code verifies again', async () => {
  const s = await signedIn();
  await sendCode(s, 'email');
  const used = lastCode(s).code;
  await verify(s, 'email', used);
  expect(await rejection(verify(s, 'email', used))).toMatchObject({ name: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' });
  await sendCode(s, 'email');
  await expect(verify(s, 'email', lastCode(s).code)).resolves.toBeDefined();
});

describe('refused requests, in Cognito’s words; nothing is written', () => {
  test('sub, an attribute outside the schema, and the verified flags are refused, and the other attributes of the request stay unwritten', async () => {
    const s = await signedIn();
    expect(await rejection(update(s, { given_name: 'X', sub: 'mine' }))).toEqual(
      expect.objectContaining({ name: 'InvalidParameterException', message: 'Invalid user attributes: user.sub: Attribute cannot be updated. (changing an immutable attribute)' }),
    );
    expect(await rejection(update(s, { given_name: 'X', favourite_colour: 'blue' }))).toEqual(
      expect.objectContaining({ name: 'InvalidParameterException', message: 'Invalid user attributes: user.favourite_colour: Attribute does not exist in the schema.' }),
    );
    expect(await rejection(update(s, { given_name: 'X', email_verified: 'true' }))).toMatchObject({ name: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute' });
    expect((await attributesOf(s)).given_name).toBeUndefined();
    await expect(update(s, { 'custom:team': 'blue' })).resolves.toBeDefined();
    expect((await attributesOf(s))['custom:team']).toBe('blue');
    expect(await rejection(sdk.send(new UpdateUserAttributesCommand({ AccessToken: s.accessToken, UserAttributes: undefined as unknown as [] })))).toMatchObject({ name: 'InvalidParameterException' });
  });

  test('only email and phone_number can be verified, and only when the user has one', async () => {
    const s = await signedIn();
    expect(await rejection(sendCode(s, 'given_name'))).toMatchObject({ name: 'InvalidParameterException', message: 'Invalid attribute name. Only phone_number and email can be verified.' });
    expect(await rejection(verify(s, 'given_name', '123456'))).toMatchObject({ name: 'InvalidParameterException' });
    expect(await rejection(sendCode(s, 'phone_number'))).toMatchObject({ name: 'InvalidParameterException', message: 'User does not have a valid registered phone number' });
    expect(await rejection(verify(s, 'email', '123456'))).toMatchObject({ name: 'CodeMismatchException' });
  });

  test('a bad or a revoked access token → NotAuthorizedException, for each operation, and no code is sent', async () => {
    const s = await signedIn();
    // thunks: each call starts only when its rejection is awaited (no unhandled rejection meanwhile)
    const calls = (token: string): Array<() => Promise<unknown>> => [
      () => sdk.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: [{ Name: 'given_name', Value: 'X' }] })),
      () => sdk.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'email' })),
      () => sdk.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: '123456' })),
      () => sdk.send(new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ['given_name'] })),
      () => sdk.send(new DeleteUserCommand({ AccessToken: token })),
    ];
    for (const call of calls('not-a-token')) expect(await rejection(call())).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Access Token' });
    await sdk.send(new GlobalSignOutCommand({ AccessToken: s.accessToken }));
    for (const call of calls(s.accessToken)) expect(await rejection(call())).toMatchObject({ name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
    expect(emu.inbox(s.username, { userPoolId: s.userPoolId })).toEqual([]);
  });

  test('no code or token in the request log or in an error message', async () => {
    const s = await signedIn({ AutoVerifiedAttributes: ['email'] });
    emu.resetRequests();
    await update(s, { email: 'log@example.org' });
    const code = lastCode(s).code;
    const wrong = code === '000000' ? '111111' : '000000';
    const error = await rejection(verify(s, 'email', wrong));
    expect(error.message).not.toContain(wrong);
    expect(error.message).not.toContain(code);
    expect(JSON.stringify(emu.requests)).not.toMatch(new RegExp(`${code}|${wrong}|${s.accessToken.slice(0, 20)}`));
    expect(emu.requests).toEqual([
      { operation: 'UpdateUserAttributes', status: 200 },
      { operation: 'VerifyUserAttribute', status: 400 },
    ]);
  });
});

describe('DeleteUserAttributes', () => {
  test('removes the attributes; deleting email drops email_verified and a pending change; sub and unknown names are refused', async () => {
    const s = await signedIn({ UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } });
    await update(s, { given_name: 'Jane', email: 'pending@example.org' });
    const pendingCode = lastCode(s).code;
    await sdk.send(new DeleteUserAttributesCommand({ AccessToken: s.accessToken, UserAttributeNames: ['given_name', 'email'] }));
    const after = await attributesOf(s);
    expect(after).not.toHaveProperty('given_name');
    expect(after).not.toHaveProperty('email');
    expect(after).not.toHaveProperty('email_verified');
    expect(await rejection(verify(s, 'email', pendingCode))).toMatchObject({ name: 'InvalidParameterException', message: 'User does not have a valid registered email address' });
    expect(await rejection(sdk.send(new DeleteUserAttributesCommand({ AccessToken: s.accessToken, UserAttributeNames: ['sub'] })))).toMatchObject({ name: 'InvalidParameterException' });
    expect(await rejection(sdk.send(new DeleteUserAttributesCommand({ AccessToken: s.accessToken, UserAttributeNames: ['nope'] })))).toMatchObject({ name: 'InvalidParameterException' });
    expect((await attributesOf(s)).sub).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('DeleteUser', () => {
  test('the user is gone: its access token → UserNotFoundException, its refresh token → NotAuthorizedException, its password no longer signs in; the username can be taken again by a new user', async () => {
    const s = await signedIn({ AutoVerifiedAttributes: ['email'] });
    await update(s, { email: 'gone@example.org' });
    await expect(sdk.send(new DeleteUserCommand({ AccessToken: s.accessToken }))).resolves.toBeDefined();
    expect(await rejection(sdk.send(new GetUserCommand({ AccessToken: s.accessToken })))).toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
    expect(await rejection(sdk.send(new DeleteUserCommand({ AccessToken: s.accessToken })))).toMatchObject({ name: 'UserNotFoundException' });
    expect(await rejection(refreshedIdToken(s))).toMatchObject({ name: 'NotAuthorizedException' });
    expect(await rejection(signedInAgain(s))).toMatchObject({ name: 'UserNotFoundException' });
    expect(emu.inbox(s.username, { userPoolId: s.userPoolId })).toEqual([]);

    const again = await sdk.send(new AdminCreateUserCommand({ UserPoolId: s.userPoolId, Username: s.username, TemporaryPassword: 'Temp0rary!' }));
    const newSub = again.User!.Attributes!.find((a) => a.Name === 'sub')!.Value;
    expect(newSub).not.toBe(decodeJwtPayload(s.accessToken)?.['sub']);
    // the old tokens do not reach the new user
    expect(await rejection(sdk.send(new GetUserCommand({ AccessToken: s.accessToken })))).toMatchObject({ name: 'UserNotFoundException' });
    expect(await rejection(refreshedIdToken(s))).toMatchObject({ name: 'NotAuthorizedException' });
  });
});
