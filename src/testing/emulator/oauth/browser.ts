// The endpoints a browser navigates to: /oauth2/authorize, the login pages (password, MFA code,
// the simulated Google) and /logout.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.js';
import * as ids from '../ids.js';
import { maskPhone, smsCode, totpMatches } from '../mfa.js';
import { passwordMatches } from '../operations/checks.js';
import type { AppClient, User } from '../state.js';
import { mfaStep } from '../userMfa.js';
import { MFA_TTL_MS, SESSION_TTL_MS, type AuthorizeRequest, type OAuthStore, type PendingLogin } from './store.js';
import * as web from './web.js';

const CODE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const INCORRECT = 'Incorrect username or password.';

export class BrowserEndpoints {
  constructor(
    private readonly ctx: EmulatorContext,
    private readonly store: OAuthStore,
  ) {}

  /** GET /oauth2/authorize */
  authorize(req: IncomingMessage, res: ServerResponse, q: URLSearchParams): void {
    const client = this.ctx.store.clients.get(q.get('client_id') ?? '');
    if (!client) return web.sendErrorPage(res, 'invalid_request', 'client_id is missing or is not an app client of this emulator');
    if (!client.oauth.enabled) return web.sendErrorPage(res, 'unauthorized_client', 'OAuth flows are not enabled for this app client');
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!client.oauth.callbackUrls.includes(redirectUri)) return web.sendErrorPage(res, 'redirect_mismatch', 'redirect_uri is not one of the app client\'s callback URLs');
    // From here on, errors go back to the (registered) redirect_uri.
    const state = q.get('state') ?? undefined;
    const fail = (error: string, description: string): void => web.redirect(res, web.withQuery(redirectUri, { error, error_description: description, state }));
    const responseType = q.get('response_type');
    if (!responseType) return fail('invalid_request', 'response_type is required');
    if (responseType !== 'code') return fail('unsupported_response_type', 'the emulator implements response_type=code only');
    if (!client.oauth.flows.includes('code')) return fail('unauthorized_client', 'the code flow is not allowed for this app client');
    const asked = (q.get('scope') ?? '').split(' ').filter((s) => s !== '');
    const scopes = asked.length === 0 ? [...client.oauth.scopes] : [...new Set(asked)];
    if (scopes.length === 0 || scopes.some((s) => !client.oauth.scopes.includes(s))) return fail('invalid_scope', 'a requested scope is not allowed for this app client');
    // PKCE is optional, as Cognito documents it; when either half is sent, both must be, S256 only.
    const challenge = q.get('code_challenge');
    const method = q.get('code_challenge_method');
    const withPkce = challenge !== null || method !== null;
    if (withPkce && !challenge) return fail('invalid_request', 'code_challenge is required with code_challenge_method');
    if (withPkce && method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
    if (challenge !== null && !CODE_CHALLENGE.test(challenge)) return fail('invalid_request', 'code_challenge must be 43 base64url characters');
    const prompt = (q.get('prompt') ?? '').split(' ').filter((s) => s !== '');
    if (prompt.includes('none') && prompt.length > 1) return fail('invalid_request', 'prompt=none cannot be combined with other values');
    const idp = q.get('identity_provider') ?? undefined;
    if (idp !== undefined && !client.oauth.identityProviders.includes(idp)) return fail('invalid_request', `identity provider ${idp} is not enabled for this app client`);
    if (idp === undefined && client.oauth.identityProviders.length === 0) return fail('unauthorized_client', 'the app client has no identity provider');

    const request: AuthorizeRequest = {
      clientId: client.clientId,
      poolId: client.userPoolId,
      redirectUri,
      state,
      scopes,
      codeChallenge: challenge ?? undefined,
      nonce: q.get('nonce') ?? undefined,
      loginHint: q.get('login_hint') ?? undefined,
    };
    if (!prompt.includes('login')) {
      const session = this.store.session(web.cookies(req).get(web.SESSION_COOKIE), client.userPoolId);
      const user = session && this.ctx.store.findUser(session.poolId, session.sub);
      if (session && user?.enabled) return this.redirectWithCode(res, request, user, session.authTime);
    }
    if (prompt.includes('none')) return fail('login_required', 'no signed-in session');
    const flow = this.store.startLogin(request);
    if (idp === 'Google' || (idp === undefined && !client.oauth.identityProviders.includes('COGNITO') && client.oauth.identityProviders.includes('Google'))) {
      return web.redirect(res, `/google/authorize?flow=${encodeURIComponent(flow)}`);
    }
    this.loginForm(res, flow, client, request.loginHint ?? '');
  }

