// The commands that restart the Auth over the same storage, and that call flushRevocations().
import { FLUSH_BOUND_MS, INCLUDE_KNOWN_BUGS, SIGN_IN_BOUND_MS } from './bounds';
import type { Command } from './commands';
import { bump } from './stats';
import type { Model, World } from './world';

export class Restart implements Command {
  check = (): boolean => true;
  toString = () => 'restart() /* await auth.stop(); createAuth() over the same storage */';
  async run(model: Model, world: World): Promise<void> {
    bump(world.stats.commands, 'restart()');
    world.sent = [];
    await world.restart();
    model.signedIn = model.stored; // the new instance restores what is stored (B's sign-in too)
    world.checkInvariants(model, 'restart()');
  }
}

export class FlushRevocations implements Command {
  check = (): boolean => true;
  toString = () => 'flushRevocations()';
  async run(model: Model, world: World): Promise<void> {
    const flush = world.flushRevocations;
    if (!flush) return; // not in this build
    if (model.revokeTokenBlackholed && !INCLUDE_KNOWN_BUGS) return void bump(world.stats.commands, 'flushRevocations() skipped (KB2)');
    bump(world.stats.commands, 'flushRevocations()');
    world.sent = [];
    // A queued global intent this drain finishes ends every session of its user (KB6): the chart is told and ends the one it holds.
    const globalQueued = world.globalIntentQueued();
    const outcome = await world.settle('flushRevocations()', flush(), FLUSH_BOUND_MS);
    if (globalQueued) {
      // One that got no answer may still land: the chart then checks its session with a refresh (bounded like any refresh).
      await world.steady('flushRevocations() of a queued global intent', SIGN_IN_BOUND_MS);
      world.resync(model, 'flushRevocations() of a queued global intent');
    }
    if (!outcome.ok && outcome.error.name !== 'AuthStoppedError') {
      // Not specified yet whether it may reject; it must at least settle. Recorded for the report.
      bump(world.stats.commands, `flushRevocations() rejected ${outcome.error.name}`);
    }
    world.checkInvariants(model, 'flushRevocations()');
  }
}
