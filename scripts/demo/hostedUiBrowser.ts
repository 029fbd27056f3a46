// A tiny "browser" for the emulator's hosted UI, for the demo: it plays the user in an auth session.
// Real HTTP with fetch and redirect: 'manual', the hosted UI's cookie carried by hand.
import type { AuthOpener } from '../../src/index';

/**
 * An auth-session opener (as React Native or Electron would pass): it opens the authorize URL,
 * fills the login form as `user`, and resolves with the URL the hosted UI sends the user back to.
 */
export function userAtHostedUi(endpoint: string, user: () => { username: string; password: string }): AuthOpener {
  return async (authorizeUrl) => {
    let cookie = '';
    const remember = (res: Response) => {
      const pairs = res.headers.getSetCookie().map((line) => line.split(';')[0]!.trim()).filter((pair) => pair.includes('='));
      if (pairs.length > 0) cookie = pairs.join('; ');
    };
    const page = await fetch(authorizeUrl, { redirect: 'manual' });
    remember(page);
    const flow = /name="flow" value="([^"]*)"/.exec(await page.text())?.[1];
    if (!flow) throw new Error(`no login form at /oauth2/authorize (${page.status})`);
    const { username, password } = user();
    const login = await fetch(new URL('/login', endpoint), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie && { cookie }) },
      body: new URLSearchParams({ flow, username, password }).toString(),
    });
    const back = login.headers.get('location');
    if (!back) throw new Error(`the hosted UI did not sign in (${login.status})`);
    return { type: 'returned', url: back };
  };
}
