// The demo's user at the hosted UI: one browser with its own cookie jar, in an auth session (as
// React Native or Electron would open it), so the demo can show the hosted UI's cookie live and die.
import { createHostedUiBrowser, type HostedUiBrowser } from '../../src/testing/index';

/** A browser that fills the emulator's login form as `user`, keeps the `cognito` cookie, and follows /logout. */
export function userAtHostedUi(user: () => { username: string; password: string }): HostedUiBrowser {
  return createHostedUiBrowser(user);
}
