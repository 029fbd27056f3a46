// The sign-out half of the demo: for each scenario, every state transition with its elapsed time,
// the result, and what the server now says about the old tokens.
import { CognitoIdentityProviderClient, GetUserCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createAuth, type SignOutResult, type StorageLike } from '../../src/index';
import { printable, printTransitions } from './print';
import type { CognitoEmulator } from '../../src/testing/index';

interface Scenario {
  title: string;
  global: boolean;
  revocation?: boolean;
  arrange?: (emu: CognitoEmulator) => void;
  storage?: (base: Map<string, string>) => StorageLike;
  /** What must hold: the result, and what the server says of the old tokens. */
  expected: { result: SignOutResult['type']; errors?: string[]; refresh: string; getUser: string; queued?: boolean; markedRevoked?: boolean; state?: string; finishedBy?: string };
}

export const signOutScenarios: Scenario[] = [
  { title: 'Local sign-out', global: false, expected: { result: 'complete', refresh: 'rejected', getUser: 'rejected' } },
  { title: 'Global sign-out', global: true, expected: { result: 'complete', refresh: 'rejected', getUser: 'rejected' } },
  {
    title: 'Global sign-out, GlobalSignOut failing (503): queued as a global intent, finished by the outbox',
    global: true,
    arrange: (emu) => emu.faults.set('GlobalSignOut', { type: 'httpStatus', status: 503 }),
    // No RevokeToken: it would revoke the access token and make the global half impossible.
    expected: { result: 'partial', errors: ['globalSignOutError:UnexpectedResponse'], refresh: 'accepted', getUser: 'accepted', queued: true, finishedBy: 'outbox' },
  },
  {
    title: 'Server blackholed (never answers), default networkTimeoutMs',
    global: false,
    arrange: (emu) => emu.faults.set('*', { type: 'blackhole' }),
    expected: { result: 'partial', errors: ['revokeTokenError:TimeoutError'], refresh: 'accepted', getUser: 'accepted', queued: true, finishedBy: 'outbox' },
  },
  {
    title: 'App client without token revocation (no origin_jti)',
    global: false,
    revocation: false,
    expected: { result: 'partial', errors: ['revokeTokenError:TokenRevocationNotEnabled'], refresh: 'accepted', getUser: 'accepted', finishedBy: 'nothing' },
  },
  {
    title: 'Storage that cannot be cleared: revoked on the server, so the kept tokens are never handed out',
    global: false,
    storage: (items) => ({ getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: () => { throw new Error('read-only storage'); } }),
    // The outbox keeps a revoked mark (never sent again), so a reload over the kept tokens knows they are dead.
    expected: { result: 'failed', refresh: 'rejected', getUser: 'rejected', state: 'revokedButStored', markedRevoked: true },
  },
];

