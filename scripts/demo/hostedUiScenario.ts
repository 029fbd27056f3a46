// The hosted-UI half of the demo: signInWithRedirect() through the emulator's hosted UI without the
// admin scope (aws.cognito.signin.user.admin), with an auth-session opener, then a global sign-out
// that ends all three layers: this device's tokens, what GlobalSignOut can (here: nothing, said
// so), and the hosted UI's own cookie at /logout.
import { InitiateAuthCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createAuth } from '../../src/index';
import type { CognitoEmulator } from '../../src/testing/index';
import { userAtHostedUi } from './hostedUiBrowser';
import { printable, printTransitions } from './print';

export const hostedUiTitle = 'signInWithRedirect() through the hosted UI without the admin scope, then a global sign-out of all three layers';
const CALLBACK = 'http://localhost:3000/callback';
const SIGNED_OUT = 'http://localhost:3000/signed-out';
const SCOPES = ['openid', 'email'];

/** Runs the scenario; returns what did not behave as specified. */
export async function runHostedUiScenario(emu: CognitoEmulator, checker: CognitoIdentityProviderClient): Promise<string[]> {
  const setup = emu.setup({ callbackUrls: [CALLBACK], logoutUrls: [SIGNED_OUT] });
  const items = new Map<string, string>();
  const storage = { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), removeItem: (k: string) => void items.delete(k) };
  const transitions = printTransitions();
  const browser = userAtHostedUi(() => setup);
  const auth = createAuth({
    userPoolId: setup.userPoolId,
    userPoolClientId: setup.clientId,
    endpoint: emu.endpoint,
    storage,
    inspect: transitions.inspect,
    oauth: { domain: emu.endpoint, redirectSignIn: CALLBACK, redirectSignOut: SIGNED_OUT, scopes: SCOPES, opener: browser.opener },
  });
  const problems: string[] = [];
  try {
    console.log(`  -- signInWithRedirect(): /oauth2/authorize (PKCE S256, scopes ${SCOPES.join(' ')}) → the login form → back with a code → /oauth2/token`);
    const signedIn = await auth.signInWithRedirect();
    console.log(`  result: ${JSON.stringify(signedIn)}`);
    if (!signedIn.isSignedIn) {
      problems.push('the hosted-UI sign-in did not sign in');
      return problems;
    }
    const { tokens } = await auth.getSession();
    const cookieBefore = browser.cognitoCookie() !== undefined;
    console.log(`  the browser holds the hosted UI's cognito cookie: ${cookieBefore ? 'yes' : 'no'} (while it lives, the next sign-in skips the form)`);

    console.log('  -- signOut({ global: true })');
    emu.resetRequests();
    const started = transitions.restart();
    const result = await auth.signOut({ global: true });
    const elapsed = performance.now() - started;
    const wire = emu.requests.map((request) => request.operation);
    console.log(`  result after ${elapsed.toFixed(0)} ms:\n${printable(result).replace(/^/gm, '    ')}`);
    console.log(`  wire: ${wire.join(' → ') || 'nothing'}  (GlobalSignOut not sent: without the admin scope Cognito would refuse it; /logout after the device is cleared)`);

    const answer = (call: Promise<unknown>) => call.then(() => 'accepted', (e: Error) => `rejected: ${e.name} (${e.message})`);
    const refresh = await answer(checker.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: setup.clientId, AuthParameters: { REFRESH_TOKEN: tokens!.refreshToken! } })));
    console.log(`  server now says: refresh with the old refresh token → ${refresh}`);
    const holdsSession = items.size > 0; // the session, and the pending record of the /logout visit, both gone
    const state = JSON.stringify(auth.actor.getSnapshot().value);
    console.log(`  this device holds a session: ${holdsSession ? 'yes' : 'no'}; the statechart is in ${state}`);
    const cookieAfter = browser.cognitoCookie() !== undefined;
    console.log(`  the browser holds the cognito cookie: ${cookieAfter ? 'yes' : 'no'}`);
    await auth.signInWithRedirect();
    const again = browser.visits.at(-1);
    console.log(`  signInWithRedirect() again: the hosted UI ${again === 'form' ? 'asks for the password again' : 'skips the form'}`);

    if (result.type !== 'partial') problems.push(`result ${result.type}, expected partial`);
    else {
      if (result.globalSignOutError?.name !== 'GlobalSignOutNotSupported') problems.push(`globalSignOutError ${result.globalSignOutError?.name ?? 'none'}, expected GlobalSignOutNotSupported`);
      if (result.finishedBy !== 'nothing') problems.push(`finishedBy ${result.finishedBy}, expected nothing`);
    }
    if (JSON.stringify(wire) !== JSON.stringify(['RevokeToken', 'logout'])) problems.push(`wire ${wire.join(', ') || 'nothing'}, expected RevokeToken, then logout`);
    if (!cookieBefore || cookieAfter) problems.push(`the cognito cookie: before ${cookieBefore}, after ${cookieAfter}; expected alive, then gone`);
    if (again !== 'form') problems.push(`the sign-in after the sign-out went ${again ?? 'nowhere'}, expected the login form`);
    if (!refresh.startsWith('rejected')) problems.push(`refresh ${refresh}, expected rejected`);
    if (!emu.tokenRevoked(tokens!.refreshToken!)) problems.push('the emulator does not hold the refresh token as revoked');
    if (holdsSession) problems.push(`the device still holds ${[...items.keys()].join(', ')}`);
    if (!result.signedOutLocally) problems.push('not signed out locally');
    return problems;
  } finally {
    await auth.stop();
  }
}
