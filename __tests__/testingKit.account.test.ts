// authchart/testing's createTestAccount(): each named state of the account flows is reached with a
// real createAccount() over the kit's emulator, and what it resolves lets the test go on from there.
import { createTestAccount, createTestAuth, TEST_ACCOUNT_STATES, type TestAuth } from '../src/testing/index';
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
  expect(flows.is('resetPassword.idle' as never)).toBe(true);
  await expect(kit.auth.signIn({ username: 'ann', password: held.newPassword })).resolves.toMatchObject({ isSignedIn: true });
});

test('after kit.restart(), the account follows the new instance', async () => {
  const flows = createTestAccount(kit);
  const before = flows.account;
  await kit.restart();
  expect(flows.account).not.toBe(before);
  await expect(flows.driveTo('resetPassword.awaitingCode')).resolves.toMatchObject({ username: 'ann' });
});

test('TEST_ACCOUNT_STATES names only states the flows have (and createTestAccount reaches each: the tests above)', () => {
  const states = new Set(ACCOUNT_FLOWS.flatMap(({ machine }) => atomicStates(machine).map((node) => `${machine.id}.${pathOf(node)}`)));
  for (const state of TEST_ACCOUNT_STATES) expect(states).toContain(state);
});
