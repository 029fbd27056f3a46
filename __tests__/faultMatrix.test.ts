// The fault matrix (issue 4 §1): every fault the emulator can inject, on every call a sign-out may
// make (RevokeToken, GlobalSignOut, and the REFRESH_TOKEN_AUTH a global sign-out needs when the
// access token has expired, which has half the deadline: refreshDeadline), in both modes. Every cell runs, including those whose operation is
// never called in that mode, and checks the state, the store, the result, the calls and the time.
// The matrix is printed at the end; WRITE_RELIABILITY_DOC=1 also writes it into docs/reliability.md.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from 'xstate';
import { createAuth, type Auth, type SignOutResult } from '../src/index';
import { startCognitoEmulator, type CognitoEmulator, type EmulatorRequestRecord, type Fault } from '../src/testing/index';
import { closedPort, keysHoldingTokens, refusingClient, renderMatrix, writeReliabilityDoc } from './support/faultMatrix';
import { inspectableStorage } from './support/harness';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** The deadline of the sign-out's network phase in every cell. */
const DEADLINE_MS = 1000;
/** The refresh before GlobalSignOut has half of it (the chart's refreshDeadline); the rest is left for the calls after it. */
const REFRESH_DEADLINE_MS = DEADLINE_MS / 2;
/** The loose bound the issue asks for: the sign-out returns within the deadline plus a second. */
const BOUND_MS = DEADLINE_MS + 1000;
const TWO_HOURS_MS = 2 * 3600_000;

// ─── The three dimensions ────────────────────────────────────────────────────────────────────

type Mode = 'local' | 'global';
const MODES: readonly Mode[] = ['local', 'global'];

interface Operation {
  readonly id: 'RevokeToken' | 'GlobalSignOut' | 'refresh';
  readonly label: string;
  /** The emulator's name for it: what faults target and what the request log records. */
  readonly wire: 'RevokeToken' | 'GlobalSignOut' | 'InitiateAuth';
  /** The SDK command, for the refused-connection client. */
  readonly command: string;
  /** Is it called in this mode (when nothing else fails first)? */
  readonly calledIn: Mode;
}

const OPERATIONS: readonly Operation[] = [
  { id: 'RevokeToken', label: 'RevokeToken', wire: 'RevokeToken', command: 'RevokeTokenCommand', calledIn: 'local' },
  { id: 'GlobalSignOut', label: 'GlobalSignOut', wire: 'GlobalSignOut', command: 'GlobalSignOutCommand', calledIn: 'global' },
  // The session of these cells has an expired access token (in both modes), so a global sign-out
  // refreshes it first; a local one only needs the refresh token and never refreshes.
  { id: 'refresh', label: 'refresh (REFRESH_TOKEN_AUTH)', wire: 'InitiateAuth', command: 'InitiateAuthCommand', calledIn: 'global' },
];

/** How the faulted call ends, as the sign-out machine sees it, within the deadline. */
type Ending =
  | { readonly kind: 'answered' } // it succeeded, slowly
  | { readonly kind: 'failed'; readonly name: string } // it rejected with this name before the deadline
  | { readonly kind: 'pending' }; // still pending at the deadline: aborted, TimeoutError

interface FaultCase {
  readonly label: string;
  /** What the emulator injects; 'refused' is a client whose connections for the operation are refused. */
  readonly fault: Fault | 'refused';
  readonly ending: Ending;
  /** Requests for the faulted operation (the AWS SDK retries 5xx, resets and throttling: 3 attempts). */
  readonly attempts: number;
  /**
   * Pin the SDK's backoff jitter (Math.random) during the sign-out: to its midpoint, or, for the
   * refresh and its half deadline, to a quarter, so the same number of attempts fit in either.
   */
  readonly pinJitter?: boolean;
}

