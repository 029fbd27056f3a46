// The decision a tab makes after its turn to refresh: adopt the session another tab stored, or
// refresh itself (machines/refreshTurn.ts, the auth chart's `refreshedElsewhere` guard).
import { refreshedElsewhere } from '../machines/refreshTurn';
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
