// The demo's user at the hosted UI, in an auth session (as React Native or Electron would open it).
import type { AuthOpener } from '../../src/index';
import { signInAtHostedUi } from '../../src/testing/index';

/** An auth-session opener that fills the emulator's login form as `user` and returns where it sends the user back. */
export function userAtHostedUi(user: () => { username: string; password: string }): AuthOpener {
  return async (authorizeUrl) => ({ type: 'returned', url: await signInAtHostedUi(authorizeUrl, user()) });
}
