// Statistics of the property runs (printed after the run, copied into docs/reliability.invariants.md).

export interface Stats {
  runs: number;
  commands: Record<string, number>;
  faults: Record<string, number>;
  signOutResults: Record<string, number>;
  requestsSent: Record<string, number>;
  /** RevokeToken sent again for a refresh token that was already revoked: allowed (idempotent). */
  reRevocations: number;
  /** Invariant 3 violations seen on the wire. Must stay 0. */
  revokedTokenUses: number;
  /** Invariant 1 violations: tokens found in storage where none may be. Must stay 0. */
  tokensLeftBehind: number;
  /** Invariant 2 violations: calls that did not settle in time. */
  stuck: number;
  /** Calls made from auth.on() handlers, by call and by how they settled. */
  handlerCalls: Record<string, number>;
  /** How the runs were set up: storage sync/async, one or two instances. */
  runKinds: Record<string, number>;
  /**
   * In a cross-instance race: a refresh that loaded the refresh token before the other instance's
   * sign-out revoked it, sent after (no lock between instances). Allowed, counted; never written back.
   */
  crossInstanceRevokedRefreshes: number;
  /** In a cross-instance race: a getSession() that overlapped the other's sign-out and returned tokens it then revoked. Allowed, counted. */
  crossInstanceOverlapHandedOut: number;
  /**
   * Commands whose result was not judged against the model because this process's event loop
   * stalled (STALL_MS or more) while they ran: a timing expectation (a fault-free call answers
   * within networkTimeoutMs) cannot hold then. The invariants were still checked after each.
   */
  stalledCommands: number;
}
export const newStats = (): Stats => ({
  runs: 0,
  commands: {},
  faults: {},
  signOutResults: {},
  requestsSent: {},
  reRevocations: 0,
  revokedTokenUses: 0,
  tokensLeftBehind: 0,
  stuck: 0,
  handlerCalls: {},
  runKinds: {},
  crossInstanceRevokedRefreshes: 0,
  crossInstanceOverlapHandedOut: 0,
  stalledCommands: 0,
});
export const bump = (counts: Record<string, number>, key: string, by = 1) => void (counts[key] = (counts[key] ?? 0) + by);
