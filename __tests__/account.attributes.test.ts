// The attribute calls (authchart/account) end to end over HTTP against the emulator, through both
// transports: an email change with the pool's AttributesRequireVerificationBeforeUpdate on (the old
// email stays until verified) and off (the new one at once, unverified); the waiting change kept
// in the app's storage and resumed after a reload; a wrong code; a new code; deleting; nobody signed
// in; one step at a time; bad arguments; and no code, password or token anywhere observable.
import { AuthStateError, AuthValidationError, CognitoServiceError } from '../src/index';
import type { EmulatorPoolSettings, SetupOptions, SetupResult } from '../src/testing/index';
import { pendingAfter } from '../machines/account/pendingAttributes';
import { accountKeys } from '../services/storage/accountKeys';
import { accountHarness } from './support/accountEmulator';
import { inspectableStorage } from './support/harness';
import { accountApp, type AccountApp, type Transport } from './support/accountApp';
import { freshUser, operationsSince as operationsOf, signedInApp, tokensOf } from './support/accountUsers';

const h = accountHarness();
h.clock = Date.now();
/** The library's clock for these apps: the waiting change's `since` reads it. */
let now = Date.UTC(2026, 5, 1);

const REQUIRE_VERIFICATION: EmulatorPoolSettings = { AutoVerifiedAttributes: ['email'], UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } };

const pool = (options: SetupOptions = {}) => freshUser(h, options);
type Made = SetupResult;
const signedIn = (made: Made, transport: Transport = 'fetch'): Promise<AccountApp> => signedInApp(h, made, { transport, account: { now: () => now } });
function newestCode(made: Made): { code: string; destination: string } {
  const sent = h.emu.inbox(made.username, { userPoolId: made.userPoolId }).filter((m) => m.purpose === 'attribute');
  const { code, destination } = sent[sent.length - 1]!;
  h.secrets.push(code);
  return { code, destination };
}
const operationsSince = (from: number) => operationsOf(h, from);
const wrongCode = (code: string) => (code === '000000' ? '000001' : '000000');

describe.each<Transport>(['fetch', 'sdk'])('over %s', (transport) => {
  test('AttributesRequireVerificationBeforeUpdate on: the old email stays until the code confirms the new one; the waiting change survives a reload', async () => {
    const made = pool({ userPool: REQUIRE_VERIFICATION });
    const old = `${made.username}@example.com`;
    const app = await signedIn(made, transport);
    const result = await app.settle(app.account.updateUserAttributes({ userAttributes: { email: 'next@example.org', given_name: 'Jane' } }));
    const delivery = { destination: 'n***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' };
    expect(result).toEqual({
      email: { isUpdated: false, nextStep: { updateAttributeStep: 'CONFIRM_ATTRIBUTE_WITH_CODE', codeDeliveryDetails: delivery } },
      given_name: { isUpdated: true, nextStep: { updateAttributeStep: 'DONE' } },
    });
    await expect(app.account.fetchUserAttributes()).resolves.toMatchObject({ email: old, email_verified: 'true', given_name: 'Jane' });
    const pending = { email: { deliveredTo: 'n***@e***', deliveryMedium: 'EMAIL', since: now } };
    await expect(app.account.pendingAttributeChanges()).resolves.toEqual(pending);
    const { code, destination } = newestCode(made);
    expect(destination).toBe('next@example.org');
    // A reload: the waiting change is read back from the storage, and the code finishes it there.
    const secrets = [made.password, code, ...(await tokensOf(app))];
    await app.stop();
    const reloaded = app.reload();
    await expect(reloaded.account.pendingAttributeChanges()).resolves.toEqual(pending);
    const refused = await reloaded.settle(reloaded.account.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: wrongCode(code) }));
    expect(refused).toBeInstanceOf(CognitoServiceError);
    expect(refused).toMatchObject({ name: 'CodeMismatchException' });
    await expect(reloaded.account.pendingAttributeChanges()).resolves.toEqual(pending);
    await expect(reloaded.settle(reloaded.account.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: code }))).resolves.toBeUndefined();
    await expect(reloaded.account.fetchUserAttributes()).resolves.toMatchObject({ email: 'next@example.org', email_verified: 'true' });
    await expect(reloaded.account.pendingAttributeChanges()).resolves.toEqual({});
    expect(reloaded.storage.getItem(accountKeys(made.clientId).pendingAttributeChanges)).toBeNull();
    expect(reloaded.leaked([...secrets, ...(await tokensOf(reloaded))])).toEqual([]);
    await reloaded.stop();
  });

  test('AttributesRequireVerificationBeforeUpdate off: the new email replaces the old at once, unverified, and waits for its code all the same', async () => {
    const made = pool({ userPool: { AutoVerifiedAttributes: ['email'] } });
    const app = await signedIn(made, transport);
    const result = await app.account.updateUserAttributes({ userAttributes: { email: 'now@example.org' } });
    expect(result).toEqual({ email: { isUpdated: false, nextStep: { updateAttributeStep: 'CONFIRM_ATTRIBUTE_WITH_CODE', codeDeliveryDetails: { destination: 'n***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' } } } });
    await expect(app.account.fetchUserAttributes()).resolves.toMatchObject({ email: 'now@example.org', email_verified: 'false' });
    await expect(app.account.pendingAttributeChanges()).resolves.toEqual({ email: { deliveredTo: 'n***@e***', deliveryMedium: 'EMAIL', since: now } });
    await app.account.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: newestCode(made).code });
    await expect(app.account.fetchUserAttributes()).resolves.toMatchObject({ email: 'now@example.org', email_verified: 'true' });
    await expect(app.account.pendingAttributeChanges()).resolves.toEqual({});
    await app.stop();
  });

  test('sendUserAttributeVerificationCode() sends a new code to the waiting value: the record says so, and the newest code confirms', async () => {
    const made = pool({ userPool: REQUIRE_VERIFICATION });
    const app = await signedIn(made, transport);
    await app.account.updateUserAttributes({ userAttributes: { email: 'later@example.org' } });
    const first = newestCode(made).code;
    const sentAt = now;
    now += 60_000;
    await expect(app.settle(app.account.sendUserAttributeVerificationCode({ userAttributeKey: 'email' }))).resolves.toEqual({ destination: 'l***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' });
    await expect(app.account.pendingAttributeChanges()).resolves.toEqual({ email: { deliveredTo: 'l***@e***', deliveryMedium: 'EMAIL', since: sentAt + 60_000 } });
    const second = newestCode(made);
    expect(second.destination).toBe('later@example.org');
    if (first !== second.code) await expect(app.account.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: first })).rejects.toMatchObject({ name: 'CodeMismatchException' });
    await app.account.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: second.code });
    await expect(app.account.fetchUserAttributes()).resolves.toMatchObject({ email: 'later@example.org' });
    expect(app.leaked([made.password, first, second.code])).toEqual([]);
    await app.stop();
  });
});

