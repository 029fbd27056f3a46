// updatePassword() (authchart/account) end to end over HTTP against the emulator, through both
// transports: the password alone, or with signOutOtherSessions (ChangePassword, GlobalSignOut
// through the auth chart's signOut, a sign-in again through its signIn) with another device signed
// in as the same user; each failure midway and its result; nobody signed in; one step at a time;
// bad arguments; and no password or token anywhere observable.
import { createActor, fromPromise } from 'xstate';
import { updatePasswordMachine, type EverywhereSignOut } from '../machines/account/updatePasswordMachine';
import { AuthStateError, AuthValidationError, CognitoServiceError } from '../src/index';
import type { SetupOptions, SetupResult } from '../src/testing/index';
import { accountHarness } from './support/accountEmulator';
import { accountApp, type AccountApp, type Transport } from './support/accountApp';
import { freshUser, operationsSince as operationsOf, signedInApp, tokensOf } from './support/accountUsers';

const NEW_PASSWORD = 'Brand-new-pw2!';
const h = accountHarness();
// The library's clock is Date.now: the emulator's runs alongside, so that tokens are fresh for both.
h.clock = Date.now();
h.secrets.push(NEW_PASSWORD);

const pool = (options: SetupOptions = {}) => freshUser(h, options);
type Made = SetupResult;
const signedIn = (made: Made, transport: Transport = 'fetch'): Promise<AccountApp> => signedInApp(h, made, { transport });
const operationsSince = (from: number) => operationsOf(h, from);

