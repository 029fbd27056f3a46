// No token, password or client secret may reach the statechart: not its context, events,
// snapshots, persisted snapshots, emitted events or inspection stream, nor any error thrown.
// This runs sign-in and every sign-out branch with an inspector attached and searches all of it.
import type { InspectionEvent } from 'xstate';
import { createAuth, type Auth, type AuthConfig } from '../src/index';
import { createAuth as createFetchAuth } from '../src/fetch/index';
import { createAccount } from '../src/account/index';
import { SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { inspectableStorage, startHarness, type Harness } from './support/harness';
import { sdkClient } from './support/sdk';
import { totpCode, wrongCode } from './support/totp';
import { softWebAuthn } from './support/softWebAuthn';

let h: Harness;
beforeAll(async () => (h = await startHarness()));
afterAll(() => h.close());
afterEach(() => h.emu.faults.clear());

const scenarios: Array<[string, (emu: Harness['emu'], tokens: string[]) => void, { global: boolean }, boolean?]> = [
  ['local, complete', () => {}, { global: false }],
  ['global, complete', () => {}, { global: true }],
  ['global, GlobalSignOut refused', (emu) => emu.faults.set('GlobalSignOut', { type: 'error', name: 'NotAuthorizedException' }), { global: true }],
  ['global, offline', (emu) => emu.faults.set('*', { type: 'reset' }), { global: true }],
  ['local, server echoes every token in its error message', (emu, tokens) => emu.faults.set('RevokeToken', { type: 'error', name: 'InvalidParameterException', message: `bad token ${tokens.join(' ')}` }), { global: false }],
  ['global, server echoes every token in its error message', (emu, tokens) => emu.faults.set('*', { type: 'error', name: 'InternalErrorException', message: `failed for ${tokens.join(',')}` }), { global: true }],
  ['local, blackholed', (emu) => emu.faults.set('RevokeToken', { type: 'blackhole' }), { global: false }],
  ['local, no revocation on the client', () => {}, { global: false }, false],
];

test.each(scenarios)('%s: nothing secret in anything observable', async (_, fault, options, revocation = true) => {
  const setup = h.emu.setup({ generateSecret: true, enableTokenRevocation: revocation });
  const storage = inspectableStorage();
  const observed: unknown[] = [];
  const auth: Auth = createAuth({
    userPoolId: setup.userPoolId,
    userPoolClientId: setup.clientId,
    clientSecret: setup.clientSecret!,
    endpoint: h.emu.endpoint,
    storage,
    networkTimeoutMs: 300,
    inspect: (event: InspectionEvent) => observed.push(event),
  });
  auth.actor.on('*', (event) => observed.push(event));
  auth.actor.subscribe((snapshot) => observed.push(snapshot, auth.actor.getPersistedSnapshot()));

  await auth.signIn({ username: setup.username, password: setup.password });
  const tokens = Object.values(JSON.parse([...storage.items.values()][0]!)).filter((v): v is string => typeof v === 'string' && v.length > 20);
  expect(tokens).toHaveLength(3);
  observed.push(auth.actor.getPersistedSnapshot());

  // A wrong password attempt and a bad call, so that errors are observed too.
  const wrong = createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, clientSecret: setup.clientSecret!, endpoint: h.emu.endpoint, inspect: (e: InspectionEvent) => observed.push(e) });
  await wrong.signIn({ username: setup.username, password: 'Wr0ng-Password!' }).catch((error) => observed.push(error, String(error), error.stack));
  await wrong.stop();

  fault(h.emu, tokens);
  const result = await auth.signOut(options);
  observed.push(auth.actor.getPersistedSnapshot());
  if (result.type === 'partial') observed.push(result.globalSignOutError?.message, result.revokeTokenError?.message);
  await auth.stop();

  const text = JSON.stringify(observed, (_key, value) => (value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value));
  for (const secret of [...tokens, setup.password, 'Wr0ng-Password!', setup.clientSecret!]) {
    expect(text.includes(secret)).toBe(false);
  }
  expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/); // nothing shaped like a JWT at all
  expect(observed.length).toBeGreaterThan(20);
});

