// Property-based tests (issue 4 §4): random sequences of sign-ins, getSession calls, sign-outs,
// emulator faults, restarts and flushRevocations, against the real SDK and the emulator; over a
// storage that answers synchronously or after 1–20 ms (AsyncStorage), with a second instance over
// the same storage in half the runs, and with calls made from auth.on() handlers. The
// invariants, the command set and how to replay a failure: docs/reliability.invariants.md.
//
//   npx jest __tests__/properties.test.ts                      500 runs (FC_RUNS to change)
//   npm run test:soak                                           20 000 runs
//   FC_SEED=… FC_PATH=… FC_REPLAY_PATH=… npx jest __tests__/properties.test.ts   replay a failure
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { createAuth } from '../src/index';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';
import {
  ClearFault,
  GetSession,
  INCLUDE_KNOWN_BUGS,
  SETTLE_BOUND_MS,
  SetFault,
  SignOut,
  type Command,
  SIGN_IN_BOUND_MS,
  SignIn,
  finish,
  freshWorld,
  newStats,
  scenarios,
  type Stats,
} from './support/properties/index';

const RUNS = Number(process.env.FC_RUNS ?? 500);
const MAX_COMMANDS = Number(process.env.FC_MAX_COMMANDS ?? 8);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
const PATH = process.env.FC_PATH;
const REPLAY_PATH = process.env.FC_REPLAY_PATH;

let emu: CognitoEmulator;
beforeAll(async () => (emu = await startCognitoEmulator()));
afterAll(() => emu.close());
afterEach(() => emu.faults.clear());

/** Whether this build has auth.flushRevocations() (the revocation outbox). */
async function hasFlushRevocations(): Promise<boolean> {
  const auth = createAuth({ userPoolId: `${emu.region}_probe`, userPoolClientId: 'probe', endpoint: emu.endpoint });
  const present = typeof (auth as { flushRevocations?: unknown }).flushRevocations === 'function';
  await auth.stop();
  return present;
}

function summary(stats: Stats, elapsedMs: number): string {
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);
  return JSON.stringify(
    {
      runs: stats.runs,
      commandsExecuted: total(stats.commands),
      faultsSwitchedOn: total(stats.faults),
      distinctFaults: Object.keys(stats.faults).length,
      tokensLeftBehind: stats.tokensLeftBehind,
      revokedTokenUses: stats.revokedTokenUses,
      stuck: stats.stuck,
      reRevocations: stats.reRevocations,
      instanceBCommands: Object.entries(stats.commands).filter(([name]) => name.startsWith('b.')).reduce((sum, [, n]) => sum + n, 0),
      crossInstanceRaces: stats.commands['race(x.getSession, y.signOut)'] ?? 0,
      handlersArmed: Object.entries(stats.commands).filter(([name]) => name.startsWith('on(')).reduce((sum, [, n]) => sum + n, 0),
      handlerCalls: Object.entries(stats.handlerCalls).filter(([name]) => !/ (resolved|rejected)/.test(name)).reduce((sum, [, n]) => sum + n, 0),
      handlerCallsSettled: Object.entries(stats.handlerCalls).filter(([name]) => / (resolved|rejected)/.test(name)).reduce((sum, [, n]) => sum + n, 0),
      asyncStorageRuns: stats.runKinds['async storage'] ?? 0,
      twoInstanceRuns: stats.runKinds['two instances'] ?? 0,
      crossInstanceRevokedRefreshes: stats.crossInstanceRevokedRefreshes,
      crossInstanceOverlapHandedOut: stats.crossInstanceOverlapHandedOut,
      stalledCommands: stats.stalledCommands,
      elapsedSeconds: Math.round(elapsedMs / 100) / 10,
      knownBugsIncluded: INCLUDE_KNOWN_BUGS,
      commands: stats.commands,
      faults: stats.faults,
      signOutResults: stats.signOutResults,
      requestsSent: stats.requestsSent,
      handlerCallsByOutcome: stats.handlerCalls,
      runKinds: stats.runKinds,
    },
    null,
    2,
  );
}

