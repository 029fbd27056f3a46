// The decision a tab makes after its turn to refresh: adopt the session another tab stored, or
// refresh itself (machines/refreshTurn.ts, the auth chart's `refreshedElsewhere` guard).
import { refreshedElsewhere } from '../machines/refreshTurn';
import type { SessionSummary } from '../machines/types';

const held: SessionSummary = { username: 'alice', revocable: true, expiresAt: 1_000, signedInWith: 'password', tokenId: 'jti-1' };

test.each<[string, SessionSummary | null, boolean]>([
  ['another access token of the same user (another tab refreshed)', { ...held, tokenId: 'jti-2', expiresAt: 2_000 }, true],
  ['the same access token (nobody refreshed yet)', { ...held }, false],
  ['the same token even with a later expiry on record: the jti decides', { ...held, expiresAt: 5_000 }, false],
  ["another user's session (a sign-in elsewhere, not a refresh)", { ...held, username: 'bob', tokenId: 'jti-2' }, false],
  ['nothing stored', null, false],
  ['tokens without a jti: a later expiry', { ...held, tokenId: undefined, expiresAt: 2_000 } as SessionSummary, true],
  ['tokens without a jti: the same expiry', { ...held, tokenId: undefined } as SessionSummary, false],
])('%s', (_, stored, expected) => {
  const heldNow = stored?.tokenId === undefined && stored !== null ? { ...held, tokenId: undefined } : held;
  expect(refreshedElsewhere(stored, heldNow as SessionSummary)).toBe(expected);
});

test('nothing held: nothing to compare with, so nothing is adopted', () => {
  expect(refreshedElsewhere(held, null)).toBe(false);
});