test('sign-in challenges and refreshes: no password, code or token in anything observable', async () => {
  const { userPoolId } = h.emu.createUserPool();
  const { clientId, clientSecret } = h.emu.createUserPoolClient({ userPoolId, generateSecret: true });
  h.emu.createUser({ userPoolId, username: 'leaky', password: 'Temp-Secret-Passw0rd!', permanent: false, mfa: 'SOFTWARE_TOKEN_MFA' });
  const { storage, observed, auth, catching } = watched({ userPoolId, clientId, ...(clientSecret !== undefined && { clientSecret }) });

  await catching(auth.signIn({ username: 'leaky', password: 'Temp-Secret-Passw0rd!' }));
  await catching(auth.confirmSignIn({ challengeResponse: 'New-Secret-Passw0rd!' }));
  const code = h.emu.mfaCode(userPoolId, 'leaky');
  await catching(auth.confirmSignIn({ challengeResponse: code === '000000' ? '111111' : '000000' }));
  await catching(auth.confirmSignIn({ challengeResponse: code }));
  const firstTokens = Object.values(JSON.parse([...storage.items.values()][0]!)).filter((v): v is string => typeof v === 'string' && v.length > 20);
  await catching(auth.getSession({ forceRefresh: true }).then(() => 'refreshed'));
  const refreshed = Object.values(JSON.parse([...storage.items.values()][0]!)).filter((v): v is string => typeof v === 'string' && v.length > 20);
  h.emu.faults.set('InitiateAuth', { type: 'error', name: 'NotAuthorizedException', message: `refresh token ${refreshed.join(' ')} revoked` });
  await catching(auth.getSession({ forceRefresh: true }).then(() => 'ended'));
  h.emu.faults.clear();
  expect(auth.actor.getSnapshot().value).toBe('signedOut');
  await auth.stop();

  const text = JSON.stringify(observed, (_key, value) => (value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value));
  for (const secret of ['Temp-Secret-Passw0rd!', 'New-Secret-Passw0rd!', clientSecret!, ...firstTokens, ...refreshed]) {
    expect(text.includes(secret)).toBe(false);
  }
  expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
  expect(text).toContain('awaitingChallengeAnswer'); // the run went where it should have
});

