// The sign-in half of the demo: SRP sign-in of a user with TOTP MFA, a wrong code, the right
// code, a forced token refresh, then a sign-out: one statechart from signedOut to signedOut.
import { createAuth, type AuthHubEvent } from '../../src/index';
import type { CognitoEmulator } from '../../src/testing/index';
import { printTransitions } from './print';

/** Runs the tour; returns what did not behave as specified. */
export async function runSignInTour(emu: CognitoEmulator): Promise<string[]> {
  const setup = emu.setup({ username: 'mfa-user', mfa: 'SOFTWARE_TOKEN_MFA' });
  const transitions = printTransitions();
  const auth = createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, endpoint: emu.endpoint, inspect: transitions.inspect });
  const events: string[] = [];
  const record = (event: AuthHubEvent) => {
    events.push(event.type);
    console.log(`  event: ${JSON.stringify(event)}`);
  };
  for (const type of ['signedIn', 'signedOut', 'tokenRefresh', 'tokenRefresh_failure'] as const) auth.on(type, record);
  const problems: string[] = [];
  try {
    console.log("  -- signIn({ username, password })  (USER_SRP_AUTH: the password never leaves this process)");
    emu.resetRequests();
    const first = await auth.signIn({ username: setup.username, password: setup.password });
    console.log(`  → ${JSON.stringify(first)}   wire: ${emu.requests.map((r) => r.operation).join(' → ')}`);
    if (first.nextStep.signInStep !== 'CONFIRM_SIGN_IN_WITH_TOTP_CODE') problems.push(`first step ${first.nextStep.signInStep}`);

    const right = emu.mfaCode(setup.userPoolId, setup.username);
    console.log('  -- confirmSignIn({ challengeResponse: <a wrong code> })');
    const wrong = await auth.confirmSignIn({ challengeResponse: right === '000000' ? '111111' : '000000' }).then(
      () => 'accepted',
      (error: Error) => error.name,
    );
    console.log(`  → rejected with ${wrong}; still ${JSON.stringify(auth.actor.getSnapshot().value)}`);
    if (wrong !== 'CodeMismatchException') problems.push(`wrong code gave ${wrong}`);

    console.log('  -- confirmSignIn({ challengeResponse: <the TOTP code> })');
    const done = await auth.confirmSignIn({ challengeResponse: right });
    console.log(`  → ${JSON.stringify(done)}`);
    if (!done.isSignedIn) problems.push('not signed in after the right code');

    console.log('  -- getSession({ forceRefresh: true })');
    transitions.restart();
    const session = await auth.getSession({ forceRefresh: true });
    console.log(`  → username ${session.username}, tokens ${session.tokens ? 'present (withheld)' : 'absent'}, expires ${new Date(session.expiresAt ?? 0).toISOString()}`);

    console.log('  -- signOut()');
    transitions.restart();
    const result = await auth.signOut();
    console.log(`  → ${result.type}`);
    const expected = ['signedIn', 'tokenRefresh', 'signedOut'];
    if (events.join() !== expected.join()) problems.push(`events ${events.join(', ')}, expected ${expected.join(', ')}`);
    return problems;
  } finally {
    await auth.stop();
  }
}