describe.each<Transport>(['fetch', 'sdk'])('over %s', (transport) => {
  test('signOutOtherSessions: the password changes, every other session ends, and only this device is signed in again, with the new password', async () => {
    const made = pool();
    const here = await signedIn(made, transport);
    const elsewhere = await signedIn(made, transport);
    const before = [...(await tokensOf(here)), ...(await tokensOf(elsewhere))];
    const result = await here.settle(here.account.updatePassword({ oldPassword: made.password, newPassword: NEW_PASSWORD, signOutOtherSessions: true }));
    expect(result).toEqual({ passwordChanged: true, otherSessionsSignedOut: true, signedInAgain: true });
    // This device holds a new session, for the same user, that Cognito serves.
    const session = await here.auth.getSession();
    expect(session.username).toBe(made.username);
    expect(before).not.toContain(session.tokens!.accessToken);
    await expect(here.account.fetchUserAttributes()).resolves.toMatchObject({ email: `${made.username}@example.com` });
    // The other device's refresh is refused: its session ends.
    await expect(elsewhere.auth.getSession({ forceRefresh: true })).resolves.toEqual({});
    // The old password no longer signs in; the new one does.
    await expect(elsewhere.auth.signIn({ username: made.username, password: made.password })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(elsewhere.auth.signIn({ username: made.username, password: NEW_PASSWORD })).resolves.toMatchObject({ isSignedIn: true });
    expect(here.leaked([made.password, NEW_PASSWORD, ...before, ...(await tokensOf(here))])).toEqual([]);
    await here.stop();
    await elsewhere.stop();
  });

  test('without signOutOtherSessions: only the password changes, and the other sessions keep refreshing', async () => {
    const made = pool();
    const here = await signedIn(made, transport);
    const elsewhere = await signedIn(made, transport);
    const from = h.emu.requests.length;
    await expect(here.settle(here.account.updatePassword({ oldPassword: made.password, newPassword: NEW_PASSWORD }))).resolves.toEqual({ passwordChanged: true, otherSessionsSignedOut: false, signedInAgain: false });
    expect(operationsSince(from)).toEqual(['ChangePassword']);
    await expect(elsewhere.auth.getSession({ forceRefresh: true })).resolves.toMatchObject({ username: made.username });
    await expect(here.auth.getSession()).resolves.toMatchObject({ username: made.username });
    expect(here.leaked([made.password, NEW_PASSWORD])).toEqual([]);
    await here.stop();
    await elsewhere.stop();
  });

  test('a wrong old password is NotAuthorizedException, a new one outside the policy InvalidPasswordException: nothing else is done', async () => {
    const made = pool();
    const app = await signedIn(made, transport);
    const from = h.emu.requests.length;
    const wrong = await app.settle(app.account.updatePassword({ oldPassword: 'Not-the-pw1!', newPassword: NEW_PASSWORD, signOutOtherSessions: true }));
    expect(wrong).toBeInstanceOf(CognitoServiceError);
    expect(wrong).toMatchObject({ name: 'NotAuthorizedException' });
    const weak = await app.settle(app.account.updatePassword({ oldPassword: made.password, newPassword: 'short', signOutOtherSessions: true }));
    expect(weak).toMatchObject({ name: 'InvalidPasswordException' });
    expect(operationsSince(from)).toEqual(['ChangePassword', 'ChangePassword']);
    await expect(app.auth.getSession()).resolves.toMatchObject({ username: made.username });
    expect(app.leaked([made.password, NEW_PASSWORD, 'Not-the-pw1!', 'short'])).toEqual([]);
    await app.stop();
  });
});

test('nobody signed in: UserUnAuthenticatedException, and nothing is sent', async () => {
  const made = pool();
  const app = accountApp(h, made);
  const from = h.emu.requests.length;
  const error = await app.settle(app.account.updatePassword({ oldPassword: made.password, newPassword: NEW_PASSWORD, signOutOtherSessions: true }));
  expect(error).toBeInstanceOf(AuthStateError);
  expect(error).toMatchObject({ name: 'UserUnAuthenticatedException' });
  expect(operationsSince(from)).toEqual([]);
  await app.stop();
});

test('GlobalSignOut fails: the password is changed, the other sessions are not ended, this device is signed out and not signed in again', async () => {
  const made = pool();
  const app = accountApp(h, made, { config: { networkTimeoutMs: 300, revocationOutbox: false } });
  await app.auth.signIn({ username: made.username, password: made.password });
  const elsewhere = await signedIn(made);
  h.emu.faults.set('GlobalSignOut', { type: 'reset' });
  const from = h.emu.requests.length;
  const result = await app.settle(app.account.updatePassword({ oldPassword: made.password, newPassword: NEW_PASSWORD, signOutOtherSessions: true }));
  h.emu.faults.clear();
  expect(result).toMatchObject({ passwordChanged: true, otherSessionsSignedOut: false, signedInAgain: false, error: { name: 'NetworkError' } });
  expect(operationsSince(from)).not.toContain('InitiateAuth');
  await expect(app.auth.getSession()).resolves.toEqual({});
  await expect(elsewhere.auth.getSession({ forceRefresh: true })).resolves.toMatchObject({ username: made.username });
  // The new password is in force.
  await expect(app.auth.signIn({ username: made.username, password: NEW_PASSWORD })).resolves.toMatchObject({ isSignedIn: true });
  expect(app.leaked([made.password, NEW_PASSWORD])).toEqual([]);
  await app.stop();
  await elsewhere.stop();
});

test('the sign-in again is refused: signedInAgain false with its error, and nobody is signed in on this device', async () => {
  const made = pool();
  const app = await signedIn(made);
  h.emu.faults.set('InitiateAuth', { type: 'error', name: 'NotAuthorizedException' }, { times: 1 });
  const result = await app.settle(app.account.updatePassword({ oldPassword: made.password, newPassword: NEW_PASSWORD, signOutOtherSessions: true }));
  h.emu.faults.clear();
  expect(result).toMatchObject({ passwordChanged: true, otherSessionsSignedOut: true, signedInAgain: false, error: { name: 'NotAuthorizedException' } });
  expect(result).toHaveProperty('error', expect.any(CognitoServiceError));
  await expect(app.auth.getSession()).resolves.toEqual({});
  expect(app.leaked([made.password, NEW_PASSWORD])).toEqual([]);
  await app.stop();
});

test('a user with MFA: the sign-in again stops at the challenge, named in signInStep, and auth.confirmSignIn() finishes it', async () => {
  const made = pool({ mfa: 'SOFTWARE_TOKEN_MFA' });
  const app = accountApp(h, made);
  await app.auth.signIn({ username: made.username, password: made.password });
  await expect(app.auth.confirmSignIn({ challengeResponse: h.emu.mfaCode(made.userPoolId, made.username) })).resolves.toMatchObject({ isSignedIn: true });
  const result = await app.account.updatePassword({ oldPassword: made.password, newPassword: NEW_PASSWORD, signOutOtherSessions: true });
  expect(result).toEqual({ passwordChanged: true, otherSessionsSignedOut: true, signedInAgain: false, signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' });
  await expect(app.auth.confirmSignIn({ challengeResponse: h.emu.mfaCode(made.userPoolId, made.username) })).resolves.toMatchObject({ isSignedIn: true });
  await app.stop();
});

test('one step at a time: a second updatePassword() while the first runs is refused, and one ChangePassword is sent', async () => {
  const made = pool();
  const app = await signedIn(made);
  const from = h.emu.requests.length;
  const first = app.account.updatePassword({ oldPassword: made.password, newPassword: NEW_PASSWORD });
  const second = await app.account.updatePassword({ oldPassword: made.password, newPassword: NEW_PASSWORD }).catch((e: unknown) => e);
  expect(second).toBeInstanceOf(AuthStateError);
  expect(second).toMatchObject({ name: 'AccountStepInProgress' });
  await expect(first).resolves.toMatchObject({ passwordChanged: true });
  expect(operationsSince(from).filter((op) => op === 'ChangePassword')).toHaveLength(1);
  await app.stop();
});

test('bad arguments are AuthValidationError naming the field, and nothing is sent', async () => {
  const made = pool();
  const app = await signedIn(made);
  const from = h.emu.requests.length;
  await expect(app.account.updatePassword(undefined as never)).rejects.toBeInstanceOf(AuthValidationError);
  await expect(app.account.updatePassword({ oldPassword: '', newPassword: NEW_PASSWORD })).rejects.toMatchObject({ field: 'oldPassword' });
  await expect(app.account.updatePassword({ oldPassword: made.password, newPassword: 7 as never })).rejects.toMatchObject({ field: 'newPassword' });
  await expect(app.account.updatePassword({ oldPassword: made.password, newPassword: NEW_PASSWORD, signOutOtherSessions: 'yes' as never })).rejects.toMatchObject({ field: 'signOutOtherSessions' });
  expect(operationsSince(from)).toEqual([]);
  await app.stop();
});

test('GlobalSignOut refused with a message echoing the tokens it was sent: the result carries its name, and no token or password is observable', async () => {
  const made = pool();
  const app = accountApp(h, made, { config: { revocationOutbox: false } });
  await app.auth.signIn({ username: made.username, password: made.password });
  const tokens = await tokensOf(app);
  h.emu.faults.set('GlobalSignOut', { type: 'error', name: 'InternalErrorException', message: `failed for ${tokens.join(',')}` });
  const result = await app.settle(app.account.updatePassword({ oldPassword: made.password, newPassword: NEW_PASSWORD, signOutOtherSessions: true }));
  h.emu.faults.clear();
  expect(result).toMatchObject({ passwordChanged: true, otherSessionsSignedOut: false, signedInAgain: false, error: { name: 'InternalErrorException' } });
  expect(app.leaked([made.password, NEW_PASSWORD, ...tokens])).toEqual([]);
  await app.stop();
});

test('the chart alone: a sign-out that leaves for the hosted UI’s /logout answers GlobalSignOut done, and no sign-in starts', async () => {
  let signIns = 0;
  const machine = updatePasswordMachine.provide({
    actors: {
      changePassword: fromPromise(async () => ({ username: 'jane' })),
      signOutEverywhere: fromPromise<EverywhereSignOut, void>(async () => ({ type: 'redirecting' })),
      signInAgain: fromPromise<{ readonly signedIn: boolean; readonly signInStep: string }, { readonly username: string; readonly password: string }>(async () => (signIns++, { signedIn: true, signInStep: 'DONE' })),
    },
  });
  const actor = createActor(machine).start();
  const answered = new Promise((resolve) => actor.on('answered', (event) => resolve(event.answer)));
  actor.send({ type: 'UPDATE_PASSWORD', id: 1, oldPassword: 'r#1', newPassword: 'r#2', signInPassword: 'r#3' });
  await expect(answered).resolves.toEqual({ kind: 'passwordUpdated', passwordChanged: true, otherSessionsSignedOut: true, signedInAgain: false });
  expect(signIns).toBe(0);
  actor.stop();
});
