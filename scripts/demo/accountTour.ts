// The account half of the demo (authchart/account): a sign-up whose auto sign-in survives a
// reload, a forgotten password reset with the emailed code, and a TOTP setup that the next sign-in
// asks for. Every code is read from the emulator's inbox or computed from the shared secret, as the
// user's mailbox and authenticator app would; no secret is printed.
import { CognitoIdentityProviderClient, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createAccount, type Account } from '../../src/account/index';
import { createAuth, createMemoryStorage, type Auth } from '../../src/index';
import type { CognitoEmulator } from '../../src/testing/index';
import { printTransitions } from './print';

export const accountTitle = 'Account flows: sign-up with an auto sign-in across a reload, a password reset, a TOTP setup';

/** Runs the tour; returns what did not behave as specified. */
export async function runAccountTour(emu: CognitoEmulator): Promise<string[]> {
  const pool = emu.setup({ userPool: { AutoVerifiedAttributes: ['email'] }, explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH'] });
  // Authenticator apps allowed, MFA optional: an admin call, with the emulator's stand-in credentials.
  const admin = new CognitoIdentityProviderClient({ region: emu.region, endpoint: emu.endpoint, credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' }, maxAttempts: 1 });
  await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.userPoolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  admin.destroy();
  const transitions = printTransitions();
  const storage = createMemoryStorage(); // one storage for the page and its reload
  const open = (): { auth: Auth; account: Account } => {
    const auth = createAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: emu.endpoint, storage, inspect: transitions.inspect });
    return { auth, account: createAccount(auth) };
  };
  const wire = () => emu.requests.map((r) => r.operation).join(' → ');
  const code = (username: string, purpose: 'signUp' | 'resetPassword') => emu.inbox(username, { userPoolId: pool.userPoolId }).filter((m) => m.purpose === purpose).at(-1)!.code;
  const problems: string[] = [];
  const username = 'dana';
  const password = 'Sign-up-pw1!';
  let page = open();
  try {
    console.log("  -- signUp({ username, password, options: { userAttributes: { email }, autoSignIn: true } })");
    emu.resetRequests();
    const signedUp = await page.account.signUp({ username, password, options: { userAttributes: { email: 'dana@example.com' }, autoSignIn: true } });
    console.log(`  → ${JSON.stringify(signedUp.nextStep)}   wire: ${wire()}`);
    if (signedUp.nextStep.signUpStep !== 'CONFIRM_SIGN_UP') problems.push(`signUp answered ${signedUp.nextStep.signUpStep}`);

    console.log('  -- confirmSignUp({ username, confirmationCode: <the emailed code> })');
    emu.resetRequests();
    const confirmed = await page.account.confirmSignUp({ username, confirmationCode: code(username, 'signUp') });
    console.log(`  → ${JSON.stringify(confirmed.nextStep)}   wire: ${wire()}`);
    if (confirmed.nextStep.signUpStep !== 'COMPLETE_AUTO_SIGN_IN') problems.push(`confirmSignUp answered ${confirmed.nextStep.signUpStep}`);

    console.log('  -- the page reloads: a new createAuth() and createAccount() over the same storage (no password anywhere)');
    await page.auth.stop();
    page = open();
    const pending = await page.account.pendingAutoSignIn();
    console.log(`  → pendingAutoSignIn(): ${pending ? `{ username: ${pending.username}, deadline in ${Math.round((pending.deadline - Date.now()) / 1000)} s }` : 'null'}`);
    if (!pending) problems.push('no auto sign-in waiting after the reload');
    emu.resetRequests();
    const autoSignedIn = await page.account.autoSignIn();
    console.log(`  -- autoSignIn()\n  → ${JSON.stringify(autoSignedIn)}   wire: ${wire()}`);
    if (!autoSignedIn.isSignedIn || (await page.auth.getSession()).username !== username) problems.push('not signed in by the auto sign-in');

    console.log('  -- resetPassword({ username }), then confirmResetPassword() with the emailed code');
    const reset = await page.account.resetPassword({ username });
    console.log(`  → ${JSON.stringify(reset.nextStep)}`);
    await page.account.confirmResetPassword({ username, confirmationCode: code(username, 'resetPassword'), newPassword: 'Reset-pw2!' });
    console.log('  → the new password is set');

    console.log('  -- setUpTotp(): the shared secret for an authenticator app (withheld here), and its otpauth URI');
    const setup = await page.account.setUpTotp();
    console.log(`  → getSetupUri('Demo'): ${setup.getSetupUri('Demo').toString().replace(setup.sharedSecret, '<secret withheld>')}`);
    await page.account.verifyTotpSetup({ code: emu.totpCode(setup.sharedSecret), options: { friendlyDeviceName: 'demo phone' } });
    await page.account.updateMFAPreference({ totp: 'PREFERRED' });
    console.log(`  -- verifyTotpSetup(), updateMFAPreference({ totp: 'PREFERRED' })\n  → fetchMFAPreference(): ${JSON.stringify(await page.account.fetchMFAPreference())}`);
    emu.resetRequests();
    const again = await page.account.setUpTotp().then(() => 'accepted', (error: Error) => error.name);
    console.log(`  -- setUpTotp() again, over a working TOTP\n  → rejected with ${again}   wire: ${wire()} (no AssociateSoftwareToken: the working TOTP is kept)`);
    if (again !== 'TotpAlreadyEnabled' || wire() !== 'GetUser') problems.push(`a second setUpTotp() gave ${again} over ${wire()}`);

    console.log('  -- signOut(), then signIn() with the new password: the sign-in now asks for the TOTP code');
    await page.auth.signOut();
    const step = await page.auth.signIn({ username, password: 'Reset-pw2!' });
    console.log(`  → ${JSON.stringify(step.nextStep)}`);
    if (step.nextStep.signInStep !== 'CONFIRM_SIGN_IN_WITH_TOTP_CODE') problems.push(`sign-in answered ${step.nextStep.signInStep}`);
    return problems;
  } finally {
    await page.auth.stop();
  }
}