/** How the faulted call ends for this operation: a slow answer past the refresh's half deadline is pending there. */
function endingFor(op: Operation, fault: FaultCase): Ending {
  const slow = fault.fault !== 'refused' && fault.fault.type === 'latency' && fault.fault.ms >= REFRESH_DEADLINE_MS;
  return op.id === 'refresh' && slow ? { kind: 'pending' } : fault.ending;
}

const HTML_502 = '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>';
const UNDER_MS = DEADLINE_MS - 200;
const OVER_MS = DEADLINE_MS + 200;

const FAULTS: readonly FaultCase[] = [
  { label: 'blackhole (never answers)', fault: { type: 'blackhole' }, ending: { kind: 'pending' }, attempts: 1 },
  // Retried by the SDK (ECONNREFUSED is one of its transient codes); we call it NetworkError.
  { label: 'connection refused', fault: 'refused', ending: { kind: 'failed', name: 'NetworkError' }, attempts: 3 },
  { label: 'connection reset (`reset`)', fault: { type: 'reset' }, ending: { kind: 'failed', name: 'NetworkError' }, attempts: 3 },
  { label: 'HTTP 500 InternalErrorException', fault: { type: 'error', name: 'InternalErrorException' }, ending: { kind: 'failed', name: 'InternalErrorException' }, attempts: 3 },
  { label: 'HTTP 503 (`httpStatus`)', fault: { type: 'httpStatus', status: 503 }, ending: { kind: 'failed', name: 'UnexpectedResponse' }, attempts: 3 },
  // Throttling backs off with full jitter, base 1 s: random·1 s, then random·2 s. With the jitter at
  // its midpoint the retries come at 0.5 s and 1.5 s, so the deadline (1 s) falls between the
  // second and the third attempt: TimeoutError, 2 requests. The refresh, with half the deadline,
  // has the jitter at a quarter: retries at 0.25 s and 0.75 s around its 0.5 s, so 2 requests too.
  // See docs/reliability.md for the odds without the pin.
  { label: 'TooManyRequestsException', fault: { type: 'error', name: 'TooManyRequestsException' }, ending: { kind: 'pending' }, attempts: 2, pinJitter: true },
  { label: 'NotAuthorizedException', fault: { type: 'error', name: 'NotAuthorizedException' }, ending: { kind: 'failed', name: 'NotAuthorizedException' }, attempts: 1 },
  { label: 'UnsupportedOperationException', fault: { type: 'error', name: 'UnsupportedOperationException' }, ending: { kind: 'failed', name: 'UnsupportedOperationException' }, attempts: 1 },
  { label: 'malformed JSON (200, cut off)', fault: { type: 'malformed' }, ending: { kind: 'failed', name: 'UnexpectedResponse' }, attempts: 1 },
  { label: 'HTML 502 page', fault: { type: 'httpStatus', status: 502, body: HTML_502, contentType: 'text/html' }, ending: { kind: 'failed', name: 'UnexpectedResponse' }, attempts: 3 },
  { label: `latency ${UNDER_MS} ms (under the deadline)`, fault: { type: 'latency', ms: UNDER_MS }, ending: { kind: 'answered' }, attempts: 1 },
  { label: `latency ${OVER_MS} ms (over the deadline)`, fault: { type: 'latency', ms: OVER_MS }, ending: { kind: 'pending' }, attempts: 1 },
];

/** Cells whose expectation reality contradicts because of a product bug: `test.failing`, with the reason. */
const KNOWN_PRODUCT_BUGS: ReadonlyMap<string, string> = new Map([]);

// ─── The expectation, derived from README.md "Outcomes" and docs/sign-out.md ────────────────

interface Expected {
  readonly type: 'complete' | 'partial';
  /** globalSignOutError's name, if any. */
  readonly global?: string;
  /** revokeTokenError's name, if any. */
  readonly revoke?: string;
  /** The operations the sign-out sends, in order (each may be retried by the SDK). */
  readonly sends: ReadonlyArray<Operation['wire']>;
  /** Requests for the faulted operation. */
  readonly attempts: number;
  /** A partial result's finisher: the outbox (on by default) for a retryable failure, else nothing. */
  readonly finishedBy?: 'outbox' | 'retrySignOut' | 'nothing';
  /** globalSignOutError also carries the refresh token (RevokeToken left to the queued global intent). */
  readonly globalCarriesRefresh?: boolean;
}

