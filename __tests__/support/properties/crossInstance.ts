// Two instances over one storage: the race of one instance's refresh against the other's sign-out.
import { SETTLE_BOUND_MS, SIGN_IN_BOUND_MS } from './bounds';
import { GetSession, SignOut, expectOk, isIn, type Command } from './commands';
import { bump } from './stats';
import { InvariantViolation, type Model, type Who, type World } from './world';

/**
 * `refresher`.getSession() (forced or not) and `other`.signOut() started in the same tick, on the
 * two instances that share the storage. No lock joins them: the refresh may load the refresh token
 * before the sign-out revokes it (counted, allowed), and may hand out tokens the sign-out then
 * revokes (counted, allowed: the calls overlapped). What must hold: once the sign-out has resolved
 * with signedOutLocally, no session is stored, then or after the refresh has answered: the store's
 * generation refuses a stale write, and its flags keep a write-back and the other's clear apart (KB4).
 */
export class CrossInstanceRace implements Command {
  readonly getSession: GetSession;
  readonly signOut: SignOut;
  constructor(
    readonly refresher: Who,
    forceRefresh: boolean,
    global: boolean,
  ) {
    const other: Who = refresher === 'A' ? 'B' : 'A';
    this.getSession = new GetSession(forceRefresh, refresher);
    this.signOut = new SignOut(global, other);
  }
  check = (model: Readonly<Model>): boolean =>
    model.signedInB !== null && SignOut.allowed(model, this.signOut.who);
  toString = () => `race(${this.getSession.label}, ${this.signOut.label})`;
  async run(model: Model, world: World): Promise<void> {
    bump(world.stats.commands, 'race(x.getSession, y.signOut)');
    world.sent = [];
    const signingOut = isIn(model, this.signOut.who);
    world.crossRace = true;
    let signOutResolvedAt: number | undefined;
    let handedOut: { tokens?: { accessToken: string; refreshToken?: string } } | undefined;
    try {
      const refresh = this.getSession.call(world).then((session) => ((handedOut = session), session));
      const signOut = this.signOut.call(world).then((result) => ((signOutResolvedAt = Date.now()), result));
      const [first, second] = await Promise.all([
        world.settle(`${this} (${this.getSession.label})`, refresh, this.getSession.forceRefresh ? SIGN_IN_BOUND_MS : SETTLE_BOUND_MS),
        world.settle(`${this} (${this.signOut.label})`, signOut, SETTLE_BOUND_MS),
      ]);
      const result = expectOk(second, this.signOut.label); // checked at resolution: signedOutLocally → nothing stored
      bump(world.stats.signOutResults, `${signingOut ? 'cross-instance' : 'cross-instance, nobody signed in'}: ${result.type}`);
      bump(world.stats.commands, `race: refresh ${first.ok ? (first.value.tokens ? 'handed out tokens' : 'answered {}') : `rejected ${first.error.name}`}`);
      if (first.ok && first.value.tokens) expect(first.value.username).toBe(world.user.username);
      if (handedOut?.tokens && [handedOut.tokens.accessToken, handedOut.tokens.refreshToken].some((token) => token !== undefined && world.emu.tokenRevoked(token))) {
        world.stats.crossInstanceOverlapHandedOut += 1;
      }
      // The stale refresh: answered after the sign-out, it must not have written the session back.
      if (result.signedOutLocally && signingOut && world.storedSession() !== null) {
        world.stats.tokensLeftBehind += 1;
        throw new InvariantViolation(
          `invariant 1: ${this}: ${this.signOut.label} resolved ${result.type} (signedOutLocally) ${signOutResolvedAt === undefined ? '' : `${Date.now() - signOutResolvedAt} ms ago`}, but a session is stored again (a stale refresh by instance ${this.getSession.who} wrote it back)`,
        );
      }
      const left = world.authOf(this.signOut.who).actor.getSnapshot();
      // An armed handler (world.racing) may start a call of its own the moment the sign-out ends.
      if (!world.racing && !(left.matches('signedOut') || left.matches({ signedIn: 'active' }))) {
        const stored = world.storedSession();
        const revoked = stored && { access: world.emu.tokenRevoked(stored.accessToken), refresh: world.emu.tokenRevoked(stored.refreshToken ?? '') };
        throw new InvariantViolation(
          `invariant 2: ${this}: ${this.signOut.label} resolved ${JSON.stringify({ type: result.type, signedOutLocally: result.signedOutLocally, error: (result as { error?: unknown }).error })} and left instance ${this.signOut.who} in ${JSON.stringify(left.value)}; ` +
            `${this.getSession.label} ${first.ok ? `resolved ${first.value.tokens ? 'with tokens' : '{}'}` : `rejected ${first.error.name}`}; storage now holds ${stored ? `a session (revoked at the server: ${JSON.stringify(revoked)})` : 'no session'}`,
        );
      }
    } finally {
      world.crossRace = false;
    }
    if (world.racing) await world.drainHandlerCalls(SIGN_IN_BOUND_MS);
    // The refreshing instance may still be adopting what the store holds (its write was refused by the
    // sign-out: adoptingSession, then a clear), within the storage bounds, after its caller was answered.
    await world.steady(this.toString(), SETTLE_BOUND_MS);
    world.resync(model, this.toString());
    world.checkInvariants(model, this.toString());
  }
}
