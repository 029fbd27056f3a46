// The bare machines (`authchart/machines`) embedded with actors the app provides: whatever those
// actors do, each state that invokes one is left by its named deadline (docs/machines.md, Bounds),
// except the states that wait on the user. Every actor here never settles unless a test scripts
// it to; each honours `signal`, so a state left also shows its actor aborted. Time is XState's
// SimulatedClock, advanced 1 ms at a time, so a deadline is measured to the millisecond.
// The last part embeds the machines with some actors of the app's and the default ones
// (`authchart/actors`) for the rest, against the emulator over real HTTP on 127.0.0.1.
import { createActor, fromCallback, fromPromise, setup, SimulatedClock, toPromise, waitFor, type AnyActorRef, type AnyStateMachine, type AnyStateNode, type StateValue } from 'xstate';
import {
  authMachine,
  outboxMachine,
  signOutMachine,
  type AnswerInput,
  type AuthEmitted,
  type AuthEvent,
  type CallAnswer,
  type IntentSource,
  type OpenedHostedUi,
  type OpenedLogout,
  type OutboxEvent,
  type PickedIntent,
  type RecordedIntent,
  type RedirectOutcome,
  type RedirectSignInInput,
  type SessionSummary,
  type SettleInput,
  type StoreAfterClear,
  type SignInInput,
  type SignInMethod,
  type SignInStepOutput,
  type SignOutInput,
  type SignOutOutcome,
  type StoredSession,
} from '../machines/index';
import { createActorServices, createAuthActors, createHostedUiActors, createSignOutActors, createTabActors } from '../src/actors/index';
import { createFetchCognito } from '../src/transport/fetch';
import { createMemoryStorage } from '../src/index';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';

const N = 300; // networkTimeoutMs
const S = 100; // storageTimeoutMs
const context = { networkTimeoutMs: N, storageTimeoutMs: S };

// ---------------------------------------------------------------------------------------------
// Scripted actors: each call takes the next step of its actor's script; past the script it never settles.

type Step = { readonly resolve: unknown } | { readonly reject: unknown } | 'hang';
type Plan = Readonly<Record<string, readonly Step[]>>;

function script(plan: Plan = {}) {
  const queues = new Map(Object.entries(plan).map(([name, steps]) => [name, [...steps]]));
  const started: string[] = [];
  const aborted: string[] = [];
  /** A promise actor that follows the script; one that never settles rejects only when its signal aborts. */
  const actor = <Output, Input = unknown>(name: string) =>
    fromPromise<Output, Input>(({ signal }) => {
      started.push(name);
      const step = queues.get(name)?.shift() ?? 'hang';
      if (step === 'hang') {
        return new Promise<Output>((_, reject) => {
          signal.addEventListener('abort', () => {
            aborted.push(name);
            reject(signal.reason);
          }, { once: true });
        });
      }
      return 'resolve' in step ? Promise.resolve(step.resolve as Output) : Promise.reject(step.reject);
    });
  return { actor, started, aborted };
}
type Script = ReturnType<typeof script>;

/** The sign-out chart's leaves, scripted. */
const signOutLeaves = (s: Script) => ({
  recordIntent: s.actor<RecordedIntent, { source: IntentSource; global: boolean }>('recordIntent'),
  refreshAccessToken: s.actor<void, { intentId: string }>('refreshAccessToken'),
  revokeToken: s.actor<void, { intentId: string }>('revokeToken'),
  globalSignOut: s.actor<void, { intentId: string }>('globalSignOut'),
  announceSignOut: s.actor<{ status: number }, { intentId: string; scope: 'session' | 'user' }>('announceSignOut'),
  clearTokens: s.actor<void>('clearTokens'),
  confirmClear: s.actor<StoreAfterClear>('confirmClear'),
  settleIntent: s.actor<{ queued: boolean }, SettleInput>('settleIntent'),
});

const ok: Step = { resolve: undefined };
const recorded: Step = { resolve: { intentId: 'i1', revocable: true, scope: 'admin' } satisfies RecordedIntent };
const refused = { name: 'NotAuthorizedException', message: 'Access Token has been revoked' };
const queued: IntentSource = { kind: 'queued', intentId: 'q1' };

// ---------------------------------------------------------------------------------------------
// Reading the machines and the clock.

/** 'a.b.c' → { a: { b: 'c' } } */
function valueOf(path: string): StateValue {
  const keys = path.split('.');
  return keys.reduceRight<StateValue>((inner, key) => ({ [key]: inner }), keys.pop()!);
}
const inState = (actor: AnyActorRef, path: string) => actor.getSnapshot().matches(valueOf(path)) as boolean;

/** Advances the clock 1 ms at a time while `actor` is in `path`: how long it stayed (Infinity past `limit`). */
function msInState(clock: SimulatedClock, actor: AnyActorRef, path: string, limit = 10 * (N + 5 * S)): number {
  const from = clock.now();
  while (inState(actor, path)) {
    if (clock.now() - from >= limit) return Infinity;
    clock.increment(1);
  }
  return clock.now() - from;
}

/** The value of a machine's named delay for N and S. */
function delayOf(machine: AnyStateMachine, name: string): number {
  const delay = (machine.implementations.delays as Record<string, (args: { context: typeof context }) => number>)[name];
  if (!delay) throw new Error(`${machine.id} has no delay ${name}`);
  return delay({ context });
}

