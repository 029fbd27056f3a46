// A tiny "browser" for the emulator's hosted UI: real HTTP with fetch and redirect: 'manual', a
// cookie jar, PKCE, and helpers to read the small HTML forms.
import { createHash, randomBytes } from 'node:crypto';

export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** Applies the response's Set-Cookie headers (Max-Age=0 deletes). */
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const expired = attrs.some((a) => /^max-age=0$/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1));
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkce(): Pkce {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export class Browser {
  readonly jar = new CookieJar();
  constructor(readonly base: string) {}

  async get(pathOrUrl: string): Promise<Response> {
    const res = await fetch(new URL(pathOrUrl, this.base), { redirect: 'manual', headers: this.cookieHeader() });
    this.jar.take(res);
    return res;
  }

  async post(path: string, form: Record<string, string>): Promise<Response> {
    const res = await fetch(new URL(path, this.base), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.cookieHeader() },
      body: new URLSearchParams(form).toString(),
    });
    this.jar.take(res);
    return res;
  }

  private cookieHeader(): Record<string, string> {
    const cookie = this.jar.header();
    return cookie === '' ? {} : { cookie };
  }
}

/** The value of a hidden input in an HTML page. */
export function hidden(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m?.[1]) throw new Error(`no hidden field ${name} in the page:\n${html}`);
  return m[1];
}

export function location(res: Response): URL {
  const value = res.headers.get('location');
  if (value === null) throw new Error(`expected a redirect, got ${res.status}`);
  return new URL(value, 'http://placeholder.invalid');
}

export interface TokenResponse {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  token_type: string;
  expires_in: number;
}

export async function postForm(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown>; res: Response }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    json = { raw: text };
  }
  return { status: res.status, json, res };
}

export const basic = (id: string, secret: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`,
});

/**
 * A whole hosted-UI sign-in of `user` on a client whose callback URL is `callback`: authorize with
 * PKCE, the login form, the code exchanged at /oauth2/token. Returns the tokens, as an app's
 * redirect sign-in would get them.
 */
export async function hostedUiTokens(endpoint: string, client: { clientId: string; username: string; password: string }, callback: string, scope: string): Promise<TokenResponse> {
  const browser = new Browser(endpoint);
  const p = pkce();
  const query = new URLSearchParams({ client_id: client.clientId, redirect_uri: callback, response_type: 'code', state: 's', scope, code_challenge: p.challenge, code_challenge_method: 'S256' });
  const page = await browser.get(`/oauth2/authorize?${query.toString()}`);
  const back = await browser.post('/login', { flow: hidden(await page.text(), 'flow'), username: client.username, password: client.password });
  const code = location(back).searchParams.get('code');
  if (!code) throw new Error(`the hosted UI did not sign in (${back.status})`);
  const { status, json } = await postForm(`${endpoint}/oauth2/token`, { grant_type: 'authorization_code', client_id: client.clientId, code, code_verifier: p.verifier, redirect_uri: callback });
  if (status !== 200) throw new Error(`the code exchange failed: ${JSON.stringify(json)}`);
  return json as unknown as TokenResponse;
}
