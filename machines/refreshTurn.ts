// One refresh for many tabs: what the auth chart's refresh decides from, as pure functions.
import type { SessionSummary } from './types.js';

/**
 * Whether `stored` is a session another tab (or instance) refreshed since this one got `held`:
 * another access token (told by its jti), or, for tokens without one, a later expiry. Its user
 * must be the same: another user's session is a sign-in elsewhere, not a refresh.
 */
export function refreshedElsewhere(stored: SessionSummary | null, held: SessionSummary | null): boolean {
  if (!stored || !held || stored.username !== held.username) return false;
  return held.tokenId !== undefined && stored.tokenId !== undefined ? stored.tokenId !== held.tokenId : stored.expiresAt > held.expiresAt;
}
