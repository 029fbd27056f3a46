// A sign-in challenge through the backend-for-frontend: POST sign-in meets SOFTWARE_TOKEN_MFA, and
// POST confirm-sign-in, a later request with its own engine over the session's record, answers it.
// The pending challenge lives in the store under the session, never in the browser: this needs the
// engine to resume a challenge another instance stored (durable sign-in challenges).
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';
import { cookieOf, startBff, type Bff } from './support/bff';

let emu!: CognitoEmulator;
let bff: Bff | undefined;
beforeAll(async () => {
  emu = await startCognitoEmulator();
});
afterEach(() => bff?.close());
afterAll(() => emu.close());

test('sign-in with a TOTP challenge, then confirm-sign-in on a later request: signed in under a new session id, and /session says who', async () => {
  const pool = emu.setup({ mfa: 'SOFTWARE_TOKEN_MFA' });
  bff = await startBff(emu, pool);
  const first = await bff.call('POST', '/auth/sign-in', { json: { username: pool.username, password: pool.password } });
  expect(first.status).toBe(200);
  expect(first.body).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
  const pending = cookieOf(first)!;
  expect(first.headers['set-cookie']![0]).toContain('Max-Age=900');
  expect((await bff.call('GET', '/auth/session', { cookie: pending })).status).toBe(401);

  const confirmed = await bff.call('POST', '/auth/confirm-sign-in', { cookie: pending, json: { challengeResponse: emu.mfaCode(pool.userPoolId, pool.username) } });
  expect(confirmed.body).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  const id = cookieOf(confirmed)!;
  expect(id).not.toBe(pending);
  expect((await bff.call('GET', '/auth/session', { cookie: id })).body.user.username).toBe(pool.username);
  expect((await bff.call('GET', '/auth/session', { cookie: pending })).status).toBe(401);
});

test('confirm-sign-in without a session cookie: 401 NotSignedIn', async () => {
  const pool = emu.setup({ mfa: 'SOFTWARE_TOKEN_MFA' });
  bff = await startBff(emu, pool);
  const answer = await bff.call('POST', '/auth/confirm-sign-in', { json: { challengeResponse: '123456' } });
  expect([answer.status, answer.body.error.name]).toEqual([401, 'NotSignedIn']);
});
