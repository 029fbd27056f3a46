// A tiny "browser" for the emulator's hosted UI, for the demo: real HTTP with fetch and
// redirect: 'manual', the hosted UI's cookie carried by hand, and PKCE (S256) with node:crypto.
import { createHash, randomBytes } from 'node:crypto';

export interface HostedUiTokens {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
}

/**
 * A whole hosted-UI sign-in on a client whose callback URL is `callback`: /oauth2/authorize with
 * PKCE, the login form, and the code exchanged at /oauth2/token, as an app's redirect sign-in does.
 */
export async function hostedUiSignIn(endpoint: string, client: { clientId: string; username: string; password: string }, callback: string, scope: string): Promise<HostedUiTokens> {
  let cookie = '';
  const remember = (res: Response) => {
    const pairs = res.headers.getSetCookie().map((line) => line.split(';')[0]!.trim()).filter((pair) => pair.includes('='));
    if (pairs.length > 0) cookie = pairs.join('; ');
  };
  const verifier = randomBytes(48).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const query = new URLSearchParams({ client_id: client.clientId, redirect_uri: callback, response_type: 'code', state: 'demo', scope, code_challenge: challenge, code_challenge_method: 'S256' });

  const page = await fetch(new URL(`/oauth2/authorize?${query.toString()}`, endpoint), { redirect: 'manual' });
  remember(page);
  const html = await page.text();
  const flow = /name="flow" value="([^"]*)"/.exec(html)?.[1];
  if (!flow) throw new Error(`no login form at /oauth2/authorize (${page.status})`);

  const login = await fetch(new URL('/login', endpoint), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie && { cookie }) },
    body: new URLSearchParams({ flow, username: client.username, password: client.password }).toString(),
  });
  remember(login);
  const back = login.headers.get('location');
  const code = back ? new URL(back, callback).searchParams.get('code') : null;
  if (!code) throw new Error(`the hosted UI did not sign in (${login.status})`);

  const exchange = await fetch(new URL('/oauth2/token', endpoint), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: client.clientId, code, code_verifier: verifier, redirect_uri: callback }).toString(),
  });
  const tokens = (await exchange.json()) as HostedUiTokens & { error?: string };
  if (exchange.status !== 200 || !tokens.access_token) throw new Error(`the code exchange failed (${exchange.status}): ${JSON.stringify(tokens)}`);
  return tokens;
}