test('deleteUserAttributes() removes them, and a waiting change of one of them ends', async () => {
  const made = pool({ userPool: { AutoVerifiedAttributes: ['email'] } });
  const app = await signedIn(made);
  await app.account.updateUserAttributes({ userAttributes: { given_name: 'Jane', email: 'gone@example.org' } });
  await expect(app.account.pendingAttributeChanges()).resolves.toHaveProperty('email');
  await expect(app.account.deleteUserAttributes({ userAttributeKeys: ['given_name'] })).resolves.toBeUndefined();
  expect(await app.account.fetchUserAttributes()).not.toHaveProperty('given_name');
  await expect(app.account.pendingAttributeChanges()).resolves.toHaveProperty('email');
  await app.account.deleteUserAttributes({ userAttributeKeys: ['email'] });
  await expect(app.account.pendingAttributeChanges()).resolves.toEqual({});
  await app.stop();
});

test('the record is per username: another user of the same storage sees none of it', async () => {
  const a = pool({ userPool: { AutoVerifiedAttributes: ['email'] } });
  const app = await signedIn(a);
  await app.account.updateUserAttributes({ userAttributes: { email: 'mine@example.org' } });
  const record = JSON.parse(app.storage.getItem(accountKeys(a.clientId).pendingAttributeChanges) as string) as Record<string, unknown>;
  expect(Object.keys(record)).toEqual([a.username]);
  await app.auth.signOut();
  h.emu.createUser({ userPoolId: a.userPoolId, username: 'other-user', password: 'Other-pw-1!', attributes: { email: 'other@example.com', email_verified: 'true' } });
  await app.auth.signIn({ username: 'other-user', password: 'Other-pw-1!' });
  await expect(app.account.pendingAttributeChanges()).resolves.toEqual({});
  await app.stop();
});

test('nobody signed in: every call is UserUnAuthenticatedException, and nothing is sent', async () => {
  const made = pool();
  const app = accountApp(h, made);
  const from = h.emu.requests.length;
  for (const call of [() => app.account.fetchUserAttributes(), () => app.account.updateUserAttributes({ userAttributes: { given_name: 'Jane' } }), () => app.account.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: '123456' }), () => app.account.sendUserAttributeVerificationCode({ userAttributeKey: 'email' }), () => app.account.deleteUserAttributes({ userAttributeKeys: ['given_name'] }), () => app.account.pendingAttributeChanges()]) {
    await expect(call()).rejects.toMatchObject({ name: 'UserUnAuthenticatedException' });
  }
  expect(operationsSince(from)).toEqual([]);
  await app.stop();
});

