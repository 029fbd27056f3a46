// The emulator's OAuth 2.0 / OIDC endpoints (Cognito's hosted UI), over real HTTP.
import { createPublicKey, createVerify, type JsonWebKey } from 'node:crypto';
import { decodeJwtPayload, startCognitoEmulator, type CognitoEmulator, type SetupOptions, type SetupResult } from '../src/testing/emulator.js';
import { basic, Browser, hidden, location, pkce, postForm, type Pkce, type TokenResponse } from './support/oauthBrowser.js';

const CB = 'http://localhost:3000/callback';
const SIGNED_OUT = 'http://localhost:3000/signed-out';
const ADMIN = 'aws.cognito.signin.user.admin';

let emu: CognitoEmulator;
let clock = Date.now();

beforeAll(async () => {
  emu = await startCognitoEmulator({ now: () => clock });
});
afterAll(async () => {
  await emu.close();
});
afterEach(() => {
  emu.faults.clear();
});

const hosted = (o: SetupOptions = {}): SetupResult =>
  emu.setup({ callbackUrls: [CB], logoutUrls: [SIGNED_OUT], supportedIdentityProviders: ['COGNITO', 'Google'], ...o });

/** The authorize URL; `p` undefined: without PKCE (no code_challenge, no code_challenge_method). */
function authorizeUrl(s: SetupResult, p: Pkce | undefined, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({
    client_id: s.clientId,
    redirect_uri: CB,
    response_type: 'code',
    state: 'st-123',
    scope: 'openid email',
    ...(p && { code_challenge: p.challenge, code_challenge_method: 'S256' }),
    ...extra,
  });
  return `/oauth2/authorize?${q.toString()}`;
}

/** authorize → the login form → POST /login; returns the code (and the 302). */
async function signIn(b: Browser, s: SetupResult, p: Pkce | undefined, extra: Record<string, string> = {}): Promise<{ code: string; res: Response }> {
  const page = await b.get(authorizeUrl(s, p, extra));
  expect(page.status).toBe(200);
  const res = await b.post('/login', { flow: hidden(await page.text(), 'flow'), username: s.username, password: s.password });
  expect(res.status).toBe(302);
  const code = location(res).searchParams.get('code');
  if (!code) throw new Error('no code');
  return { code, res };
}

const token = (form: Record<string, string>, headers?: Record<string, string>) => postForm(`${emu.endpoint}/oauth2/token`, form, headers);

async function exchange(s: SetupResult, code: string, p: Pkce | undefined, extra: Record<string, string> = {}): Promise<TokenResponse> {
  const secret: Record<string, string> = s.clientSecret === undefined ? {} : { client_secret: s.clientSecret };
  const verifier: Record<string, string> = p ? { code_verifier: p.verifier } : {};
  const r = await token({ grant_type: 'authorization_code', client_id: s.clientId, code, ...verifier, redirect_uri: CB, ...secret, ...extra });
  expect(r.status).toBe(200);
  return r.json as unknown as TokenResponse;
}

async function fullSignIn(s: SetupResult, scope = 'openid email'): Promise<{ b: Browser; tokens: TokenResponse }> {
  const b = new Browser(emu.endpoint);
  const p = pkce();
  const { code } = await signIn(b, s, p, { scope });
  return { b, tokens: await exchange(s, code, p) };
}

