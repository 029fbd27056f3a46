// Run by __tests__/emulator.openidClient.test.ts in a child process (openid-client is ESM-only: node
// loads it, jest in CJS mode cannot). An independent OIDC client, openid-client, does discovery and
// the authorization-code flow against the emulator, the way its README tells an app to, and reports
// which branch it took, next to the branch it takes with Cognito's own discovery document.
// Prints one JSON line.
import type * as Oidc from 'openid-client';
import { startCognitoEmulator, type SetupResult } from '../../src/testing/index';
import { Browser, hidden } from './oauthBrowser';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const CALLBACK = 'http://localhost:3000/callback';

/** Cognito's discovery document for a pool with a domain (the fields and values it publishes). */
function cognitoDocument(poolId: string, domain: string): Record<string, unknown> {
  const issuer = `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`;
  return {
    authorization_endpoint: `${domain}/oauth2/authorize`,
    end_session_endpoint: `${domain}/logout`,
    id_token_signing_alg_values_supported: ['RS256'],
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ['code', 'token'],
    revocation_endpoint: `${domain}/oauth2/revoke`,
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    subject_types_supported: ['public'],
    token_endpoint: `${domain}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    userinfo_endpoint: `${domain}/oauth2/userInfo`,
  };
}

/** The user at the hosted UI: the authorize URL, the login form, and the redirect back to the app. */
async function signInAt(endpoint: string, url: URL, s: SetupResult): Promise<URL> {
  const browser = new Browser(endpoint);
  const page = await browser.get(url.href);
  if (page.status !== 200) throw new Error(`authorize answered ${page.status} ${page.headers.get('location') ?? ''}`);
  const back = await browser.post('/login', { flow: hidden(await page.text(), 'flow'), username: s.username, password: s.password });
  const to = back.headers.get('location');
  if (back.status !== 302 || to === null) throw new Error(`login answered ${back.status}`);
  return new URL(to);
}

async function main(): Promise<void> {
  const oidc = (await import('openid-client')) as typeof Oidc;
  const emu = await startCognitoEmulator();
  try {
    const s = emu.setup({ callbackUrls: [CALLBACK] });
    const config = await oidc.discovery(new URL(`${emu.endpoint}/${s.userPoolId}`), s.clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
    const againstCognito = new oidc.Configuration(cognitoDocument(s.userPoolId, 'https://example.auth.us-east-1.amazoncognito.com') as unknown as Oidc.ServerMetadata, s.clientId);

    // openid-client's documented flow: PKCE always, and a state when the server does not advertise PKCE.
    const supportsPKCE = config.serverMetadata().supportsPKCE();
    const verifier = oidc.randomPKCECodeVerifier();
    const parameters: Record<string, string> = { redirect_uri: CALLBACK, scope: 'openid email', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' };
    const state = supportsPKCE ? undefined : oidc.randomState();
    if (state !== undefined) parameters.state = state;
    const callback = await signInAt(emu.endpoint, oidc.buildAuthorizationUrl(config, parameters), s);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    const claims = tokens.claims();
    const userInfo = await oidc.fetchUserInfo(config, tokens.access_token, claims?.sub ?? '');

    // A client that does not use PKCE at all (Cognito documents it optional): state only.
    const plainState = oidc.randomState();
    const plainCallback = await signInAt(emu.endpoint, oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid', state: plainState }), s);
    const plain = await oidc.authorizationCodeGrant(config, plainCallback, { expectedState: plainState });

    const report = {
      issuer: config.serverMetadata().issuer,
      supportsPKCE,
      cognitoSupportsPKCE: againstCognito.serverMetadata().supportsPKCE(),
      sentState: state !== undefined,
      idToken: { iss: claims?.iss, aud: claims?.aud, sub: claims?.sub },
      userInfo: { sub: userInfo.sub, username: userInfo.username },
      scope: tokens.scope ?? null,
      hasRefreshToken: typeof tokens.refresh_token === 'string',
      withoutPkce: { hasAccessToken: typeof plain.access_token === 'string', iss: plain.claims()?.iss },
      expected: { issuer: `${emu.endpoint}/${s.userPoolId}`, clientId: s.clientId, username: s.username },
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await emu.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error)}\n`);
  process.exit(1);
});
