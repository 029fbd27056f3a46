// A passkey sign-in (issue 22): USER_AUTH's WEB_AUTHN challenge answered by the engine, inline, with
// createAuth's `webAuthn` (a software authenticator, support/softWebAuthn.ts, whose assertions the
// emulator verifies with @simplewebauthn/server), over HTTP against the emulator, over both
// transports: with preferredChallenge WEB_AUTHN, chosen from SELECT_CHALLENGE, a second WEB_AUTHN
// in a row (Amplify throws there), a ceremony that did not happen as its typed error with nothing
// sent after it, hostile assertions (tampered, replayed, another user's passkey) refused with
// nothing stored, and no challenge, assertion or token anywhere observable.
import { SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { AuthStateError, CognitoServiceError } from '../src/index';
import { accountHarness } from './support/accountEmulator';
import { accountApp, type AccountApp, type Transport } from './support/accountApp';
import { softWebAuthn, type SoftWebAuthn } from './support/softWebAuthn';
import { createFetchCognito } from '../services/cognito/fetchTransport';
import { fetchAccountWire } from '../services/cognito/accountWire';
import type { CognitoService } from '../services/cognito/types';

const h = accountHarness();
h.clock = Date.now();
const ORIGIN = 'http://localhost';
const FLOWS = ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

/** A pool allowing PASSWORD and WEB_AUTHN first, relying party localhost, and a user. */
async function pool() {
  const made = h.pool({ explicitAuthFlows: FLOWS, userPool: { AutoVerifiedAttributes: ['email'], Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } } });
  await h.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: made.userPoolId, WebAuthnConfiguration: { RelyingPartyId: 'localhost' } }));
  return made;
}

const apps: AccountApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.stop()));
});

/** An app whose authenticator is `key`, with a passkey registered for the user, signed out. */
async function withPasskey(made: Awaited<ReturnType<typeof pool>>, transport: Transport = 'fetch', key: SoftWebAuthn = softWebAuthn(ORIGIN)) {
  const app = accountApp(h, made, { transport, config: { now: () => h.clock, webAuthn: key }, account: { webAuthn: key } });
  apps.push(app);
  await app.auth.signIn({ username: made.username, password: made.password });
  await app.account.associateWebAuthnCredential();
  await app.auth.signOut();
  return { app, key };
}

const sentSince = (from: number) => h.emu.requests.slice(from).map((r) => r.operation);
const passkeyFirst = (username: string) => ({ username, options: { authFlowType: 'USER_AUTH' as const, preferredChallenge: 'WEB_AUTHN' as const } });

/** Everything secret: each request's challenge, each assertion's parts, and `tokens`. */
function secretsOf(key: SoftWebAuthn, tokens: readonly string[] = []): string[] {
  const proofs = key.answers.flatMap((answer) => Object.values(answer.response as Record<string, unknown>).filter((v): v is string => typeof v === 'string'));
  return [...key.seen.map((options) => String(options.challenge)), ...proofs, ...tokens, ...h.secrets];
}