test(`invariants hold over ${RUNS} random command sequences (up to ${MAX_COMMANDS} commands each)`, async () => {
  const stats = newStats();
  const started = Date.now();
  const withFlush = await hasFlushRevocations();
  const runs = scenarios(withFlush, { maxCommands: MAX_COMMANDS, size: 'max', ...(REPLAY_PATH !== undefined && { replayPath: REPLAY_PATH }) });
  try {
    await fc.assert(
      fc.asyncProperty(runs, async ({ storage, twoInstances, startSignedIn, commands }) => {
        const run = await freshWorld(emu, stats, { startSignedIn, storage, twoInstances });
        try {
          await fc.asyncModelRun(() => run, commands);
          await finish(run.model, run.real);
        } finally {
          await run.real.dispose();
          emu.faults.clear();
        }
      }),
      { numRuns: RUNS, verbose: Number(process.env.FC_VERBOSE ?? 0), ...(SEED !== undefined && { seed: SEED }), ...(PATH !== undefined && { path: PATH }) },
    );
  } finally {
    const report = summary(stats, Date.now() - started);
    if (process.env.FC_STATS_FILE) writeFileSync(process.env.FC_STATS_FILE, `${report}\n`);
    const r = JSON.parse(report) as Record<string, number>;
    console.log(
      `properties: ${r.runs} runs, ${r.commandsExecuted} commands, ${r.faultsSwitchedOn} faults switched on, ${r.tokensLeftBehind} tokens left behind, ${r.revokedTokenUses} revoked-token uses, ${r.stuck} stuck, ${r.stalledCommands} results not judged (event loop stalled), ${r.elapsedSeconds} s` +
        ` | ${r.asyncStorageRuns} async-storage runs, ${r.twoInstanceRuns} two-instance runs, ${r.instanceBCommands} instance-B commands, ${r.crossInstanceRaces} cross-instance races, ${r.handlersArmed} handlers armed, ${r.handlerCalls} handler calls (${r.handlerCallsSettled} settled)` +
        ` (FC_STATS_FILE=path for the details)`,
    );
  }
  expect(stats.tokensLeftBehind).toBe(0);
  expect(stats.revokedTokenUses).toBe(0);
  expect(stats.stuck).toBe(0);
}, Math.max(600_000, RUNS * 2_000));

// ─── KB6's late GlobalSignOut, replayed through the model with the strict check ─────────────────
// The two counterexamples docs/reliability.invariants.md lists (KB6, closed), as the property ran
// them: a GlobalSignOut that timed out (latency 300 ms, past the 150 ms deadline; the emulator acts
// on it afterwards), then a sign-in. The sign-in is now refused while GlobalSignOut still fails
// (the model expects GlobalSignOutPendingException); each is then carried on past faults.clear():
// the sign-in finishes the queued global sign-out first, and once every late request has landed a
// forced refresh must hand out live tokens (invariant 3, strict: no KB6 switch any more).
describe('KB6: a GlobalSignOut that timed out lands late after a new sign-in', () => {
  const LATE: Command = new SetFault('GlobalSignOut', 'latencyLong');
  /** Runs `commands` through the model; then waits until the emulator has answered every GlobalSignOut sent (the late ones included). */
  async function replay(options: { storage: { maxDelayMs: number; seed: number }; twoInstances: boolean }, commands: Command[]): Promise<void> {
    const { model, real: world } = await freshWorld(emu, newStats(), { startSignedIn: true, ...options });
    try {
      for (const command of commands) await command.run(model, world);
      const sent = () => world.stats.requestsSent.GlobalSignOut ?? 0;
      const answered = () => emu.requests.filter((request) => request.operation === 'GlobalSignOut').length;
      while (answered() < sent()) await new Promise((resolve) => setTimeout(resolve, 20));
      await new GetSession(true).run(model, world);
      if (options.twoInstances) await new GetSession(true, 'B').run(model, world);
      await finish(model, world);
    } finally {
      await world.dispose();
    }
  }

  test('seed 210587761, path 6409: faults.set(GlobalSignOut, latency 300 ms), signOut({ global: true }), signIn(), getSession({ forceRefresh: true }); then faults.clear(), signIn()', async () => {
    await replay({ storage: { maxDelayMs: 11, seed: 573487441 }, twoInstances: false }, [LATE, new SignOut(true), new SignIn(), new GetSession(true), new ClearFault(undefined), new SignIn()]);
  });

  test('seed -1582308416, path 17030: two instances, B signs out globally and in again; then faults.clear(), b.signIn()', async () => {
    await replay({ storage: { maxDelayMs: 14, seed: 31280767 }, twoInstances: true }, [
      LATE,
      new SignOut(true, 'B'),
      new SignIn('B'),
      new GetSession(true),
      new GetSession(true, 'B'),
      new ClearFault(undefined),
      new SignIn('B'),
    ]);
  });
});

