// The emulator's inbox (emulator.inbox()): the codes it "sends" to users, kept per user, oldest
// first; the newest code of a purpose confirms, an older one or a stale one does not; destinations
// are masked as Cognito masks them in CodeDeliveryDetails. The operations that send codes are
// tested with the operations.
import { deliveryAttribute, Inbox, maskEmail } from '../src/testing/emulator/inbox';
import { Store } from '../src/testing/emulator/state';
import { startCognitoEmulator } from '../src/testing/index';

function userIn(attributes: Record<string, string>) {
  const store = new Store('us-east-1', () => 0);
  const pool = store.createPool('p');
  return store.createUser(pool.id, 'jane', 'Passw0rd!', 'CONFIRMED', attributes);
}

test('a code goes to the attribute asked for, and CodeDeliveryDetails carry it masked', () => {
  let clock = 1000;
  const inbox = new Inbox(() => clock);
  const user = userIn({ email: 'jane@example.com', phone_number: '+15555550123' });
  const byMail = inbox.send(user, 'signUp', 'email');
  expect(byMail.delivery).toEqual({ Destination: 'j***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
  clock = 2000;
  const bySms = inbox.send(user, 'mfa', 'phone_number');
  expect(bySms.delivery).toEqual({ Destination: '+*******0123', DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
  expect(inbox.of(user.poolId, 'jane')).toEqual([
    { purpose: 'signUp', channel: 'EMAIL', destination: 'jane@example.com', code: byMail.code, sentAt: 1000 },
    { purpose: 'mfa', channel: 'SMS', destination: '+15555550123', code: bySms.code, sentAt: 2000 },
  ]);
  expect(maskEmail('a@b.c')).toBe('a***@b***');
  expect(() => inbox.send(userIn({}), 'signUp', 'email')).toThrow(expect.objectContaining({ name: 'InvalidParameterException' }));
});

test('the newest code of a purpose confirms within its validity; an older one, another, or a stale one is refused with Cognito’s names', () => {
  let clock = 0;
  const inbox = new Inbox(() => clock);
  const user = userIn({ email: 'jane@example.com' });
  expect(() => inbox.check(user, 'resetPassword', '123456', 1000)).toThrow(expect.objectContaining({ name: 'CodeMismatchException' }));
  const first = inbox.send(user, 'resetPassword', 'email').code;
  const second = inbox.send(user, 'resetPassword', 'email').code;
  if (first !== second) expect(() => inbox.check(user, 'resetPassword', first, 1000)).toThrow(expect.objectContaining({ name: 'CodeMismatchException' }));
  expect(() => inbox.check(user, 'resetPassword', second, 1000)).not.toThrow();
  expect(() => inbox.check(user, 'signUp', second, 1000)).toThrow(expect.objectContaining({ name: 'CodeMismatchException' }));
  clock = 1001;
  expect(() => inbox.check(user, 'resetPassword', second, 1000)).toThrow(expect.objectContaining({ name: 'ExpiredCodeException' }));
});

test('deliveryAttribute: the preferred attribute when the user has it, verified only when asked', () => {
  const both = userIn({ email: 'jane@example.com', email_verified: 'false', phone_number: '+15555550123', phone_number_verified: 'true' });
  expect(deliveryAttribute(both)).toBe('email');
  expect(deliveryAttribute(both, { prefer: 'phone_number' })).toBe('phone_number');
  expect(deliveryAttribute(both, { verifiedOnly: true })).toBe('phone_number');
  expect(deliveryAttribute(userIn({}))).toBeUndefined();
});

test('emulator.inbox(): one pool may be left out; with several, the pool must be named', async () => {
  const emu = await startCognitoEmulator();
  try {
    const pool = emu.setup();
    expect(emu.inbox(pool.username)).toEqual([]);
    emu.setup();
    expect(() => emu.inbox(pool.username)).toThrow(/pass \{ userPoolId \}/);
    expect(emu.inbox(pool.username, { userPoolId: pool.userPoolId })).toEqual([]);
  } finally {
    await emu.close();
  }
});