/** machines/errorInfo.ts RETRYABLE_FAILURES. */
const RETRYABLE = new Set(['NetworkError', 'TimeoutError', 'NotSent', 'UnexpectedResponse', 'UnexpectedRedirect', 'TooManyRequestsException', 'InternalErrorException', 'ServiceUnavailableException', 'AbortError']);
const finisher = (...names: Array<string | undefined>) => (names.some((name) => name !== undefined && RETRYABLE.has(name)) ? 'outbox' : 'nothing');

function expectedOutcome(op: Operation, mode: Mode, fault: FaultCase): Expected {
  const called = op.calledIn === mode;
  const refreshFirst: Array<Operation['wire']> = mode === 'global' && op.id === 'refresh' ? ['InitiateAuth'] : [];
  const happyPath: Array<Operation['wire']> = mode === 'local' ? ['RevokeToken'] : [...refreshFirst, 'GlobalSignOut'];
  const ending = endingFor(op, fault);
  if (!called || ending.kind === 'answered') {
    // Never called: the fault must have had no effect. Answered in time: as if there were no fault.
    return { type: 'complete', sends: happyPath, attempts: called ? fault.attempts : 0 };
  }
  const { attempts } = fault;
  if (mode === 'local') {
    // "local, RevokeToken fails" / "local, no answer by the deadline": partial, revokeTokenError.
    const revoke = ending.kind === 'failed' ? ending.name : 'TimeoutError';
    return { type: 'partial', revoke, sends: ['RevokeToken'], attempts, finishedBy: finisher(revoke) };
  }
  // Global, and GlobalSignOut (or the refresh it needs first, which it reports as its own) fails.
  const globalSends: Array<Operation['wire']> = [...refreshFirst, ...(op.id === 'refresh' ? [] : ['GlobalSignOut' as const])];
  if (ending.kind === 'failed' && RETRYABLE.has(ending.name)) {
    // Retryable, outbox on: the global intent stays queued (with the refresh token); no RevokeToken.
    return { type: 'partial', global: ending.name, sends: globalSends, attempts, finishedBy: 'outbox', globalCarriesRefresh: true };
  }
  if (ending.kind === 'failed') {
    // "global, GlobalSignOut fails for good, RevokeToken ok": RevokeToken follows at once, and succeeds.
    return { type: 'partial', global: ending.name, sends: [...globalSends, 'RevokeToken'], attempts, finishedBy: 'nothing' };
  }
  // The refresh pending at its half deadline: GlobalSignOut not sent (TimeoutError, retryable), so the
  // global intent stays queued with the refresh token; no RevokeToken.
  if (op.id === 'refresh') return { type: 'partial', global: 'TimeoutError', sends: ['InitiateAuth'], attempts, finishedBy: 'outbox', globalCarriesRefresh: true };
  // "global, GlobalSignOut pending at the deadline": both TimeoutError, RevokeToken not sent.
  return { type: 'partial', global: 'TimeoutError', revoke: 'TimeoutError', sends: ['GlobalSignOut'], attempts, finishedBy: 'outbox' };
}

// ─── One cell ────────────────────────────────────────────────────────────────────────────────

interface Observation {
  readonly result: SignOutResult;
  readonly elapsedMs: number;
  readonly state: unknown;
  readonly leftovers: string[];
  /** Operations received by the emulator between the start of signOut() and its result. */
  readonly sent: ReadonlyArray<EmulatorRequestRecord>;
  /** Requests for the faulted operation, stragglers included (or refused connection attempts). */
  readonly attempts: number;
  /** Requests received after the result, once every held request has been answered. */
  readonly late: ReadonlyArray<EmulatorRequestRecord>;
  readonly tokens: { accessToken: string; idToken: string; refreshToken: string };
}

