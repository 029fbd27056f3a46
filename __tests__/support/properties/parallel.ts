// The command that starts a getSession and a signOut (or two signOuts) in the same tick.
import type { AuthSession } from '../../../src/index';
import { INCLUDE_KB5, SETTLE_BOUND_MS, SIGN_IN_BOUND_MS } from './bounds';
import { GetSession, SignOut, expectOk, type Command } from './commands';
import { callErrorNames } from './faults';
import { bump } from './stats';
import type { Model, World } from './world';

/** A getSession and a signOut (or two signOuts) started in the same tick. */
export class Parallel implements Command {
  constructor(
    readonly first: GetSession | SignOut,
    readonly second: SignOut,
  ) {}
  check = (model: Readonly<Model>): boolean => SignOut.allowed(model, 'A') && (INCLUDE_KB5 || !(this.first instanceof GetSession) || !model.asyncStorage);
  toString = () => `parallel(${this.first.label}, ${this.second.label})`;
  async run(model: Model, world: World): Promise<void> {
    bump(world.stats.commands, 'parallel(…)');
    world.sent = [];
    if (model.faults.get('InitiateAuth') === 'latencyLong') world.lateAnswersPossible = true;
    const session = world.storedSession();
    // A handler may call beside it, or A is signed in over a store B emptied: only what holds anyway.
    const predictable = !world.racing && model.stored === model.signedIn;
    const [a, b] = [this.first.call(world), this.second.call(world)];
    const bound = this.first instanceof GetSession && this.first.forceRefresh ? SIGN_IN_BOUND_MS : SETTLE_BOUND_MS;
    const [first, second] = await Promise.all([world.settle(`${this} (${this.first.label})`, a as Promise<unknown>, bound), world.settle(`${this} (${this.second.label})`, b, SETTLE_BOUND_MS)]);
    const signOut = expectOk(second, this.second.label);
    if (!predictable) {
      bump(world.stats.signOutResults, `unpredictable: ${signOut.type} (parallel)`);
      await world.drainHandlerCalls(SIGN_IN_BOUND_MS);
      world.resync(model, `${this} (unpredictable)`);
      return world.checkInvariants(model, this.toString());
    }
    bump(world.stats.signOutResults, model.signedIn ? `${this.second.global ? 'global' : 'local'} ${signOut.type} (parallel)` : `nobody signed in: ${signOut.type} (parallel)`);
    if (this.first instanceof SignOut) {
      // The second sign-out joins the first: one flow, the same result object.
      expect(expectOk(first, this.first.label)).toBe(signOut);
    } else if (first.ok) {
      const value = first.value as AuthSession;
      if (value.tokens) expect(value.tokens.refreshToken).toBe(session?.refreshToken);
      else expect(value).toEqual({});
    } else {
      // The refresh may have failed on its own before the sign-out overtook it.
      const fault = model.faults.get('InitiateAuth');
      expect(callErrorNames(fault)).toContain(first.error.name);
    }
    if (model.signedIn && signOut.type === 'failed') throw new Error('model: signOut failed, but the storage never fails');
    const sessionEndedFirst = this.first instanceof GetSession && this.first.forceRefresh && model.faults.get('InitiateAuth') === 'notAuthorized';
    if (model.signedIn && signOut.type === 'complete' && !sessionEndedFirst) expect({ refreshTokenRevoked: world.emu.tokenRevoked(session?.refreshToken ?? '') }).toEqual({ refreshTokenRevoked: true });
    if (model.signedIn) model.stored = false;
    model.signedIn = false;
    world.checkInvariants(model, this.toString());
  }
}
