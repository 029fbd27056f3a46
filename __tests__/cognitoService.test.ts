// The SDK-backed CognitoService against the emulator: the calls createAuth does not exercise
// directly (REFRESH_TOKEN_AUTH), with and without a client secret, and a caller-supplied client.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createSdkCognito } from '../services/cognito/sdkTransport';
import { createAuth } from '../src/index';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
let emu: CognitoEmulator;
let client: CognitoIdentityProviderClient;
beforeAll(async () => {
  emu = await startCognitoEmulator();
  client = new CognitoIdentityProviderClient({ region: emu.region, endpoint: emu.endpoint, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await emu.close();
});

test.each([false, true])('REFRESH_TOKEN_AUTH returns fresh tokens and keeps the refresh token (client secret: %s)', async (generateSecret) => {
  const setup = emu.setup({ generateSecret });
  const cognito = createSdkCognito({ client, clientId: setup.clientId, ...(setup.clientSecret && { clientSecret: setup.clientSecret }) });
  const signedIn = await cognito.initiateAuth('USER_PASSWORD_AUTH', { USERNAME: setup.username, PASSWORD: setup.password });
  if (signedIn.kind !== 'tokens') throw new Error('expected tokens');
  const refreshToken = signedIn.tokens.refreshToken!;
  const refreshed = await cognito.refreshTokens(refreshToken, setup.username);
  expect(refreshed).toMatchObject({ refreshToken });
  expect(refreshed.accessToken).not.toBe(signedIn.tokens.accessToken);
  await cognito.revokeToken(refreshToken);
  await expect(cognito.refreshTokens(refreshToken, setup.username)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
});

test('a user who must change the password: the challenge and its session are returned', async () => {
  const { userPoolId } = emu.createUserPool();
  const { clientId } = emu.createUserPoolClient({ userPoolId });
  emu.createUser({ userPoolId, username: 'newbie', password: 'Temp0rary!', permanent: false });
  const cognito = createSdkCognito({ client, clientId });
  await expect(cognito.initiateAuth('USER_PASSWORD_AUTH', { USERNAME: 'newbie', PASSWORD: 'Temp0rary!' })).resolves.toMatchObject({
    kind: 'challenge',
    name: 'NEW_PASSWORD_REQUIRED',
    session: expect.any(String),
  });
});

test('createAuth with a caller-supplied SDK client uses it, and stop() leaves it open for the caller', async () => {
  const setup = emu.setup();
  const auth = createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, client });
  await auth.signIn({ username: setup.username, password: setup.password });
  await expect(auth.signOut()).resolves.toMatchObject({ type: 'complete' });
  await auth.stop();
  const cognito = createSdkCognito({ client, clientId: setup.clientId });
  await expect(cognito.initiateAuth('USER_PASSWORD_AUTH', { USERNAME: setup.username, PASSWORD: setup.password })).resolves.toMatchObject({ kind: 'tokens' });
});