function statesOf(node: AnyStateNode): AnyStateNode[] {
  return (Object.values(node.states) as AnyStateNode[]).flatMap((child) => [child, ...statesOf(child)]);
}
/** The states that invoke an actor (the root's own invocations live as long as the machine). */
const invokingStates = (machine: AnyStateMachine) => statesOf(machine.root as AnyStateNode).filter((node) => node.invoke.length > 0).map((node) => node.path.join('.')).sort();

// ---------------------------------------------------------------------------------------------

describe('signOutMachine: every invoking state is left by its deadline, whatever its actor does', () => {
  function run(input: Partial<SignOutInput>, plan: Plan = {}) {
    const s = script(plan);
    const clock = new SimulatedClock();
    const base: SignOutInput = { global: false, revocable: true, scope: 'admin', source: { kind: 'session' }, queueing: false, ...context };
    const actor = createActor(signOutMachine.provide({ actors: signOutLeaves(s) }), { input: { ...base, ...input }, clock }).start();
    return { s, clock, actor, outcome: toPromise(actor) };
  }

  /** state → how to get there, the actor it waits on, its delay and that delay's value for N and S. */
  const SCENARIOS: Record<string, { input: Partial<SignOutInput>; plan?: Plan; invoked: string; delay: string; ms: number; outcome: unknown }> = {
    recordingIntent: {
      input: {},
      invoked: 'recordIntent',
      delay: 'storageDeadline',
      ms: S,
      // …and on: nothing was sent, clearTokens and settleIntent never settle either.
      outcome: { type: 'failed', error: { name: 'StorageError' }, tokensRevoked: false, revokeTokenError: { name: 'NotSent' } },
    },
    'callingCognito.revoking': {
      input: { source: queued },
      plan: { settleIntent: [{ resolve: { queued: false } }] },
      invoked: 'revokeToken',
      delay: 'networkDeadline',
      ms: N,
      outcome: { type: 'partial', revokeTokenError: { name: 'TimeoutError' }, finishedBy: 'retrySignOut', intentId: 'q1' },
    },
    'callingCognito.signingOutGlobally.refreshingAccessToken': {
      input: { source: queued, global: true, accessTokenExpiresInMs: 0 },
      plan: { settleIntent: [{ resolve: { queued: false } }] },
      invoked: 'refreshAccessToken',
      delay: 'refreshDeadline', // half of networkDeadline: RevokeToken after it gets the other half
      ms: N / 2,
      outcome: { type: 'partial', globalSignOutError: { name: 'TimeoutError' }, revokeTokenError: { name: 'TimeoutError' }, finishedBy: 'retrySignOut' },
    },
    'callingCognito.signingOutGlobally.invalidatingSessions': {
      input: { source: queued, global: true },
      plan: { settleIntent: [{ resolve: { queued: false } }] },
      invoked: 'globalSignOut',
      delay: 'networkDeadline',
      ms: N,
      outcome: { type: 'partial', globalSignOutError: { name: 'TimeoutError' }, revokeTokenError: { name: 'TimeoutError' }, finishedBy: 'retrySignOut' },
    },
    'callingCognito.signingOutGlobally.revoking': {
      input: { source: queued, global: true },
      plan: { globalSignOut: [{ reject: refused }], settleIntent: [{ resolve: { queued: false } }] },
      invoked: 'revokeToken',
      delay: 'networkDeadline', // on callingCognito: RevokeToken gets what GlobalSignOut left of it
      ms: N,
      outcome: { type: 'partial', globalSignOutError: refused, revokeTokenError: { name: 'TimeoutError' }, finishedBy: 'retrySignOut' },
    },
    announcing: {
      // An outbox intent whose Cognito calls are done: only the announcement is left, and it stays queued.
      input: { source: queued, queueing: true, announces: true, pendingAnnouncement: 'session' },
      plan: { settleIntent: [{ resolve: { queued: true } }] },
      invoked: 'announceSignOut',
      delay: 'announceDeadline',
      ms: N,
      outcome: { type: 'partial', finishedBy: 'outbox', apiNotified: false, announceError: { name: 'TimeoutError' }, intentId: 'q1' },
    },
    clearingCache: {
      input: {},
      plan: { recordIntent: [recorded], revokeToken: [ok], settleIntent: [{ resolve: { queued: false } }] },
      invoked: 'clearTokens',
      delay: 'clearDeadline',
      ms: 2 * S,
      // The device-clear failure is the outcome: failed, though RevokeToken succeeded (the store, read again, never answers either).
      outcome: { type: 'failed', error: { name: 'StorageError', message: expect.stringContaining(`storageTimeoutMs (${2 * S} ms)`) }, tokensRevoked: true, intentId: 'i1' },
    },
    verifyingClear: {
      input: {},
      plan: { recordIntent: [recorded], revokeToken: [ok], clearTokens: [{ reject: { name: 'StorageError', message: 'removeItem failed' } }], settleIntent: [{ resolve: { queued: false } }] },
      invoked: 'confirmClear',
      delay: 'confirmDeadline',
      ms: 3 * S,
      // Nothing says the store was emptied: the clear's failure stands.
      outcome: { type: 'failed', error: { name: 'StorageError', message: 'removeItem failed' }, tokensRevoked: true, intentId: 'i1' },
    },
    settlingIntent: {
      input: { source: queued },
      plan: { revokeToken: [ok] },
      invoked: 'settleIntent',
      delay: 'storageDeadline',
      ms: S,
      outcome: { type: 'complete', intentId: 'q1' },
    },
  };

  test('the scenarios cover every state of the chart that invokes an actor', () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual(invokingStates(signOutMachine));
  });

  test.each(Object.entries(SCENARIOS))('%s', async (path, scenario) => {
    expect(delayOf(signOutMachine, scenario.delay)).toBe(scenario.ms);
    const r = run(scenario.input, scenario.plan);
    await waitFor(r.actor, () => inState(r.actor, path));
    expect(r.s.started.at(-1)).toBe(scenario.invoked);
    expect(msInState(r.clock, r.actor, path)).toBe(scenario.ms);
    expect(r.s.aborted).toContain(scenario.invoked);
    // The flow goes on to a final outcome (later steps that never settle meet their own deadlines).
    for (let i = 0; i < 10 * S && r.actor.getSnapshot().status === 'active'; i += 1) r.clock.increment(1);
    await expect(r.outcome).resolves.toMatchObject(scenario.outcome as object);
  });

  test('with every actor never settling the flow still ends, by S + 2 S + 3 S + S, reporting the device not cleared', async () => {
    const r = run({ global: true });
    expect(msInState(r.clock, r.actor, 'recordingIntent')).toBe(S);
    expect(msInState(r.clock, r.actor, 'clearingCache')).toBe(2 * S);
    expect(msInState(r.clock, r.actor, 'verifyingClear')).toBe(3 * S);
    expect(msInState(r.clock, r.actor, 'settlingIntent')).toBe(S);
    const outcome = await r.outcome;
    expect(outcome).toMatchObject({ type: 'failed', error: { name: 'StorageError' }, tokensRevoked: false, globalSignOutError: { name: 'NotSent' }, revokeTokenError: { name: 'NotSent' } });
    expect(outcome).not.toHaveProperty('intentId');
    expect(r.s.aborted).toEqual(['recordIntent', 'clearTokens', 'confirmClear', 'settleIntent']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('outboxMachine: a drain and a retry end by their deadlines, whatever the actors do', () => {
  type Answer = { type: 'OUTBOX_ANSWERED'; id: number; answer: CallAnswer };
  /** The outbox answers its parent (sendParent): here a parent that records the answers. */
  function run(plan: Plan = {}) {
    const s = script(plan);
    const clock = new SimulatedClock();
    const signOut = signOutMachine.provide({ actors: signOutLeaves(s) });
    const outbox = outboxMachine.provide({
      actors: { pickIntent: s.actor<PickedIntent, { everyEntry: boolean; tried: readonly string[]; take: boolean }>('pickIntent'), watchBackoff: fromCallback(() => undefined), signOut },
    });
    const answers: Answer[] = [];
    const parent = setup({ types: { events: {} as Answer, children: {} as { outbox: 'outbox' } }, actors: { outbox } }).createMachine({
      invoke: { id: 'outbox', src: 'outbox', input: { ...context, queueing: true } },
      on: { OUTBOX_ANSWERED: { actions: ({ event }) => void answers.push(event) } },
    });
    const actor = createActor(parent, { clock }).start();
    const child = actor.getSnapshot().children.outbox!;
    const send = (event: OutboxEvent) => child.send(event);
    return { s, clock, child, send, answers };
  }
  const none: Step = { resolve: { intent: null, pending: 0 } satisfies PickedIntent };
  const one: Step = { resolve: { intent: { intentId: 'q1', global: false, revocable: true, scope: 'admin' }, pending: 1 } satisfies PickedIntent };

  test('draining.pickingIntent: a pick that never settles ends the drain at drainDeadline (N + 2 S); a flush waiting on it is answered', async () => {
    expect(delayOf(outboxMachine, 'drainDeadline')).toBe(N + 2 * S);
    const r = run();
    r.send({ type: 'FLUSH_REVOCATIONS', id: 7 });
    r.send({ type: 'SESSION_LOADED' });
    expect(inState(r.child, 'draining.pickingIntent')).toBe(true);
    expect(msInState(r.clock, r.child, 'draining')).toBe(N + 2 * S);
    expect(inState(r.child, 'idle')).toBe(true);
    expect(r.s.aborted).toEqual(['pickIntent']);
    expect(r.answers).toEqual([{ type: 'OUTBOX_ANSWERED', id: 7, answer: { kind: 'flush', report: { revoked: 0, dropped: 0, pending: 0 } } }]);
  });

  test('draining.finishingIntent: its chart ends by its own deadlines (N + S for a queued intent), the drain by drainDeadline', async () => {
    const r = run({ pickIntent: [one] });
    r.send({ type: 'SESSION_LOADED' });
    await waitFor(r.child, () => inState(r.child, 'draining.finishingIntent'));
    expect(msInState(r.clock, r.child, 'draining.finishingIntent')).toBe(N + S);
    expect(msInState(r.clock, r.child, 'draining')).toBe(S);
    expect(r.s.aborted).toEqual(['revokeToken', 'settleIntent', 'pickIntent']);
    expect(inState(r.child, 'idle')).toBe(true);
  });

  test('retrying: its chart ends by its own deadlines (within N + 2 S) and the caller hears the outcome', async () => {
    const r = run({ pickIntent: [none] });
    r.send({ type: 'SESSION_LOADED' });
    await waitFor(r.child, () => inState(r.child, 'idle'));
    r.send({ type: 'RETRY_SIGN_OUT', id: 3, credential: 'secret#1', global: false });
    const ms = msInState(r.clock, r.child, 'retrying');
    expect(ms).toBe(2 * S); // recordingIntent (S), then settlingIntent (S): nothing was sent
    expect(ms).toBeLessThanOrEqual(N + 2 * S);
    expect(r.s.aborted).toEqual(['recordIntent', 'settleIntent']);
    expect(r.answers).toEqual([{ type: 'OUTBOX_ANSWERED', id: 3, answer: { kind: 'signOut', outcome: expect.objectContaining({ type: 'partial', revokeTokenError: expect.objectContaining({ name: 'NotSent' }) }) } }]);
  });

  test('the tests above cover every state of the chart that invokes an actor (idle: watchBackoff, a resting watcher)', () => {
    expect(invokingStates(outboxMachine)).toEqual(['draining.finishingIntent', 'draining.pickingIntent', 'idle', 'retrying']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('authMachine: every invoking state is left by its deadline, except the two that wait on the user', () => {
  const session = (signedInWith: SignInMethod = 'password'): SessionSummary => ({ username: 'alice', revocable: true, expiresAt: 1, signedInWith });
  const hostedUi = { logoutUrl: 'https://auth.example.com/logout?client_id=c&logout_uri=app%3A%2F%2Fout', returnTo: 'app://out' };

  function run(plan: Plan) {
    const s = script(plan);
    const turns = [...(plan.takeRefreshTurn ?? [])];
    const clock = new SimulatedClock();
    const signOut = signOutMachine.provide({ actors: signOutLeaves(s) });
    const none: PickedIntent = { intent: null, pending: 0 };
    const outbox = outboxMachine.provide({ actors: { pickIntent: fromPromise(async () => none), watchBackoff: fromCallback(() => undefined), signOut } });
    const machine = authMachine.provide({
      actors: {
        loadSession: s.actor<StoredSession | null>('loadSession'),
        signIn: s.actor<SignInStepOutput, SignInInput>('signIn'),
        answerChallenge: s.actor<SignInStepOutput, AnswerInput>('answerChallenge'),
        confirmDevice: s.actor<void, { ref: string }>('confirmDevice'),
        refreshTokens: s.actor<SessionSummary, { username: string; signedInWith: SignInMethod; expiresAt: number; tokenId?: string }>('refreshTokens'),
        clearSession: s.actor<void>('clearSession'),
        confirmClear: s.actor<StoreAfterClear>('confirmClear'),
        queueRotatedToken: s.actor<void, { ref: string }>('queueRotatedToken'),
        openHostedUi: s.actor<OpenedHostedUi, RedirectSignInInput>('openHostedUi'),
        completeRedirect: s.actor<RedirectOutcome, { credential: string }>('completeRedirect'),
        recordHostedUiSignOut: s.actor<void, { returnTo: string; outcome: Extract<SignOutOutcome, { type: 'complete' | 'partial' }> }>('recordHostedUiSignOut'),
        openLogout: s.actor<OpenedLogout, { logoutUrl: string; returnTo: string }>('openLogout'),
        signOut,
        outbox,
        watchTabs: fromCallback(() => undefined),
        // Scripted like the rest: a step's `resolve` is the turn it reports; past the script it never comes.
        takeRefreshTurn: fromCallback(({ sendBack }) => {
          s.started.push('takeRefreshTurn');
          const step = turns.shift() ?? 'hang';
          if (step !== 'hang' && 'resolve' in step) sendBack({ type: 'REFRESH_TURN_TAKEN', ...(step.resolve as { shared: boolean; waited: boolean }) });
          return () => void s.aborted.push('takeRefreshTurn');
        }),
        readStoredRefresh: s.actor<SessionSummary | null, { held: SessionSummary | null; watch: boolean }>('readStoredRefresh'),
      },
    });
    const actor = createActor(machine, { input: { ...context, refreshSkewMs: 60_000, queueing: true }, clock });
    const emitted: AuthEmitted[] = [];
    actor.on('*', (event) => void emitted.push(event));
    actor.start();
    const answerTo = (id: number) => emitted.flatMap((e) => (e.type === 'answered' && e.id === id ? [e.answer] : []));
    const reach = (path: string) => waitFor(actor, () => inState(actor, path));
    return { s, clock, actor, emitted, answerTo, reach };
  }
  type Run = ReturnType<typeof run>;

  /** Waits for `path`, then sends `event`. */
  const from = async (r: Run, path: string, event: AuthEvent) => {
    await r.reach(path);
    r.actor.send(event);
  };
  const signIn: AuthEvent = { type: 'SIGN_IN', id: 1, username: 'alice', authFlow: 'USER_SRP_AUTH', credential: 'secret#1' };
  const signedOut: Plan = { loadSession: [{ resolve: null }] };
  const signedIn: Plan = { loadSession: [{ resolve: { session: session(), heldByOutbox: null } }] };
  const stepTimedOut = { kind: 'refused', error: { name: 'TimeoutError', message: expect.stringContaining('networkTimeoutMs + 3 × storageTimeoutMs') } };

  /**
   * state → how to get there, the actor it waits on, the delay that ends the wait and when it ends
   * (a state that runs a child chart has no delay of its own: `bound` is the chart's), and what it leaves behind.
   */
  const SCENARIOS: Record<string, { plan: Plan; drive?: (r: Run) => Promise<void>; invoked: string; delay: string | null; ms: number; bound?: number; after?: (r: Run) => void }> = {
    loadingSession: {
      plan: {},
      invoked: 'loadSession',
      delay: 'loadDeadline',
      ms: 3 * S,
      after: (r) => {
        expect(inState(r.actor, 'signedOut')).toBe(true);
        expect(r.emitted).toContainEqual({ type: 'storageError', error: expect.objectContaining({ name: 'StorageError' }) });
      },
    },
    adoptingSession: {
      plan: signedOut,
      drive: (r) => from(r, 'signedOut', { type: 'SIGNED_IN_ELSEWHERE' }),
      invoked: 'loadSession',
      delay: 'loadDeadline',
      ms: 3 * S,
      after: (r) => expect(inState(r.actor, 'signedOut')).toBe(true),
    },
    // A stored session whose sign-out did not end: its clear never answers, and the engine starts signed out, saying so.
    clearingQueuedSession: {
      plan: { loadSession: [{ resolve: { session: session(), heldByOutbox: 'queued' } }] },
      invoked: 'clearSession',
      delay: 'clearDeadline',
      ms: 2 * S,
      after: (r) => {
        expect(inState(r.actor, 'signedOut')).toBe(true);
        expect(r.emitted).toContainEqual({ type: 'storageError', error: expect.objectContaining({ name: 'StorageError' }) });
      },
    },
    checkingStore: {
      plan: signedOut,
      drive: (r) => from(r, 'signedOut', { type: 'SIGN_OUT', id: 1, global: false }),
      invoked: 'loadSession',
      delay: 'loadDeadline',
      ms: 3 * S,
      after: (r) => expect(r.answerTo(1)).toEqual([{ kind: 'signOut', outcome: { type: 'failed', error: expect.objectContaining({ name: 'StorageError' }), tokensRevoked: false } }]),
    },
    signingIn: {
      plan: signedOut,
      drive: (r) => from(r, 'signedOut', signIn),
      invoked: 'signIn',
      delay: 'stepDeadline',
      ms: N + 3 * S,
      after: (r) => expect(r.answerTo(1)).toEqual([stepTimedOut]),
    },
    // A new device whose confirmation never answers: signed in all the same, the device reported (deviceError), deviceConfirmed false.
    confirmingDevice: {
      plan: { ...signedOut, signIn: [{ resolve: { kind: 'signedIn', session: session(), device: 'secret#2' } satisfies SignInStepOutput }] },
      drive: (r) => from(r, 'signedOut', signIn),
      invoked: 'confirmDevice',
      delay: 'stepDeadline',
      ms: N + 3 * S,
      after: (r) => {
        expect(inState(r.actor, 'signedIn')).toBe(true);
        expect(r.answerTo(1)).toEqual([{ kind: 'signedIn', deviceConfirmed: false }]);
        expect(r.emitted).toContainEqual({ type: 'deviceError', error: expect.objectContaining({ name: 'TimeoutError' }) });
      },
    },
    answeringChallenge: {
      plan: { ...signedOut, signIn: [{ resolve: { kind: 'challenge', challenge: { name: 'SOFTWARE_TOKEN_MFA', username: 'alice', sessionRef: 'secret#2' } } satisfies SignInStepOutput }] },
      drive: async (r) => {
        await from(r, 'signedOut', signIn);
        await from(r, 'awaitingChallengeAnswer', { type: 'CONFIRM_SIGN_IN', id: 2, credential: 'secret#3', userAttributes: {} });
      },
      invoked: 'answerChallenge',
      delay: 'stepDeadline',
      ms: N + 3 * S,
      after: (r) => expect(r.answerTo(2)).toEqual([stepTimedOut]),
    },
    completingRedirect: {
      plan: signedOut,
      drive: (r) => from(r, 'signedOut', { type: 'HANDLE_REDIRECT', id: 1, credential: 'secret#1' }),
      invoked: 'completeRedirect',
      delay: 'stepDeadline',
      ms: N + 3 * S,
      after: (r) => expect(r.answerTo(1)).toEqual([stepTimedOut]),
    },
    // The turn never comes (another tab holds the lock): the step's deadline covers the wait too.
    'signedIn.refreshing': {
      plan: signedIn,
      drive: (r) => from(r, 'signedIn.active', { type: 'GET_SESSION', id: 1, forceRefresh: true, at: 0 }),
      invoked: 'takeRefreshTurn',
      delay: 'stepDeadline',
      ms: N + 3 * S,
      after: (r) => {
        expect(inState(r.actor, 'signedIn.active')).toBe(true);
        expect(r.answerTo(1)).toEqual([stepTimedOut]);
      },
    },
    // After waiting its turn, the look for another tab's refresh finds nothing in time: refresh here.
    'signedIn.refreshing.lookingForTabsRefresh': {
      plan: { ...signedIn, takeRefreshTurn: [{ resolve: { shared: true, waited: true } }] },
      drive: (r) => from(r, 'signedIn.active', { type: 'GET_SESSION', id: 1, forceRefresh: true, at: 0 }),
      invoked: 'readStoredRefresh',
      delay: 'tabRefreshDeadline',
      ms: S,
      after: (r) => expect(inState(r.actor, 'signedIn.refreshing.refreshingTokens')).toBe(true),
    },
    'signedIn.refreshing.refreshingTokens': {
      plan: { ...signedIn, takeRefreshTurn: [{ resolve: { shared: false, waited: false } }] },
      drive: (r) => from(r, 'signedIn.active', { type: 'GET_SESSION', id: 1, forceRefresh: true, at: 0 }),
      invoked: 'refreshTokens',
      delay: 'stepDeadline',
      ms: N + 3 * S,
      // Offline or slow is never a sign-out: the session is kept.
      after: (r) => {
        expect(inState(r.actor, 'signedIn.active')).toBe(true);
        expect(r.answerTo(1)).toEqual([stepTimedOut]);
      },
    },
    // A rotated refresh token the refresh could not store is queued; a storage that never answers does not hold the session.
    'signedIn.refreshing.queueingRotatedToken': {
      plan: { ...signedIn, takeRefreshTurn: [{ resolve: { shared: false, waited: false } }], refreshTokens: [{ reject: { name: 'StorageError', message: 'quota', rotatedTokenRef: 'secret#4' } }] },
      drive: (r) => from(r, 'signedIn.active', { type: 'GET_SESSION', id: 1, forceRefresh: true, at: 0 }),
      invoked: 'queueRotatedToken',
      delay: 'storageDeadline',
      ms: S,
      after: (r) => {
        expect(inState(r.actor, 'signedIn.active')).toBe(true);
        expect(r.answerTo(1)).toEqual([{ kind: 'refused', error: { name: 'StorageError', message: 'quota' } }]);
      },
    },
    endingSession: {
      plan: { ...signedIn, takeRefreshTurn: [{ resolve: { shared: false, waited: false } }], refreshTokens: [{ reject: refused }] },
      drive: (r) => from(r, 'signedIn.active', { type: 'GET_SESSION', id: 1, forceRefresh: true, at: 0 }),
      invoked: 'clearSession',
      delay: 'clearDeadline',
      ms: 2 * S,
      after: (r) => expect(inState(r.actor, 'confirmingClear')).toBe(true), // not confirmed: the store is read back
    },
    confirmingClear: {
      plan: { ...signedIn, takeRefreshTurn: [{ resolve: { shared: false, waited: false } }], refreshTokens: [{ reject: refused }], clearSession: [{ reject: { name: 'StorageError', message: 'removeItem failed' } }] },
      drive: (r) => from(r, 'signedIn.active', { type: 'GET_SESSION', id: 1, forceRefresh: true, at: 0 }),
      invoked: 'confirmClear',
      delay: 'confirmDeadline',
      ms: 3 * S,
      after: (r) => {
        expect(inState(r.actor, 'revokedButStored')).toBe(true);
        expect(r.emitted).toContainEqual({ type: 'storageError', error: { name: 'StorageError', message: 'removeItem failed' } });
      },
    },
    signingOut: {
      plan: signedIn,
      drive: (r) => from(r, 'signedIn.active', { type: 'SIGN_OUT', id: 1, global: false }),
      invoked: 'recordIntent', // the sign-out chart's first step
      delay: null, // no delay of its own: the chart's (recordingIntent S, callingCognito N, clearingCache 2 S, verifyingClear 3 S, settlingIntent S)
      ms: S + 2 * S + 3 * S + S, // nothing was recorded, so nothing was sent: N is not spent
      bound: N + 7 * S,
      after: (r) => {
        expect(inState(r.actor, 'signedIn.active')).toBe(true); // failed, nothing revoked: still signed in
        expect(r.answerTo(1)).toEqual([{ kind: 'signOut', outcome: expect.objectContaining({ type: 'failed', error: expect.objectContaining({ name: 'StorageError' }), tokensRevoked: false }) }]);
      },
    },
    // A sign-in whose tokens the store took back: the sign-out chart revokes them (a retry source, no clear).
    revokingUnstored: {
      plan: { ...signedOut, signIn: [{ reject: { name: 'StorageError', message: 'full', unstoredTokensRef: 'secret#9' } }] },
      drive: (r) => from(r, 'signedOut', signIn),
      invoked: 'recordIntent', // the sign-out chart's first step
      delay: null, // the chart's: recordingIntent S, callingCognito N, settlingIntent S
      ms: S + S, // nothing was recorded, so nothing was sent: N is not spent
      bound: N + 2 * S,
      after: (r) => {
        expect(inState(r.actor, 'signedOut')).toBe(true);
        expect(r.answerTo(1)).toEqual([{ kind: 'refused', error: { name: 'StorageError', message: 'full' } }]);
      },
    },
    recordingHostedUiSignOut: {
      plan: { loadSession: [{ resolve: { session: session('hostedUi'), heldByOutbox: null } }], recordIntent: [recorded], revokeToken: [ok], clearTokens: [ok], settleIntent: [{ resolve: { queued: false } }] },
      drive: (r) => from(r, 'signedIn.active', { type: 'SIGN_OUT', id: 1, global: false, hostedUi }),
      invoked: 'recordHostedUiSignOut',
      delay: 'storageDeadline',
      ms: S,
      after: (r) => {
        expect(inState(r.actor, 'signedOut')).toBe(true);
        expect(r.answerTo(1)).toEqual([{ kind: 'signOut', outcome: expect.objectContaining({ type: 'partial', hostedUiError: expect.objectContaining({ name: 'HostedUiSignOutNotOpened', logoutUrl: hostedUi.logoutUrl }) }) }]);
      },
    },
  };

  test.each(Object.entries(SCENARIOS))('%s', async (path, scenario) => {
    if (scenario.delay) expect(delayOf(authMachine, scenario.delay)).toBe(scenario.ms);
    const r = run(scenario.plan);
    await scenario.drive?.(r);
    await r.reach(path);
    expect(r.s.started.at(-1)).toBe(scenario.invoked);
    const ms = msInState(r.clock, r.actor, path);
    expect(ms).toBe(scenario.ms);
    if (scenario.bound !== undefined) expect(ms).toBeLessThanOrEqual(scenario.bound);
    expect(r.s.aborted).toContain(scenario.invoked);
    scenario.after?.(r);
    r.actor.stop();
  });

  // A refresh whose write a sign-out elsewhere refused (StaleWriteError) after Cognito rotated the
  // refresh token: the new token is queued, then, however the queueing ends, the store decides
  // (adoptingSession reads it again) rather than the session held going on.
  const staleRotated = { name: 'StaleWriteError', message: 'The session was cleared, replaced or signed out during this write', rotatedTokenRef: 'secret#5' };
  test.each([
    ['the queueing fails', [{ reject: { name: 'StorageError', message: 'full' } }]],
    ['the queueing never answers (storageDeadline)', []],
  ] as const)('queueingRotatedToken after a refused write: %s → adoptingSession, never back to the session held', async (_, queue) => {
    const r = run({
      ...signedIn,
      takeRefreshTurn: [{ resolve: { shared: false, waited: false } }],
      refreshTokens: [{ reject: staleRotated }],
      queueRotatedToken: [...queue],
      loadSession: [{ resolve: { session: session(), heldByOutbox: null } }, { resolve: null }],
    });
    await r.reach('signedIn.active');
    r.actor.send({ type: 'GET_SESSION', id: 1, forceRefresh: true, at: 0 });
    await r.reach('signedIn.refreshing.queueingRotatedToken');
    if (queue.length === 0) r.clock.increment(S);
    await r.reach('signedOut'); // the store holds nothing now: adopted as signed out
    expect(r.s.started).toContain('loadSession');
    expect(r.answerTo(1)).toEqual([{ kind: 'refused', error: { name: 'StaleWriteError', message: staleRotated.message } }]);
    r.actor.stop();
  });

  const USER_WAITS = ['openingHostedUi', 'openingLogout'];

  test('the scenarios and the two states that wait on the user cover every state that invokes an actor', () => {
    expect([...Object.keys(SCENARIOS), ...USER_WAITS].sort()).toEqual(invokingStates(authMachine));
  });

  test('openingHostedUi waits on the user: no deadline; getSession() is answered meanwhile, and signOut() ends it at once', async () => {
    const r = run(signedOut);
    await r.reach('signedOut');
    r.actor.send({ type: 'SIGN_IN_WITH_REDIRECT', id: 1 });
    await r.reach('openingHostedUi');
    for (let minute = 0; minute < 60; minute += 1) r.clock.increment(60_000);
    expect(inState(r.actor, 'openingHostedUi')).toBe(true);
    r.actor.send({ type: 'GET_SESSION', id: 2, forceRefresh: false, at: 0 });
    expect(r.answerTo(2)).toEqual([{ kind: 'noSession' }]);
    r.actor.send({ type: 'SIGN_OUT', id: 3, global: false });
    expect(inState(r.actor, 'signedOut')).toBe(true);
    expect(r.s.aborted).toEqual(['openHostedUi']);
    expect(r.answerTo(1)).toEqual([{ kind: 'refused', error: expect.objectContaining({ name: 'RedirectSignInCancelled' }) }]);
    expect(r.answerTo(3)).toEqual([{ kind: 'signOut', outcome: { type: 'complete' } }]);
  });

  test('openingLogout waits on the user: no deadline; the device is already cleared, and stopping the actor aborts the opener', async () => {
    const r = run({ loadSession: [{ resolve: { session: session('hostedUi'), heldByOutbox: null } }], recordIntent: [recorded], revokeToken: [ok], clearTokens: [ok], settleIntent: [{ resolve: { queued: false } }], recordHostedUiSignOut: [ok] });
    await r.reach('signedIn.active');
    r.actor.send({ type: 'SIGN_OUT', id: 1, global: false, hostedUi });
    await r.reach('openingLogout');
    for (let minute = 0; minute < 60; minute += 1) r.clock.increment(60_000);
    expect(inState(r.actor, 'openingLogout')).toBe(true);
    r.actor.send({ type: 'GET_SESSION', id: 2, forceRefresh: false, at: 0 });
    expect(r.answerTo(2)).toEqual([{ kind: 'noSession' }]);
    expect(r.s.started).toContain('clearTokens');
    r.actor.stop();
    expect(r.s.aborted).toEqual(['openLogout']);
  });
});

// ---------------------------------------------------------------------------------------------
// Some actors of the app's own, the defaults (`authchart/actors`) for the rest, against the emulator.

describe('embedded with the default actors for the rest, against the emulator', () => {
  let emu: CognitoEmulator;
  beforeAll(async () => {
    emu = await startCognitoEmulator();
  });
  afterAll(() => emu.close());

  function embed(options: { queueing?: boolean } = {}) {
    const pool = emu.setup({});
    const cognito = createFetchCognito({ region: emu.region, endpoint: emu.endpoint, clientId: pool.clientId });
    const timeouts = { networkTimeoutMs: 3000, storageTimeoutMs: 1000 };
    const queueing = options.queueing ?? false;
    const services = createActorServices({ cognito, storage: createMemoryStorage(), clientId: pool.clientId, userPoolId: pool.userPoolId, ...timeouts, queueing });
    return { pool, cognito, services, timeouts, queueing };
  }

  /** Signs in with the default signIn actor's own transport, and stores the session as it does. */
  async function signedIn(e: ReturnType<typeof embed>) {
    const step = await e.cognito.initiateAuth('USER_PASSWORD_AUTH', { USERNAME: e.pool.username, PASSWORD: e.pool.password });
    if (step.kind !== 'tokens') throw new Error(`expected tokens, got the ${step.name} challenge`);
    await e.services.store.save(step.tokens);
    return step.tokens;
  }

  test('signOutMachine with the app\'s clearTokens and the default recordIntent, globalSignOut, revokeToken, settleIntent: complete', async () => {
    const e = embed();
    const tokens = await signedIn(e);
    const appCache = new Map([['profile', 'alice']]);
    const machine = signOutMachine.provide({
      actors: {
        ...createSignOutActors(e.services),
        clearTokens: fromPromise(async () => {
          appCache.clear();
          await e.services.store.clear();
        }),
      },
    });
    const input: SignOutInput = { global: true, revocable: true, scope: 'admin', source: { kind: 'session' }, queueing: e.queueing, ...e.timeouts };
    const outcome = await toPromise(createActor(machine, { input }).start());
    expect(outcome).toMatchObject({ type: 'complete' });
    expect(appCache.size).toBe(0);
    expect(await e.services.store.load()).toBeNull();
    expect(emu.tokenRevoked(tokens.refreshToken!)).toBe(true);
    expect(emu.tokenRevoked(tokens.accessToken)).toBe(true);
  });

  test('the app\'s clearTokens never settles: RevokeToken really ran, and at clearDeadline the outcome is failed, tokensRevoked', async () => {
    const e = embed();
    const tokens = await signedIn(e);
    const aborted: string[] = [];
    const machine = signOutMachine.provide({
      actors: {
        ...createSignOutActors(e.services),
        clearTokens: fromPromise<void>(({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject((aborted.push('clearTokens'), signal.reason)), { once: true }))),
      },
    });
    const clock = new SimulatedClock();
    const input: SignOutInput = { global: false, revocable: true, scope: 'admin', source: { kind: 'session' }, queueing: e.queueing, ...e.timeouts };
    const actor = createActor(machine, { input, clock }).start();
    const outcome = toPromise(actor);
    await waitFor(actor, (s) => s.matches('clearingCache'), { timeout: 10_000 });
    expect(emu.tokenRevoked(tokens.refreshToken!)).toBe(true);
    clock.increment(2 * e.timeouts.storageTimeoutMs - 1);
    expect(actor.getSnapshot().value).toBe('clearingCache');
    clock.increment(1);
    await expect(outcome).resolves.toMatchObject({ type: 'failed', error: { name: 'StorageError' }, tokensRevoked: true });
    expect(aborted).toEqual(['clearTokens']);
    // What the outcome says is so: the device still holds the (now dead) session.
    expect(await e.services.store.load()).toMatchObject({ refreshToken: tokens.refreshToken });
  });

  test('authMachine: sign-in (SRP) and sign-out end to end with the app\'s clearTokens and every other actor the default', async () => {
    const e = embed({ queueing: true });
    const cleared: string[] = [];
    const signOutActors = createSignOutActors(e.services);
    const signOut = signOutMachine.provide({
      actors: {
        ...signOutActors,
        clearTokens: fromPromise(async () => {
          cleared.push('app cache');
          await e.services.store.clear();
        }),
      },
    });
    const outbox = outboxMachine.provide({ actors: { ...signOutActors, signOut } });
    const machine = authMachine.provide({ actors: { ...createAuthActors(e.services), ...createHostedUiActors(e.services), ...createTabActors(e.services), signOut, outbox } });
    const actor = createActor(machine, { input: { ...e.timeouts, refreshSkewMs: 60_000, queueing: e.queueing } });
    const answers = new Map<number, CallAnswer>();
    actor.on('answered', ({ id, answer }) => void answers.set(id, answer));
    actor.start();
    await waitFor(actor, (s) => s.matches('signedOut'));

    actor.send({ type: 'SIGN_IN', id: 1, username: e.pool.username, authFlow: 'USER_SRP_AUTH', credential: e.services.vault.deposit(e.pool.password) });
    await waitFor(actor, (s) => s.matches('signedIn'), { timeout: 10_000 });
    expect(answers.get(1)).toEqual({ kind: 'signedIn' });
    const tokens = await e.services.store.load();
    expect(tokens?.refreshToken).toEqual(expect.any(String));
    // The chart holds a summary only: no token in its snapshot.
    expect(JSON.stringify(actor.getSnapshot().context)).not.toContain(tokens!.accessToken);

    actor.send({ type: 'SIGN_OUT', id: 2, global: false });
    await waitFor(actor, () => answers.has(2), { timeout: 10_000 });
    expect(answers.get(2)).toEqual({ kind: 'signOut', outcome: expect.objectContaining({ type: 'complete' }) });
    expect(actor.getSnapshot().value).toBe('signedOut');
    expect(cleared).toEqual(['app cache']);
    expect(await e.services.store.load()).toBeNull();
    expect(emu.tokenRevoked(tokens!.refreshToken!)).toBe(true);
    actor.stop();
  });
});