test('MFA_SETUP with TOTP during sign-in: the shared secret and the codes are in no context, event, snapshot, inspection or error; the secret is in the result only', async () => {
  const { userPoolId } = h.emu.createUserPool();
  const sdk = sdkClient(h.emu.endpoint);
  await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  sdk.destroy();
  const { clientId } = h.emu.createUserPoolClient({ userPoolId });
  h.emu.createUser({ userPoolId, username: 'setting-up', password: 'Setup-Secret-Passw0rd!' });
  const storage = inspectableStorage();
  const observed: unknown[] = [];
  const auth = createAuth({ userPoolId, userPoolClientId: clientId, endpoint: h.emu.endpoint, storage, durableChallenges: true, inspect: (e: InspectionEvent) => observed.push(e) });
  auth.actor.on('*', (event) => observed.push(event));
  auth.actor.subscribe((snapshot) => observed.push(snapshot, auth.actor.getPersistedSnapshot()));
  const catching = (promise: Promise<unknown>) => promise.then((value) => observed.push((value as { nextStep?: { signInStep?: string } }).nextStep?.signInStep), (error: Error) => observed.push(error, String(error), error.stack));

  const setup = await auth.signIn({ username: 'setting-up', password: 'Setup-Secret-Passw0rd!' });
  if (setup.nextStep.signInStep !== 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP') throw new Error(`expected the TOTP setup, got ${setup.nextStep.signInStep}`);
  const { sharedSecret } = setup.nextStep.totpSetupDetails;
  const wrong = wrongCode(sharedSecret, Date.now());
  await catching(auth.confirmSignIn({ challengeResponse: wrong }));
  await catching(auth.confirmSignIn({ mfaType: 'TOTP' })); // the wrong kind: refused, its error observed
  const code = totpCode(sharedSecret, Date.now());
  await catching(auth.confirmSignIn({ challengeResponse: code }));
  expect(auth.actor.getSnapshot().value).toEqual({ signedIn: 'active' });
  observed.push([...storage.items.values()].filter((value) => !value.includes('eyJ')));
  await auth.stop();

  const text = JSON.stringify(observed, (_key, value) => (value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value));
  for (const secret of ['Setup-Secret-Passw0rd!', sharedSecret]) expect(text.includes(secret)).toBe(false);
  for (const digits of [wrong, code]) expect(text).not.toMatch(new RegExp(`(?<![0-9])${digits}(?![0-9])`));
  expect(text).toContain('awaitingChallengeAnswer');
  expect(text).toContain('EnableSoftwareTokenMFAException'); // the wrong code was observed, without its digits
});

test("remembered devices: the device's password, its SRP verifier and salt, and the access token ConfirmDevice carries are in no context, event, snapshot, inspection, result or error, when ConfirmDevice fails and when it works", async () => {
  const { userPoolId } = h.emu.createUserPool('devices', { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true } });
  const { clientId } = h.emu.createUserPoolClient({ userPoolId });
  h.emu.createUser({ userPoolId, username: 'device-user', password: 'Device-Secret-Passw0rd!' });
  const bodies: string[] = [];
  const fetch = (url: string, init: RequestInit) => {
    if (String((init.headers as Record<string, string>)['x-amz-target']).endsWith('ConfirmDevice')) bodies.push(String(init.body));
    return globalThis.fetch(url, init);
  };
  const storage = inspectableStorage();
  const observed: unknown[] = [];
  const auth = createFetchAuth({ userPoolId, userPoolClientId: clientId, endpoint: h.emu.endpoint, storage, fetch, inspect: (e: InspectionEvent) => observed.push(e) });
  auth.actor.on('*', (event) => observed.push(event));
  auth.actor.subscribe((snapshot) => observed.push(snapshot, auth.actor.getPersistedSnapshot()));
  const signIn = () => auth.signIn({ username: 'device-user', password: 'Device-Secret-Passw0rd!' }).then((result) => observed.push(result), (error: Error) => observed.push(error, String(error), error.stack));
  // First a ConfirmDevice that fails: the deviceError holds nothing it was sent.
  h.emu.faults.set('ConfirmDevice', { type: 'error', name: 'InvalidParameterException' }, { times: 1 });
  await signIn();
  const echoed = JSON.parse(bodies[0]!) as { AccessToken: string; DeviceSecretVerifierConfig: { PasswordVerifier: string; Salt: string } };
  await auth.signOut();
  // Then one that works: the device's password is in its record only.
  await signIn();
  const confirmed = JSON.parse(bodies[1]!) as typeof echoed;
  const record = JSON.parse(storage.getItem(`authchart.${clientId}.device.device-user`)!) as { password: string };
  await auth.getSession({ forceRefresh: true });
  const tokens = (await auth.getSession()).tokens!;
  await auth.stop();
  const text = JSON.stringify(observed, (_key, value) => (value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value));
  expect(text).toContain('deviceError'); // the failed confirmation was observed
  for (const body of [echoed, confirmed]) for (const secret of [body.AccessToken, body.DeviceSecretVerifierConfig.PasswordVerifier, body.DeviceSecretVerifierConfig.Salt]) expect(text.includes(secret)).toBe(false);
  for (const secret of [record.password, 'Device-Secret-Passw0rd!', tokens.accessToken, tokens.refreshToken!]) expect(text.includes(secret)).toBe(false);
});