// ─── Known bugs, found by the property and reduced by hand ───────────────────────────────────────
// Each test asserts the invariant. They were test.failing until the fix (every Cognito call bounded by networkTimeoutMs); jest
// reports it: make it a plain test and drop its exclusion in support/properties/ (KB1: scenarios.ts, KB2: restartAndFlush.ts).

// KB1. Shrunk counterexample (FC_KNOWN_BUGS=1):
//   [{"startSignedIn":true,"commands":faults.set('InitiateAuth', blackhole),getSession({ forceRefresh: true })}]
// signIn() and a refreshing getSession() have no deadline: against an InitiateAuth that never
// answers they never settle (the SDK client has no request timeout), and the statechart stays in
// signingIn / signedIn.refreshing. Worse, a signOut() asked for during such a sign-in waits for it
// (README: "Sign-out is bounded in time ... never hangs").
describe('KB1: an InitiateAuth that never answers', () => {
  test('signIn() settles within the bound', async () => {
    const { real: world } = await freshWorld(emu, newStats());
    try {
      emu.faults.set('InitiateAuth', { type: 'blackhole' });
      await world.settle('signIn()', SignIn.send(world), SIGN_IN_BOUND_MS);
    } finally {
      await world.dispose();
    }
  });

  test('a signOut() asked for during that sign-in settles within networkTimeoutMs + storage + 1 s', async () => {
    const { real: world } = await freshWorld(emu, newStats());
    try {
      emu.faults.set('InitiateAuth', { type: 'blackhole' });
      SignIn.send(world).catch(() => {}); // rejects with AuthStoppedError at dispose()
      await world.settle('signOut() during signIn()', world.auth.signOut(), SETTLE_BOUND_MS);
    } finally {
      await world.dispose();
    }
  });

  test('getSession({ forceRefresh: true }) settles within the bound', async () => {
    const { real: world } = await freshWorld(emu, newStats());
    try {
      await SignIn.send(world);
      emu.faults.set('InitiateAuth', { type: 'blackhole' });
      await world.settle('getSession({ forceRefresh: true })', world.auth.getSession({ forceRefresh: true }), SIGN_IN_BOUND_MS);
    } finally {
      await world.dispose();
    }
  });
});

// KB2. First found in a plain 500-run run; shrunk counterexample (FC_KNOWN_BUGS=1, seed 1948500781,
// path 115:2:2:4:3, replayPath W:B):
//   [{"startSignedIn":true,"commands":faults.set('RevokeToken', blackhole),signOut(),flushRevocations()}]
// The revocation outbox drains with only the instance's stop signal: no networkTimeoutMs. Against
// a RevokeToken that never answers, flushRevocations() never settles, and as every later drain
// joins the pending one, the outbox stays stuck until stop(), even once the network is back.
const HAS_FLUSH = ((): boolean => {
  const probe = createAuth({ userPoolId: 'us-east-1_probe', userPoolClientId: 'probe' });
  void probe.stop();
  return typeof (probe as { flushRevocations?: unknown }).flushRevocations === 'function';
})();

describe('KB2: the revocation outbox against a RevokeToken that never answers', () => {
  (HAS_FLUSH ? test : test.skip)('flushRevocations() settles within networkTimeoutMs + storage + 1 s', async () => {
    const { real: world } = await freshWorld(emu, newStats(), { startSignedIn: true });
    const flush = (): Promise<unknown> => (world.auth as unknown as { flushRevocations: () => Promise<unknown> }).flushRevocations();
    try {
      emu.faults.set('RevokeToken', { type: 'reset' });
      expect(await world.auth.signOut()).toMatchObject({ type: 'partial', revokeTokenError: { name: expect.any(String) } }); // the token waits in the outbox
      emu.faults.set('RevokeToken', { type: 'blackhole' });
      await world.settle('flushRevocations()', flush(), SETTLE_BOUND_MS);
    } finally {
      await world.dispose();
    }
  });
});
