// An instance stopped while its start-up drain is picking a queued sign-out intent must not leave
// that intent leased: the next instance over the storage finishes it at once (stop()'s promise).
// The backend-for-frontend runs one instance per request over a session's record, so a request
// that lands while an intent waits (GET /session after a partial sign-out) starts such a drain and
// stops at once; before this was fixed, its pick's lease was written after stop() had released the
// instance's leases, and the intent stayed blocked for a whole lease (2 N + 4 S).
import { createAuth } from '../src/index';
import type { CognitoEmulator } from '../src/testing/index';
import { emulatorPerFile, inspectableStorage } from './support/harness';

let emu!: CognitoEmulator;
const auths = emulatorPerFile((started) => (emu = started));

test('a stop() during the start-up drain leaves no lease: the next instance flushes the intent at once', async () => {
  const pool = emu.setup();
  const storage = inspectableStorage();
  const start = () => {
    const auth = createAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: emu.endpoint, storage, revocationOutbox: { retryBaseMs: 600_000 } });
    auths.push(auth);
    return auth;
  };
  const first = start();
  await first.signIn({ username: pool.username, password: pool.password, authFlow: 'USER_PASSWORD_AUTH' });
  emu.faults.set('RevokeToken', { type: 'error', name: 'InternalErrorException' });
  await expect(first.signOut()).resolves.toMatchObject({ type: 'partial', finishedBy: 'outbox' });
  await first.stop();
  emu.faults.clear();
  emu.resetRequests();

  // A request's instance: it answers getSession() at once (nobody is signed in), while its
  // outbox's start-up drain picks the queued intent; then it stops.
  const request = start();
  await expect(request.getSession()).resolves.toEqual({});
  await request.stop();
  const outbox = JSON.parse(storage.items.get(`authchart.${pool.clientId}.revocationOutbox`) ?? '{"entries":[]}') as { entries: Array<{ leaseUntil?: number }> };
  expect(outbox.entries.map((entry) => entry.leaseUntil)).toEqual(outbox.entries.map(() => undefined));

  const next = start();
  await expect(next.flushRevocations()).resolves.toEqual({ revoked: 1, dropped: 0, pending: 0 });
});
