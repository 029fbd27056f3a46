// The kit's "user at the hosted UI": real HTTP to the emulator's login form, with fetch and
// redirect: 'manual' and the form's cookie, as a browser would. Only the COGNITO login form: a
// user with MFA or a temporary password is not signed in this way.

/** Where the kit's app client sends the hosted UI back. Loopback http, as the emulator allows. */
export const KIT_CALLBACK_URL = 'http://localhost/authchart-testing/callback';
/** Where the kit's app client's /logout returns. */
export const KIT_SIGN_OUT_URL = 'http://localhost/authchart-testing/signed-out';

/** What a HostedUiBrowser did at each visit: showed the login form, skipped it (its cookie was alive), or signed out at /logout. */
export type HostedUiVisit = 'form' | 'skipped' | 'logout';

/**
 * One browser at the hosted UI, with its own cookie jar: it keeps the `cognito` cookie between
 * visits, as a real browser does, so a test can see layer 3 of a sign-out live and die.
 */
export interface HostedUiBrowser {
  /** An auth-session opener: follows the hosted UI (the login form as `user`, or /logout) and returns where it sends the app. */
  readonly opener: (url: string) => Promise<{ type: 'returned'; url: string }>;
  /** Visits /oauth2/authorize or /logout; resolves the URL it redirects back to. */
  visit(url: string): Promise<string>;
  /** The hosted UI's session cookie, if this browser holds one. */
  cognitoCookie(): string | undefined;
  /** Every visit, in order. */
  readonly visits: readonly HostedUiVisit[];
}

/** A browser for `user` (only the COGNITO login form: no MFA, no temporary password). */
export function createHostedUiBrowser(user: () => { readonly username: string; readonly password: string }): HostedUiBrowser {
  const cookies = new Map<string, string>();
  const visits: HostedUiVisit[] = [];
  const take = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      if (attrs.some((attr) => /^max-age=0$/i.test(attr))) cookies.delete(pair.slice(0, eq));
      else cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const request = async (url: string | URL, init: RequestInit = {}): Promise<Response> => {
    const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined) };
    if (cookies.size > 0) headers.cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const res = await fetch(url, { ...init, redirect: 'manual', headers });
    take(res);
    return res;
  };
  const redirectOf = (res: Response, base: string): string | undefined => {
    const location = res.headers.get('location');
    return res.status >= 300 && res.status < 400 && location !== null ? new URL(location, base).toString() : undefined;
  };

  async function visit(url: string): Promise<string> {
    const page = await request(url);
    const html = await page.text().catch(() => '');
    const back = redirectOf(page, url);
    if (new URL(url).pathname === '/logout') {
      if (!back) throw new Error(`authchart/testing: /logout did not redirect (${page.status})`);
      visits.push('logout');
      return back;
    }
    if (back) {
      visits.push('skipped'); // the cookie is alive: no form, straight back
      return back;
    }
    const flow = /name="flow" value="([^"]*)"/.exec(html)?.[1];
    if (!flow) throw new Error(`authchart/testing: the hosted UI showed no login form (${page.status})`);
    visits.push('form');
    const { username, password } = user();
    const posted = await request(new URL('/login', url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ flow, username, password }).toString(),
    });
    await posted.text().catch(() => '');
    const signedIn = redirectOf(posted, url);
    if (!signedIn) throw new Error(`authchart/testing: the hosted UI did not sign ${username} in (${posted.status}); only the login form is handled (no MFA, no temporary password)`);
    return signedIn;
  }

  return { opener: async (url) => ({ type: 'returned', url: await visit(url) }), visit, cognitoCookie: () => cookies.get('cognito'), visits };
}

/**
 * Opens `authorizeUrl` (the /oauth2/authorize URL the auth built) in a fresh browser, posts the
 * login form with `user`'s credentials, and returns the URL the hosted UI redirects back to
 * (`redirect_uri?code&state`).
 */
export function signInAtHostedUi(
  authorizeUrl: string,
  user: {
    /** The username to type into the login form. */
    readonly username: string;
    /** The password to type into the login form. */
    readonly password: string;
  },
): Promise<string> {
  return createHostedUiBrowser(() => user).visit(authorizeUrl);
}

/**
 * Opens `logoutUrl` (the /logout URL a sign-out built) and returns where Cognito redirects, the
 * sign-out URL. Throws with the status when /logout refuses (a logout_uri the client does not allow).
 */
export function signOutAtHostedUi(logoutUrl: string): Promise<string> {
  return createHostedUiBrowser(() => ({ username: '', password: '' })).visit(logoutUrl);
}