let emu: CognitoEmulator;
/** The emulator's clock runs `skewMs` off real time; the refresh cells mint their tokens two hours ago. */
let skewMs = 0;
let refusedPort: number;
const report = new Map<string, Map<string, string>>();

beforeAll(async () => {
  emu = await startCognitoEmulator({ now: () => Date.now() + skewMs });
  refusedPort = await closedPort();
});
afterAll(async () => {
  await emu?.close();
  const table = renderMatrix({ columns: OPERATIONS.flatMap((op) => MODES.map((mode) => columnOf(op, mode))), rows: report });
  console.log(`Fault matrix (networkTimeoutMs ${DEADLINE_MS}):\n\n${LEGEND}\n\n${table}\n`);
  if (process.env.WRITE_RELIABILITY_DOC === '1') console.log(`Written to ${writeReliabilityDoc(table, LEGEND)}`);
});
afterEach(() => {
  emu.faults.clear();
  skewMs = 0;
});

const columnOf = (op: Operation, mode: Mode) => `${op.label} · ${mode}`;
const LEGEND = [
  `Each cell: the result type; \`G:\` the \`globalSignOutError\` name and \`R:\` the \`revokeTokenError\` name;`,
  `\`×n\` the requests for the faulted operation (the AWS SDK's retries included; \`not called\` when`,
  `the mode never calls it, and then the fault must have had no effect); the time \`signOut()\` took.`,
  `\`networkTimeoutMs\` is ${DEADLINE_MS} ms in every cell; the refresh before GlobalSignOut has half of it (\`refreshDeadline\`, ${REFRESH_DEADLINE_MS} ms),`,
  `so its ${UNDER_MS} ms latency is over its deadline. ⚠ marks a cell whose expectation fails (a known product bug).`,
].join('\n');

async function runCell(op: Operation, mode: Mode, fault: FaultCase): Promise<Observation> {
  skewMs = op.id === 'refresh' ? -TWO_HOURS_MS : 0; // tokens minted two hours ago have expired (1 h)
  const setup = emu.setup();
  const storage = inspectableStorage();
  const config = { region: emu.region, userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, storage, networkTimeoutMs: DEADLINE_MS };
  const stopped: Array<() => unknown> = [];
  const signingIn = createAuth({ ...config, endpoint: emu.endpoint });
  stopped.push(() => signingIn.stop());
  let auth: Auth = signingIn;
  try {
    await auth.signIn({ username: setup.username, password: setup.password, authFlow: 'USER_PASSWORD_AUTH' });
    skewMs = 0;
    const tokens = JSON.parse(storage.getItem(`authchart.${setup.clientId}.session`) ?? 'null');
    expect(tokens).toEqual(expect.objectContaining({ accessToken: expect.any(String), idToken: expect.any(String), refreshToken: expect.any(String) }));

    let refusedAttempts: (() => number) | undefined;
    if (fault.fault === 'refused') {
      // The same stored session, restored by an app whose connections for this operation are refused.
      await signingIn.stop();
      const refusing = refusingClient(emu, op.command, refusedPort);
      refusedAttempts = refusing.attempts;
      stopped.push(() => refusing.client.destroy());
      const restored = createAuth({ ...config, client: refusing.client });
      stopped.push(() => restored.stop());
      auth = restored;
      // As an app would be: started (session restored, start-up work done), then signed out. A
      // sign-out at the very instant of start-up is the last test's case.
      await waitFor(auth.actor, (snapshot) => !snapshot.matches('loadingSession'));
      await sleep(50);
      expect(auth.actor.getSnapshot().matches('signedIn')).toBe(true);
    } else {
      emu.faults.set(op.wire, fault.fault);
    }
    emu.resetRequests();

    const jitter = fault.pinJitter ? jest.spyOn(Math, 'random').mockReturnValue(op.id === 'refresh' ? 0.25 : 0.5) : undefined;
    const started = performance.now();
    let result: SignOutResult;
    try {
      result = await auth.signOut(mode === 'global' ? { global: true } : undefined);
    } finally {
      jitter?.mockRestore();
    }
    const elapsedMs = performance.now() - started;
    const sent = [...emu.requests];
    const state = auth.actor.getSnapshot().value;
    const leftovers = keysHoldingTokens(storage, setup.clientId, [tokens.accessToken, tokens.idToken, tokens.refreshToken]);

    // Stop everything this cell started (the revocation outbox's background retries too), then let
    // whatever the sign-out left in flight land before the next cell: a request held by the latency
    // fault is still answered, and a throttled call's third attempt would come at 1.5 s.
    for (const stop of stopped.splice(0).reverse()) await stop();
    const heldByLatency = fault.fault !== 'refused' && fault.fault.type === 'latency' && op.calledIn === mode && endingFor(op, fault).kind === 'pending';
    if (heldByLatency) {
      const until = performance.now() + OVER_MS + 1000;
      while (!emu.requests.slice(sent.length).some((r) => r.operation === op.wire) && performance.now() < until) await sleep(20);
    }
    if (fault.pinJitter && op.calledIn === mode) await sleep(Math.max(0, started + 1700 - performance.now()));
    const late = emu.requests.slice(sent.length);
    const all = [...emu.requests];
    const attempts = refusedAttempts ? refusedAttempts() : all.filter((r) => r.operation === op.wire).length;
    return { result, elapsedMs, state, leftovers, sent, attempts, late, tokens };
  } finally {
    for (const stop of stopped.reverse()) await stop();
  }
}