async function api(op: string, body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(emu.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${op}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const userInfo = (accessToken: string) => fetch(`${emu.endpoint}/oauth2/userInfo`, { headers: { authorization: `Bearer ${accessToken}` } });

describe('authorization code flow with PKCE', () => {
  it('form, cookie, code, tokens with the asked scopes', async () => {
    const s = hosted();
    const b = new Browser(emu.endpoint);
    const p = pkce();
    const page = await b.get(authorizeUrl(s, p, { login_hint: s.username, nonce: 'n-1' }));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain(`name="username" autocomplete="username" value="${s.username}"`);
    expect(html).toContain('type="password"');

    const res = await b.post('/login', { flow: hidden(html, 'flow'), username: s.username, password: s.password });
    expect(res.status).toBe(302);
    const to = location(res);
    expect(`${to.origin}${to.pathname}`).toBe(CB);
    expect(to.searchParams.get('state')).toBe('st-123');
    const setCookie = res.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/^cognito=[^;]+; Path=\/; Max-Age=3600; HttpOnly/);
    expect(b.jar.get('cognito')).toBeTruthy();

    const tokens = await exchange(s, to.searchParams.get('code') ?? '', p);
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(typeof tokens.refresh_token).toBe('string');
    const access = decodeJwtPayload(tokens.access_token);
    expect(access).toMatchObject({ token_use: 'access', client_id: s.clientId, username: s.username, scope: 'openid email' });
    expect(String(access?.scope)).not.toContain(ADMIN);
    const id = decodeJwtPayload(tokens.id_token ?? '');
    expect(id).toMatchObject({ token_use: 'id', aud: s.clientId, email: `${s.username}@example.com`, nonce: 'n-1' });
    expect(id?.sub).toBe(access?.sub);
    expect(typeof id?.at_hash).toBe('string');
    expect((await userInfo(tokens.access_token)).status).toBe(200);
  });

  it('without PKCE (optional at Cognito): authorize, login and the token exchange without a code_verifier', async () => {
    const s = hosted();
    const b = new Browser(emu.endpoint);
    const { code, res } = await signIn(b, s, undefined);
    expect(location(res).searchParams.get('state')).toBe('st-123');
    const tokens = await exchange(s, code, undefined);
    expect(decodeJwtPayload(tokens.access_token)).toMatchObject({ token_use: 'access', scope: 'openid email' });
    expect(tokens.id_token).toBeDefined();
    // A code_verifier for a code issued without a challenge is refused (a PKCE downgrade), and uses the code up.
    const other = await signIn(new Browser(emu.endpoint), s, undefined);
    const r = await token({ grant_type: 'authorization_code', client_id: s.clientId, code: other.code, code_verifier: pkce().verifier, redirect_uri: CB });
    expect({ status: r.status, error: r.json.error }).toEqual({ status: 400, error: 'invalid_grant' });
    expect((await token({ grant_type: 'authorization_code', client_id: s.clientId, code: other.code, redirect_uri: CB })).json.error).toBe('invalid_grant');
  });

  it('no id_token without openid; unknown or disallowed scopes are refused', async () => {
    const s = hosted({ allowedOAuthScopes: ['openid', 'email', ADMIN] });
    const { tokens } = await fullSignIn(s, 'email');
    expect(tokens.id_token).toBeUndefined();
    expect(decodeJwtPayload(tokens.access_token)?.scope).toBe('email');
    const b = new Browser(emu.endpoint);
    const res = await b.get(authorizeUrl(s, pkce(), { scope: 'openid phone' }));
    expect(res.status).toBe(302);
    expect(location(res).searchParams.get('error')).toBe('invalid_scope');
    expect(location(res).searchParams.get('state')).toBe('st-123');
  });

  it('the cookie skips the form; prompt=login forces it; prompt=none without a session fails', async () => {
    const s = hosted();
    const b = new Browser(emu.endpoint);
    const first = pkce();
    const { code } = await signIn(b, s, first);
    const firstTokens = await exchange(s, code, first);

    const again = pkce();
    const quick = await b.get(authorizeUrl(s, again, { state: 'second' }));
    expect(quick.status).toBe(302);
    expect(location(quick).searchParams.get('state')).toBe('second');
    const tokens = await exchange(s, location(quick).searchParams.get('code') ?? '', again);
    expect(decodeJwtPayload(tokens.access_token)?.auth_time).toBe(decodeJwtPayload(firstTokens.access_token)?.auth_time);

    const forced = await b.get(authorizeUrl(s, pkce(), { prompt: 'login' }));
    expect(forced.status).toBe(200);
    expect(await forced.text()).toContain('name="password"');

    const stranger = new Browser(emu.endpoint);
    const none = await stranger.get(authorizeUrl(s, pkce(), { prompt: 'none' }));
    expect(location(none).searchParams.get('error')).toBe('login_required');
    const withSession = await b.get(authorizeUrl(s, pkce(), { prompt: 'none' }));
    expect(location(withSession).searchParams.get('code')).toBeTruthy();
  });

  it('the cookie lasts one hour and belongs to one pool', async () => {
    const s = hosted();
    const other = hosted();
    const b = new Browser(emu.endpoint);
    await signIn(b, s, pkce());
    expect((await b.get(authorizeUrl(other, pkce()))).status).toBe(200); // another pool: the form
    clock += 3601_000;
    try {
      expect((await b.get(authorizeUrl(s, pkce()))).status).toBe(200);
    } finally {
      clock -= 3601_000;
    }
  });

  it('a wrong password or an unknown user: the form again, same message, no cookie', async () => {
    const s = hosted();
    const b = new Browser(emu.endpoint);
    const page = await b.get(authorizeUrl(s, pkce()));
    const flow = hidden(await page.text(), 'flow');
    const wrong = await b.post('/login', { flow, username: s.username, password: 'nope' });
    const unknown = await b.post('/login', { flow, username: 'nobody', password: 'nope' });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Incorrect username or password.');
    }
    expect(b.jar.get('cognito')).toBeUndefined();
    // The same flow still works with the right password.
    const ok = await b.post('/login', { flow, username: s.username, password: s.password });
    expect(ok.status).toBe(302);
  });

  it('a TOTP user gets the code form', async () => {
    const s = hosted({ mfa: 'SOFTWARE_TOKEN_MFA', username: 'totp-user' });
    const b = new Browser(emu.endpoint);
    const p = pkce();
    const page = await b.get(authorizeUrl(s, p));
    const flow = hidden(await page.text(), 'flow');
    const mfaPage = await b.post('/login', { flow, username: s.username, password: s.password });
    expect(mfaPage.status).toBe(200);
    expect(b.jar.get('cognito')).toBeUndefined();
    const html = await mfaPage.text();
    expect(html).toContain('name="code"');
    const bad = await b.post('/mfa', { flow: hidden(html, 'flow'), code: '000000' === emu.mfaCode(s.userPoolId, s.username) ? '111111' : '000000' });
    expect(await bad.text()).toContain('Invalid code received for user');
    const ok = await b.post('/mfa', { flow, code: emu.mfaCode(s.userPoolId, s.username) });
    expect(ok.status).toBe(302);
    expect(b.jar.get('cognito')).toBeTruthy();
    const tokens = await exchange(s, location(ok).searchParams.get('code') ?? '', p);
    expect(decodeJwtPayload(tokens.access_token)?.username).toBe('totp-user');
  });

  it('identity_provider=Google goes through the stand-in and creates Google_<id>', async () => {
    const s = hosted();
    const b = new Browser(emu.endpoint);
    const p = pkce();
    const res = await b.get(authorizeUrl(s, p, { identity_provider: 'Google', login_hint: 'jane@gmail.example' }));
    expect(res.status).toBe(302);
    const googlePage = await b.get(res.headers.get('location') ?? '');
    const html = await googlePage.text();
    expect(html).toContain('Continue as jane@gmail.example');
    const done = await b.post('/google/authorize', { flow: hidden(html, 'flow'), email: hidden(html, 'email') });
    expect(done.status).toBe(302);
    const tokens = await exchange(s, location(done).searchParams.get('code') ?? '', p);
    const id = decodeJwtPayload(tokens.id_token ?? '');
    expect(String(id?.['cognito:username'])).toMatch(/^Google_\d{21}$/);
    expect(id?.email).toBe('jane@gmail.example');
    expect(id?.identities).toEqual([expect.objectContaining({ providerName: 'Google' })]);

    // Again, in a fresh browser: the same federated user.
    const b2 = new Browser(emu.endpoint);
    const p2 = pkce();
    const r2 = await b2.get(authorizeUrl(s, p2, { identity_provider: 'Google' }));
    const h2 = await (await b2.get(r2.headers.get('location') ?? '')).text();
    const d2 = await b2.post('/google/authorize', { flow: hidden(h2, 'flow'), email: 'jane@gmail.example' });
    const t2 = await exchange(s, location(d2).searchParams.get('code') ?? '', p2);
    expect(decodeJwtPayload(t2.id_token ?? '')?.sub).toBe(id?.sub);

    const cognitoOnly = hosted({ supportedIdentityProviders: ['COGNITO'] });
    const refused = await new Browser(emu.endpoint).get(authorizeUrl(cognitoOnly, pkce(), { identity_provider: 'Google' }));
    expect(location(refused).searchParams.get('error')).toBe('invalid_request');
  });

  it("Cancel at the Google stand-in sends the provider's access_denied back to the app, with the state; no cookie", async () => {
    const s = hosted();
    const b = new Browser(emu.endpoint);
    const res = await b.get(authorizeUrl(s, pkce(), { identity_provider: 'Google', state: 'st-1' }));
    const html = await (await b.get(res.headers.get('location') ?? '')).text();
    const cancel = /id="cancel" href="([^"]+)"/.exec(html)?.[1];
    expect(cancel).toBeDefined();
    const back = await b.get(cancel!.replace(/&amp;/g, '&'));
    expect(back.status).toBe(302);
    const to = location(back);
    expect([to.searchParams.get('error'), to.searchParams.get('state'), to.searchParams.has('code')]).toEqual(['access_denied', 'st-1', false]);
    expect(b.jar.get('cognito')).toBeUndefined();
  });
});

