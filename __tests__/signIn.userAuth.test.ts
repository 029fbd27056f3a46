// Choice-based sign-in (issue 22): signIn({ options: { authFlowType: 'USER_AUTH', preferredChallenge } })
// through createAuth, over HTTP against the emulator, over both transports. A preferred factor
// (EMAIL_OTP, SMS_OTP; PASSWORD and PASSWORD_SRP in one step with the password), SELECT_CHALLENGE
// and each first factor chosen from it (the password ones through CONFIRM_SIGN_IN_WITH_PASSWORD,
// with nothing sent at the choice), wrong codes keeping the step open, answers of the wrong kind and
// factors not offered refused with nothing sent, each step's deadline on the library's clock, MFA
// after a USER_AUTH password, and a client without ALLOW_USER_AUTH. Codes come from the emulator's
// inbox (purpose 'signIn'); none of them, nor a password or a Session, is observable.
import { AuthValidationError, CognitoServiceError, type SignInResult } from '../src/index';
import type { SetupOptions } from '../src/testing/index';
import { createTestAuth } from '../src/testing/index';
import { accountHarness, type AccountHarness } from './support/accountEmulator';
import { accountApp, type AccountApp, type Transport } from './support/accountApp';

const h = accountHarness();
const FLOWS = ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const PHONE = '+15555551234';

/** A pool, its client and a user, as h.pool() makes them. */
type Who = ReturnType<AccountHarness['pool']>;

/** A pool allowing PASSWORD, EMAIL_OTP and SMS_OTP first, a USER_AUTH client, and a user with a verified email and a verified phone number. */
function pool(options: SetupOptions = {}): Who {
  const made = h.pool({ explicitAuthFlows: FLOWS, ...options, userPool: { AutoVerifiedAttributes: ['email'], ...options.userPool, Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'] } } } });
  const username = `${made.username}-phone`;
  h.emu.createUser({ userPoolId: made.userPoolId, username, password: made.password, attributes: { email: `${username}@example.com`, email_verified: 'true', phone_number: PHONE } });
  return { ...made, username };
}

const apps: AccountApp[] = [];
function appFor(s: Who, transport: Transport): AccountApp {
  const app = accountApp(h, s, { transport, config: { now: () => h.clock } });
  apps.push(app);
  return app;
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.stop()));
});

const state = (app: AccountApp) => app.auth.actor.getSnapshot().value;
const operationsSince = (from: number) => h.emu.requests.slice(from).map((r) => r.operation);
const step = (result: SignInResult | Error) => ('nextStep' in result ? result.nextStep.signInStep : result.name);
const signInCode = (s: Who) => h.newestCode(s.userPoolId, s.username, 'signIn');
const otherCode = (code: string) => String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
const USER_AUTH = { authFlowType: 'USER_AUTH' } as const;

/** Each answer is refused with AuthValidationError naming `field`, nothing is sent, and the challenge stays open. */
async function refusedWithNothingSent(app: AccountApp, answers: Array<[Record<string, unknown>, string]>) {
  const from = h.emu.requests.length;
  for (const [answer, field] of answers) {
    const error = await app.settle(app.auth.confirmSignIn(answer as never));
    expect(error).toBeInstanceOf(AuthValidationError);
    expect(error).toMatchObject({ name: 'AuthValidationError', field });
    expect(state(app)).toBe('awaitingChallengeAnswer');
  }
  expect(operationsSince(from)).toEqual([]);
}

/** Signed in: DONE, and getSession() holds the tokens. */
async function signedIn(app: AccountApp, result: SignInResult | Error) {
  expect(result).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  expect((await app.auth.getSession()).tokens?.accessToken).toEqual(expect.any(String));
  expect(state(app)).toEqual({ signedIn: 'active' });
}

