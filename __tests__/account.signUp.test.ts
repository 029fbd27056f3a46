// signUp(), confirmSignUp(), resendSignUpCode(), autoSignIn() and pendingAutoSignIn()
// (authchart/account) end to end over HTTP against the emulator: the code from the user's inbox,
// the auto sign-in with ConfirmSignUp's Session (InitiateAuth USER_AUTH) after a reload and from
// another instance over the same storage, its deadline by the account's clock, a wrong code, one
// step at a time, and no password, code or Session anywhere observable (the record holds no password).
import { AuthStateError, AuthValidationError, CognitoServiceError } from '../src/index';
import { accountKeys } from '../services/storage/accountKeys';
import { createAccountCalls } from '../services/cognito/accountCalls';
import { fetchAccountWire, type AccountWire } from '../src/account/index';
import { onFirstUse } from '../services/cognito/onFirstUse';
import type { SetupOptions } from '../src/testing/index';
import { accountHarness } from './support/accountEmulator';
import { accountApp, type AccountApp, type Transport } from './support/accountApp';
import { inspectableStorage } from './support/harness';

const PASSWORD = 'Sign-up-pw1!';
const FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH'];
const h = accountHarness();
h.secrets.push(PASSWORD);
beforeAll(() => {
  // Tokens the emulator mints are fresh by the library's own clock (Date.now).
  h.clock = Date.now();
});

function pool(options: SetupOptions = {}) {
  const made = h.emu.setup({ userPool: { AutoVerifiedAttributes: ['email'] }, explicitAuthFlows: FLOWS, ...options });
  h.secrets.push(made.password);
  return made;
}
const newName = (() => {
  let n = 0;
  return () => `sign-up-${++n}`;
})();
function newestCode(userPoolId: string, username: string): string {
  const sent = h.emu.inbox(username, { userPoolId }).filter((m) => m.purpose === 'signUp');
  const code = sent[sent.length - 1]!.code;
  h.secrets.push(code);
  return code;
}
const signUpInput = (username: string, autoSignIn = true) => ({ username, password: PASSWORD, options: { userAttributes: { email: `${username}@example.com` }, autoSignIn } });
const recordKey = (clientId: string) => accountKeys(clientId).autoSignIn;
/** The auto sign-in's record as stored, parsed. */
function recordOf(app: AccountApp, clientId: string): Record<string, unknown> | undefined {
  const raw = app.storage.items.get(recordKey(clientId));
  return raw === undefined ? undefined : (JSON.parse(raw) as Record<string, unknown>);
}
const initiateAuths = () => h.emu.requests.filter((r) => r.operation === 'InitiateAuth').length;

