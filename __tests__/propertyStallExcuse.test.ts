// The property model's one excuse, shown to fire and shown not to overreach. A command whose result
// the model finds wrong goes unjudged only when this process's event loop stalled STALL_MS or more
// while it ran (the emulator shares the loop, so a stall spends Cognito's answer and the deadline
// alike); without a stall the error stands, with each HTTP attempt of the command printed; an
// invariant violation is never excused. The model is told something false on purpose (signed in
// when nobody is), so signIn()'s own expectation (a refusal) fails when the sign-in succeeds; the
// emulator answers 40 ms late, so a stall lands inside the command and is seen before the answer.
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';
import { GetSession, InvariantViolation, STALL_MS, SignIn, freshWorld, newStats, type World } from './support/properties/index';

let emu!: CognitoEmulator;
beforeAll(async () => void (emu = await startCognitoEmulator()));
afterAll(() => emu.close());
afterEach(() => emu.faults.clear());

/** Blocks this process's event loop for `ms` at its next turn: what a major GC or a descheduled process does. */
const stallSoon = (ms: number) =>
  setImmediate(() => {
    const until = performance.now() + ms;
    while (performance.now() < until);
  });

async function wrongCommand(stallMs: number | null, world: World, model: Parameters<SignIn['run']>[0]): Promise<unknown> {
  model.signedIn = true; // false: nobody is signed in, so signIn() succeeds where the model expects UserAlreadyAuthenticatedException
  emu.faults.set('InitiateAuth', { type: 'latency', ms: 40 }, { times: 1 });
  if (stallMs !== null) stallSoon(stallMs);
  return new SignIn().run(model, world).then(
    () => null,
    (error: unknown) => error,
  );
}

test('a wrong result while the event loop stalled is left unjudged and counted; the invariants are still checked', async () => {
  const stats = newStats();
  const run = await freshWorld(emu, stats);
  try {
    const error = await wrongCommand(STALL_MS * 3, run.real, run.model);
    expect(error).toBeNull();
    expect(stats.stalledCommands).toBe(1);
    expect(Object.keys(stats.commands).some((name) => /^signIn\(\): not judged \(the event loop stalled \d+ ms\)$/.test(name))).toBe(true);
    expect(run.model.signedIn).toBe(run.real.auth.actor.getSnapshot().matches('signedIn')); // learnt back from the statechart
  } finally {
    await run.real.dispose();
  }
});

test('without a stall the wrong result stands, with the longest stall and the HTTP attempts in its message', async () => {
  const stats = newStats();
  const run = await freshWorld(emu, stats);
  try {
    const error = (await wrongCommand(null, run.real, run.model)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(InvariantViolation);
    expect(error.message).toMatch(/expected a rejection with UserAlreadyAuthenticatedException/);
    expect(error.message).toMatch(/longest event-loop stall \d+ ms; HTTP attempts:\nInitiateAuth \d+\.\d\.\.\d+\.\d ms: HTTP 200\)/);
    expect(stats.stalledCommands).toBe(0);
  } finally {
    await run.real.dispose();
  }
});

test('an invariant violation is never excused, stall or not', async () => {
  const stats = newStats();
  const run = await freshWorld(emu, stats);
  try {
    const world = run.real;
    const real = world.checkInvariants.bind(world);
    world.checkInvariants = () => {
      throw new InvariantViolation('invariant 1: planted by this test');
    };
    stallSoon(STALL_MS * 3);
    const error = await new GetSession(false).run(run.model, world).then(
      () => null,
      (e: unknown) => e,
    );
    world.checkInvariants = real;
    expect(error).toBeInstanceOf(InvariantViolation);
    expect(stats.stalledCommands).toBe(0);
  } finally {
    await run.real.dispose();
  }
});