test("durableChallenges across instances: Cognito's challenge Session is in storage only, and the record holds no password", async () => {
  const { userPoolId } = h.emu.createUserPool();
  const { clientId } = h.emu.createUserPoolClient({ userPoolId });
  h.emu.createUser({ userPoolId, username: 'durable', password: 'Temp-Secret-Passw0rd!', permanent: false, mfa: 'SOFTWARE_TOKEN_MFA' });
  const storage = inspectableStorage();
  const key = `authchart.${clientId}.pendingChallenge`;
  const observed: unknown[] = [];
  const sessions = new Set<string>();
  const records: string[] = [];
  /** Each request's instance: a new createAuth() over the same storage, watched whole. */
  const instance = () => {
    const auth = createAuth({ userPoolId, userPoolClientId: clientId, endpoint: h.emu.endpoint, storage, durableChallenges: true, inspect: (e: InspectionEvent) => observed.push(e) });
    auth.actor.on('*', (event) => observed.push(event));
    auth.actor.subscribe((snapshot) => observed.push(snapshot, auth.actor.getPersistedSnapshot()));
    return auth;
  };
  const catching = (promise: Promise<unknown>) => promise.then((value) => observed.push(value), (error: Error) => observed.push(error, String(error), error.stack));
  const keepRecord = () => {
    const text = storage.items.get(key);
    if (text === undefined) return;
    records.push(text);
    sessions.add((JSON.parse(text) as { session: string }).session);
  };

  let auth = instance();
  await catching(auth.signIn({ username: 'durable', password: 'Temp-Secret-Passw0rd!' }));
  keepRecord();
  await auth.stop();
  auth = instance();
  await catching(auth.confirmSignIn({ challengeResponse: 'New-Secret-Passw0rd!' })); // then SOFTWARE_TOKEN_MFA, stored anew
  keepRecord();
  await auth.stop();
  const code = h.emu.mfaCode(userPoolId, 'durable');
  auth = instance();
  await catching(auth.confirmSignIn({ challengeResponse: code === '000000' ? '111111' : '000000' }));
  keepRecord();
  await auth.stop();
  auth = instance();
  await catching(auth.confirmSignIn({ challengeResponse: code }));
  expect(auth.actor.getSnapshot().value).toEqual({ signedIn: 'active' });
  await auth.stop();

  expect(sessions.size).toBe(2); // the NEW_PASSWORD_REQUIRED one, then the SOFTWARE_TOKEN_MFA one (kept after the wrong code)
  for (const text of records) {
    expect(text).not.toContain('Passw0rd');
  }
  const text = JSON.stringify(observed, (_key, value) => (value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value));
  for (const secret of ['Temp-Secret-Passw0rd!', 'New-Secret-Passw0rd!', ...sessions]) {
    expect(text.includes(secret)).toBe(false);
  }
  expect(text).toContain('awaitingChallengeAnswer');
});

test('a server that echoes the request: a 7-character password with " and \\ is in no error, snapshot or inspection event, in any form', async () => {
  const { userPoolId, clientId } = h.emu.setup();
  const password = 'a"b\\c1Z'; // 7 characters: Cognito allows 6
  h.emu.createUser({ userPoolId, username: 'echoed', password });
  // The server echoes the password raw, JSON-escaped, URL-encoded and form-encoded.
  const forms = [password, JSON.stringify(password).slice(1, -1), encodeURIComponent(password), new URLSearchParams({ p: password }).toString().slice(2)];
  h.emu.faults.set('InitiateAuth', { type: 'error', name: 'InvalidParameterException', message: `bad request ${forms.join(' ')}` });
  const inspected: InspectionEvent[] = [];
  const auth = createAuth({ userPoolId, userPoolClientId: clientId, endpoint: h.emu.endpoint, storage: inspectableStorage(), inspect: (event) => void inspected.push(event) });
  try {
    const error = (await auth.signIn({ username: 'echoed', password, authFlow: 'USER_PASSWORD_AUTH' }).catch((caught: unknown) => caught)) as Error;
    expect(error).toMatchObject({ name: 'InvalidParameterException' });
    const observable = JSON.stringify([error.message, String(error.stack), auth.actor.getSnapshot().context, auth.actor.getPersistedSnapshot(), inspected.map((event) => ({ type: event.type, event: (event as { event?: unknown }).event, snapshot: (event as { snapshot?: unknown }).snapshot }))]);
    for (const form of forms) expect(observable).not.toContain(form);
    expect(observable).toContain('bad request'); // the prose is kept
  } finally {
    await auth.stop();
  }
});

/** A createAuth over `setup` (its client secret, the emulator, a fresh storage) whose every inspection event, emitted event and snapshot is kept in `observed`; `catching` keeps a call's result or error there too. */
function watched(setup: { userPoolId: string; clientId: string; clientSecret?: string }, more: Partial<AuthConfig> = {}) {
  const storage = inspectableStorage();
  const observed: unknown[] = [];
  const auth = createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, clientSecret: setup.clientSecret!, endpoint: h.emu.endpoint, storage, inspect: (e: InspectionEvent) => observed.push(e), ...more });
  auth.actor.on('*', (event) => observed.push(event));
  auth.actor.subscribe((snapshot) => observed.push(snapshot, auth.actor.getPersistedSnapshot()));
  const catching = (promise: Promise<unknown>) => promise.then((value) => observed.push(value), (error: Error) => observed.push(error, String(error), error.stack));
  return { storage, observed, auth, catching };
}