describe('authorize errors', () => {
  it('never redirects to an unregistered URL', async () => {
    const s = hosted();
    const b = new Browser(emu.endpoint);
    for (const url of [
      authorizeUrl(s, pkce(), { redirect_uri: 'http://localhost:3000/evil' }),
      authorizeUrl(s, pkce(), { client_id: 'nosuchclient' }),
      authorizeUrl(emu.setup(), pkce()), // a client without callback URLs
    ]) {
      const res = await b.get(url);
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
    }
  });

  it('PKCE, when sent, is S256 with a 43-character challenge; response_type must be code', async () => {
    const s = hosted();
    const b = new Browser(emu.endpoint);
    const p = pkce();
    const cases: Array<[Record<string, string>, string]> = [
      [{ code_challenge_method: 'plain', code_challenge: p.verifier }, 'invalid_request'],
      [{ code_challenge: '' }, 'invalid_request'],
      [{ code_challenge_method: '' }, 'invalid_request'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ response_type: '' }, 'invalid_request'],
    ];
    for (const [extra, error] of cases) {
      const res = await b.get(authorizeUrl(s, p, extra));
      expect(res.status).toBe(302);
      expect(location(res).searchParams.get('error')).toBe(error);
    }
    // Half of PKCE: a method without a challenge, or a challenge without its method.
    const halves: Array<Record<string, string>> = [{ code_challenge_method: 'S256' }, { code_challenge: p.challenge }];
    for (const extra of halves) {
      const res = await b.get(authorizeUrl(s, undefined, extra));
      expect({ extra, error: location(res).searchParams.get('error') }).toEqual({ extra, error: 'invalid_request' });
    }
  });
});