describe.each<Transport>(['fetch', 'sdk'])('over %s', (transport) => {
  test('signUp with autoSignIn → the code from the inbox → confirmSignUp (COMPLETE_AUTO_SIGN_IN, the record stored first) → autoSignIn() signs in', async () => {
    const made = pool();
    const app = accountApp(h, made, { transport });
    const signedIn: unknown[] = [];
    app.auth.on('signedIn', (event) => void signedIn.push(event));
    const username = newName();
    const started = await app.settle(app.account.signUp(signUpInput(username)));
    expect(started).toEqual({ isSignUpComplete: false, userId: expect.any(String), nextStep: { signUpStep: 'CONFIRM_SIGN_UP', codeDeliveryDetails: { destination: 's***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' } } });
    expect(recordOf(app, made.clientId)).toMatchObject({ stage: 'signedUp', username });
    const code = newestCode(made.userPoolId, username);
    const confirmed = await app.settle(app.account.confirmSignUp({ username, confirmationCode: code }));
    expect(confirmed).toEqual({ isSignUpComplete: true, nextStep: { signUpStep: 'COMPLETE_AUTO_SIGN_IN' } });
    // Stored before confirmSignUp() resolved: only who, the Session and the deadline (and its stage), never the password.
    const record = recordOf(app, made.clientId)!;
    expect(Object.keys(record).sort()).toEqual(['deadline', 'session', 'stage', 'username', 'version']);
    expect(record).toMatchObject({ stage: 'confirmed', username, session: expect.any(String) });
    const session = record.session as string;
    h.secrets.push(session);
    for (const value of app.storage.items.values()) expect(value).not.toContain(PASSWORD);
    expect(await app.account.pendingAutoSignIn()).toEqual({ username, deadline: record.deadline });

    await expect(app.settle(app.account.autoSignIn())).resolves.toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    const { tokens } = await app.auth.getSession();
    expect(tokens?.accessToken).toEqual(expect.any(String));
    expect(signedIn).toEqual([expect.objectContaining({ type: 'signedIn', username })]);
    expect(app.storage.items.has(recordKey(made.clientId))).toBe(false);
    expect(await app.account.pendingAutoSignIn()).toBeNull();
    await expect(app.account.autoSignIn()).rejects.toMatchObject({ name: 'NoPendingAutoSignIn' });
    expect(app.leaked([PASSWORD, code, session, tokens!.accessToken])).toEqual([]);
    await app.stop();
  });

  test('without autoSignIn: confirmSignUp answers DONE, nothing is stored, and the user signs in with the password', async () => {
    const made = pool();
    const app = accountApp(h, made, { transport });
    const username = newName();
    await expect(app.account.signUp(signUpInput(username, false))).resolves.toMatchObject({ isSignUpComplete: false, nextStep: { signUpStep: 'CONFIRM_SIGN_UP' } });
    expect(app.storage.items.has(recordKey(made.clientId))).toBe(false);
    await expect(app.account.confirmSignUp({ username, confirmationCode: newestCode(made.userPoolId, username) })).resolves.toEqual({ isSignUpComplete: true, nextStep: { signUpStep: 'DONE' } });
    expect(app.storage.items.has(recordKey(made.clientId))).toBe(false);
    await expect(app.account.autoSignIn()).rejects.toMatchObject({ name: 'NoPendingAutoSignIn' });
    await expect(app.auth.signIn({ username, password: PASSWORD })).resolves.toMatchObject({ isSignedIn: true });
    await app.stop();
  });

  test('a reload between signUp and confirmSignUp, and another between confirmSignUp and autoSignIn: the auto sign-in completes', async () => {
    const made = pool();
    const first = accountApp(h, made, { transport });
    const username = newName();
    await first.account.signUp(signUpInput(username));
    await first.stop();
    const second = first.reload();
    await expect(second.account.confirmSignUp({ username, confirmationCode: newestCode(made.userPoolId, username) })).resolves.toMatchObject({ nextStep: { signUpStep: 'COMPLETE_AUTO_SIGN_IN' } });
    await second.stop();
    const third = second.reload();
    expect(await third.account.pendingAutoSignIn()).toMatchObject({ username });
    await expect(third.account.autoSignIn()).resolves.toMatchObject({ isSignedIn: true });
    expect((await third.auth.getSession()).tokens?.idToken).toEqual(expect.any(String));
    await third.stop();
  });
});

test('another instance over the same storage (another tab) completes the auto sign-in; the first sees it is gone', async () => {
  const made = pool();
  const first = accountApp(h, made);
  const other = accountApp(h, made, { storage: first.storage });
  const username = newName();
  await first.account.signUp(signUpInput(username));
  await first.account.confirmSignUp({ username, confirmationCode: newestCode(made.userPoolId, username) });
  expect(await other.account.pendingAutoSignIn()).toMatchObject({ username });
  await expect(other.account.autoSignIn()).resolves.toMatchObject({ isSignedIn: true });
  expect((await other.auth.getSession()).tokens).toBeDefined();
  expect(await first.account.pendingAutoSignIn()).toBeNull();
  await expect(first.account.autoSignIn()).rejects.toMatchObject({ name: 'NoPendingAutoSignIn' });
  await first.stop();
  await other.stop();
});