test('the account flows (authchart/account), every one on one watched instance: no password, code, Session, TOTP secret or token in anything observable', async () => {
  const setup = h.emu.setup({ generateSecret: true, username: 'leaky-owner', userPool: { AutoVerifiedAttributes: ['email'] }, explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH'] });
  const admin = sdkClient(h.emu.endpoint);
  await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: setup.userPoolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  admin.destroy();
  const { storage, observed, auth, catching } = watched(setup);
  const account = createAccount(auth);
  const secrets = new Set<string>([setup.clientSecret!]);
  const keep = (...values: string[]) => values.forEach((value) => secrets.add(value));
  const newest = (purpose: 'signUp' | 'resetPassword' | 'attribute') => h.emu.inbox('leaky', { userPoolId: setup.userPoolId }).filter((m) => m.purpose === purpose).at(-1)!.code;
  const wrong = (code: string) => (code === '000000' ? '111111' : '000000');
  const tokensNow = () => Object.values(JSON.parse(storage.items.get(`authchart.${setup.clientId}.session`) ?? '{}')).filter((v): v is string => typeof v === 'string' && v.length > 20);

  // Sign-up and its auto sign-in: the password, the codes, ConfirmSignUp's Session.
  keep('Sign-up-Secret-1!', 'Reset-Secret-2!', 'Changed-Secret-3!');
  await catching(account.signUp({ username: 'leaky', password: 'Sign-up-Secret-1!', options: { userAttributes: { email: 'leaky@example.com' }, autoSignIn: true } }));
  const signUpCode = newest('signUp');
  keep(signUpCode);
  await catching(account.confirmSignUp({ username: 'leaky', confirmationCode: wrong(signUpCode) }));
  await catching(account.confirmSignUp({ username: 'leaky', confirmationCode: signUpCode }));
  const record = storage.items.get(`authchart.${setup.clientId}.autoSignIn`);
  expect(record).toBeDefined();
  const { session } = JSON.parse(record!) as { session: string };
  keep(session);
  expect(record).not.toContain('Sign-up-Secret-1!');
  await catching(account.autoSignIn());
  keep(...tokensNow());

  // A reset with a wrong code, then the right one; a password change that signs the other sessions out and in again.
  await catching(account.resetPassword({ username: 'leaky' }));
  const resetCode = newest('resetPassword');
  keep(resetCode);
  await catching(account.confirmResetPassword({ username: 'leaky', confirmationCode: wrong(resetCode), newPassword: 'Reset-Secret-2!' }));
  await catching(account.confirmResetPassword({ username: 'leaky', confirmationCode: resetCode, newPassword: 'Reset-Secret-2!' }));
  await catching(account.updatePassword({ oldPassword: 'Reset-Secret-2!', newPassword: 'Changed-Secret-3!', signOutOtherSessions: true }));
  keep(...tokensNow());

  // An email change confirmed with its code.
  await catching(account.updateUserAttributes({ userAttributes: { email: 'leaky-new@example.com' } }));
  const attributeCode = newest('attribute');
  keep(attributeCode);
  await catching(account.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: wrong(attributeCode) }));
  await catching(account.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: attributeCode }));

  // A TOTP setup: the shared secret and its codes.
  let sharedSecret = '';
  await account.setUpTotp().then((details) => {
    sharedSecret = details.sharedSecret;
    observed.push(details.getSetupUri('Leaky').protocol); // the result itself is the app's, and holds the secret by design
  });
  expect(sharedSecret).not.toBe('');
  keep(sharedSecret);
  const totp = totpCode(sharedSecret, Date.now());
  keep(totp);
  await catching(account.verifyTotpSetup({ code: wrongCode(sharedSecret, Date.now()) }));
  await catching(account.verifyTotpSetup({ code: totp }));
  keep(...tokensNow());

  // The account deleted.
  await catching(account.deleteUser());
  await auth.stop();

  expect(JSON.stringify(observed)).toContain('autoSigningIn'); // the run went where it should have
  const text = JSON.stringify(observed, (_key, value) => (value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value));
  expect([...secrets].filter((secret) => text.includes(secret))).toEqual([]);
  expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
  expect(secrets.size).toBeGreaterThan(10);
});

