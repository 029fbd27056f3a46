// The passwordless half of the demo (issue 22): a user signs in with a password by USER_AUTH,
// registers a passkey (authchart/account), signs out, and signs in again with the passkey alone,
// then with an emailed code chosen from Cognito's first-factor selection. The authenticator is the
// testing kit's software one (createTestAuthenticator): in a browser it is navigator.credentials,
// which the live page (`npm run demo -- --web`) uses. No secret is printed.
import { CognitoIdentityProviderClient, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createAccount } from '../../src/account/index';
import { createAuth, createMemoryStorage } from '../../src/index';
import { createTestAuthenticator, type CognitoEmulator } from '../../src/testing/index';
import { printTransitions } from './print';

export const passkeyTitle = 'Passwordless: a passkey registered and used to sign in, then an emailed code chosen from the first factors';

/** Runs the tour; returns what did not behave as specified. */
export async function runPasskeyTour(emu: CognitoEmulator): Promise<string[]> {
  const pool = emu.setup({
    explicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    userPool: { AutoVerifiedAttributes: ['email'], Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'WEB_AUTHN'] } } },
  });
  // The relying party: the app's domain (here localhost, the authenticator's origin). An admin call, with the emulator's stand-in credentials.
  const admin = new CognitoIdentityProviderClient({ region: emu.region, endpoint: emu.endpoint, credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' }, maxAttempts: 1 });
  await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.userPoolId, WebAuthnConfiguration: { RelyingPartyId: 'localhost' } }));
  admin.destroy();
  const transitions = printTransitions();
  const webAuthn = createTestAuthenticator('http://localhost');
  const auth = createAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: emu.endpoint, storage: createMemoryStorage(), inspect: transitions.inspect, webAuthn });
  const account = createAccount(auth);
  const wire = () => emu.requests.map((r) => r.operation).join(' → ');
  const problems: string[] = [];
  const { username, password } = pool;
  try {
    console.log("  -- signIn({ username, password, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD' } })");
    emu.resetRequests();
    const first = await auth.signIn({ username, password, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD' } });
    console.log(`  → ${JSON.stringify(first.nextStep)}   wire: ${wire()}`);
    if (!first.isSignedIn) problems.push(`the password sign-in answered ${first.nextStep.signInStep}`);

    console.log('  -- associateWebAuthnCredential(): StartWebAuthnRegistration → the authenticator creates a passkey → CompleteWebAuthnRegistration');
    emu.resetRequests();
    const registered = await account.associateWebAuthnCredential();
    const listed = await account.listWebAuthnCredentials();
    console.log(`  → a passkey registered; listWebAuthnCredentials(): ${listed.credentials.length} (${listed.credentials.map((c) => c.friendlyCredentialName ?? c.credentialId).join(', ')})   wire: ${wire()}`);
    if (!listed.credentials.some((c) => c.credentialId === registered.credentialId)) problems.push('the new passkey is not listed');

    await auth.signOut();
    console.log("  -- signOut(), then signIn({ username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' } }): no password");
    emu.resetRequests();
    const withPasskey = await auth.signIn({ username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' } });
    console.log(`  → ${JSON.stringify(withPasskey.nextStep)}   wire: ${wire()} (the engine answered WEB_AUTHN with the authenticator's assertion)`);
    if (!withPasskey.isSignedIn) problems.push(`the passkey sign-in answered ${withPasskey.nextStep.signInStep}`);

    await auth.signOut();
    console.log("  -- signOut(), then signIn({ username, options: { authFlowType: 'USER_AUTH' } }): Cognito offers the first factors");
    const offered = await auth.signIn({ username, options: { authFlowType: 'USER_AUTH' } });
    const available = 'availableChallenges' in offered.nextStep ? offered.nextStep.availableChallenges : undefined;
    console.log(`  → ${offered.nextStep.signInStep}, availableChallenges: ${JSON.stringify(available)}`);
    if (offered.nextStep.signInStep !== 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION') problems.push(`no first-factor selection: ${offered.nextStep.signInStep}`);
    const chosen = await auth.confirmSignIn({ challengeResponse: 'EMAIL_OTP' });
    console.log(`  -- confirmSignIn({ challengeResponse: 'EMAIL_OTP' })\n  → ${chosen.nextStep.signInStep}`);
    const code = emu.inbox(username, { userPoolId: pool.userPoolId }).filter((m) => m.purpose === 'signIn').at(-1)?.code ?? '';
    const done = await auth.confirmSignIn({ challengeResponse: code });
    console.log(`  -- confirmSignIn({ challengeResponse: <the emailed code> })\n  → ${JSON.stringify(done.nextStep)}`);
    if (!done.isSignedIn) problems.push(`the emailed code answered ${done.nextStep.signInStep}`);
    return problems;
  } finally {
    await auth.stop();
  }
}