test('past the deadline (the account clock, and the emulator clock): AutoSignInExpired, the record removed, nothing sent', async () => {
  const made = pool({ authSessionValidity: 5 });
  let now = Date.now();
  const app = accountApp(h, made, { account: { now: () => now }, config: { authSessionValidityMinutes: 5 } });
  const username = newName();
  await app.account.signUp(signUpInput(username));
  await app.account.confirmSignUp({ username, confirmationCode: newestCode(made.userPoolId, username) });
  const { deadline } = (await app.account.pendingAutoSignIn())!;
  expect(deadline).toBe(now + 5 * 60_000);
  now = deadline;
  h.clock += 5 * 60_000;
  const sent = initiateAuths();
  const expired = await app.settle(app.account.autoSignIn());
  expect(expired).toBeInstanceOf(AuthStateError);
  expect(expired).toMatchObject({ name: 'AutoSignInExpired' });
  expect(initiateAuths()).toBe(sent);
  expect(app.storage.items.has(recordKey(made.clientId))).toBe(false);
  await expect(app.account.autoSignIn()).rejects.toMatchObject({ name: 'NoPendingAutoSignIn' });
  expect((await app.auth.getSession()).tokens).toBeUndefined();
  h.clock = Date.now();
  await app.stop();
});

test('autoSignIn() with none waiting, or before the sign-up is confirmed: NoPendingAutoSignIn, nothing sent', async () => {
  const made = pool();
  const app = accountApp(h, made);
  const sent = initiateAuths();
  const none = await app.settle(app.account.autoSignIn());
  expect(none).toBeInstanceOf(AuthStateError);
  expect(none).toMatchObject({ name: 'NoPendingAutoSignIn' });
  const username = newName();
  await app.account.signUp(signUpInput(username));
  await expect(app.account.autoSignIn()).rejects.toMatchObject({ name: 'NoPendingAutoSignIn' });
  expect(await app.account.pendingAutoSignIn()).toBeNull();
  expect(initiateAuths()).toBe(sent);
  await app.stop();
});

test('a wrong code is CodeMismatchException and the flow still takes the right one; a new code from resendSignUpCode() confirms', async () => {
  const made = pool();
  const app = accountApp(h, made);
  const username = newName();
  await app.account.signUp(signUpInput(username));
  const first = newestCode(made.userPoolId, username);
  const wrong = first === '000000' ? '000001' : '000000';
  const refused = await app.settle(app.account.confirmSignUp({ username, confirmationCode: wrong }));
  expect(refused).toBeInstanceOf(CognitoServiceError);
  expect(refused).toMatchObject({ name: 'CodeMismatchException' });
  expect(recordOf(app, made.clientId)).toMatchObject({ stage: 'signedUp', username });
  await expect(app.account.resendSignUpCode({ username })).resolves.toEqual({ destination: 's***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' });
  const code = newestCode(made.userPoolId, username);
  await expect(app.account.confirmSignUp({ username, confirmationCode: code })).resolves.toMatchObject({ nextStep: { signUpStep: 'COMPLETE_AUTO_SIGN_IN' } });
  await expect(app.account.autoSignIn()).resolves.toMatchObject({ isSignedIn: true });
  expect(app.leaked([PASSWORD, first, code])).toEqual([]);
  await app.stop();
});

test('one step at a time: calls during a step are refused with AccountStepInProgress, and only one user is created', async () => {
  const made = pool();
  const app = accountApp(h, made);
  const username = newName();
  const signUps = () => h.emu.requests.filter((r) => r.operation === 'SignUp' && r.status === 200).length;
  const before = signUps();
  const first = app.account.signUp(signUpInput(username));
  const calls = [
    app.account.signUp(signUpInput(newName())),
    app.account.confirmSignUp({ username, confirmationCode: '123456' }),
    app.account.resendSignUpCode({ username }),
    app.account.autoSignIn(),
  ].map((call) => call.catch((e: unknown) => e));
  for (const refused of await Promise.all(calls)) expect(refused).toMatchObject({ name: 'AccountStepInProgress' });
  await first;
  expect(signUps() - before).toBe(1);
  await app.stop();
});

