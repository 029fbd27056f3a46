// createServerAuth's config: what it refuses (AuthConfigError naming the field), and the Cognito
// transports it takes: fetch by default, the AWS SDK over an app's `client` (loaded on first use).
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { AuthConfigError, createServerAuth, type ServerAuthConfig } from '../src/server/index';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';

const pool = { userPoolId: 'us-east-1_abc123', userPoolClientId: 'client1' };

test.each([
  ['basePath', { basePath: 'auth' }],
  ['basePath', { basePath: '/auth/' }],
  ['basePath', { basePath: '/a/../b' }],
  ['allowedOrigins', { allowedOrigins: ['https://app.example.com/path'] }],
  ['allowedOrigins', { allowedOrigins: 'https://app.example.com' }],
  ['proxy', { proxy: { path: '/api', upstream: 'https://x.example' } }],
  ['proxy[0].path', { proxy: [{ path: 'api', upstream: 'https://x.example' }] }],
  ['proxy[0].upstream', { proxy: [{ path: '/api', upstream: 'https://x.example/v1?key=1' }] }],
  ['proxy[0].upstream', { proxy: [{ path: '/api', upstream: 'ftp://x.example' }] }],
  ['proxy[0].upstream', { proxy: [{ path: '/api', upstream: 'https://user:pw@x.example' }] }],
  ['proxy[0].path', { proxy: [{ path: '/auth/x', upstream: 'https://x.example' }] }],
  ['proxy[0].path', { proxy: [{ path: '/api', upstream: 'https://x.example' }, { path: '/api/orders', upstream: 'https://y.example' }] }],
  ['maxBodyBytes', { maxBodyBytes: 10 }],
  ['sessionLifetimeSeconds', { sessionLifetimeSeconds: 1.5 }],
  ['proxyTimeoutMs', { proxyTimeoutMs: 0 }],
  ['sessionStore', { sessionStore: {} }],
  ['afterSignInUrl', { afterSignInUrl: '//evil.example' }],
  ['userPoolId', { userPoolId: 'nope' }],
  ['oauth.redirectSignIn', { oauth: { domain: 'https://auth.example.com', redirectSignIn: 'http://evil.example/cb', redirectSignOut: 'https://app.example.com/' } }],
])('%s is refused: %j', (field, bad) => {
  let thrown: unknown;
  try {
    createServerAuth({ ...pool, ...bad } as unknown as ServerAuthConfig);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(AuthConfigError);
  expect((thrown as AuthConfigError).field).toBe(field);
});

describe('the transport', () => {
  let emu!: CognitoEmulator;
  beforeAll(async () => {
    emu = await startCognitoEmulator();
  });
  afterAll(() => emu.close());

  test('an app’s AWS SDK client: the SDK transport, loaded on first use, signs in', async () => {
    const setup = emu.setup();
    const client = new CognitoIdentityProviderClient({ region: emu.region, endpoint: emu.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const server = createServerAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, client });
    try {
      const origin = 'http://127.0.0.1:9';
      const answer = await server.handle(
        new Request(`${origin}/auth/sign-in`, { method: 'POST', headers: { 'x-authchart-csrf': '1', origin, 'content-type': 'application/json' }, body: JSON.stringify({ username: setup.username, password: setup.password }) }),
      );
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
      expect(answer.headers.getSetCookie()).toHaveLength(1);
    } finally {
      await server.close();
      client.destroy();
    }
  });
});