describe('token endpoint', () => {
  it('answers every error as Cognito documents it', async () => {
    const s = hosted();
    const secret = hosted({ generateSecret: true });
    const p = pkce();
    const { code } = await signIn(new Browser(emu.endpoint), s, p);
    const good = { grant_type: 'authorization_code', client_id: s.clientId, code, code_verifier: p.verifier, redirect_uri: CB };

    const notForm = await fetch(`${emu.endpoint}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(good) });
    expect(notForm.status).toBe(400);
    expect(await notForm.json()).toMatchObject({ error: 'invalid_request' });

    const expectations: Array<[Record<string, string>, Record<string, string> | undefined, number, string]> = [
      [{ ...good, grant_type: '' }, undefined, 400, 'invalid_request'],
      [{ ...good, grant_type: 'password' }, undefined, 400, 'unsupported_grant_type'],
      [{ ...good, grant_type: 'client_credentials' }, undefined, 400, 'unauthorized_client'],
      [{ ...good, client_id: 'nosuchclient' }, undefined, 400, 'invalid_client'],
      [{ ...good, client_id: '' }, undefined, 400, 'invalid_request'],
      [{ ...good, client_id: secret.clientId }, undefined, 400, 'invalid_client'],
      [{ ...good, client_id: secret.clientId, client_secret: 'wrong' }, undefined, 400, 'invalid_client'],
      [{ ...good, client_id: '' }, basic(secret.clientId, 'wrong'), 401, 'invalid_client'],
      [{ ...good, code: '' }, undefined, 400, 'invalid_request'],
      [{ ...good, redirect_uri: '' }, undefined, 400, 'invalid_request'],
      [{ ...good, code: 'not-a-code' }, undefined, 400, 'invalid_grant'],
      [{ grant_type: 'refresh_token', client_id: s.clientId }, undefined, 400, 'invalid_request'],
      [{ grant_type: 'refresh_token', client_id: s.clientId, refresh_token: 'a.b.c.d.e' }, undefined, 400, 'invalid_grant'],
    ];
    for (const [form, headers, status, error] of expectations) {
      const r = await token(form, headers);
      expect({ form, status: r.status, error: r.json.error }).toEqual({ form, status, error });
    }
    const wrongBasic = await token({ ...good, client_id: '' }, basic(secret.clientId, 'wrong'));
    expect(wrongBasic.res.headers.get('www-authenticate')).toMatch(/^Basic/);
    // None of the above used the code up.
    expect((await token(good)).status).toBe(200);
  });

  it('a code is single use: a replay is refused and revokes what it gave', async () => {
    const s = hosted();
    const p = pkce();
    const { code } = await signIn(new Browser(emu.endpoint), s, p);
    const tokens = await exchange(s, code, p);
    const replay = await token({ grant_type: 'authorization_code', client_id: s.clientId, code, code_verifier: p.verifier, redirect_uri: CB });
    expect(replay).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    expect(emu.tokenRevoked(tokens.refresh_token ?? '')).toBe(true);
  });

  it('a code lives 5 minutes (the emulator clock)', async () => {
    const s = hosted();
    const b = new Browser(emu.endpoint);
    const p1 = pkce();
    const { code: c1 } = await signIn(b, s, p1);
    const p2 = pkce();
    const c2 = location(await b.get(authorizeUrl(s, p2))).searchParams.get('code') ?? '';
    clock += 299_000;
    try {
      await exchange(s, c1, p1);
      clock += 2_000;
      const late = await token({ grant_type: 'authorization_code', client_id: s.clientId, code: c2, code_verifier: p2.verifier, redirect_uri: CB });
      expect(late).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    } finally {
      clock -= 301_000;
    }
  });

  it('PKCE mismatch, redirect_uri mismatch and another client: invalid_grant, and the code is gone', async () => {
    const s = hosted({ callbackUrls: [CB, 'http://localhost:3000/other'] });
    const other = hosted();
    for (const [tamper, expected] of [
      [{ code_verifier: pkce().verifier }, 'invalid_grant'],
      [{ redirect_uri: 'http://localhost:3000/other' }, 'invalid_grant'],
      [{ client_id: other.clientId }, 'invalid_grant'],
      [{ code_verifier: '' }, 'invalid_request'],
    ] as Array<[Record<string, string>, string]>) {
      const p = pkce();
      const { code } = await signIn(new Browser(emu.endpoint), s, p);
      const form = { grant_type: 'authorization_code', client_id: s.clientId, code, code_verifier: p.verifier, redirect_uri: CB };
      const bad = await token({ ...form, ...tamper });
      expect({ tamper, error: bad.json.error }).toEqual({ tamper, error: expected });
      if (tamper.client_id === undefined) expect((await token(form)).json.error).toBe('invalid_grant');
    }
  });

  it('client_secret_basic and client_secret_post', async () => {
    const s = hosted({ generateSecret: true });
    for (const style of ['basic', 'post'] as const) {
      const p = pkce();
      const { code } = await signIn(new Browser(emu.endpoint), s, p);
      const form = { grant_type: 'authorization_code', code, code_verifier: p.verifier, redirect_uri: CB };
      const r =
        style === 'basic'
          ? await token(form, basic(s.clientId, s.clientSecret ?? ''))
          : await token({ ...form, client_id: s.clientId, client_secret: s.clientSecret ?? '' });
      expect(r.status).toBe(200);
      expect(r.res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('refresh grant: new access and ID tokens, same scopes, no new refresh token', async () => {
    const s = hosted();
    const { tokens } = await fullSignIn(s);
    clock += 1000;
    try {
      const r = await token({ grant_type: 'refresh_token', client_id: s.clientId, refresh_token: tokens.refresh_token ?? '' });
      expect(r.status).toBe(200);
      expect(r.json.refresh_token).toBeUndefined();
      expect(r.json.token_type).toBe('Bearer');
      expect(decodeJwtPayload(String(r.json.access_token))?.scope).toBe('openid email');
      expect(decodeJwtPayload(String(r.json.id_token))?.origin_jti).toBe(decodeJwtPayload(tokens.id_token ?? '')?.origin_jti);
      expect(r.json.access_token).not.toBe(tokens.access_token);
    } finally {
      clock -= 1000;
    }
  });
});

describe('revocation', () => {
  const revoke = (form: Record<string, string>, headers?: Record<string, string>) => postForm(`${emu.endpoint}/oauth2/revoke`, form, headers);

  it('errors, unknown tokens, and the effect on the refresh grant, userInfo and the JSON API', async () => {
    const s = hosted();
    const secret = hosted({ generateSecret: true });
    const { tokens } = await fullSignIn(s, `openid email ${ADMIN}`);
    expect((await api('GetUser', { AccessToken: tokens.access_token })).status).toBe(200);

    expect(await revoke({ client_id: s.clientId })).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
    expect(await revoke({ client_id: s.clientId, token: tokens.access_token })).toMatchObject({ status: 400, json: { error: 'unsupported_token_type' } });
    expect(await revoke({ token: 'x.y.z.w.v' }, basic(secret.clientId, 'wrong'))).toMatchObject({ status: 401, json: { error: 'invalid_client' } });
    expect(await revoke({ token: 'x.y.z.w.v', client_id: 'nosuchclient' })).toMatchObject({ status: 401, json: { error: 'invalid_client' } });
    expect(await revoke({ token: 'x.y.z.w.v', client_id: secret.clientId })).toMatchObject({ status: 401, json: { error: 'invalid_client' } });
    const noRevocation = hosted({ enableTokenRevocation: false });
    expect(await revoke({ token: 'x.y.z.w.v', client_id: noRevocation.clientId })).toMatchObject({ status: 400, json: { error: 'invalid_request' } });

    const unknown = await revoke({ token: 'x.y.z.w.v', client_id: s.clientId });
    expect(unknown.status).toBe(200);
    expect(unknown.json).toEqual({});
    expect(emu.tokenRevoked(tokens.refresh_token ?? '')).toBe(false);

    expect((await revoke({ token: tokens.refresh_token ?? '', client_id: s.clientId })).status).toBe(200);
    expect((await revoke({ token: tokens.refresh_token ?? '', client_id: s.clientId })).status).toBe(200); // again: 200
    expect(emu.tokenRevoked(tokens.access_token)).toBe(true);
    expect((await token({ grant_type: 'refresh_token', client_id: s.clientId, refresh_token: tokens.refresh_token ?? '' })).json.error).toBe('invalid_grant');
    expect((await userInfo(tokens.access_token)).status).toBe(401);
    expect(await api('GetUser', { AccessToken: tokens.access_token })).toMatchObject({ status: 400, json: { __type: 'NotAuthorizedException', message: 'Access Token has been revoked' } });
  });

  it('basic auth works, and the JSON API RevokeToken ends the refresh grant too', async () => {
    const s = hosted({ generateSecret: true });
    const { tokens } = await fullSignIn(s);
    expect((await revoke({ token: tokens.refresh_token ?? '' }, basic(s.clientId, s.clientSecret ?? ''))).status).toBe(200);
    expect(emu.tokenRevoked(tokens.refresh_token ?? '')).toBe(true);

    const t = hosted();
    const { tokens: other } = await fullSignIn(t);
    expect((await api('RevokeToken', { Token: other.refresh_token, ClientId: t.clientId })).status).toBe(200);
    expect((await token({ grant_type: 'refresh_token', client_id: t.clientId, refresh_token: other.refresh_token ?? '' })).json.error).toBe('invalid_grant');
  });
});

describe('logout', () => {
  it('logout_uri: clears the cookie and redirects; the next authorize shows the form', async () => {
    const s = hosted();
    const { b } = await fullSignIn(s);
    const res = await b.get(`/logout?client_id=${s.clientId}&logout_uri=${encodeURIComponent(SIGNED_OUT)}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(SIGNED_OUT);
    expect(res.headers.getSetCookie().join()).toMatch(/cognito=;.*Max-Age=0/);
    expect(b.jar.get('cognito')).toBeUndefined();
    expect((await b.get(authorizeUrl(s, pkce()))).status).toBe(200);
  });

  it('the server forgets the session too (a kept cookie no longer signs in)', async () => {
    const s = hosted();
    const { b } = await fullSignIn(s);
    const cookie = b.jar.get('cognito') ?? '';
    await b.get(`/logout?client_id=${s.clientId}&logout_uri=${encodeURIComponent(SIGNED_OUT)}`);
    const res = await fetch(`${emu.endpoint}${authorizeUrl(s, pkce())}`, { redirect: 'manual', headers: { cookie: `cognito=${cookie}` } });
    expect(res.status).toBe(200);
  });

  it('redirect_uri + response_type: clears the cookie and goes back to authorize', async () => {
    const s = hosted();
    const { b } = await fullSignIn(s);
    const p = pkce();
    const q = new URLSearchParams({ client_id: s.clientId, redirect_uri: CB, response_type: 'code', state: 'again', scope: 'openid', code_challenge: p.challenge, code_challenge_method: 'S256' });
    const res = await b.get(`/logout?${q.toString()}`);
    expect(res.status).toBe(302);
    const to = location(res);
    expect(to.pathname).toBe('/oauth2/authorize');
    expect(to.searchParams.get('state')).toBe('again');
    expect(to.searchParams.get('redirect_uri')).toBe(CB);
    expect(b.jar.get('cognito')).toBeUndefined();
    const page = await b.get(`${to.pathname}${to.search}`);
    expect(page.status).toBe(200);
  });

  it('a URL not allowed: an error page, no redirect, the cookie kept', async () => {
    const s = hosted();
    const { b } = await fullSignIn(s);
    for (const url of [
      `/logout?client_id=${s.clientId}&logout_uri=${encodeURIComponent('https://evil.example/')}`,
      `/logout?client_id=${s.clientId}&redirect_uri=${encodeURIComponent('https://evil.example/')}&response_type=code`,
      `/logout?client_id=${s.clientId}`,
      `/logout?client_id=nosuchclient&logout_uri=${encodeURIComponent(SIGNED_OUT)}`,
    ]) {
      const res = await b.get(url);
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    }
    expect(b.jar.get('cognito')).toBeTruthy();
  });
});

describe('userInfo', () => {
  it('returns the attributes for an openid token', async () => {
    const s = hosted();
    const { tokens } = await fullSignIn(s);
    const res = await userInfo(tokens.access_token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, string>;
    expect(body).toEqual({ sub: decodeJwtPayload(tokens.access_token)?.sub, username: s.username, email: `${s.username}@example.com`, email_verified: 'true' });
  });

  it('errors: no token, an InitiateAuth token (no openid), after GlobalSignOut, expired', async () => {
    const s = hosted();
    const missing = await fetch(`${emu.endpoint}/oauth2/userInfo`);
    expect(missing.status).toBe(400);
    expect(missing.headers.get('www-authenticate')).toMatch(/error="invalid_request"/);

    const direct = await api('InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: s.clientId, AuthParameters: { USERNAME: s.username, PASSWORD: s.password } });
    const directAccess = String((direct.json.AuthenticationResult as Record<string, unknown>).AccessToken);
    expect(decodeJwtPayload(directAccess)?.scope).toBe(ADMIN);
    const refused = await userInfo(directAccess);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);

    const { tokens } = await fullSignIn(s, `openid ${ADMIN}`);
    expect((await userInfo(tokens.access_token)).status).toBe(200);
    clock += 3601_000;
    try {
      const expired = await userInfo(tokens.access_token);
      expect(expired.status).toBe(401);
      expect(await expired.json()).toMatchObject({ error: 'invalid_token', error_description: 'Access Token has expired' });
    } finally {
      clock -= 3601_000;
    }
    expect((await api('GlobalSignOut', { AccessToken: tokens.access_token })).status).toBe(200);
    const after = await userInfo(tokens.access_token);
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });
});

describe('admin scope on the JSON API', () => {
  it('GlobalSignOut and GetUser refuse a hosted-UI token without aws.cognito.signin.user.admin', async () => {
    const s = hosted();
    const { tokens } = await fullSignIn(s, 'openid email');
    for (const op of ['GlobalSignOut', 'GetUser']) {
      expect(await api(op, { AccessToken: tokens.access_token })).toMatchObject({
        status: 400,
        json: { __type: 'NotAuthorizedException', message: 'Access Token does not have required scopes' },
      });
    }
    expect(emu.tokenRevoked(tokens.refresh_token ?? '')).toBe(false);
  });
});

describe('discovery', () => {
  it('openid-configuration and jwks verify an ID token with node:crypto', async () => {
    const s = hosted();
    const { tokens } = await fullSignIn(s);
    const issuer = String(decodeJwtPayload(tokens.id_token ?? '')?.iss);
    expect(issuer).toBe(`${emu.endpoint}/${s.userPoolId}`);
    const config = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    // Exactly the fields Cognito publishes for a pool with a domain, in its order, with its values
    // (no code_challenge_methods_supported, no grant_types_supported: see docs/emulator.md).
    expect(Object.entries(config)).toEqual(Object.entries({
      authorization_endpoint: `${emu.endpoint}/oauth2/authorize`,
      end_session_endpoint: `${emu.endpoint}/logout`,
      id_token_signing_alg_values_supported: ['RS256'],
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      response_types_supported: ['code', 'token'],
      revocation_endpoint: `${emu.endpoint}/oauth2/revoke`,
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      subject_types_supported: ['public'],
      token_endpoint: `${emu.endpoint}/oauth2/token`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      userinfo_endpoint: `${emu.endpoint}/oauth2/userInfo`,
    }));
    const jwks = (await (await fetch(String(config.jwks_uri))).json()) as { keys: Array<JsonWebKey & { kid: string }> };
    const [header, payload, signature] = (tokens.id_token ?? '').split('.') as [string, string, string];
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string };
    const jwk = jwks.keys.find((k) => k.kid === kid);
    if (!jwk) throw new Error('kid not in jwks');
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    const verify = (sig: string) => createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(key, Buffer.from(sig, 'base64url'));
    expect(verify(signature)).toBe(true);
    expect(verify(`${signature.slice(0, -4)}AAAA`)).toBe(false);
    expect((await fetch(`${emu.endpoint}/us-east-1_nosuchpool/.well-known/openid-configuration`)).status).toBe(404);
  });
});

describe('CORS', () => {
  const ORIGIN = 'http://localhost:5173';

  it('preflight for the JSON API allows the SDK headers and echoes the origin', async () => {
    const res = await fetch(`${emu.endpoint}/`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-amz-target,x-amz-user-agent,amz-sdk-invocation-id,amz-sdk-request' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').split(',').map((h) => h.trim());
    expect(allowed).toEqual(expect.arrayContaining(['content-type', 'x-amz-target', 'x-amz-user-agent', 'amz-sdk-invocation-id', 'amz-sdk-request']));
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');

    const s = hosted();
    const call = await fetch(emu.endpoint, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
      body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: s.clientId, AuthParameters: { USERNAME: s.username, PASSWORD: s.password } }),
    });
    expect(call.status).toBe(200);
    expect(call.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('preflight for /oauth2/token; other origins get nothing', async () => {
    const res = await fetch(`${emu.endpoint}/oauth2/token`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:8080', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8080');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type, authorization');
    const evil = await fetch(`${emu.endpoint}/oauth2/token`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const s = hosted();
    const r = await token({ grant_type: 'refresh_token', client_id: s.clientId, refresh_token: 'x' }, { origin: ORIGIN });
    expect(r.res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });
});

describe('configuration', () => {
  it('CreateUserPoolClient takes the OAuth settings; OAuth stays off unless AllowedOAuthFlowsUserPoolClient', async () => {
    const { userPoolId } = emu.createUserPool();
    const created = await api('CreateUserPoolClient', {
      UserPoolId: userPoolId,
      ClientName: 'web',
      CallbackURLs: [CB],
      LogoutURLs: [SIGNED_OUT],
      AllowedOAuthScopes: ['openid'],
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      SupportedIdentityProviders: ['COGNITO'],
    });
    expect(created.json.UserPoolClient).toMatchObject({ CallbackURLs: [CB], LogoutURLs: [SIGNED_OUT], AllowedOAuthScopes: ['openid'], AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true, SupportedIdentityProviders: ['COGNITO'] });
    const clientId = String((created.json.UserPoolClient as Record<string, unknown>).ClientId);
    const fake = { userPoolId, clientId, username: 'u', password: 'p' };
    expect((await new Browser(emu.endpoint).get(authorizeUrl(fake, pkce(), { scope: 'openid' }))).status).toBe(200);

    const off = await api('CreateUserPoolClient', { UserPoolId: userPoolId, ClientName: 'off', CallbackURLs: [CB] });
    expect(off.json.UserPoolClient).toMatchObject({ AllowedOAuthFlowsUserPoolClient: false, AllowedOAuthScopes: [] });
    const offId = String((off.json.UserPoolClient as Record<string, unknown>).ClientId);
    expect((await new Browser(emu.endpoint).get(authorizeUrl({ ...fake, clientId: offId }, pkce()))).status).toBe(400);
  });

  it('the OAuth endpoints are in the request log and take faults by name', async () => {
    const s = hosted();
    emu.resetRequests();
    emu.faults.set('oauth2/token', { type: 'httpStatus', status: 503 }, { times: 1 });
    const r = await token({ grant_type: 'refresh_token', client_id: s.clientId, refresh_token: 'x' });
    expect(r.res.status).toBe(503);
    expect(emu.requests).toEqual([{ operation: 'oauth2/token', status: 503, fault: 'httpStatus' }]);
    emu.faults.set('*', { type: 'httpStatus', status: 500 });
    expect((await token({ grant_type: 'refresh_token', client_id: s.clientId, refresh_token: 'x' })).status).toBe(400);
  });
});