test('passkeys (registration, sign-in, autofill): no WebAuthn challenge, credential, token or password in anything observable, whatever the ceremony or Cognito answers', async () => {
  const setup = h.emu.setup({ generateSecret: true, explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH'], userPool: { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } } });
  const admin = sdkClient(h.emu.endpoint);
  await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: setup.userPoolId, WebAuthnConfiguration: { RelyingPartyId: 'localhost' } }));
  admin.destroy();
  const clients: Array<ReturnType<typeof softWebAuthn>> = [];
  const device = () => (clients.push(softWebAuthn('http://localhost')), clients.at(-1)!);
  const key = device();
  const { storage, observed, auth, catching } = watched(setup, { webAuthn: key });
  const account = createAccount(auth, { webAuthn: key });
  await auth.signIn({ username: setup.username, password: setup.password });
  const tokens = Object.values(JSON.parse([...storage.items.values()][0]!)).filter((v): v is string => typeof v === 'string' && v.length > 20);

  await catching(account.associateWebAuthnCredential());
  key.declineNext();
  await catching(account.associateWebAuthnCredential());
  await catching(createAccount(auth, { webAuthn: device() }).associateWebAuthnCredential({ maxSignInAgeSeconds: 3600 }));
  // A hostile authenticator answering with the first, accepted credential: refused, with the credential in the request only.
  const accepted = key.answers[0]!;
  const hostile = device();
  hostile.hostile = () => accepted;
  await catching(createAccount(auth, { webAuthn: hostile }).associateWebAuthnCredential());
  // A Cognito that echoes the token in its error message.
  h.emu.faults.set('StartWebAuthnRegistration', { type: 'error', name: 'InternalErrorException', message: `failed for ${tokens.join(' ')}` });
  await catching(createAccount(auth, { webAuthn: device() }).associateWebAuthnCredential());
  h.emu.faults.clear();
  await catching(account.listWebAuthnCredentials());
  // Passkey sign-ins: inline, declined, and autofill picked (the request options and assertions through the vault only).
  await catching(auth.signOut());
  await catching(auth.signIn({ username: setup.username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' } }));
  tokens.push(...Object.values(JSON.parse([...storage.items.values()].find((v) => v.includes('accessToken')) ?? '{}')).filter((v): v is string => typeof v === 'string' && v.length > 20));
  await catching(auth.signOut());
  key.declineNext();
  await catching(auth.signIn({ username: setup.username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' } }));
  const autofill = catching(auth.signInWithPasskeyAutofill({ username: setup.username }));
  for (let i = 0; i < 100 && key.waiting === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  key.pick();
  await autofill;
  tokens.push(...Object.values(JSON.parse([...storage.items.values()].find((v) => v.includes('accessToken')) ?? '{}')).filter((v): v is string => typeof v === 'string' && v.length > 20));
  await catching(account.deleteWebAuthnCredential({ credentialId: key.keys[0]!.id }));
  await auth.stop();

  const challenges = clients.flatMap((c) => c.seen).map((options) => String(options.challenge));
  const proofs = clients.flatMap((c) => c.answers).flatMap((answer) => Object.values(answer.response as Record<string, unknown>).filter((v): v is string => typeof v === 'string'));
  expect(challenges.length).toBeGreaterThanOrEqual(3);
  expect(proofs.length).toBeGreaterThanOrEqual(4);
  const text = JSON.stringify(observed, (_key, value) => (value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value));
  expect(text).toContain('PasskeyCancelled'); // the run went where it should have
  expect(text).toContain('awaitingChallengeAnswer');
  expect(tokens.length).toBeGreaterThanOrEqual(6);
  expect(text).toContain('WebAuthnChallengeNotFoundException');
  expect([...challenges, ...proofs, ...tokens, setup.password, setup.clientSecret!].filter((secret) => text.includes(secret))).toEqual([]);
  expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
});
