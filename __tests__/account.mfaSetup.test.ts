// setUpTotp(), verifyTotpSetup(), updateMFAPreference() and fetchMFAPreference() (authchart/account)
// end to end over HTTP against the emulator, through both transports: a TOTP set up, verified,
// preferred and then asked for at the next sign-in, with codes computed here from the shared secret
// as an authenticator app would; a second setUpTotp() over a working TOTP refused with nothing sent
// beyond the read (amplify-js #1226), and replaced with `replace`; a wrong code; no pending setup;
// nobody signed in; one step at a time; and no secret, code or token anywhere observable.
import { SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { AuthStateError, AuthValidationError, CognitoServiceError } from '../src/index';
import { accountHarness } from './support/accountEmulator';
import { accountApp, type AccountApp, type Transport } from './support/accountApp';
import { totpCode, wrongCode } from './support/totp';

const h = accountHarness();
// The library reads token expiry on the real clock: the emulator's starts there, and moves from there.
h.clock = Date.now();

/** A pool with TOTP on (MFA optional) and a user without MFA. */
async function pool() {
  const made = h.emu.setup({ userPool: { AutoVerifiedAttributes: ['email'] } });
  await h.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: made.userPoolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  h.secrets.push(made.password);
  return made;
}

/** A signed-in app over a new pool with TOTP on. */
async function signedIn(transport: Transport = 'fetch') {
  const made = await pool();
  const app = accountApp(h, made, { transport });
  await app.auth.signIn({ username: made.username, password: made.password });
  return { made, app };
}

/** The code the authenticator app shows now, on the emulator's clock; the clock first moves to the next 30 s step, so no code is used twice. */
function freshCode(secret: string): string {
  h.clock += 30_000;
  const code = totpCode(secret, h.clock);
  h.secrets.push(code);
  return code;
}

/** The operations the emulator received since `from`. */
const sentSince = (from: number) => h.emu.requests.slice(from).map((r) => r.operation);

/** Signs out, then in with the password: resolves the sign-in's step. */
async function signInAgain(app: AccountApp, made: { username: string; password: string }) {
  await app.auth.signOut();
  return app.auth.signIn({ username: made.username, password: made.password });
}

/** Every token the instance holds now: none may be observable. */
async function tokensOf(app: AccountApp): Promise<string[]> {
  const { tokens } = await app.auth.getSession();
  return tokens ? [tokens.accessToken, tokens.idToken ?? '', tokens.refreshToken ?? ''] : [];
}

describe.each<Transport>(['fetch', 'sdk'])('over %s', (transport) => {
  test('setUpTotp → verifyTotpSetup → updateMFAPreference({ totp: PREFERRED }): the next sign-in asks for TOTP; setUpTotp() again is refused with only the read sent, and the old TOTP still works; { replace: true } gives a new one', async () => {
    const { made, app } = await signedIn(transport);
    const tokens = await tokensOf(app);
    await expect(app.settle(app.account.fetchMFAPreference())).resolves.toEqual({});

    const details = await app.account.setUpTotp();
    const secret = details.sharedSecret;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(details.getSetupUri('authchart').href).toBe(`otpauth://totp/authchart:${made.username}?secret=${secret}&issuer=authchart`);
    const first = freshCode(secret);
    await expect(app.settle(app.account.verifyTotpSetup({ code: first, options: { friendlyDeviceName: 'phone' } }))).resolves.toBeUndefined();
    // Verified, not enabled: as in Amplify JS v6, the app enables it.
    await expect(app.settle(app.account.fetchMFAPreference())).resolves.toEqual({});
    await expect(app.settle(app.account.updateMFAPreference({ totp: 'PREFERRED' }))).resolves.toBeUndefined();
    await expect(app.settle(app.account.fetchMFAPreference())).resolves.toEqual({ enabled: ['TOTP'], preferred: 'TOTP' });

    await expect(app.settle(signInAgain(app, made))).resolves.toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    await expect(app.settle(app.auth.confirmSignIn({ challengeResponse: freshCode(secret) }))).resolves.toMatchObject({ isSignedIn: true });
    tokens.push(...(await tokensOf(app)));

    // TOTP works: a second setUpTotp() is refused, and nothing but GetUser is sent (AssociateSoftwareToken would turn it off).
    const mark = h.emu.requests.length;
    const refused = await app.settle(app.account.setUpTotp());
    expect(refused).toBeInstanceOf(AuthStateError);
    expect(refused).toMatchObject({ name: 'TotpAlreadyEnabled' });
    expect(sentSince(mark)).toEqual(['GetUser']);
    await expect(app.settle(signInAgain(app, made))).resolves.toMatchObject({ nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    await expect(app.settle(app.auth.confirmSignIn({ challengeResponse: freshCode(secret) }))).resolves.toMatchObject({ isSignedIn: true });
    tokens.push(...(await tokensOf(app)));

    // With replace: a new secret, which the next sign-in asks for once verified.
    const replaced = await app.account.setUpTotp({ replace: true });
    expect(replaced.sharedSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(replaced.sharedSecret).not.toBe(secret);
    await app.account.verifyTotpSetup({ code: freshCode(replaced.sharedSecret) });
    await expect(app.settle(app.account.fetchMFAPreference())).resolves.toEqual({ enabled: ['TOTP'], preferred: 'TOTP' });
    await expect(app.settle(signInAgain(app, made))).resolves.toMatchObject({ nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    const stale = freshCode(secret);
    if (stale !== totpCode(replaced.sharedSecret, h.clock)) await expect(app.settle(app.auth.confirmSignIn({ challengeResponse: stale }))).resolves.toMatchObject({ name: 'CodeMismatchException' });
    await expect(app.settle(app.auth.confirmSignIn({ challengeResponse: totpCode(replaced.sharedSecret, h.clock) }))).resolves.toMatchObject({ isSignedIn: true });
    tokens.push(...(await tokensOf(app)));

    expect(app.leaked([secret, replaced.sharedSecret, ...h.secrets, ...tokens])).toEqual([]);
    await app.stop();
  });

  test('a wrong code is refused by Cognito and the setup still waits: the right code then verifies', async () => {
    const { app } = await signedIn(transport);
    const { sharedSecret } = await app.account.setUpTotp();
    const wrong = wrongCode(sharedSecret, h.clock);
    const error = await app.settle(app.account.verifyTotpSetup({ code: wrong }));
    expect(error).toBeInstanceOf(CognitoServiceError);
    expect((error as Error).name).toMatch(/^(EnableSoftwareTokenMFAException|CodeMismatchException)$/);
    await expect(app.settle(app.account.verifyTotpSetup({ code: freshCode(sharedSecret) }))).resolves.toBeUndefined();
    // Verified: no setup waits any more.
    await expect(app.settle(app.account.verifyTotpSetup({ code: freshCode(sharedSecret) }))).resolves.toMatchObject({ name: 'NoPendingTotpSetup' });
    expect(app.leaked([sharedSecret, wrong, ...h.secrets, ...(await tokensOf(app))])).toEqual([]);
    await app.stop();
  });
});

test("updateMFAPreference()'s values: ENABLED, NOT_PREFERRED (enabled, not preferred), PREFERRED, DISABLED, each read back by fetchMFAPreference() and by the next sign-in", async () => {
  const { made, app } = await signedIn();
  const { sharedSecret } = await app.account.setUpTotp();
  await app.account.verifyTotpSetup({ code: freshCode(sharedSecret) });
  const readBack = async (value: 'ENABLED' | 'NOT_PREFERRED' | 'PREFERRED' | 'DISABLED') => {
    await app.account.updateMFAPreference({ totp: value });
    return app.account.fetchMFAPreference();
  };
  await expect(readBack('ENABLED')).resolves.toEqual({ enabled: ['TOTP'] });
  await expect(readBack('PREFERRED')).resolves.toEqual({ enabled: ['TOTP'], preferred: 'TOTP' });
  await expect(readBack('NOT_PREFERRED')).resolves.toEqual({ enabled: ['TOTP'] });
  await expect(signInAgain(app, made)).resolves.toMatchObject({ nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
  await expect(app.auth.confirmSignIn({ challengeResponse: freshCode(sharedSecret) })).resolves.toMatchObject({ isSignedIn: true });
  await expect(readBack('DISABLED')).resolves.toEqual({});
  await expect(signInAgain(app, made)).resolves.toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  await app.stop();
});

test('verifyTotpSetup() without a setUpTotp() on this instance is NoPendingTotpSetup, and nothing is sent', async () => {
  const { app } = await signedIn();
  const mark = h.emu.requests.length;
  const error = await app.account.verifyTotpSetup({ code: '123456' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AuthStateError);
  expect(error).toMatchObject({ name: 'NoPendingTotpSetup' });
  expect(sentSince(mark)).toEqual([]);
  await app.stop();
});

test('getSetupUri() encodes the issuer and the account name; an empty one is AuthValidationError', async () => {
  const { app } = await signedIn();
  const { sharedSecret, getSetupUri } = await app.account.setUpTotp();
  const uri = getSetupUri('Acme & Co: Shop', 'jane doe@example.com');
  expect(uri.protocol).toBe('otpauth:');
  expect(uri.href).toBe(`otpauth://totp/Acme%20%26%20Co%3A%20Shop:jane%20doe%40example.com?secret=${sharedSecret}&issuer=Acme%20%26%20Co%3A%20Shop`);
  expect(uri.searchParams.get('issuer')).toBe('Acme & Co: Shop');
  expect(uri.searchParams.get('secret')).toBe(sharedSecret);
  const [issuer, account] = uri.pathname.replace(/^\//, '').split(':').map(decodeURIComponent);
  expect([issuer, account]).toEqual(['Acme & Co: Shop', 'jane doe@example.com']);
  expect(() => getSetupUri('')).toThrow(AuthValidationError);
  expect(() => getSetupUri('app', ' ')).toThrow(expect.objectContaining({ field: 'accountName' }));
  await app.stop();
});

test('nobody signed in: each call is UserUnAuthenticatedException, and nothing is sent', async () => {
  const made = await pool();
  const app = accountApp(h, made);
  const mark = h.emu.requests.length;
  for (const call of [() => app.account.setUpTotp(), () => app.account.updateMFAPreference({ totp: 'ENABLED' }), () => app.account.fetchMFAPreference()]) {
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthStateError);
    expect(error).toMatchObject({ name: 'UserUnAuthenticatedException' });
  }
  expect(sentSince(mark)).toEqual([]);
  await app.stop();
});

test('one step at a time: a call while setUpTotp() runs is AccountStepInProgress, and one secret is made', async () => {
  const { app } = await signedIn();
  const mark = h.emu.requests.length;
  const first = app.account.setUpTotp();
  const calls = [app.account.setUpTotp(), app.account.fetchMFAPreference(), app.account.updateMFAPreference({ totp: 'ENABLED' }), app.account.verifyTotpSetup({ code: '123456' })].map((call) => call.catch((e: unknown) => e));
  for (const call of calls) expect(await call).toMatchObject({ name: 'AccountStepInProgress' });
  await first;
  expect(sentSince(mark)).toEqual(['GetUser', 'AssociateSoftwareToken']);
  await app.stop();
});

test('bad arguments are AuthValidationError naming the field, and nothing is sent; a refused preference is Cognito\'s answer', async () => {
  const { app } = await signedIn();
  const mark = h.emu.requests.length;
  await expect(app.account.setUpTotp({ replace: 'yes' as never })).rejects.toMatchObject({ field: 'replace' });
  await expect(app.account.verifyTotpSetup(undefined as never)).rejects.toBeInstanceOf(AuthValidationError);
  await expect(app.account.verifyTotpSetup({ code: '' })).rejects.toMatchObject({ field: 'code' });
  await expect(app.account.verifyTotpSetup({ code: '123456', options: { friendlyDeviceName: 7 as never } })).rejects.toMatchObject({ field: 'options.friendlyDeviceName' });
  await expect(app.account.updateMFAPreference({ totp: 'ON' as never })).rejects.toMatchObject({ field: 'totp' });
  await expect(app.account.updateMFAPreference(null as never)).rejects.toBeInstanceOf(AuthValidationError);
  expect(sentSince(mark)).toEqual([]);
  // TOTP never set up: Cognito refuses to enable it.
  await expect(app.account.updateMFAPreference({ totp: 'ENABLED' })).rejects.toMatchObject({ name: 'InvalidParameterException' });
  await app.stop();
});

test('a setup waiting for its code survives every failure meanwhile: a refused setUpTotp(), GetUser, AssociateSoftwareToken, SetUserMFAPreference and a preference read that fail, and the pending secret still verifies', async () => {
  const { app } = await signedIn();
  const first = await app.account.setUpTotp();
  await app.account.verifyTotpSetup({ code: freshCode(first.sharedSecret) });
  await app.account.updateMFAPreference({ totp: 'PREFERRED' });
  // A replacement waits for its code.
  const pending = await app.account.setUpTotp({ replace: true });
  h.secrets.push(first.sharedSecret, pending.sharedSecret);
  // Refused over the working TOTP (no replace): the replacement still waits.
  await expect(app.account.setUpTotp()).rejects.toMatchObject({ name: 'TotpAlreadyEnabled' });
  // Each step failing on the wire: the replacement still waits.
  const failing = async (operation: Parameters<typeof h.emu.faults.set>[0], call: () => Promise<unknown>) => {
    h.emu.faults.set(operation, { type: 'error', name: 'InternalErrorException', message: 'injected', status: 500 });
    try {
      await expect(call()).rejects.toMatchObject({ name: 'InternalErrorException' });
    } finally {
      h.emu.faults.clear();
    }
  };
  await failing('GetUser', () => app.account.setUpTotp({ replace: true }));
  await failing('AssociateSoftwareToken', () => app.account.setUpTotp({ replace: true }));
  await failing('SetUserMFAPreference', () => app.account.updateMFAPreference({ totp: 'PREFERRED' }));
  await failing('GetUser', () => app.account.fetchMFAPreference());
  // The secret of the last AssociateSoftwareToken that answered verifies.
  await expect(app.account.verifyTotpSetup({ code: freshCode(pending.sharedSecret) })).resolves.toBeUndefined();
  await app.stop();
});