test('bad arguments are AuthValidationError naming the field, and nothing is sent', async () => {
  const made = pool();
  const app = accountApp(h, made);
  const before = h.emu.requests.length;
  await expect(app.account.signUp(undefined as never)).rejects.toBeInstanceOf(AuthValidationError);
  await expect(app.account.signUp({ username: ' ', password: PASSWORD })).rejects.toMatchObject({ field: 'username' });
  await expect(app.account.signUp({ username: 'jane', password: '' })).rejects.toMatchObject({ field: 'password' });
  await expect(app.account.signUp({ username: 'jane', password: PASSWORD, options: { autoSignIn: 'yes' as never } })).rejects.toMatchObject({ field: 'options.autoSignIn' });
  await expect(app.account.signUp({ username: 'jane', password: PASSWORD, options: { userAttributes: { email: 7 as never } } })).rejects.toMatchObject({ field: 'options.userAttributes.email' });
  await expect(app.account.confirmSignUp({ username: 'jane', confirmationCode: '' })).rejects.toMatchObject({ field: 'confirmationCode' });
  await expect(app.account.resendSignUpCode({} as never)).rejects.toMatchObject({ field: 'username' });
  expect(h.emu.requests.length).toBe(before);
  await app.stop();
});

test('with a user signed in, autoSignIn() is refused (UserAlreadyAuthenticatedException) and the record is kept', async () => {
  const made = pool();
  const app = accountApp(h, made);
  const username = newName();
  await app.account.signUp(signUpInput(username));
  await app.account.confirmSignUp({ username, confirmationCode: newestCode(made.userPoolId, username) });
  await app.auth.signIn({ username: made.username, password: made.password });
  await expect(app.account.autoSignIn()).rejects.toMatchObject({ name: 'UserAlreadyAuthenticatedException' });
  expect(await app.account.pendingAutoSignIn()).toMatchObject({ username });
  await app.auth.signOut();
  await expect(app.account.autoSignIn()).resolves.toMatchObject({ isSignedIn: true });
  await app.stop();
});

test('Cognito unreachable during autoSignIn(): the record is kept and a second call signs in', async () => {
  const made = pool();
  const app = accountApp(h, made, { config: { networkTimeoutMs: 300 } });
  const username = newName();
  await app.account.signUp(signUpInput(username));
  await app.account.confirmSignUp({ username, confirmationCode: newestCode(made.userPoolId, username) });
  h.emu.faults.set('InitiateAuth', { type: 'reset' });
  await expect(app.account.autoSignIn()).rejects.toMatchObject({ name: 'NetworkError' });
  h.emu.faults.clear();
  expect(await app.account.pendingAutoSignIn()).toMatchObject({ username });
  await expect(app.account.autoSignIn()).resolves.toMatchObject({ isSignedIn: true });
  await app.stop();
});

test('Cognito refuses the Session (used already): NotAuthorizedException, and the record is removed', async () => {
  const made = pool();
  const app = accountApp(h, made);
  const username = newName();
  await app.account.signUp(signUpInput(username));
  await app.account.confirmSignUp({ username, confirmationCode: newestCode(made.userPoolId, username) });
  const session = recordOf(app, made.clientId)!.session as string;
  h.secrets.push(session);
  // Another client of the app used it first.
  await createAccountCalls({ wire: fetchAccountWire({ region: h.emu.region, endpoint: h.emu.endpoint, clientId: made.clientId }), clientId: made.clientId, load: onFirstUse }).signInWithSession({ username, session });
  const refused = await app.settle(app.account.autoSignIn());
  expect(refused).toMatchObject({ name: 'NotAuthorizedException' });
  expect(app.storage.items.has(recordKey(made.clientId))).toBe(false);
  expect(app.leaked([session])).toEqual([]);
  await app.stop();
});

test('a client with a secret: the whole flow sends SECRET_HASH, and the auto sign-in completes', async () => {
  const made = pool({ generateSecret: true });
  const app = accountApp(h, made);
  const username = newName();
  await app.account.signUp(signUpInput(username));
  await expect(app.account.confirmSignUp({ username, confirmationCode: newestCode(made.userPoolId, username) })).resolves.toMatchObject({ nextStep: { signUpStep: 'COMPLETE_AUTO_SIGN_IN' } });
  await expect(app.account.autoSignIn()).resolves.toMatchObject({ isSignedIn: true });
  expect(app.leaked([made.clientSecret!])).toEqual([]);
  await app.stop();
});