describe.each<Transport>(['fetch', 'sdk'])('over %s', (transport) => {
  test('signIn with preferredChallenge WEB_AUTHN: the engine runs the authenticator and answers CREDENTIAL inline; signed in, with nothing secret observable', async () => {
    const made = await pool();
    const { app, key } = await withPasskey(made, transport);
    const mark = h.emu.requests.length;
    const result = await app.settle(app.auth.signIn(passkeyFirst(made.username)));
    expect(result).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(sentSince(mark)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
    expect(key.keys[0]!.counter).toBe(1);
    const { tokens } = await app.auth.getSession();
    expect(tokens?.accessToken).toEqual(expect.any(String));
    expect(app.leaked(secretsOf(key, [tokens!.accessToken, tokens!.idToken ?? '', tokens!.refreshToken ?? '']))).toEqual([]);
  });

  test('WEB_AUTHN chosen from SELECT_CHALLENGE: confirmSignIn({ challengeResponse: "WEB_AUTHN" }) signs in with the passkey', async () => {
    const made = await pool();
    const { app } = await withPasskey(made, transport);
    const choice = await app.auth.signIn({ username: made.username, options: { authFlowType: 'USER_AUTH' } });
    expect(choice).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION', availableChallenges: expect.arrayContaining(['WEB_AUTHN']) } });
    await expect(app.auth.confirmSignIn({ challengeResponse: 'WEB_AUTHN' })).resolves.toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  });
});

test('a second WEB_AUTHN in a row is answered the same way, not refused (Amplify throws there): two ceremonies, one sign-in', async () => {
  const made = await pool();
  const { key } = await withPasskey(made);
  // A Cognito that asks again: the first answer to WEB_AUTHN is met with a new WEB_AUTHN challenge (a fresh one, from InitiateAuth), as Cognito may.
  const real = createFetchCognito({ region: h.emu.region, endpoint: h.emu.endpoint, clientId: made.clientId });
  let askedAgain = false;
  const transport: CognitoService = {
    ...real,
    respondToAuthChallenge: async (name, session, responses, signal) => {
      if (name !== 'WEB_AUTHN' || askedAgain) return real.respondToAuthChallenge(name, session, responses, signal);
      askedAgain = true;
      return real.initiateAuth('USER_AUTH' as never, { USERNAME: made.username, PREFERRED_CHALLENGE: 'WEB_AUTHN' }, signal);
    },
  };
  const app = accountApp(h, made, { config: { transport, webAuthn: key }, account: { wire: fetchAccountWire({ region: h.emu.region, endpoint: h.emu.endpoint, clientId: made.clientId }) } });
  apps.push(app);
  const ceremonies = key.seen.length;
  await expect(app.auth.signIn(passkeyFirst(made.username))).resolves.toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  expect(askedAgain).toBe(true);
  expect(key.seen.length - ceremonies).toBe(2);
});

test('a ceremony that did not happen: PasskeyCancelled (an AuthStateError), nothing sent after InitiateAuth, nothing stored; a new signIn() starts over', async () => {
  const made = await pool();
  const { app, key } = await withPasskey(made);
  key.declineNext();
  const mark = h.emu.requests.length;
  const error = await app.settle(app.auth.signIn(passkeyFirst(made.username)));
  expect(error).toBeInstanceOf(AuthStateError);
  expect(error).toMatchObject({ name: 'PasskeyCancelled' });
  expect(sentSince(mark)).toEqual(['InitiateAuth']);
  expect(await app.auth.getSession()).toEqual({});
  await expect(app.auth.signIn(passkeyFirst(made.username))).resolves.toMatchObject({ isSignedIn: true });
});

test('a relying party that is not the page’s domain: PasskeyRelyingPartyNotThisOrigin; no passkey on the device: PasskeyCancelled', async () => {
  const made = await pool();
  await withPasskey(made);
  const elsewhere = accountApp(h, made, { config: { webAuthn: softWebAuthn('https://shop.example.org') } });
  apps.push(elsewhere);
  expect(await elsewhere.settle(elsewhere.auth.signIn(passkeyFirst(made.username)))).toMatchObject({ name: 'PasskeyRelyingPartyNotThisOrigin' });
  const empty = accountApp(h, made, { config: { webAuthn: softWebAuthn(ORIGIN) } });
  apps.push(empty);
  expect(await empty.settle(empty.auth.signIn(passkeyFirst(made.username)))).toMatchObject({ name: 'PasskeyCancelled' });
});

describe('hostile assertions are refused by name, and nothing is stored', () => {
  test('a tampered assertion (a bit of its signature flipped)', async () => {
    const made = await pool();
    const { app, key } = await withPasskey(made);
    const get = key.get.bind(key);
    key.get = async (options, how) => {
      const honest = await get(options, how);
      const response = honest.response as Record<string, string>;
      const signature = Buffer.from(response.signature!, 'base64url');
      signature[signature.length - 1]! ^= 1;
      return { ...honest, response: { ...response, signature: signature.toString('base64url') } };
    };
    const error = await app.settle(app.auth.signIn(passkeyFirst(made.username)));
    expect(error).toBeInstanceOf(CognitoServiceError);
    expect(error).toMatchObject({ name: 'NotAuthorizedException' });
    expect(await app.auth.getSession()).toEqual({});
  });

  test('a replayed assertion (one Cognito accepted before)', async () => {
    const made = await pool();
    const { app, key } = await withPasskey(made);
    await app.auth.signIn(passkeyFirst(made.username));
    await app.auth.signOut();
    const accepted = key.answers.at(-1)!;
    key.get = async () => accepted;
    expect(await app.settle(app.auth.signIn(passkeyFirst(made.username)))).toMatchObject({ name: 'NotAuthorizedException' });
    expect(await app.auth.getSession()).toEqual({});
  });

  test('another user’s passkey', async () => {
    const made = await pool();
    const alice = await withPasskey(made);
    h.emu.createUser({ userPoolId: made.userPoolId, username: 'bob', password: made.password, attributes: { email: 'bob@example.com', email_verified: 'true' } });
    const bob = await withPasskey({ ...made, username: 'bob' });
    // Bob's sign-in answered by Alice's authenticator: her passkey, for Bob's challenge.
    bob.key.get = (options, how) => alice.key.get({ ...options, allowCredentials: [] }, how);
    expect(await bob.app.settle(bob.app.auth.signIn(passkeyFirst('bob')))).toMatchObject({ name: 'NotAuthorizedException' });
    expect(await bob.app.auth.getSession()).toEqual({});
  });
});

describe('signInWithPasskeyAutofill({ username }): a conditional request that waits alongside the password form', () => {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
  /** Waits until the authenticator has a conditional request waiting. */
  async function waitingOn(key: SoftWebAuthn) {
    for (let i = 0; i < 100 && key.waiting === 0; i++) await settle();
    expect(key.waiting).toBe(1);
  }

  test('the user picks the passkey in the autofill: signed in with it (InitiateAuth first, the assertion after the pick)', async () => {
    const made = await pool();
    const { app, key } = await withPasskey(made);
    const mark = h.emu.requests.length;
    const autofill = app.auth.signInWithPasskeyAutofill({ username: made.username });
    await waitingOn(key);
    expect(sentSince(mark)).toEqual(['InitiateAuth']);
    key.pick();
    await expect(autofill).resolves.toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(sentSince(mark)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
    expect(app.leaked(secretsOf(key))).toEqual([]);
  });

  test('a password signIn() meanwhile cancels it cleanly: the ceremony aborted, nothing sent for it after, the autofill resolves cancelled (no rejection), the password signs in', async () => {
    const made = await pool();
    const { app, key } = await withPasskey(made);
    const autofill = app.auth.signInWithPasskeyAutofill({ username: made.username });
    await waitingOn(key);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    await expect(app.auth.signIn({ username: made.username, password: made.password })).resolves.toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    await expect(autofill).resolves.toEqual({ isSignedIn: false, autofill: 'cancelled' });
    expect(key.waiting).toBe(0);
    // The user picks the passkey too late: nothing is sent for it.
    const mark = h.emu.requests.length;
    key.pick();
    await settle();
    expect(sentSince(mark)).toEqual([]);
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
    expect((await app.auth.getSession()).username).toBe(made.username);
  });

  test('signOut() and another autofill cancel it too; where the authenticator cannot wait, it is unavailable', async () => {
    const made = await pool();
    const { app, key } = await withPasskey(made);
    const first = app.auth.signInWithPasskeyAutofill({ username: made.username });
    await waitingOn(key);
    const second = app.auth.signInWithPasskeyAutofill({ username: made.username });
    await expect(first).resolves.toEqual({ isSignedIn: false, autofill: 'cancelled' });
    await waitingOn(key);
    await expect(app.auth.signOut()).resolves.toMatchObject({ type: 'complete' });
    await expect(second).resolves.toEqual({ isSignedIn: false, autofill: 'cancelled' });
    expect(key.waiting).toBe(0);
    key.conditional = false;
    await expect(app.auth.signInWithPasskeyAutofill({ username: made.username })).resolves.toEqual({ isSignedIn: false, autofill: 'unavailable' });
    await expect(app.auth.signInWithPasskeyAutofill({ username: '' })).rejects.toMatchObject({ name: 'AuthValidationError', field: 'username' });
    await expect(app.auth.signInWithPasskeyAutofill({ username: made.username, password: 'x' } as never)).rejects.toMatchObject({ field: 'password' });
  });
});
