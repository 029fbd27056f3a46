// The arbitraries that generate runs, and how a run starts (freshWorld) and ends (finish).
import fc from 'fast-check';
import type { CognitoEmulator } from '../../../src/testing/index';
import { INCLUDE_KNOWN_BUGS, LONG_LATENCY_MS, SIGN_IN_BOUND_MS } from './bounds';
import { GetSession, SignIn, SignOut, type Command } from './commands';
import { ClearFault, SetFault } from './faultCommands';
import { FAULT_NAMES, FAULT_OPS } from './faults';
import { Parallel } from './parallel';
import { FlushRevocations, Restart } from './restartAndFlush';
import { CrossInstanceRace } from './crossInstance';
import { HANDLER_CALLS, HANDLER_EVENTS, OnNextEvent } from './handlers';
import { bump, type Stats } from './stats';
import { World, type Model, type StorageTiming, type Who } from './world';

/** Every fault on every operation (KB1 aside), the sign-out's operations a little more often. */
const faultPairs = FAULT_OPS.flatMap((op) =>
  FAULT_NAMES.filter((fault) => INCLUDE_KNOWN_BUGS || op !== 'InitiateAuth' || fault !== 'blackhole').map((fault) => ({ weight: op === 'InitiateAuth' ? 2 : 3, arbitrary: fc.constant([op, fault] as const) })),
);

/** The commands, weighted so that a run stays cheap (a sign-in under throttling costs 1.5 s on average). */
export function commandArbitraries(withFlush: boolean): Array<fc.Arbitrary<Command>> {
  const signOut = fc.boolean().map((global) => new SignOut(global));
  const getSession = fc.boolean().map((force) => new GetSession(force));
  const who = fc.constantFrom<Who>('A', 'B');
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
      // Instance B (runs with two instances only: check() drops them elsewhere).
      { weight: 3, arbitrary: fc.constant(null).map(() => new SignIn('B')) },
      { weight: 3, arbitrary: fc.boolean().map((force) => new GetSession(force, 'B')) },
      { weight: 3, arbitrary: fc.boolean().map((global) => new SignOut(global, 'B')) },
      { weight: 4, arbitrary: fc.tuple(who, fc.nat(3), fc.boolean()).map(([refresher, n, global]) => new CrossInstanceRace(refresher, n > 0, global)) },
      // Calls from event handlers.
      { weight: 3, arbitrary: fc.tuple(fc.constantFrom<Who>('A', 'A', 'B'), fc.constantFrom(...HANDLER_EVENTS), fc.constantFrom(...HANDLER_CALLS)).map(([w, event, call]) => new OnNextEvent(w, event, call)) },
    ),
  ];
}

/**
 * A run: how the storage answers (synchronously, or after 1..maxDelayMs ms per call, as
 * AsyncStorage does), whether a second instance shares it, whether it starts signed in (a
 * fault-free signIn() before the first command), then the commands.
 */
export interface Scenario {
  readonly storage: StorageTiming;
  readonly twoInstances: boolean;
  readonly startSignedIn: boolean;
  readonly commands: Iterable<Command>;
}
export function scenarios(withFlush: boolean, constraints: fc.CommandsContraints): fc.Arbitrary<Scenario> {
  // The run's set-up does not shrink: the commands' shrinker works from the commands that ran, so
  // the start must stay as it was in the failing run.
  const startSignedIn = fc.noShrink(fc.nat(3).map((n) => n > 0)); // 3 runs in 4 start signed in
  const storage = fc.noShrink(fc.option(fc.record({ maxDelayMs: fc.integer({ min: 1, max: 20 }), seed: fc.nat() }), { nil: null, freq: 3 })); // 1 run in 3 synchronous
  const twoInstances = fc.noShrink(fc.boolean());
  return fc.record({ storage, twoInstances, startSignedIn, commands: fc.commands(commandArbitraries(withFlush), constraints) });
}

/** One run: a fresh pool/client/user, no fault, signed out (or signed in, fault-free); instance B started after. */
export async function freshWorld(
  emu: CognitoEmulator,
  stats: Stats,
  { startSignedIn = false, storage = null, twoInstances = false }: { startSignedIn?: boolean; storage?: StorageTiming; twoInstances?: boolean } = {},
): Promise<{ model: Model; real: World }> {
  stats.runs += 1;
  bump(stats.runKinds, storage ? 'async storage' : 'sync storage');
  bump(stats.runKinds, twoInstances ? 'two instances' : 'one instance');
  emu.faults.clear();
  emu.resetRequests();
  const model: Model = { signedIn: false, signedInB: null, stored: false, asyncStorage: storage !== null, faults: new Map(), revokeTokenBlackholed: false };
  const run = { model, real: new World(emu, emu.setup(), stats, storage) };
  await run.real.loaded();
  if (startSignedIn) await signInToStart(run.model, run.real);
  if (twoInstances) {
    await run.real.startB();
    model.signedInB = model.stored; // B restores the session A stored
    run.real.checkInvariants(model, 'createAuth() of instance B');
  }
  return run;
}

/**
 * The run's set-up sign-in, with every fault off. It is scaffolding, not a command under test: on
 * a machine so loaded that InitiateAuth does not answer within networkTimeoutMs (150 ms), it is
 * tried again, twice at most, and counted. A command's signIn() is never tried again.
 */
async function signInToStart(model: Model, world: World): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await new SignIn().run(model, world);
    } catch (error) {
      const timedOut = /rejected with TimeoutError/.test(String((error as Error)?.message)) && world.auth.actor.getSnapshot().matches('signedOut') && world.storedSession() === null;
      if (attempt === 3 || !timedOut) throw error;
      bump(world.stats.commands, 'set-up signIn() tried again (TimeoutError: a loaded machine)');
    }
  }
}

/** After the last command: let late answers land, then check storage once more. */
export async function finish(model: Model, world: World): Promise<void> {
  world.emu.faults.clear();
  // Every call made from a handler settles by the end of the run (invariant 2).
  if (world.handlerCalls.length > 0) {
    await world.drainHandlerCalls(SIGN_IN_BOUND_MS);
    world.resync(model, 'the calls made from handlers');
    world.checkInvariants(model, 'the calls made from handlers');
  }
  if (world.lateAnswersPossible) {
    await new Promise((resolve) => setTimeout(resolve, LONG_LATENCY_MS + 50));
    world.checkInvariants(model, 'the last late answer');
  }
}
