// Sign-out of a session the hosted UI created, over real HTTP to the emulator: layer 2 (every session
// of the user) needs the admin scope, which hosted-UI tokens often lack (issue 11).
import { CognitoIdentityProviderClient, GlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { waitFor } from 'xstate';
import { createAuth } from '../src/index';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';
import { inspectableStorage } from './support/harness';
import { hostedUiTokens } from './support/oauthBrowser';

const CALLBACK = 'http://localhost:3000/callback';
let emu: CognitoEmulator;
beforeAll(async () => (emu = await startCognitoEmulator()));
afterAll(() => emu.close());

/** A session signed in through the hosted UI with `scope`, restored by createAuth from storage. */
async function hostedUiSession(scope: string) {
  const client = emu.setup({ callbackUrls: [CALLBACK] });
  const tokens = await hostedUiTokens(emu.endpoint, client, CALLBACK, scope);
  const storage = inspectableStorage();
  storage.setItem(`authchart.${client.clientId}.session`, JSON.stringify({ version: 1, generation: 7, accessToken: tokens.access_token, idToken: tokens.id_token, refreshToken: tokens.refresh_token }));
  const auth = createAuth({ userPoolId: client.userPoolId, userPoolClientId: client.clientId, endpoint: emu.endpoint, storage, revocationOutbox: { retryBaseMs: 600_000 } });
  await waitFor(auth.actor, (snapshot) => snapshot.matches('signedIn'));
  emu.resetRequests();
  return { auth, storage, tokens };
}
const sent = () => emu.requests.map((request) => request.operation);

test('global sign-out with a token lacking the admin scope: no GlobalSignOut (sure to fail), GlobalSignOutNotSupported, and this device revoked', async () => {
  const { auth, storage, tokens } = await hostedUiSession('openid email');
  const result = await auth.signOut({ global: true });
  expect(result).toEqual({
    type: 'partial',
    signedOutLocally: true,
    global: true,
    globalSignOutError: { name: 'GlobalSignOutNotSupported', message: expect.stringContaining('aws.cognito.signin.user.admin'), accessToken: tokens.access_token },
    finishedBy: 'nothing',
  });
  expect(sent()).toEqual(['RevokeToken']);
  expect(emu.tokenRevoked(tokens.refresh_token!)).toBe(true);
  expect([...storage.items.keys()]).toEqual([]);
  await auth.stop();
});

test('the same sign-in with the admin scope asked for and allowed: GlobalSignOut works, complete in one call', async () => {
  const { auth, tokens } = await hostedUiSession('openid email aws.cognito.signin.user.admin');
  await expect(auth.signOut({ global: true })).resolves.toEqual({ type: 'complete', signedOutLocally: true });
  expect(sent()).toEqual(['GlobalSignOut']);
  expect(emu.tokenRevoked(tokens.access_token)).toBe(true);
  await auth.stop();
});

test('what Cognito answers when GlobalSignOut is sent anyway with such a token (why it is not sent)', async () => {
  const { auth, tokens } = await hostedUiSession('openid email');
  const client = new CognitoIdentityProviderClient({ region: emu.region, endpoint: emu.endpoint, maxAttempts: 1 });
  await expect(client.send(new GlobalSignOutCommand({ AccessToken: tokens.access_token }))).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Access Token does not have required scopes' });
  client.destroy();
  await auth.stop();
});
