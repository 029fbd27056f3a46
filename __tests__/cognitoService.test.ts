// The SDK-backed CognitoService against the emulator: the calls createAuth does not exercise
// directly (REFRESH_TOKEN_AUTH), with and without a client secret, and a caller-supplied client.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createSdkCognito } from '../services/cognito';
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
  const signedIn = await cognito.initiateAuth({ flow: 'USER_PASSWORD_AUTH', username: setup.username, password: setup.password });
  if (signedIn.kind !== 'tokens') throw new Error('expected tokens');
  const refreshToken = signedIn.tokens.refreshToken!;
  const refreshed = await cognito.initiateAuth({ flow: 'REFRESH_TOKEN_AUTH', username: setup.username, refreshToken });
  expect(refreshed).toMatchObject({ kind: 'tokens', tokens: { refreshToken } });
  if (refreshed.kind === 'tokens') expect(refreshed.tokens.accessToken).not.toBe(signedIn.tokens.accessToken);
  await cognito.revokeToken(refreshToken);
  await expect(cognito.initiateAuth({ flow: 'REFRESH_TOKEN_AUTH', username: setup.username, refreshToken })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
});

test('a user who must change the password: the challenge is reported, not hidden', async () => {
  const { userPoolId } = emu.createUserPool();
  const { clientId } = emu.createUserPoolClient({ userPoolId });
  emu.createUser({ userPoolId, username: 'newbie', password: 'Temp0rary!', permanent: false });
  const cognito = createSdkCognito({ client, clientId });
  await expect(cognito.initiateAuth({ flow: 'USER_PASSWORD_AUTH', username: 'newbie', password: 'Temp0rary!' })).resolves.toEqual({ kind: 'challenge', challengeName: 'NEW_PASSWORD_REQUIRED' });
  const auth = createAuth({ userPoolId, userPoolClientId: clientId, client });
  await expect(auth.signIn({ username: 'newbie', password: 'Temp0rary!' })).rejects.toMatchObject({ name: 'ChallengeNotSupported' });
  await auth.stop();
});

test('createAuth with a caller-supplied SDK client uses it, and stop() leaves it open for the caller', async () => {
  const setup = emu.setup();
  const auth = createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, client });
  await auth.signIn({ username: setup.username, password: setup.password });
  await expect(auth.signOut()).resolves.toMatchObject({ type: 'complete' });
  await auth.stop();
  const cognito = createSdkCognito({ client, clientId: setup.clientId });
  await expect(cognito.initiateAuth({ flow: 'USER_PASSWORD_AUTH', username: setup.username, password: setup.password })).resolves.toMatchObject({ kind: 'tokens' });
});