  /** POST /login: username + password. */
  login(res: ServerResponse, form: URLSearchParams): void {
    const flow = form.get('flow');
    const pending = this.store.login(flow);
    if (!pending || flow === null) return web.sendErrorPage(res, 'invalid_request', 'this sign-in page has expired; start again from the app');
    const client = this.ctx.store.clients.get(pending.request.clientId);
    if (!client?.oauth.identityProviders.includes('COGNITO')) return web.sendErrorPage(res, 'unauthorized_client', 'the app client does not allow Cognito users');
    const username = form.get('username') ?? '';
    const user = username === '' ? undefined : this.ctx.store.findUser(client.userPoolId, username);
    // One message for an unknown user and a wrong password: no user enumeration.
    if (!user || user.status === 'EXTERNAL_PROVIDER' || !passwordMatches(user, form.get('password') ?? '')) {
      return this.loginForm(res, flow, client, username, INCORRECT);
    }
    if (!user.enabled) return this.loginForm(res, flow, client, username, 'User is disabled.');
    if (user.status === 'UNCONFIRMED') return this.loginForm(res, flow, client, username, 'User is not confirmed.');
    if (user.status === 'RESET_REQUIRED') return this.loginForm(res, flow, client, username, 'Password reset required for the user');
    if (user.status === 'FORCE_CHANGE_PASSWORD') {
      return this.loginForm(res, flow, client, username, 'This user must change a temporary password, which the emulator\'s sign-in page does not implement.');
    }
    const step = mfaStep(this.ctx.store.pool(user.poolId).settings, user);
    if (step.kind === 'factor' && step.factor !== 'EMAIL_OTP') {
      const code = step.factor === 'SMS_MFA' ? smsCode() : undefined;
      if (code !== undefined) user.lastSmsCode = code; // "sent": emulator.mfaCode() reads it
      pending.mfa = { sub: user.sub, type: step.factor, expiresAt: this.ctx.now() + MFA_TTL_MS, ...(code === undefined ? {} : { smsCode: code }) };
      return this.mfaForm(res, flow, pending, user);
    }
    if (step.kind !== 'none') return this.loginForm(res, flow, client, username, "This user must choose, set up or answer an MFA that the emulator's sign-in page does not implement (it asks for TOTP and SMS codes only).");
    this.signedIn(res, flow, pending.request, user);
  }

  /** POST /mfa: the TOTP or SMS code after a right password. */
  mfa(res: ServerResponse, form: URLSearchParams): void {
    const flow = form.get('flow');
    const pending = this.store.login(flow);
    const step = pending?.mfa;
    if (!pending || !step || flow === null || step.expiresAt <= this.ctx.now()) {
      return web.sendErrorPage(res, 'invalid_request', 'this sign-in page has expired; start again from the app');
    }
    const user = this.ctx.store.findUser(pending.request.poolId, step.sub);
    if (!user) return web.sendErrorPage(res, 'invalid_request', 'the user no longer exists');
    const code = form.get('code') ?? '';
    const right = step.type === 'SMS_MFA' ? code === step.smsCode : user.mfa.totpSecret !== undefined && totpMatches(user.mfa.totpSecret, this.ctx.now(), code);
    if (!right) return this.mfaForm(res, flow, pending, user, 'Invalid code received for user');
    this.signedIn(res, flow, pending.request, user);
  }

  /** GET /google/authorize: the stand-in for Google's consent page. */
  googlePage(res: ServerResponse, q: URLSearchParams): void {
    const flow = q.get('flow');
    const pending = this.store.login(flow);
    if (!pending || flow === null) return web.sendErrorPage(res, 'invalid_request', 'this sign-in page has expired; start again from the app');
    const email = q.get('email') ?? pending.request.loginHint ?? 'google-user@example.com';
    const e = web.escapeHtml(email);
    web.sendPage(res, 200, 'Sign in with Google (Cognito emulator stand-in)', `<form method="post" action="/google/authorize">
<input type="hidden" name="flow" value="${web.escapeHtml(flow)}">
<input type="hidden" name="email" value="${e}">
<button type="submit" id="continue">Continue as ${e}</button>
</form>
<p><a id="cancel" href="/google/cancel?flow=${encodeURIComponent(flow)}">Cancel</a></p>`);
  }

  /** GET /google/cancel: the user declined at the provider; Cognito passes the provider's access_denied back to the app. */
  googleCancel(res: ServerResponse, q: URLSearchParams): void {
    const flow = q.get('flow');
    const pending = this.store.login(flow);
    if (!pending) return web.sendErrorPage(res, 'invalid_request', 'this sign-in page has expired; start again from the app');
    const { redirectUri, state } = pending.request;
    web.redirect(res, web.withQuery(redirectUri, { error: 'access_denied', error_description: 'The user cancelled the sign-in', state }));
  }

