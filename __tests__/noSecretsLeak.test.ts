// No token, password or client secret may reach the statechart: not its context, events,
// snapshots, persisted snapshots, emitted events or inspection stream, nor any error thrown.
// This runs sign-in and every sign-out branch with an inspector attached and searches all of it.
import type { InspectionEvent } from 'xstate';
import { createAuth, type Auth } from '../src/index';
import { inspectableStorage, startHarness, type Harness } from './support/harness';

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