function describeCell(op: Operation, mode: Mode, seen: Observation): string {
  const { result } = seen;
  const names =
    result.type === 'partial'
      ? [result.globalSignOutError && `G: ${result.globalSignOutError.name}`, result.revokeTokenError && `R: ${result.revokeTokenError.name}`].filter(Boolean).join(', ')
      : result.type === 'failed'
        ? result.error.name
        : '';
  const calls = op.calledIn === mode ? `×${seen.attempts}` : seen.attempts === 0 ? 'not called' : `called ×${seen.attempts}!`;
  return [names ? `${result.type} (${names})` : result.type, calls, `${Math.round(seen.elapsedMs)} ms`].join(' · ');
}

const operations = (records: ReadonlyArray<EmulatorRequestRecord>) => records.map((r) => r.operation);

// ─── The matrix ──────────────────────────────────────────────────────────────────────────────

describe(`fault matrix (networkTimeoutMs ${DEADLINE_MS})`, () => {
  for (const fault of FAULTS) {
    describe(fault.label, () => {
      for (const op of OPERATIONS) {
        for (const mode of MODES) {
          const name = `${op.label} · ${mode}`;
          const bug = KNOWN_PRODUCT_BUGS.get(`${fault.label} | ${name}`);
          const expected = expectedOutcome(op, mode, fault);
          const title = `${name}: ${expected.type}${expected.global ? ` G:${expected.global}` : ''}${expected.revoke ? ` R:${expected.revoke}` : ''}${op.calledIn === mode ? '' : ' (not called: no effect)'}`;
          (bug ? test.failing : test)(bug ? `${title} — KNOWN PRODUCT BUG: ${bug}` : title, async () => {
            const seen = await runCell(op, mode, fault);
            const cells = report.get(fault.label) ?? new Map<string, string>();
            report.set(fault.label, cells.set(columnOf(op, mode), `${bug ? '⚠ ' : ''}${describeCell(op, mode, seen)}`));

            // 1. The device is signed out.
            expect(seen.state).toBe('signedOut');
            // 2. No token of the session is left in storage (the revocation outbox aside).
            expect(seen.leftovers).toEqual([]);
            // 3. The result: its type, and exactly the expected errors with the tokens to retry with.
            expect(seen.result).toEqual(
              expected.type === 'complete'
                ? { type: 'complete', signedOutLocally: true }
                : {
                    type: 'partial',
                    signedOutLocally: true,
                    global: mode === 'global',
                    ...(expected.global && {
                      globalSignOutError: {
                        name: expected.global,
                        message: expect.any(String),
                        accessToken: seen.tokens.accessToken,
                        ...(expected.globalCarriesRefresh && { refreshToken: seen.tokens.refreshToken }),
                      },
                    }),
                    ...(expected.revoke && { revokeTokenError: { name: expected.revoke, message: expect.any(String), refreshToken: seen.tokens.refreshToken } }),
                    finishedBy: expected.finishedBy,
                  },
            );
            // 4. The calls, exactly: in order, GlobalSignOut before RevokeToken, the faulted one as many
            //    times as the SDK tries it, nothing sent after the deadline. A refused connection never
            //    reaches the emulator; a request held past the deadline by the latency fault is
            //    answered (and logged) only afterwards.
            const called = op.calledIn === mode;
            const refused = called && fault.fault === 'refused';
            const held = called && fault.fault !== 'refused' && fault.fault.type === 'latency' && endingFor(op, fault).kind === 'pending';
            const inTime = expected.sends.flatMap((wire) => (wire !== op.wire || !called ? [wire] : refused || held ? [] : Array<string>(expected.attempts).fill(wire)));
            expect(operations(seen.sent)).toEqual(inTime);
            expect(operations(seen.late)).toEqual(held ? [op.wire] : []);
            // 5. How often the faulted operation was tried (0: the fault had no effect).
            expect(seen.attempts).toBe(expected.attempts);
            // 6. Bounded in time: networkTimeoutMs + 1 s (the issue's loose bound).
            expect(seen.elapsedMs).toBeLessThanOrEqual(BOUND_MS);
          });
        }
      }
    });
  }
});