  /** POST /google/authorize: creates (or reuses) the federated user Google_<id> and signs it in. */
  google(res: ServerResponse, form: URLSearchParams): void {
    const flow = form.get('flow');
    const pending = this.store.login(flow);
    if (!pending || flow === null) return web.sendErrorPage(res, 'invalid_request', 'this sign-in page has expired; start again from the app');
    const client = this.ctx.store.clients.get(pending.request.clientId);
    if (!client?.oauth.identityProviders.includes('Google')) return web.sendErrorPage(res, 'unauthorized_client', 'Google is not enabled for this app client');
    const email = form.get('email') ?? '';
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) return web.sendErrorPage(res, 'invalid_request', 'the Google stand-in needs an email address');
    const googleId = form.get('google_id') || googleIdFor(email);
    if (!/^\d{1,64}$/.test(googleId)) return web.sendErrorPage(res, 'invalid_request', 'google_id must be digits');
    const username = `Google_${googleId}`;
    const user = this.ctx.store.findUser(client.userPoolId, username) ?? this.ctx.store.createUser(client.userPoolId, username, ids.password(), 'EXTERNAL_PROVIDER', {
      email,
      email_verified: 'true',
      identities: JSON.stringify([{ userId: googleId, providerName: 'Google', providerType: 'Google', issuer: null, primary: 'true', dateCreated: String(this.ctx.now()) }]),
    });
    if (!user.enabled) return web.sendErrorPage(res, 'access_denied', 'User is disabled.');
    this.signedIn(res, flow, pending.request, user);
  }

  /** GET /logout */
  logout(req: IncomingMessage, res: ServerResponse, q: URLSearchParams): void {
    const client = this.ctx.store.clients.get(q.get('client_id') ?? '');
    if (!client) return web.sendErrorPage(res, 'invalid_request', 'client_id is missing or is not an app client of this emulator');
    const logoutUri = q.get('logout_uri');
    const redirectUri = q.get('redirect_uri');
    let location: string;
    if (logoutUri !== null) {
      if (!client.oauth.logoutUrls.includes(logoutUri)) return web.sendErrorPage(res, 'invalid_request', 'logout_uri is not one of the app client\'s sign-out URLs');
      location = logoutUri;
    } else if (redirectUri !== null) {
      if (!client.oauth.callbackUrls.includes(redirectUri)) return web.sendErrorPage(res, 'redirect_mismatch', 'redirect_uri is not one of the app client\'s callback URLs');
      if (!q.get('response_type')) return web.sendErrorPage(res, 'invalid_request', 'response_type is required with redirect_uri');
      const forward = new URLSearchParams(q);
      location = `/oauth2/authorize?${forward.toString()}`;
    } else {
      return web.sendErrorPage(res, 'invalid_request', 'logout needs logout_uri, or redirect_uri and response_type');
    }
    const id = web.cookies(req).get(web.SESSION_COOKIE);
    if (id !== undefined) this.store.sessions.delete(id);
    web.redirect(res, location, web.CLEAR_SESSION_COOKIE);
  }

  private signedIn(res: ServerResponse, flow: string, request: AuthorizeRequest, user: User): void {
    this.store.pending.delete(flow);
    const { id, session } = this.store.startSession(user.poolId, user.sub);
    this.redirectWithCode(res, request, user, session.authTime, web.sessionCookie(id, SESSION_TTL_MS / 1000));
  }

  private redirectWithCode(res: ServerResponse, request: AuthorizeRequest, user: User, authTime: number, cookie?: string): void {
    const code = this.store.issueCode(request, user.sub, authTime);
    web.redirect(res, web.withQuery(request.redirectUri, { code, state: request.state }), cookie);
  }

  private loginForm(res: ServerResponse, flow: string, client: AppClient, username: string, error?: string): void {
    const google = client.oauth.identityProviders.includes('Google')
      ? `<p><a id="google" href="/google/authorize?flow=${encodeURIComponent(flow)}">Continue with Google</a></p>`
      : '';
    const cognito = client.oauth.identityProviders.includes('COGNITO')
      ? `<form method="post" action="/login">
<input type="hidden" name="flow" value="${web.escapeHtml(flow)}">
<label>Username <input name="username" autocomplete="username" value="${web.escapeHtml(username)}"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit" id="signin">Sign in</button>
</form>`
      : '';
    const message = error === undefined ? '' : `<p id="error" role="alert">${web.escapeHtml(error)}</p>\n`;
    web.sendPage(res, 200, `Sign in to ${client.clientName}`, `${message}${cognito}\n${google}`);
  }

  private mfaForm(res: ServerResponse, flow: string, pending: PendingLogin, user: User, error?: string): void {
    const sms = pending.mfa?.type === 'SMS_MFA';
    const prompt = sms
      ? `We texted a code to ${web.escapeHtml(maskPhone(user.attributes.get('phone_number') ?? ''))}.`
      : 'Enter the code from your authenticator app.';
    const message = error === undefined ? '' : `<p id="error" role="alert">${web.escapeHtml(error)}</p>\n`;
    web.sendPage(res, 200, 'Multi-factor authentication', `${message}<p>${prompt}</p>
<form method="post" action="/mfa">
<input type="hidden" name="flow" value="${web.escapeHtml(flow)}">
<label>Code <input name="code" inputmode="numeric" autocomplete="one-time-code"></label>
<button type="submit" id="verify">Sign in</button>
</form>`);
  }
}

/** A stable, Google-like numeric subject (21 digits) for an email address. */
export function googleIdFor(email: string): string {
  const n = BigInt(`0x${createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 20)}`);
  return `1${(n % 10n ** 20n).toString().padStart(20, '0')}`;
}
