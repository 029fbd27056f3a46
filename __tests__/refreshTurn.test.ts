// The decision a tab makes after its turn to refresh: adopt the session another tab stored, or
// refresh itself (machines/refreshTurn.ts, the auth chart's `refreshedElsewhere` guard).
import { createActor, fromPromise, waitFor } from 'xstate';
import { authMachine, type StoredSession } from '../machines/authMachine';
import { refreshedElsewhere } from '../machines/refreshTurn';
import { createTabActors } from '../services/actors/tabActors';
import type { TabLink } from '../services/tabs/tabLink';
import type { SessionSummary } from '../machines/types';

const held: SessionSummary = { username: 'alice', revocable: true, expiresAt: 1_000, signedInWith: 'password', tokenId: 'jti-1' };
const { tokenId: _, ...heldWithoutJti } = held;

test.each<[string, SessionSummary | null, SessionSummary | null, boolean]>([
  ['another access token of the same user (another tab refreshed)', { ...held, tokenId: 'jti-2', expiresAt: 2_000 }, held, true],
  ['the same access token (nobody refreshed yet)', held, held, false],
  ['the same token even with a later expiry on record: the jti decides', { ...held, expiresAt: 5_000 }, held, false],
  ["another user's session (a sign-in elsewhere, not a refresh)", { ...held, username: 'bob', tokenId: 'jti-2' }, held, false],
  ['nothing stored', null, held, false],
  ['nothing held: nothing to compare with', held, null, false],
  ['tokens without a jti: a later expiry', { ...heldWithoutJti, expiresAt: 2_000 }, heldWithoutJti, true],
  ['tokens without a jti: the same expiry', heldWithoutJti, heldWithoutJti, false],
])('%s', (_name, stored, heldNow, expected) => {
  expect(refreshedElsewhere(stored, heldNow)).toBe(expected);
});

describe('a refresh lock that cannot be had', () => {
  const session: SessionSummary = { username: 'alice', revocable: true, expiresAt: 0, signedInWith: 'password', tokenId: 'jti-1' };
  const fresh: SessionSummary = { ...session, expiresAt: 10_000_000_000_000, tokenId: 'jti-2' };

  test('takeRefreshTurn says so (REFRESH_TURN_UNAVAILABLE), and the chart refreshes on its own', async () => {
    const tabs: TabLink = { signals: async () => null, lock: async () => Promise.reject(new Error('the lease could not be written')) };
    const refreshed: string[] = [];
    const machine = authMachine.provide({
      actors: {
        loadSession: fromPromise<StoredSession | null>(async () => ({ session, heldByOutbox: null })),
        takeRefreshTurn: createTabActors({ tabs }).takeRefreshTurn,
        refreshTokens: fromPromise<SessionSummary, { username: string; signedInWith: SessionSummary['signedInWith']; expiresAt: number; tokenId?: string }>(async () => (refreshed.push('refreshTokens'), fresh)),
      },
    });
    const seen: string[] = [];
    const actor = createActor(machine, { input: { networkTimeoutMs: 1000, storageTimeoutMs: 1000, refreshSkewMs: 0, queueing: false }, inspect: (e) => void (e.type === '@xstate.event' && seen.push(e.event.type)) });
    actor.start();
    await waitFor(actor, (s) => s.matches({ signedIn: 'active' }));
    actor.send({ type: 'GET_SESSION', id: 1, forceRefresh: true, at: 0 });
    await waitFor(actor, (s) => s.matches({ signedIn: 'active' }) && s.context.session?.tokenId === 'jti-2');
    expect(seen).toContain('REFRESH_TURN_UNAVAILABLE');
    expect(refreshed).toEqual(['refreshTokens']);
    actor.stop();
  });
});