describe.each<Transport>(['fetch', 'sdk'])('USER_AUTH over %s', (transport) => {
  test('preferred EMAIL_OTP: CONFIRM_SIGN_IN_WITH_EMAIL_CODE; a wrong code keeps it open (CodeMismatchException), the right one signs in', async () => {
    const s = pool();
    const app = appFor(s, transport);
    const from = h.emu.requests.length;
    const first = await app.settle(app.auth.signIn({ username: s.username, options: { ...USER_AUTH, preferredChallenge: 'EMAIL_OTP' } }));
    expect(first).toEqual({
      isSignedIn: false,
      nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: expect.stringContaining('@') } },
    });
    expect(operationsSince(from)).toEqual(['InitiateAuth']);
    const code = signInCode(s);
    const wrong = await app.settle(app.auth.confirmSignIn({ challengeResponse: otherCode(code) }));
    expect(wrong).toBeInstanceOf(CognitoServiceError);
    expect(wrong).toMatchObject({ name: 'CodeMismatchException' });
    expect(state(app)).toBe('awaitingChallengeAnswer');
    await refusedWithNothingSent(app, [
      [{ mfaType: 'EMAIL' }, 'mfaType'],
      [{ email: 'a@example.com' }, 'email'],
    ]);
    await signedIn(app, await app.settle(app.auth.confirmSignIn({ challengeResponse: code })));
    expect(app.leaked([...h.secrets, otherCode(code)])).toEqual([]);
  });

  test('preferred SMS_OTP: CONFIRM_SIGN_IN_WITH_SMS_CODE with the masked number, and the texted code signs in', async () => {
    const s = pool();
    const app = appFor(s, transport);
    const first = await app.settle(app.auth.signIn({ username: s.username, options: { ...USER_AUTH, preferredChallenge: 'SMS_OTP' } }));
    expect(first).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDeliveryDetails: { deliveryMedium: 'SMS', destination: expect.stringMatching(/1234$/) } } });
    const wrong = await app.settle(app.auth.confirmSignIn({ challengeResponse: otherCode(signInCode(s)) }));
    expect(wrong).toMatchObject({ name: 'CodeMismatchException' });
    expect(state(app)).toBe('awaitingChallengeAnswer');
    await signedIn(app, await app.settle(app.auth.confirmSignIn({ challengeResponse: signInCode(s) })));
  });

  test('preferred PASSWORD with the password: one step, one InitiateAuth', async () => {
    const s = pool();
    const app = appFor(s, transport);
    const from = h.emu.requests.length;
    await signedIn(app, await app.settle(app.auth.signIn({ username: s.username, password: s.password, options: { ...USER_AUTH, preferredChallenge: 'PASSWORD' } })));
    expect(operationsSince(from)).toEqual(['InitiateAuth']);
  });

  test('preferred PASSWORD_SRP with the password: one step, the PASSWORD_VERIFIER answered by the engine', async () => {
    const s = pool();
    const app = appFor(s, transport);
    const from = h.emu.requests.length;
    await signedIn(app, await app.settle(app.auth.signIn({ username: s.username, password: s.password, options: { ...USER_AUTH, preferredChallenge: 'PASSWORD_SRP' } })));
    expect(operationsSince(from)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
  });

  test('a wrong password with preferred PASSWORD: NotAuthorizedException, nobody signed in', async () => {
    const s = pool();
    const app = appFor(s, transport);
    const error = await app.settle(app.auth.signIn({ username: s.username, password: 'Not-the-passw0rd!', options: { ...USER_AUTH, preferredChallenge: 'PASSWORD' } }));
    expect(error).toMatchObject({ name: 'NotAuthorizedException' });
    expect(state(app)).toBe('signedOut');
  });

  describe('without a preferred factor: SELECT_CHALLENGE, CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION', () => {
    async function selecting(s: Who) {
      const app = appFor(s, transport);
      const result = await app.settle(app.auth.signIn({ username: s.username, options: USER_AUTH }));
      expect(result).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION', availableChallenges: ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP'] } });
      return app;
    }

    test('EMAIL_OTP chosen: its step follows, and the code signs in', async () => {
      const s = pool();
      const app = await selecting(s);
      const from = h.emu.requests.length;
      const chosen = await app.settle(app.auth.confirmSignIn({ challengeResponse: 'EMAIL_OTP' }));
      expect(step(chosen)).toBe('CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
      expect(operationsSince(from)).toEqual(['RespondToAuthChallenge']);
      await signedIn(app, await app.settle(app.auth.confirmSignIn({ challengeResponse: signInCode(s) })));
    });

    test('SMS_OTP chosen: its step follows, and the code signs in', async () => {
      const s = pool();
      const app = await selecting(s);
      const chosen = await app.settle(app.auth.confirmSignIn({ challengeResponse: 'SMS_OTP' }));
      expect(chosen).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDeliveryDetails: { deliveryMedium: 'SMS', destination: expect.any(String) } } });
      await signedIn(app, await app.settle(app.auth.confirmSignIn({ challengeResponse: signInCode(s) })));
    });

    test.each(['PASSWORD', 'PASSWORD_SRP'] as const)('%s chosen: CONFIRM_SIGN_IN_WITH_PASSWORD with nothing sent, then the password signs in', async (factor) => {
      const s = pool();
      const app = await selecting(s);
      const from = h.emu.requests.length;
      const chosen = await app.settle(app.auth.confirmSignIn({ challengeResponse: factor }));
      expect(chosen).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_PASSWORD' } });
      expect(operationsSince(from)).toEqual([]);
      expect(state(app)).toBe('awaitingChallengeAnswer');
      await refusedWithNothingSent(app, [[{ mfaType: 'TOTP' }, 'mfaType']]);
      await signedIn(app, await app.settle(app.auth.confirmSignIn({ challengeResponse: s.password })));
      expect(operationsSince(from)).toEqual(factor === 'PASSWORD' ? ['RespondToAuthChallenge'] : ['RespondToAuthChallenge', 'RespondToAuthChallenge']);
      expect(app.leaked(h.secrets)).toEqual([]);
    });

    test('a wrong password after choosing PASSWORD ends the sign-in (the choice used the Session up)', async () => {
      const s = pool();
      const app = await selecting(s);
      await app.settle(app.auth.confirmSignIn({ challengeResponse: 'PASSWORD' }));
      const error = await app.settle(app.auth.confirmSignIn({ challengeResponse: 'Not-the-passw0rd!' }));
      expect(error).toMatchObject({ name: 'NotAuthorizedException' });
      expect(state(app)).toBe('signedOut');
    });

    test('a factor not offered, or an answer in another field, is refused with nothing sent, and the choice stays open', async () => {
      const s = pool();
      const app = await selecting(s);
      await refusedWithNothingSent(app, [
        [{ challengeResponse: 'WEB_AUTHN' }, 'challengeResponse'],
        [{ challengeResponse: 'email_otp' }, 'challengeResponse'],
        [{ challengeResponse: '123456' }, 'challengeResponse'],
        [{ mfaType: 'EMAIL' }, 'mfaType'],
        [{ firstFactor: 'EMAIL_OTP' }, 'firstFactor'],
        [{ challengeResponse: 'EMAIL_OTP', mfaType: 'EMAIL' }, 'mfaType'],
      ]);
      expect(step(await app.settle(app.auth.confirmSignIn({ challengeResponse: 'EMAIL_OTP' })))).toBe('CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    });

    test('past the deadline (AuthSessionValidity after the step began, on the library clock): SignInSessionExpired, nothing sent; the password stage keeps the choice’s deadline', async () => {
      const s = pool();
      const app = await selecting(s);
      h.clock += 3 * 60_000;
      let from = h.emu.requests.length;
      expect(await app.settle(app.auth.confirmSignIn({ challengeResponse: 'EMAIL_OTP' }))).toMatchObject({ name: 'SignInSessionExpired' });
      expect(operationsSince(from)).toEqual([]);
      expect(state(app)).toBe('signedOut');

      const again = await selecting(s);
      h.clock += 2 * 60_000;
      expect(step(await again.settle(again.auth.confirmSignIn({ challengeResponse: 'PASSWORD' })))).toBe('CONFIRM_SIGN_IN_WITH_PASSWORD');
      h.clock += 60_000;
      from = h.emu.requests.length;
      expect(await again.settle(again.auth.confirmSignIn({ challengeResponse: s.password }))).toMatchObject({ name: 'SignInSessionExpired' });
      expect(operationsSince(from)).toEqual([]);
    });

    test('signOut() during the choice cancels it; a second signIn() starts over', async () => {
      const s = pool();
      const app = await selecting(s);
      await expect(app.auth.signOut()).resolves.toMatchObject({ type: 'complete' });
      expect(await app.settle(app.auth.confirmSignIn({ challengeResponse: 'EMAIL_OTP' }))).toMatchObject({ name: 'NoPendingChallengeException' });
      await app.settle(app.auth.signIn({ username: s.username, options: USER_AUTH }));
      await signedIn(app, await app.settle(app.auth.signIn({ username: s.username, password: s.password, options: { ...USER_AUTH, preferredChallenge: 'PASSWORD_SRP' } })));
    });
  });

  test('a first factor the code step expired: an expired EMAIL_OTP step is refused with nothing sent', async () => {
    const s = pool();
    const app = appFor(s, transport);
    await app.settle(app.auth.signIn({ username: s.username, options: { ...USER_AUTH, preferredChallenge: 'EMAIL_OTP' } }));
    const code = signInCode(s);
    h.clock += 3 * 60_000;
    const from = h.emu.requests.length;
    expect(await app.settle(app.auth.confirmSignIn({ challengeResponse: code }))).toMatchObject({ name: 'SignInSessionExpired' });
    expect(operationsSince(from)).toEqual([]);
  });

  test('a USER_AUTH password, then the user’s TOTP MFA: CONFIRM_SIGN_IN_WITH_TOTP_CODE, as after any password', async () => {
    const s = pool({ mfa: 'SOFTWARE_TOKEN_MFA' });
    const user = { ...s, username: s.username.replace(/-phone$/, '') };
    const app = appFor(user, transport);
    const result = await app.settle(app.auth.signIn({ username: user.username, password: user.password, options: { ...USER_AUTH, preferredChallenge: 'PASSWORD' } }));
    expect(result).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    await signedIn(app, await app.settle(app.auth.confirmSignIn({ challengeResponse: h.emu.mfaCode(user.userPoolId, user.username) })));
  });

  test('a client without ALLOW_USER_AUTH: Cognito’s InvalidParameterException, as sent', async () => {
    const s = pool({ explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    const app = appFor(s, transport);
    const error = await app.settle(app.auth.signIn({ username: s.username, options: { ...USER_AUTH, preferredChallenge: 'EMAIL_OTP' } }));
    expect(error).toBeInstanceOf(CognitoServiceError);
    expect(error).toMatchObject({ name: 'InvalidParameterException' });
    expect(state(app)).toBe('signedOut');
  });

  test('preferred WEB_AUTHN for a user without a passkey: Cognito offers the choice instead', async () => {
    const s = pool();
    const app = appFor(s, transport);
    expect(step(await app.settle(app.auth.signIn({ username: s.username, options: { ...USER_AUTH, preferredChallenge: 'WEB_AUTHN' } })))).toBe('CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
  });

  // Cognito's WEB_AUTHN (here a user with a passkey as Cognito would answer: the emulator's answer
  // replaced once) is answered by the engine with the authenticator (signIn.passkey.test.ts); in Node
  // without createAuth's `webAuthn` there is none, and the sign-in says so with nothing sent after it.
  test('a WEB_AUTHN challenge without an authenticator (Node, no webAuthn): PasskeyNotSupported, nothing sent after InitiateAuth and nothing stored', async () => {
    const s = pool();
    const app = appFor(s, transport);
    const webAuthn = { ChallengeName: 'WEB_AUTHN', Session: 'web-authn-session-secret', ChallengeParameters: { CREDENTIAL_REQUEST_OPTIONS: '{"challenge":"web-authn-challenge-secret","rpId":"localhost"}' } };
    h.emu.faults.set('InitiateAuth', { type: 'httpStatus', status: 200, body: JSON.stringify(webAuthn) }, { times: 1 });
    const mark = h.emu.requests.length;
    const error = await app.settle(app.auth.signIn({ username: s.username, options: { ...USER_AUTH, preferredChallenge: 'WEB_AUTHN' } }));
    h.emu.faults.clear();
    expect(error).toMatchObject({ name: 'PasskeyNotSupported' });
    expect(h.emu.requests.slice(mark).map((r) => r.operation)).toEqual(['InitiateAuth']);
    expect(await app.auth.getSession()).toEqual({});
    expect([...app.storage.items.keys()].filter((key) => !key.endsWith('.outbox'))).toEqual([]);
    expect(app.leaked(['web-authn-session-secret', 'web-authn-challenge-secret'])).toEqual([]);
  });

  test('a client with a secret: SECRET_HASH goes with USER_AUTH and with the choice', async () => {
    const s = pool({ generateSecret: true });
    const app = appFor(s, transport);
    await app.settle(app.auth.signIn({ username: s.username, options: USER_AUTH }));
    expect(step(await app.settle(app.auth.confirmSignIn({ challengeResponse: 'PASSWORD_SRP' })))).toBe('CONFIRM_SIGN_IN_WITH_PASSWORD');
    await signedIn(app, await app.settle(app.auth.confirmSignIn({ challengeResponse: s.password })));
  });
});

describe('durableChallenges: each USER_AUTH step is stored, and answered by another instance over the same storage', () => {
  test.each<Transport>(['fetch', 'sdk'])('over %s: SELECT_CHALLENGE, then PASSWORD_SRP chosen, then the password; and SELECT_CHALLENGE, then EMAIL_OTP, a wrong code, the code: no code, password or Session observable', async (transport) => {
    const s = pool();
    const observed: unknown[] = [];
    const first = accountApp(h, s, { transport, observed, config: { now: () => h.clock, durableChallenges: true } });
    apps.push(first);
    const key = `authchart.${s.clientId}.pendingChallenge`;
    const sessions: string[] = [];
    const record = () => {
      const text = first.storage.items.get(key);
      expect(text).toEqual(expect.any(String));
      expect(text).not.toContain(s.password);
      const stored = JSON.parse(text!) as { session: string; firstFactor?: string; availableChallenges?: string[] };
      sessions.push(stored.session);
      return stored;
    };
    /** A new instance over the same storage, as a server's next request: the stored challenge waits there. */
    const next = () => {
      const app = first.reload();
      apps.push(app);
      return app;
    };

    expect(step(await first.settle(first.auth.signIn({ username: s.username, options: USER_AUTH })))).toBe('CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
    expect(record()).toMatchObject({ name: 'SELECT_CHALLENGE', authFlow: 'USER_AUTH', availableChallenges: ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP'] });
    let app = next();
    await app.settle(app.auth.getSession());
    expect(step(await app.settle(app.auth.confirmSignIn({ challengeResponse: 'PASSWORD_SRP' })))).toBe('CONFIRM_SIGN_IN_WITH_PASSWORD');
    expect(record()).toMatchObject({ name: 'SELECT_CHALLENGE', firstFactor: 'PASSWORD_SRP' });
    app = next();
    await app.settle(app.auth.getSession());
    await signedIn(app, await app.settle(app.auth.confirmSignIn({ challengeResponse: s.password })));
    expect(first.storage.items.get(key)).toBeUndefined();
    await app.settle(app.auth.signOut());

    expect(step(await app.settle(app.auth.signIn({ username: s.username, options: USER_AUTH })))).toBe('CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
    record();
    app = next();
    await app.settle(app.auth.getSession());
    expect(step(await app.settle(app.auth.confirmSignIn({ challengeResponse: 'EMAIL_OTP' })))).toBe('CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    expect(record()).toMatchObject({ name: 'EMAIL_OTP', authFlow: 'USER_AUTH' });
    const code = signInCode(s);
    app = next();
    await app.settle(app.auth.getSession());
    expect(await app.settle(app.auth.confirmSignIn({ challengeResponse: otherCode(code) }))).toMatchObject({ name: 'CodeMismatchException' });
    app = next();
    await app.settle(app.auth.getSession());
    await signedIn(app, await app.settle(app.auth.confirmSignIn({ challengeResponse: code })));
    const { tokens } = await app.auth.getSession();

    expect(sessions).toHaveLength(4);
    expect(new Set(sessions).size).toBe(3); // the first choice's Session, kept when PASSWORD_SRP is chosen (nothing is sent); the second choice's; EMAIL_OTP's
    expect(first.leaked([s.password, code, otherCode(code), ...sessions, tokens!.accessToken, tokens!.refreshToken!])).toEqual([]);
  });
});

describe('signIn() with USER_AUTH: bad arguments are AuthValidationError naming the field, and nothing is sent', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['PASSWORD without a password', { options: { ...USER_AUTH, preferredChallenge: 'PASSWORD' } }, 'password'],
    ['PASSWORD_SRP without a password', { options: { ...USER_AUTH, preferredChallenge: 'PASSWORD_SRP' } }, 'password'],
    ['a password with EMAIL_OTP', { password: 'Passw0rd!', options: { ...USER_AUTH, preferredChallenge: 'EMAIL_OTP' } }, 'password'],
    ['a password with no preferred factor', { password: 'Passw0rd!', options: USER_AUTH }, 'password'],
    ['an unknown factor', { options: { ...USER_AUTH, preferredChallenge: 'MAGIC_LINK' } }, 'options.preferredChallenge'],
    ['a factor that is not a string', { options: { ...USER_AUTH, preferredChallenge: ['PASSWORD'] } }, 'options.preferredChallenge'],
    ['a preferred factor without USER_AUTH', { password: 'Passw0rd!', options: { preferredChallenge: 'PASSWORD' } }, 'options.preferredChallenge'],
    ['an unknown flow', { password: 'Passw0rd!', options: { authFlowType: 'CUSTOM_AUTH' } }, 'authFlow'],
    ['options that are not an object', { password: 'Passw0rd!', options: 'USER_AUTH' }, 'options'],
  ])('%s', async (_, given, field) => {
    const s = pool();
    const app = appFor(s, 'fetch');
    const from = h.emu.requests.length;
    const error = await app.settle(app.auth.signIn({ username: s.username, ...given } as never));
    expect(error).toBeInstanceOf(AuthValidationError);
    expect(error).toMatchObject({ field });
    expect(operationsSince(from)).toEqual([]);
    expect(app.leaked(['Passw0rd!'])).toEqual([]);
  });

  test("Amplify's authFlowType names the other flows too: USER_PASSWORD_AUTH signs in with one InitiateAuth", async () => {
    const s = pool({ explicitAuthFlows: [...FLOWS, 'ALLOW_USER_PASSWORD_AUTH'] });
    const app = appFor(s, 'fetch');
    const from = h.emu.requests.length;
    await signedIn(app, await app.settle(app.auth.signIn({ username: s.username, password: s.password, options: { authFlowType: 'USER_PASSWORD_AUTH' } })));
    expect(operationsSince(from)).toEqual(['InitiateAuth']);
  });
});

describe('the testing kit (authchart/testing)', () => {
  // moto implements no USER_AUTH (docs/account-flows-facts): the kit's own emulator is where an app tests it.
  test("createTestAuth's app client allows USER_AUTH: with a pool allowing EMAIL_OTP, the kit's user signs in with the emailed code from the kit's emulator", async () => {
    const kit = await createTestAuth({
      users: [{ username: 'ann', attributes: { email: 'ann@example.com', email_verified: 'true' } }],
      userPool: { AutoVerifiedAttributes: ['email'], Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } } },
    });
    try {
      const chosen = await kit.auth.signIn({ username: 'ann', options: { authFlowType: 'USER_AUTH' } });
      expect(chosen).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION', availableChallenges: ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP'] } });
      expect(step(await kit.auth.confirmSignIn({ challengeResponse: 'EMAIL_OTP' }))).toBe('CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
      const code = kit.emulator.inbox('ann', { userPoolId: kit.userPoolId }).filter((m) => m.purpose === 'signIn').at(-1)!.code;
      await expect(kit.auth.confirmSignIn({ challengeResponse: code })).resolves.toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    } finally {
      await kit.close();
    }
  });
});