/** Runs one sign-out scenario; returns what did not behave as specified. */
export async function runSignOutScenario(emu: CognitoEmulator, scenario: Scenario, checker: CognitoIdentityProviderClient): Promise<string[]> {
  const setup = emu.setup({ enableTokenRevocation: scenario.revocation ?? true, username: 'demo-user' });
  const items = new Map<string, string>();
  const storage = scenario.storage?.(items) ?? { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), removeItem: (k: string) => void items.delete(k) };
  const transitions = printTransitions();
  const inspect = transitions.inspect;
  const auth = createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, endpoint: emu.endpoint, storage, inspect });
  try {
    await auth.signIn({ username: setup.username, password: setup.password });
    const tokens = JSON.parse(items.get(`authchart.${setup.clientId}.session`)!) as { accessToken: string; refreshToken: string }; // by key: the outbox may be stored first
    scenario.arrange?.(emu);
    console.log('  -- signOut(' + (scenario.global ? '{ global: true }' : '') + ')');
    const started = transitions.restart();
    const result = await auth.signOut({ global: scenario.global });
    const elapsed = performance.now() - started;
    console.log(`  result after ${elapsed.toFixed(0)} ms:\n${printable(result).replace(/^/gm, '    ')}`);
    emu.faults.clear();

    const problems: string[] = [];
    const answer = (call: Promise<unknown>) => call.then(() => 'accepted', (e: Error) => `rejected: ${e.name} (${e.message})`);
    const refresh = await answer(checker.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: setup.clientId, AuthParameters: { REFRESH_TOKEN: tokens.refreshToken } })));
    const getUser = await answer(checker.send(new GetUserCommand({ AccessToken: tokens.accessToken })));
    console.log(`  server now says: refresh with the old refresh token → ${refresh}`);
    console.log(`                   GetUser with the old access token  → ${getUser}`);
    const holdsSession = items.has(`authchart.${setup.clientId}.session`);
    const held = outboxEntriesFor(items.get(`authchart.${setup.clientId}.revocationOutbox`), tokens.refreshToken);
    const queued = held.some((entry) => entry.revoked !== true);
    const markedRevoked = held.some((entry) => entry.revoked === true);
    const state = JSON.stringify(auth.actor.getSnapshot().value);
    console.log(`  this device holds a session: ${holdsSession ? 'yes' : 'no'}; the statechart is in ${state}`);
    if (state === '"revokedButStored"') {
      const session = await auth.getSession().then(() => 'a session', (e: Error) => `rejected: ${e.name}`);
      console.log(`  -- getSession() → ${session} (the kept tokens are dead on the server)`);
      if (!session.includes('RevokedSessionNotCleared')) problems.push('getSession handed out revoked tokens');
    }
    if (queued) {
      const intent = held.some((entry) => entry.global === true) ? 'a global sign-out' : 'a revocation';
      console.log(`  the outbox holds the intent (${intent}), to be finished once Cognito answers`);
      const report = await auth.flushRevocations(); // the server answers again now
      const after = await answer(checker.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: setup.clientId, AuthParameters: { REFRESH_TOKEN: tokens.refreshToken } })));
      console.log(`  -- flushRevocations() → ${JSON.stringify(report)}; refresh with the old refresh token → ${after}`);
      if (!after.startsWith('rejected')) problems.push('the outbox did not revoke the token');
    }
    if (markedRevoked) console.log('  the outbox marks the kept tokens revoked: never sent again, and a reload refuses to use them');

    const { expected } = scenario;
    if (result.type !== expected.result) problems.push(`result ${result.type}, expected ${expected.result}`);
    const errors = result.type === 'partial' ? Object.entries(result).filter(([k]) => k.endsWith('Error')).map(([k, v]) => `${k}:${(v as { name: string }).name}`) : [];
    if (JSON.stringify(errors) !== JSON.stringify(expected.errors ?? [])) problems.push(`errors ${errors.join(', ') || 'none'}, expected ${(expected.errors ?? []).join(', ') || 'none'}`);
    if (!refresh.startsWith(expected.refresh)) problems.push(`refresh ${refresh}, expected ${expected.refresh}`);
    if (!getUser.startsWith(expected.getUser)) problems.push(`GetUser ${getUser}, expected ${expected.getUser}`);
    if (holdsSession === result.signedOutLocally) problems.push('the store does not match signedOutLocally');
    if (queued !== (expected.queued ?? false)) problems.push(`outbox ${queued ? 'holds' : 'lacks'} an intent for the refresh token`);
    if (markedRevoked !== (expected.markedRevoked ?? false)) problems.push(`outbox ${markedRevoked ? 'holds' : 'lacks'} a revoked mark for the refresh token`);
    if (expected.state && state !== JSON.stringify(expected.state)) problems.push(`state ${state}, expected ${expected.state}`);
    const finishedBy = result.type === 'partial' ? result.finishedBy : undefined;
    if (finishedBy !== expected.finishedBy) problems.push(`finishedBy ${finishedBy}, expected ${expected.finishedBy}`);
    if (elapsed > 3000 + 1000) problems.push(`took ${elapsed.toFixed(0)} ms, beyond networkTimeoutMs + 1 s`);
    return problems;
  } finally {
    await auth.stop();
  }
}

/** The outbox's stored entries (its version-2 layout) that hold this refresh token. */
function outboxEntriesFor(raw: string | undefined, refreshToken: string): { global?: boolean; revoked?: boolean }[] {
  if (raw === undefined) return [];
  const { entries } = JSON.parse(raw) as { entries?: { global?: boolean; revoked?: boolean; tokens?: { refreshToken?: string } }[] };
  return (entries ?? []).filter((entry) => entry.tokens?.refreshToken === refreshToken);
}