// ─── Found by the matrix ─────────────────────────────────────────────────────────────────────

describe('found by the matrix', () => {
  // The connection-refused row first signed out at the very instant the restored Auth started, and
  // saw one RevokeToken too many. createAuth drains the revocation outbox at start-up, while
  // signOut() writes the session's refresh token into that outbox before its own first call
  // (write-ahead). The start-up drain then finds the token and sends RevokeToken concurrently with
  // the sign-out. In a global sign-out that is the race docs/sign-out.md "Why GlobalSignOut goes
  // first" rules out: when Cognito handles the RevokeToken first, GlobalSignOut is refused with
  // "Access Token has been revoked" and the user's other devices stay signed in. (In a local one it
  // is a duplicate RevokeToken.) GlobalSignOut is held 300 ms here, as a slower network would.
  // Fixed: a token a running sign-out has written ahead is held, and drains leave it alone.
  test(
    'a session restored and signed out globally at once: GlobalSignOut goes alone, complete',
    async () => {
      const setup = emu.setup();
      const storage = inspectableStorage();
      const config = { region: emu.region, userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, storage, endpoint: emu.endpoint, networkTimeoutMs: DEADLINE_MS };
      const first = createAuth(config);
      await first.signIn({ username: setup.username, password: setup.password, authFlow: 'USER_PASSWORD_AUTH' });
      await first.stop();
      emu.faults.set('GlobalSignOut', { type: 'latency', ms: 300 });
      const restored = createAuth(config); // the app starts again with the stored session…
      try {
        emu.resetRequests();
        const result = await restored.signOut({ global: true }); // …and the user signs out at once
        expect(result).toEqual({ type: 'complete', signedOutLocally: true });
        expect(operations(emu.requests)).toEqual(['GlobalSignOut']);
      } finally {
        await restored.stop();
      }
    },
  );
});