test('a record the storage refuses to keep: confirmSignUp() answers DONE (no auto sign-in), and the user signs in with the password', async () => {
  const made = pool();
  const storage = inspectableStorage();
  const setItem = storage.setItem;
  storage.setItem = (key, value) => {
    if (key === recordKey(made.clientId) && value.includes('"stage":"confirmed"')) throw new DOMException('full', 'QuotaExceededError');
    return setItem(key, value);
  };
  const app = accountApp(h, made, { storage });
  const username = newName();
  await app.account.signUp(signUpInput(username));
  await expect(app.account.confirmSignUp({ username, confirmationCode: newestCode(made.userPoolId, username) })).resolves.toEqual({ isSignUpComplete: true, nextStep: { signUpStep: 'DONE' } });
  await expect(app.account.autoSignIn()).rejects.toMatchObject({ name: 'NoPendingAutoSignIn' });
  await expect(app.auth.signIn({ username, password: PASSWORD })).resolves.toMatchObject({ isSignedIn: true });
  await app.stop();
});

test('a server that echoes the password, the code and the Session in its error messages: none reaches anything observable', async () => {
  const made = pool();
  const app = accountApp(h, made);
  const username = newName();
  h.emu.faults.set('SignUp', { type: 'error', name: 'InvalidParameterException', message: `bad password ${PASSWORD}` });
  await expect(app.settle(app.account.signUp(signUpInput(username)))).resolves.toMatchObject({ name: 'InvalidParameterException' });
  h.emu.faults.clear();
  await app.account.signUp(signUpInput(username));
  const code = newestCode(made.userPoolId, username);
  h.emu.faults.set('ConfirmSignUp', { type: 'error', name: 'CodeMismatchException', message: `bad code ${code}` });
  await expect(app.settle(app.account.confirmSignUp({ username, confirmationCode: code }))).resolves.toMatchObject({ name: 'CodeMismatchException' });
  h.emu.faults.clear();
  await app.account.confirmSignUp({ username, confirmationCode: code });
  const session = recordOf(app, made.clientId)!.session as string;
  h.secrets.push(session);
  h.emu.faults.set('InitiateAuth', { type: 'error', name: 'InternalErrorException', message: `failed for ${session}` });
  await expect(app.settle(app.account.autoSignIn())).resolves.toMatchObject({ name: 'InternalErrorException' });
  h.emu.faults.clear();
  // A failure a later try can fix: the record is kept, and the next call signs in.
  await expect(app.account.autoSignIn()).resolves.toMatchObject({ isSignedIn: true });
  expect(app.leaked([PASSWORD, code, session])).toEqual([]);
  await app.stop();
});

describe('a user Cognito confirms at once (UserConfirmed: true, as with a pre-sign-up Lambda that auto-confirms)', () => {
  /** A wire over the emulator whose SignUp answers as such a pool: confirmed, with a Session to sign in with when `withSession`. */
  function autoConfirming(made: { clientId: string; userPoolId: string }, withSession: boolean): AccountWire {
    const wire = fetchAccountWire({ region: h.emu.region, endpoint: h.emu.endpoint, clientId: made.clientId });
    return async (operation, payload, secrets, signal) => {
      const answer = await wire(operation, payload, secrets, signal);
      if (operation !== 'SignUp') return answer;
      const username = payload.Username as string;
      const confirmed = await wire('ConfirmSignUp', { ClientId: made.clientId, Username: username, ConfirmationCode: newestCode(made.userPoolId, username) }, [], signal);
      h.secrets.push(confirmed.Session as string);
      return { ...answer, UserConfirmed: true, ...(withSession && { Session: confirmed.Session }) };
    };
  }

  test('without a Session (or without autoSignIn): DONE', async () => {
    const made = pool();
    const app = accountApp(h, made, { account: { wire: autoConfirming(made, false) } });
    await expect(app.account.signUp(signUpInput(newName()))).resolves.toMatchObject({ isSignUpComplete: true, nextStep: { signUpStep: 'DONE' } });
    expect(app.storage.items.has(recordKey(made.clientId))).toBe(false);
    await app.stop();
    const plain = accountApp(h, made, { account: { wire: autoConfirming(made, true) } });
    await expect(plain.account.signUp(signUpInput(newName(), false))).resolves.toMatchObject({ isSignUpComplete: true, nextStep: { signUpStep: 'DONE' } });
    expect(plain.storage.items.has(recordKey(made.clientId))).toBe(false);
    await plain.stop();
  });

  test('with a Session and autoSignIn: COMPLETE_AUTO_SIGN_IN at once, and autoSignIn() signs in', async () => {
    const made = pool();
    const app = accountApp(h, made, { account: { wire: autoConfirming(made, true) } });
    const username = newName();
    await expect(app.account.signUp(signUpInput(username))).resolves.toMatchObject({ isSignUpComplete: true, nextStep: { signUpStep: 'COMPLETE_AUTO_SIGN_IN' } });
    expect(recordOf(app, made.clientId)).toMatchObject({ stage: 'confirmed', username });
    await expect(app.account.autoSignIn()).resolves.toMatchObject({ isSignedIn: true });
    expect((await app.auth.getSession()).tokens).toBeDefined();
    await app.stop();
  });
});

