// resetPassword() and confirmResetPassword() (authchart/account) end to end over HTTP against the
// emulator, through both transports: the code from the user's inbox, a wrong code, a reload between
// the two calls, PreventUserExistenceErrors, one step at a time, and no secret anywhere observable.
import { AuthStateError, AuthStoppedError, AuthValidationError, CognitoServiceError } from '../src/index';
import type { SetupOptions } from '../src/testing/index';
import { accountHarness } from './support/accountEmulator';
import { accountApp, type Transport } from './support/accountApp';

const NEW_PASSWORD = 'Brand-new-pw2!';
const h = accountHarness();
h.secrets.push(NEW_PASSWORD);

const pool = (options: SetupOptions = {}) => h.pool(options);
const newestResetCode = (userPoolId: string, username: string): string => h.newestCode(userPoolId, username, 'resetPassword');

describe.each<Transport>(['fetch', 'sdk'])('over %s', (transport) => {
  test('resetPassword() sends a code; a wrong code is refused and can be tried again; the right one sets the new password', async () => {
    const made = pool();
    const app = accountApp(h, made, { transport });
    const sent = await app.settle(app.account.resetPassword({ username: made.username }));
    expect(sent).toEqual({ isPasswordReset: false, nextStep: { resetPasswordStep: 'CONFIRM_RESET_PASSWORD_WITH_CODE', codeDeliveryDetails: { destination: 't***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' } } });
    const code = newestResetCode(made.userPoolId, made.username);
    const wrong = code === '000000' ? '000001' : '000000';
    const refused = await app.settle(app.account.confirmResetPassword({ username: made.username, confirmationCode: wrong, newPassword: NEW_PASSWORD }));
    expect(refused).toBeInstanceOf(CognitoServiceError);
    expect(refused).toMatchObject({ name: 'CodeMismatchException' });
    await expect(app.settle(app.account.confirmResetPassword({ username: made.username, confirmationCode: code, newPassword: NEW_PASSWORD }))).resolves.toBeUndefined();
    await expect(app.auth.signIn({ username: made.username, password: NEW_PASSWORD })).resolves.toMatchObject({ isSignedIn: true });
    expect(app.leaked([code, NEW_PASSWORD, made.password])).toEqual([]);
    await app.stop();
  });
});

test('the code confirms after a reload: confirmResetPassword() acts without a resetPassword() on this page', async () => {
  const made = pool();
  const first = accountApp(h, made);
  await first.account.resetPassword({ username: made.username });
  await first.stop();
  const second = first.reload();
  await expect(second.account.confirmResetPassword({ username: made.username, confirmationCode: newestResetCode(made.userPoolId, made.username), newPassword: NEW_PASSWORD })).resolves.toBeUndefined();
  await expect(second.auth.signIn({ username: made.username, password: NEW_PASSWORD })).resolves.toMatchObject({ isSignedIn: true });
  await second.stop();
});

test('with PreventUserExistenceErrors, a known and an unknown user get the same answer; without it, UserNotFoundException', async () => {
  const hidden = pool({ preventUserExistenceErrors: true, username: 'jane' });
  const app = accountApp(h, hidden);
  const known = await app.account.resetPassword({ username: 'jane' });
  const unknown = await app.account.resetPassword({ username: 'jake' });
  const shape = { isPasswordReset: false, nextStep: { resetPasswordStep: 'CONFIRM_RESET_PASSWORD_WITH_CODE', codeDeliveryDetails: { destination: expect.stringMatching(/^j\*\*\*@.\*\*\*$/), deliveryMedium: 'EMAIL', attributeName: 'email' } } };
  expect(known).toEqual(shape);
  expect(unknown).toEqual(shape);
  await expect(app.account.confirmResetPassword({ username: 'jake', confirmationCode: '123456', newPassword: NEW_PASSWORD })).rejects.toMatchObject({ name: 'CodeMismatchException' });
  await app.stop();

  const open = pool();
  const plain = accountApp(h, open);
  const error = await plain.account.resetPassword({ username: 'nobody' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CognitoServiceError);
  expect(error).toMatchObject({ name: 'UserNotFoundException' });
  await plain.stop();
});

test('one step at a time: a second resetPassword() while the first runs is refused, and only one code is sent', async () => {
  const made = pool();
  const app = accountApp(h, made);
  const first = app.account.resetPassword({ username: made.username });
  const second = app.account.resetPassword({ username: made.username }).catch((e: unknown) => e);
  const confirm = app.account.confirmResetPassword({ username: made.username, confirmationCode: '123456', newPassword: NEW_PASSWORD }).catch((e: unknown) => e);
  expect(await second).toBeInstanceOf(AuthStateError);
  expect(await second).toMatchObject({ name: 'AccountStepInProgress' });
  expect(await confirm).toMatchObject({ name: 'AccountStepInProgress' });
  await first;
  expect(h.emu.inbox(made.username, { userPoolId: made.userPoolId }).filter((m) => m.purpose === 'resetPassword')).toHaveLength(1);
  // Waiting for the code, a new resetPassword() sends a new one.
  await app.account.resetPassword({ username: made.username });
  expect(h.emu.inbox(made.username, { userPoolId: made.userPoolId }).filter((m) => m.purpose === 'resetPassword')).toHaveLength(2);
  await app.stop();
});

test('bad arguments are AuthValidationError naming the field, and nothing is sent; after stop(), AuthStoppedError', async () => {
  const made = pool();
  const app = accountApp(h, made);
  const before = h.emu.requests.length;
  await expect(app.account.resetPassword(undefined as never)).rejects.toBeInstanceOf(AuthValidationError);
  await expect(app.account.resetPassword({ username: ' ' })).rejects.toMatchObject({ field: 'username' });
  await expect(app.account.confirmResetPassword({ username: made.username, confirmationCode: '', newPassword: NEW_PASSWORD })).rejects.toMatchObject({ field: 'confirmationCode' });
  await expect(app.account.confirmResetPassword({ username: made.username, confirmationCode: '123456', newPassword: 7 as never })).rejects.toMatchObject({ field: 'newPassword' });
  expect(h.emu.requests.length).toBe(before);
  await app.stop();
  await expect(app.account.resetPassword({ username: made.username })).rejects.toBeInstanceOf(AuthStoppedError);
});

test('the network: Cognito unreachable is CognitoUnreachableError, and the flow answers the next call', async () => {
  const made = pool();
  const app = accountApp(h, made, { config: { networkTimeoutMs: 300 } });
  h.emu.faults.set('ForgotPassword', { type: 'reset' });
  await expect(app.account.resetPassword({ username: made.username })).rejects.toMatchObject({ name: 'NetworkError' });
  h.emu.faults.clear();
  await expect(app.account.resetPassword({ username: made.username })).resolves.toMatchObject({ nextStep: { resetPasswordStep: 'CONFIRM_RESET_PASSWORD_WITH_CODE' } });
  await app.stop();
});
