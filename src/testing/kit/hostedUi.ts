// The kit's "user at the hosted UI": real HTTP to the emulator's login form, with fetch and
// redirect: 'manual' and the form's cookie, as a browser would. Only the COGNITO login form: a
// user with MFA or a temporary password is not signed in this way.

/** Where the kit's app client sends the hosted UI back. Loopback http, as the emulator allows. */
export const KIT_CALLBACK_URL = 'http://localhost/authchart-testing/callback';
/** Where the kit's app client's /logout returns. */
export const KIT_SIGN_OUT_URL = 'http://localhost/authchart-testing/signed-out';

/**
 * Opens `authorizeUrl` (the /oauth2/authorize URL the auth built), posts the login form with
 * `user`'s credentials, and returns the URL the hosted UI redirects back to (`redirect_uri?code&state`).
 */
export async function signInAtHostedUi(authorizeUrl: string, user: { readonly username: string; readonly password: string }): Promise<string> {
  const cookies = new Map<string, string>();
  const take = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      if (attrs.some((attr) => /^max-age=0$/i.test(attr))) cookies.delete(pair.slice(0, eq));
      else cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const cookie = (): Record<string, string> => (cookies.size === 0 ? {} : { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') });

  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  take(page);
  const html = await page.text();
  const flow = /name="flow" value="([^"]*)"/.exec(html)?.[1];
  if (!flow) throw new Error(`authchart/testing: the hosted UI showed no login form (${page.status})`);
  const back = await fetch(new URL('/login', authorizeUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...cookie() },
    body: new URLSearchParams({ flow, username: user.username, password: user.password }).toString(),
  });
  take(back);
  await back.text().catch(() => '');
  const location = back.headers.get('location');
  if (back.status < 300 || back.status >= 400 || location === null) {
    throw new Error(`authchart/testing: the hosted UI did not sign ${user.username} in (${back.status}); the kit's opener handles the login form only (no MFA, no temporary password)`);
  }
  return new URL(location, authorizeUrl).toString();
}

/**
 * Opens `logoutUrl` (the /logout URL a sign-out built) and returns where Cognito redirects, the
 * sign-out URL. Throws with the status when /logout refuses (a logout_uri the client does not allow).
 */
export async function signOutAtHostedUi(logoutUrl: string): Promise<string> {
  const page = await fetch(logoutUrl, { redirect: 'manual' });
  await page.text().catch(() => '');
  const location = page.headers.get('location');
  if (page.status < 300 || page.status >= 400 || location === null) throw new Error(`authchart/testing: /logout did not redirect (${page.status})`);
  return new URL(location, logoutUrl).toString();
}