test('a Cognito whose ConfirmSignUp answers no Session (as moto, or an older Cognito): confirmSignUp() answers DONE and the stored sign-up is removed, so no auto sign-in waits', async () => {
  const made = h.pool({ explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH'] });
  const base = fetchAccountWire({ region: h.emu.region, endpoint: h.emu.endpoint, clientId: made.clientId });
  // The wire as such a Cognito answers: ConfirmSignUp's answer without its Session.
  const wire: AccountWire = async (operation, payload, secrets, signal) => {
    const answer = await base(operation, payload, secrets, signal);
    if (operation !== 'ConfirmSignUp') return answer;
    const { Session: _session, ...rest } = answer;
    return rest;
  };
  const app = accountApp(h, made, { account: { wire } });
  await app.account.signUp({ username: 'nosession', password: 'No-session-pw1!', options: { userAttributes: { email: 'nosession@example.com' }, autoSignIn: true } });
  expect(await app.account.pendingAutoSignIn()).toBeNull(); // not confirmed yet: nothing to sign in with
  expect(app.storage.items.has(`authchart.${made.clientId}.autoSignIn`)).toBe(true);
  await expect(app.account.confirmSignUp({ username: 'nosession', confirmationCode: h.newestCode(made.userPoolId, 'nosession', 'signUp') })).resolves.toMatchObject({ nextStep: { signUpStep: 'DONE' } });
  expect(app.storage.items.has(`authchart.${made.clientId}.autoSignIn`)).toBe(false);
  await expect(app.account.autoSignIn()).rejects.toMatchObject({ name: 'NoPendingAutoSignIn' });
  await app.stop();
});

test('an auto sign-in whose tokens the storage refuses: StorageError, nobody signed in, the record removed, and the refresh token Cognito issued queued in the outbox and revoked (the chart decides: revokingUnstored)', async () => {
  const made = pool();
  const base = inspectableStorage();
  const state = { full: false };
  // The session's key refuses writes once `full` (a quota); the record and the outbox still land.
  const storage = {
    items: base.items,
    getItem: base.getItem,
    setItem: (key: string, value: string) => {
      if (state.full && key.endsWith('.session')) throw Object.assign(new Error('The quota has been exceeded'), { name: 'QuotaExceededError' });
      base.setItem(key, value);
    },
    removeItem: base.removeItem,
  };
  const app = accountApp(h, made, { storage, config: { revocationOutbox: { retryBaseMs: 600_000 } } });
  const username = newName();
  await app.account.signUp(signUpInput(username));
  await app.account.confirmSignUp({ username, confirmationCode: newestCode(made.userPoolId, username) });
  state.full = true;
  const before = h.emu.requests.length;
  await expect(app.account.autoSignIn()).rejects.toMatchObject({ name: 'StorageError' });
  await expect(app.auth.getSession()).resolves.toEqual({});
  expect(app.storage.items.has(recordKey(made.clientId))).toBe(false);
  const outbox = JSON.parse(base.items.get(`authchart.${made.clientId}.revocationOutbox`) ?? '{}') as { entries?: unknown[] };
  expect(outbox.entries).toHaveLength(1); // the refresh token, live at Cognito and stored nowhere else
  await expect(app.auth.flushRevocations()).resolves.toMatchObject({ revoked: 1, pending: 0 });
  expect(h.emu.requests.slice(before).map((r) => r.operation)).toEqual(['InitiateAuth', 'RevokeToken']);
  await app.stop();
});