test('one step at a time: a call while an update runs is refused, and one UpdateUserAttributes is sent', async () => {
  const made = pool({ userPool: { AutoVerifiedAttributes: ['email'] } });
  const app = await signedIn(made);
  const from = h.emu.requests.length;
  const first = app.account.updateUserAttributes({ userAttributes: { email: 'one@example.org' } });
  const second = await app.account.updateUserAttributes({ userAttributes: { email: 'two@example.org' } }).catch((e: unknown) => e);
  const fetch = await app.account.fetchUserAttributes().catch((e: unknown) => e);
  expect(second).toMatchObject({ name: 'AccountStepInProgress' });
  expect(fetch).toMatchObject({ name: 'AccountStepInProgress' });
  await expect(first).resolves.toHaveProperty('email');
  expect(operationsSince(from).filter((op) => op === 'UpdateUserAttributes')).toHaveLength(1);
  await app.stop();
});

test('Cognito refuses: an email another user has as an alias is AliasExistsException on confirming; the change keeps waiting', async () => {
  const made = pool({ userPool: REQUIRE_VERIFICATION });
  const app = await signedIn(made);
  await app.account.updateUserAttributes({ userAttributes: { email: 'taken@example.org' } });
  h.emu.faults.set('VerifyUserAttribute', { type: 'error', name: 'AliasExistsException' }, { times: 1 });
  await expect(app.account.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: newestCode(made).code })).rejects.toMatchObject({ name: 'AliasExistsException' });
  await expect(app.account.pendingAttributeChanges()).resolves.toHaveProperty('email');
  await app.stop();
});

test('bad arguments are AuthValidationError naming the field, and nothing is sent', async () => {
  const made = pool();
  const app = await signedIn(made);
  const from = h.emu.requests.length;
  await expect(app.account.updateUserAttributes(undefined as never)).rejects.toBeInstanceOf(AuthValidationError);
  await expect(app.account.updateUserAttributes({ userAttributes: {} })).rejects.toMatchObject({ field: 'userAttributes' });
  await expect(app.account.updateUserAttributes({ userAttributes: { email: 7 as never } })).rejects.toMatchObject({ field: 'userAttributes.email' });
  await expect(app.account.updateUserAttributes({ userAttributes: { ['x'.repeat(33)]: 'v' } })).rejects.toMatchObject({ field: 'userAttributes' });
  await expect(app.account.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: '' })).rejects.toMatchObject({ field: 'confirmationCode' });
  await expect(app.account.confirmUserAttribute({ userAttributeKey: ' ', confirmationCode: '123456' })).rejects.toMatchObject({ field: 'userAttributeKey' });
  await expect(app.account.sendUserAttributeVerificationCode({} as never)).rejects.toMatchObject({ field: 'userAttributeKey' });
  await expect(app.account.deleteUserAttributes({ userAttributeKeys: [] })).rejects.toMatchObject({ field: 'userAttributeKeys' });
  await expect(app.account.deleteUserAttributes({ userAttributeKeys: [3] as never })).rejects.toMatchObject({ field: 'userAttributeKeys' });
  expect(operationsSince(from)).toEqual([]);
  await app.stop();
});

test('pendingAfter: a code sent adds or replaces the attribute, a settled one is removed, and a user left with none is dropped', () => {
  const email = { destination: 'a***@e***', deliveryMedium: 'EMAIL' as const, attributeName: 'email' };
  const phone = { destination: '+*******0199', deliveryMedium: 'SMS' as const, attributeName: 'phone_number' };
  const one = pendingAfter({ bob: { email: { deliveredTo: 'b***@e***', deliveryMedium: 'EMAIL', since: 1 } } }, 'jane', { sent: [email, phone, { ...email, attributeName: 'custom:x' }], settled: [] }, 5);
  expect(one).toEqual({ bob: { email: { deliveredTo: 'b***@e***', deliveryMedium: 'EMAIL', since: 1 } }, jane: { email: { deliveredTo: 'a***@e***', deliveryMedium: 'EMAIL', since: 5 }, phone_number: { deliveredTo: '+*******0199', deliveryMedium: 'SMS', since: 5 } } });
  expect(pendingAfter(one, 'jane', { sent: [], settled: ['email', 'phone_number'] }, 9)).toEqual({ bob: one.bob });
});

test('a storage that fails while the record is kept does not fail the call: Cognito changed, and the change is missing from the record', async () => {
  const made = pool({ userPool: REQUIRE_VERIFICATION });
  const storage = inspectableStorage();
  const key = accountKeys(made.clientId).pendingAttributeChanges;
  const setItem = storage.setItem;
  storage.setItem = (k, value) => {
    if (k === key) throw new Error('QuotaExceededError');
    return setItem(k, value);
  };
  const app = accountApp(h, made, { storage });
  await app.auth.signIn({ username: made.username, password: made.password });
  await expect(app.account.updateUserAttributes({ userAttributes: { email: 'full@example.org' } })).resolves.toMatchObject({ email: { nextStep: { updateAttributeStep: 'CONFIRM_ATTRIBUTE_WITH_CODE' } } });
  await expect(app.account.pendingAttributeChanges()).resolves.toEqual({});
  // The code still confirms: Cognito holds the change.
  await app.account.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: newestCode(made).code });
  await expect(app.account.fetchUserAttributes()).resolves.toMatchObject({ email: 'full@example.org', email_verified: 'true' });
  await app.stop();
});
