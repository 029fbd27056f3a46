// The arbitraries that generate runs, and how a run starts (freshWorld) and ends (finish).
import fc from 'fast-check';
import type { CognitoEmulator } from '../../../src/testing/index';
import { INCLUDE_KNOWN_BUGS, LONG_LATENCY_MS } from './bounds';
import { GetSession, SignIn, SignOut, type Command } from './commands';
import { ClearFault, SetFault } from './faultCommands';
import { FAULT_NAMES, FAULT_OPS } from './faults';
import { Parallel } from './parallel';
import { FlushRevocations, Restart } from './restartAndFlush';
import type { Stats } from './stats';
import { World, type Model } from './world';

/** Every fault on every operation (KB1 aside), the sign-out's operations a little more often. */
const faultPairs = FAULT_OPS.flatMap((op) =>
  FAULT_NAMES.filter((fault) => INCLUDE_KNOWN_BUGS || op !== 'InitiateAuth' || fault !== 'blackhole').map((fault) => ({ weight: op === 'InitiateAuth' ? 2 : 3, arbitrary: fc.constant([op, fault] as const) })),
);

/** The commands, weighted so that a run stays cheap (a sign-in under throttling costs 1.5 s on average). */
export function commandArbitraries(withFlush: boolean): Array<fc.Arbitrary<Command>> {
  const signOut = fc.boolean().map((global) => new SignOut(global));
  const getSession = fc.boolean().map((force) => new GetSession(force));
  return [
    fc.oneof(
      { weight: 6, arbitrary: fc.constant(null).map(() => new SignIn()) },
      { weight: 5, arbitrary: getSession },
      { weight: 6, arbitrary: signOut },
      { weight: 8, arbitrary: fc.oneof(...faultPairs).map(([op, fault]) => new SetFault(op, fault)) },
      { weight: 2, arbitrary: fc.option(fc.constantFrom(...FAULT_OPS), { nil: undefined, freq: 4 }).map((op) => new ClearFault(op)) },
      { weight: 3, arbitrary: fc.constant(null).map(() => new Restart()) },
      { weight: withFlush ? 3 : 0, arbitrary: fc.constant(null).map(() => new FlushRevocations()) },
      { weight: 3, arbitrary: fc.tuple(fc.oneof(getSession, signOut), signOut).map(([first, second]) => new Parallel(first, second)) },
    ),
  ];
}

/** A run: whether it starts signed in (a fault-free signIn() before the first command), then the commands. */
export interface Scenario {
  readonly startSignedIn: boolean;
  readonly commands: Iterable<Command>;
}
export function scenarios(withFlush: boolean, constraints: fc.CommandsContraints): fc.Arbitrary<Scenario> {
  // startSignedIn does not shrink: the commands' shrinker works from the commands that ran, so the
  // start must stay as it was in the failing run.
  const startSignedIn = fc.noShrink(fc.nat(3).map((n) => n > 0)); // 3 runs in 4 start signed in
  return fc.record({ startSignedIn, commands: fc.commands(commandArbitraries(withFlush), constraints) });
}

/** One run: a fresh pool/client/user, no fault, signed out (or signed in, fault-free). */
export async function freshWorld(emu: CognitoEmulator, stats: Stats, { startSignedIn = false } = {}): Promise<{ model: Model; real: World }> {
  stats.runs += 1;
  emu.faults.clear();
  emu.resetRequests();
  const run = { model: { signedIn: false, faults: new Map(), revokeTokenBlackholed: false }, real: new World(emu, emu.setup(), stats) };
  if (startSignedIn) await new SignIn().run(run.model, run.real);
  return run;
}

/** After the last command: let late answers land, then check storage once more. */
export async function finish(model: Model, world: World): Promise<void> {
  world.emu.faults.clear();
  if (world.lateAnswersPossible) {
    await new Promise((resolve) => setTimeout(resolve, LONG_LATENCY_MS + 50));
    world.checkInvariants(model, 'the last late answer');
  }
}
