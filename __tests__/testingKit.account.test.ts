// authchart/testing's createTestAccount(): each named state of the account flows is reached with a
// real createAccount() over the kit's emulator, and what it resolves lets the test go on from there.
import { chartStateOf, createTestAccount, createTestAuth, TEST_ACCOUNT_STATES, type TestAuth } from '../src/testing/index';
import { ACCOUNT_FLOWS } from '../machines/account/index';
import { atomicStates, pathOf } from '../scripts/diagrams/calls';

let kit: TestAuth;
beforeEach(async () => {
  kit = await createTestAuth({ users: [{ username: 'ann', attributes: { email: 'ann@example.com', email_verified: 'true' } }] });
});
afterEach(() => kit.close());

test('resetPassword.awaitingCode: the code is in hand, and confirms', async () => {
  const flows = createTestAccount(kit);
  const at = await flows.driveTo('resetPassword.awaitingCode');
  expect(at.result.nextStep.resetPasswordStep).toBe('CONFIRM_RESET_PASSWORD_WITH_CODE');
  expect(flows.is('resetPassword.awaitingCode')).toBe(true);
  await flows.account.confirmResetPassword({ username: 'ann', confirmationCode: at.code, newPassword: 'Another-pw-1!' });
  await expect(kit.auth.signIn({ username: 'ann', password: 'Another-pw-1!' })).resolves.toMatchObject({ isSignedIn: true });
});

test('resetPassword.requestingCode: the request is held until release(), and a second call meanwhile is refused', async () => {
  const flows = createTestAccount(kit);
  const held = await flows.driveTo('resetPassword.requestingCode');
  expect(flows.is('resetPassword.requestingCode')).toBe(true);
  expect(flows.inbox().filter((m) => m.purpose === 'resetPassword')).toEqual([]);
  await expect(flows.account.resetPassword({ username: 'ann' })).rejects.toMatchObject({ name: 'AccountStepInProgress' });
  await expect(held.release()).resolves.toMatchObject({ nextStep: { resetPasswordStep: 'CONFIRM_RESET_PASSWORD_WITH_CODE' } });
  expect(flows.is('resetPassword.awaitingCode')).toBe(true);
});

test('resetPassword.confirming: held on ConfirmForgotPassword; released, the new password works', async () => {
  const flows = createTestAccount(kit);
  const held = await flows.driveTo('resetPassword.confirming');
  expect(flows.is('resetPassword.confirming')).toBe(true);
  await held.release();
  expect(flows.is('resetPassword.confirming')).toBe(false);
  await expect(kit.auth.signIn({ username: 'ann', password: held.newPassword })).resolves.toMatchObject({ isSignedIn: true });
});

test('after kit.restart(), the account follows the new instance', async () => {
  const flows = createTestAccount(kit);
  const before = flows.account;
  await kit.restart();
  expect(flows.account).not.toBe(before);
  await expect(flows.driveTo('resetPassword.awaitingCode')).resolves.toMatchObject({ username: 'ann' });
});

describe('sign-up', () => {
  test('signUp.signingUp: SignUp held; released, the code is sent', async () => {
    const flows = createTestAccount(kit);
    const held = await flows.driveTo('signUp.signingUp');
    expect(flows.is('signUp.signingUp')).toBe(true);
    await expect(held.release()).resolves.toMatchObject({ nextStep: { signUpStep: 'CONFIRM_SIGN_UP' } });
    expect(flows.code('signUp', held.username)).toMatch(/^\d{6}$/);
  });

  test('signUp.awaitingCode, then confirmSignUp with the code: COMPLETE_AUTO_SIGN_IN', async () => {
    const flows = createTestAccount(kit);
    const at = await flows.driveTo('signUp.awaitingCode', { username: 'bob' });
    expect(at.result.nextStep.signUpStep).toBe('CONFIRM_SIGN_UP');
    expect(flows.is('signUp.awaitingCode')).toBe(true);
    await expect(flows.account.confirmSignUp({ username: 'bob', confirmationCode: at.code })).resolves.toMatchObject({ nextStep: { signUpStep: 'COMPLETE_AUTO_SIGN_IN' } });
  });

  test('signUp.confirming: ConfirmSignUp held', async () => {
    const flows = createTestAccount(kit);
    const held = await flows.driveTo('signUp.confirming');
    expect(flows.is('signUp.confirming')).toBe(true);
    await expect(held.release()).resolves.toMatchObject({ nextStep: { signUpStep: 'COMPLETE_AUTO_SIGN_IN' } });
  });

  test('signUp.awaitingAutoSignIn survives kit.restart(), and autoSignIn() signs in', async () => {
    const flows = createTestAccount(kit);
    const at = await flows.driveTo('signUp.awaitingAutoSignIn');
    expect(at.result.nextStep.signUpStep).toBe('COMPLETE_AUTO_SIGN_IN');
    await kit.restart();
    await expect(flows.account.pendingAutoSignIn()).resolves.toMatchObject({ username: at.username });
    await expect(flows.account.autoSignIn()).resolves.toMatchObject({ isSignedIn: true });
    await expect(kit.auth.getSession()).resolves.toMatchObject({ username: at.username });
  });

  test('signUp.autoSigningIn: the InitiateAuth held; released, signed in', async () => {
    const flows = createTestAccount(kit);
    const held = await flows.driveTo('signUp.autoSigningIn');
    expect(flows.is('signUp.autoSigningIn')).toBe(true);
    await expect(held.release()).resolves.toMatchObject({ isSignedIn: true });
    expect(kit.is('signedIn')).toBe(true);
  });
});

describe('MFA setup', () => {
  test('mfaSetup.awaitingCode: the code from the shared secret verifies, and TOTP can then be preferred', async () => {
    const flows = createTestAccount(kit);
    const at = await flows.driveTo('mfaSetup.awaitingCode');
    expect(kit.is('signedIn')).toBe(true);
    expect(flows.is('mfaSetup.awaitingCode')).toBe(true);
    await flows.account.verifyTotpSetup({ code: at.code() });
    await flows.account.updateMFAPreference({ totp: 'PREFERRED' });
    await expect(flows.account.fetchMFAPreference()).resolves.toMatchObject({ preferred: 'TOTP' });
  });

  test('mfaSetup.associating and mfaSetup.verifying: each held, then released', async () => {
    const flows = createTestAccount(kit);
    const associating = await flows.driveTo('mfaSetup.associating');
    expect(flows.is('mfaSetup.associating')).toBe(true);
    await associating.release();
    const verifying = await flows.driveTo('mfaSetup.verifying');
    expect(flows.is('mfaSetup.verifying')).toBe(true);
    await expect(verifying.release()).resolves.toBeUndefined();
    expect(flows.is('mfaSetup.awaitingCode')).toBe(false);
  });
});

test('TEST_ACCOUNT_STATES are each a state of a flow\'s chart (and createTestAccount reaches each: the tests above)', () => {
  const states = new Set(ACCOUNT_FLOWS.flatMap(({ machine }) => atomicStates(machine).map((node) => `${machine.id}.${pathOf(node)}`)));
  for (const state of TEST_ACCOUNT_STATES) expect(states).toContain(chartStateOf(state));
  expect(TEST_ACCOUNT_STATES).toHaveLength(11);
});
