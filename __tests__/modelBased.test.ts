// Model-based tests (issue 5 §3). xstate/graph walks the sign-out and the auth statecharts and
// generates paths; each path is then EXECUTED against the real stack (createAuth → real AWS SDK →
// HTTP → the emulator on 127.0.0.1). An event saying that a call fails is executed by injecting the
// matching emulator fault (or a storage that throws); a deadline by a blackhole. The real actors
// are watched through XState's inspection stream: their state sequence must be the one the path
// predicts, and the transitions they take are counted against every transition of the machines.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyEventObject } from 'xstate';
import { createAuth, type Auth, type SignOutResult } from '../src/index';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';
import { authMachine } from '../machines/authMachine';
import { outcomeOf, signOutMachine, type SignOutContext } from '../machines/signOutMachine';
import type { ChallengeName } from '../machines/authMachine';
import { CoverageRecorder, describePath, edgeCoveringPaths, percent, type AnyPath, type ModelSnapshot } from './support/modelBased';
import { universe } from './support/transitions';
// Transitions no test can take, with the reason: one list for this test and the whole-suite coverage.
import { UNREACHABLE } from './support/unreachableTransitions';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/**
 * Transitions the model does not generate, each with the reason, and where they are tested instead.
 * They are left out of the coverage demand like UNREACHABLE, but they are reachable. Whether the
 * suite really takes them is checked by the whole-suite transition coverage (docs/transition-coverage.md).
 */
/** The refresh before GlobalSignOut: the model signs in with fresh tokens, so its access token never expires. */
const EXPIRED =
  'an expired access token at a global sign-out: __tests__/signOutRefresh.test.ts (rotating client, outbox retry), __tests__/signOut.integration.test.ts, __tests__/faultMatrix.test.ts (refresh column), __tests__/signOutMachine.test.ts';
const NOT_MODELLED: Record<string, string> = {
  'auth.signedIn.active --GET_SESSION[0]--> (none)': 'held for the outbox\'s global sign-out of this user (KB6): __tests__/globalSignOutLanded.test.ts',
  'auth.signedIn.active --SIGN_OUT[0]--> (none)': 'held for the outbox\'s global sign-out of this user (KB6): __tests__/globalSignOutLanded.test.ts',
  'signOut.requested --always[0]--> signOut.choosingCalls': 'only an intent the outbox drains starts with its tokens recorded (outbox runs: __tests__/signOutOutbox.test.ts)',
  'signOut.recordingIntent --xstate.error.actor.0.signOut.recordingIntent[0]--> signOut.serverCallsDone': 'a store that cannot be read at sign-out: __tests__/signOutMachine.test.ts, __tests__/storeHardening.test.ts',
  'signOut.recordingIntent --xstate.after.storageDeadline.signOut.recordingIntent[0]--> signOut.serverCallsDone': 'a storage that does not answer (storage deadlines): __tests__/signOutMachine.test.ts',
  'signOut.clearingCache --xstate.after.clearDeadline.signOut.clearingCache[0]--> signOut.verifyingClear': 'a storage that does not answer (storage deadlines): __tests__/signOutMachine.test.ts, __tests__/bareMachines.test.ts',
  'signOut.verifyingClear --xstate.done.actor.0.signOut.verifyingClear[0]--> signOut.settlingIntent': 'a removal that lands late, or a read that hangs after removeItem worked: __tests__/symptoms.session.test.ts (symptoms 9, 10)',
  'signOut.verifyingClear --xstate.error.actor.0.signOut.verifyingClear[0]--> signOut.settlingIntent': 'a store that fails the read after a failed clear: __tests__/bareMachines.test.ts',
  'signOut.verifyingClear --xstate.after.confirmDeadline.signOut.verifyingClear[0]--> signOut.settlingIntent': 'a storage that does not answer (storage deadlines): __tests__/bareMachines.test.ts',
  'signOut.settlingIntent --xstate.error.actor.0.signOut.settlingIntent[0]--> signOut.settled': 'an outbox that cannot be updated: __tests__/signOutOutbox.test.ts',
  'signOut.settlingIntent --xstate.after.storageDeadline.signOut.settlingIntent[0]--> signOut.settled': 'a storage that does not answer (storage deadlines): __tests__/signOutMachine.test.ts',
  'signOut.choosingCalls --always[2]--> signOut.callingCognito.signingOutGlobally': 'an access token without a scope claim (Cognito always writes one): __tests__/signOutMachine.test.ts',
  'signOut.choosingCalls --always[3]--> signOut.callingCognito.signingOutGlobally.choosingFallback': 'a global sign-out with a token lacking the admin scope (hosted UI): __tests__/hostedUiSignOut.test.ts, __tests__/signOutMachine.test.ts',
  'signOut.callingCognito.signingOutGlobally.checkingAccessToken --always[0]--> signOut.callingCognito.signingOutGlobally.refreshingAccessToken': EXPIRED,
  'signOut.callingCognito.signingOutGlobally.refreshingAccessToken --xstate.done.actor.0.signOut.callingCognito.signingOutGlobally.refreshingAccessToken[0]--> signOut.callingCognito.signingOutGlobally.invalidatingSessions': EXPIRED,
  'signOut.callingCognito.signingOutGlobally.refreshingAccessToken --xstate.error.actor.0.signOut.callingCognito.signingOutGlobally.refreshingAccessToken[0]--> signOut.callingCognito.signingOutGlobally.choosingFallback': EXPIRED,
  'signOut.callingCognito.signingOutGlobally.refreshingAccessToken --xstate.after.refreshDeadline.signOut.callingCognito.signingOutGlobally.refreshingAccessToken[0]--> signOut.callingCognito.signingOutGlobally.choosingFallback': EXPIRED,
  'auth.checkingStore --xstate.done.actor.0.auth.checkingStore[0]--> auth.signingOut': "another instance's session found by the check (two instances): __tests__/callsAndResults.test.ts, __tests__/authMachine.test.ts",
  'auth.checkingStore --xstate.error.actor.0.auth.checkingStore[0]--> auth.signedOut': 'a corrupt session found by the check (removed): no test takes it yet (docs/transition-coverage.md)',
  'auth.checkingStore --xstate.done.actor.0.auth.checkingStore[1]--> auth.endingSession': 'a session a sign-out revoked but could not clear, found by the check (two instances): the same guard as at a reload, __tests__/transitionGaps.test.ts',
  'auth.loadingSession --xstate.done.actor.0.auth.loadingSession[1]--> auth.endingSession': 'a reload over a session a sign-out revoked but could not clear: __tests__/symptoms.session.test.ts (symptom 3)',
  'auth.signingOut --xstate.done.actor.signOut[1]--> auth.signedOut': 'a hosted-UI session signed out without oauth (HostedUiNotConfigured): __tests__/hostedUiLogout.test.ts',
  'auth.endingSession --xstate.done.actor.0.auth.endingSession[1]--> auth.signedOut': 'the same after revokedButStored: no test takes it yet (docs/transition-coverage.md)',
  // durableChallenges (the model's instances leave it off) and a challenge's deadline (the model answers at once).
  'auth.loadingSession --xstate.done.actor.0.auth.loadingSession[3]--> auth.awaitingChallengeAnswer': "a challenge another instance stored (durableChallenges): __tests__/durableChallenges.test.ts, __tests__/authMachine.test.ts",
  'auth.awaitingChallengeAnswer --CONFIRM_SIGN_IN[0]--> auth.signedOut': "an answer past the challenge's deadline (SignInSessionExpired): __tests__/durableChallenges.test.ts, __tests__/authMachine.test.ts",
};
/** The announcement to the app's API (createAuth's revocationEndpoint): the model's instances have none. */
const ANNOUNCING = 'signOut.announcing';
const ANNOUNCED_ELSEWHERE = "the announcement to the app's API (revocationEndpoint): __tests__/signOutAnnounce.test.ts, __tests__/signOutAnnounceFleet.test.ts, __tests__/bareMachines.test.ts";
const announcing = (t: string) => t.includes(ANNOUNCING) || t === 'signOut.choosingCalls --always[0]--> signOut.serverCallsDone';
/** Calls made while a flow is in flight (refused, deferred or joined): the model calls only from states where nothing is in flight. */
const IN_FLIGHT_CALLS = ['SIGN_IN', 'CONFIRM_SIGN_IN', 'GET_SESSION', 'SIGN_OUT'];
const IN_FLIGHT_STATES = ['auth.loadingSession', 'auth.checkingStore', 'auth.finishingGlobalSignOut', 'auth.signingIn', 'auth.answeringChallenge', 'auth.signedIn.refreshing', 'auth.endingSession', 'auth.signingOut'];
const inFlightCall = (t: string) => IN_FLIGHT_STATES.some((state) => t.startsWith(`${state} --`)) && IN_FLIGHT_CALLS.some((call) => t.includes(` --${call}[`)) &&
  // SIGN_OUT overtaking a refresh is defined on signedIn: taken from signedIn.active.
  !t.startsWith('auth.signedIn --');
/** The auth machine's own deadlines (a service that never settles): the model generates no auth delay. */
const authDeadline = (t: string) => t.startsWith('auth.') && t.includes(' --xstate.after.');
/** The hosted UI's sign-in and its sign-out at /logout are not in this model (they need the hosted UI driven over HTTP). */
const HOSTED_UI_STATES = ['auth.openingHostedUi', 'auth.completingRedirect', 'auth.recordingHostedUiSignOut', 'auth.openingLogout'];
const HOSTED_UI_ELSEWHERE =
  'the hosted UI: __tests__/signInWithRedirect.test.ts, __tests__/hostedUiLogout.test.ts, __tests__/callsInEveryState.test.ts, __tests__/browser/hostedUi.browser.test.ts';
const hostedUi = (t: string) => HOSTED_UI_STATES.some((state) => t.startsWith(`${state} `) || t.endsWith(`> ${state}`)) || / --(SIGN_IN_WITH_REDIRECT|HANDLE_REDIRECT)\[/.test(t);
/** Other tabs are not in this model (one instance, no tab signals). */
const otherTabs = (t: string) =>
  t.startsWith('auth.adoptingSession ') ||
  t.endsWith('> auth.adoptingSession') ||
  / --SIGNED_(IN|OUT)_ELSEWHERE\[/.test(t) ||
  // Tabs that share the store take turns to refresh and look for each other's refresh first.
  t.includes('auth.signedIn.refreshing.lookingForTabsRefresh') ||
  t === 'auth.signedIn.refreshing.waitingForTurn --REFRESH_TURN_TAKEN[0]--> auth.signedIn.refreshing.lookingForTabsRefresh' ||
  t === 'auth.signedIn.refreshing.waitingForTurn --REFRESH_TURN_UNAVAILABLE[0]--> auth.signedIn.refreshing.refreshingTokens';
/** A reload over a session whose sign-out began and did not end (the process stopped mid-sign-out): not in this model. */
const QUEUED_SESSION = 'auth.clearingQueuedSession';
const queuedSession = (t: string) => t.includes(QUEUED_SESSION);
/** Refresh-token rotation is not in this model (its app client does not rotate): the queueing of a rotated token a refresh could not store. */
const ROTATED_UNSTORED = 'auth.signedIn.refreshing.queueingRotatedToken';
const rotatedUnstored = (t: string) => t.includes(ROTATED_UNSTORED);
/** A sign-in's tokens the store took back (this model's storage never fails): revoked by the sign-out chart before the caller hears. */
const REVOKING_UNSTORED = 'auth.revokingUnstored';
const revokingUnstored = (t: string) => t.includes(REVOKING_UNSTORED);
/** Device tracking (issue 22) is not in this model (its pools track no device): a sign-in's new device confirmed before signedIn. */
const CONFIRMING_DEVICE = 'auth.confirmingDevice';
const confirmingDevice = (t: string) => t.includes(CONFIRMING_DEVICE);
/** The outbox's news that a global sign-out landed, and the check of the session it brings (KB6). */
const globalSignOutLanded = (t: string) => / --GLOBAL_SIGN_OUT_(LANDED|SENT|NOT_LANDED)\[/.test(t) || t === 'auth.signedIn.active --always[0]--> auth.signedIn.refreshing';
/** A sign-in over a global intent still queued after its drain (this model queues none): refused. */
const globalSignOutPending = (t: string) => t.startsWith('auth.finishingGlobalSignOut --GLOBAL_SIGN_OUTS_FINISHED[0]-->');
const notModelled = (t: string): string | undefined =>
  NOT_MODELLED[t] ??
  (globalSignOutPending(t) ? 'a sign-in refused over a queued global sign-out (KB6): __tests__/signInFinishesGlobalSignOut.test.ts, __tests__/authMachine.test.ts' : undefined) ??
  (confirmingDevice(t) ? "a sign-in's new device confirmed (device tracking): __tests__/devices.test.ts, __tests__/callsInEveryState.test.ts, __tests__/noSecretsLeak.test.ts, __tests__/bareMachines.test.ts" : undefined) ??
  (revokingUnstored(t) ? 'a sign-in whose tokens the store took back (revoked before its caller hears): __tests__/decisionsInCharts.test.ts, __tests__/honestOutcomes.test.ts, __tests__/transitionGaps.test.ts, __tests__/callsInEveryState.test.ts' : undefined) ??
  (globalSignOutLanded(t) ? 'a global sign-out the outbox finished (KB6): __tests__/globalSignOutLanded.test.ts' : undefined) ??
  (announcing(t) ? ANNOUNCED_ELSEWHERE : undefined) ??
  (hostedUi(t) ? HOSTED_UI_ELSEWHERE : undefined) ??
  (t.startsWith('auth.confirmingClear --') && !t.includes('done.actor.0.auth.confirmingClear[0]') ? 'a clear not confirmed, then found empty, or a read-back that fails: __tests__/decisionsInCharts.test.ts, __tests__/transitionGaps.test.ts' : undefined) ??
  (queuedSession(t) ? 'a reload over a session whose sign-out did not end: __tests__/decisionsInCharts.test.ts, __tests__/transitionGaps.test.ts, __tests__/callsInEveryState.test.ts' : undefined) ??
  (rotatedUnstored(t) ? 'a rotated refresh token a refresh could not store: __tests__/decisionsInCharts.test.ts, __tests__/rotation.test.ts, __tests__/transitionGaps.test.ts' : undefined) ??
  (otherTabs(t) ? 'other tabs: __tests__/tabs.test.ts, __tests__/browser/tabs.browser.test.ts, __tests__/callsInEveryState.test.ts' : undefined) ??
  (inFlightCall(t) ? 'a call while a flow is in flight (refused, deferred or joined): __tests__/callsInEveryState.test.ts' : undefined) ??
  (authDeadline(t) ? 'a deadline of the auth machine (a service that never settles): not generated by this model' : undefined);

const NETWORK_TIMEOUT_MS = 400; // deadline of the sign-out paths; the emulator answers in a few ms
const recorder = new CoverageRecorder();
let emu: CognitoEmulator;

beforeAll(async () => {
  emu = await startCognitoEmulator();
});
afterAll(() => emu.close());
afterEach(() => emu.faults.clear());

// ─── storage whose failures a path can ask for ──────────────────────────────────────────────
function modelStorage() {
  const items = new Map<string, string>();
  const flags = { failNextGet: false, failRemoveSession: false };
  return {
    items,
    flags,
    getItem(key: string): string | null {
      if (flags.failNextGet && key.endsWith('.session')) {
        flags.failNextGet = false;
        throw new Error('storage unreadable (model path)');
      }
      return items.get(key) ?? null;
    },
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem(key: string): void {
      if (flags.failRemoveSession && key.endsWith('.session')) throw new Error('storage refused the removal (model path)');
      items.delete(key);
    },
  };
}
type ModelStorage = ReturnType<typeof modelStorage>;

function newAuth(pool: { userPoolId: string; clientId: string }, storage: ModelStorage, inspect?: Parameters<typeof createAuth>[0]['inspect']): Auth {
  return createAuth({
    region: emu.region,
    userPoolId: pool.userPoolId,
    userPoolClientId: pool.clientId,
    endpoint: emu.endpoint,
    storage,
    networkTimeoutMs: NETWORK_TIMEOUT_MS,
    revocationOutbox: { retryBaseMs: 600_000 }, // no background retries into later paths' requests
    ...(inspect && { inspect }),
  });
}

/** The events of a machine's invocations and delays, read from the active state nodes. */
function internalEvents(s: ModelSnapshot, outputs: (src: string, s: ModelSnapshot) => { done: unknown[]; errors: string[]; sent?: AnyEventObject[] }, delays: readonly string[] = []): AnyEventObject[] {
  const events: AnyEventObject[] = [];
  for (const node of s._nodes) {
    for (const invoke of node.invoke) {
      const src = String(invoke.src);
      const { done, errors, sent = [] } = outputs(src, s);
      events.push(...sent);
      for (const output of done) events.push({ type: `xstate.done.actor.${invoke.id}`, output });
      for (const name of errors) events.push({ type: `xstate.error.actor.${invoke.id}`, error: { name, message: `${name} (model)` } });
    }
    for (const delayed of node.after) if (delays.some((delay) => delayed.eventType.startsWith(`xstate.after.${delay}.`))) events.push({ type: delayed.eventType });
  }
  return events;
}
const srcOf = (eventType: string, s: ModelSnapshot): string => {
  for (const node of s._nodes) for (const invoke of node.invoke) if (eventType.endsWith(`.actor.${invoke.id}`)) return String(invoke.src);
  throw new Error(`no invocation for ${eventType} in ${JSON.stringify(s.value)}`);
};

// ═══ the sign-out machine ═══════════════════════════════════════════════════════════════════
/** What each actor of the sign-out chart can report in the model. recordIntent and settleIntent always succeed here (see NOT_MODELLED). */
function signOutOutputs(src: string, revocable: boolean): { done: unknown[]; errors: string[] } {
  switch (src) {
    case 'recordIntent':
      return { done: [{ intentId: 'model', revocable, scope: 'admin' }], errors: [] }; // fresh tokens: no refresh first
    case 'revokeToken':
      return { done: [undefined], errors: ['NetworkError'] };
    case 'globalSignOut':
      // Non-retryable (RevokeToken follows) and retryable (left to the outbox, no RevokeToken).
      return { done: [undefined], errors: ['NotAuthorizedException', 'InternalErrorException'] };
    case 'clearTokens':
      return { done: [undefined], errors: ['StorageError'] };
    case 'confirmClear':
      // After a removeItem that failed, the store still holds the session (the late or unconfirmed removals: NOT_MODELLED).
      return { done: ['stored'], errors: [] };
    case 'settleIntent':
      return { done: [{ queued: false }], errors: [] };
    default:
      throw new Error(`the model does not know the sign-out actor ${src}: add it here`);
  }
}
const signOutInputs = [
  { global: false, revocable: true },
  { global: false, revocable: false },
  { global: true, revocable: true },
  { global: true, revocable: false },
];
const signOutPaths = signOutInputs.flatMap((flags) =>
  edgeCoveringPaths(signOutMachine, {
    input: { ...flags, source: { kind: 'session' }, queueing: true, networkTimeoutMs: NETWORK_TIMEOUT_MS, storageTimeoutMs: 1000 },
    events: (s) => internalEvents(s, (src) => signOutOutputs(src, flags.revocable), ['networkDeadline']),
    isStable: (s) => s.status === 'done',
  }).map((path) => ({ flags, path })),
);

describe(`sign-out machine: ${signOutPaths.length} generated paths, executed through createAuth and the emulator`, () => {
  test.each(signOutPaths.map(({ flags, path }) => [`${flags.global ? 'global' : 'local'}, ${flags.revocable ? 'revocable' : 'no origin_jti'}: ${describePath(path)}`, flags, path] as const))(
    '%s',
    async (_, flags, path) => {
      const pool = emu.setup({ enableTokenRevocation: flags.revocable });
      const storage = modelStorage();
      const run = recorder.observer();
      const auth = newAuth(pool, storage, run.inspect);
      try {
        await auth.signIn({ username: pool.username, password: pool.password, authFlow: 'USER_PASSWORD_AUTH' });
        // Each event of the path says how a call ends: arrange the real services to end that way.
        for (let i = 1; i < path.steps.length; i++) {
          const { event } = path.steps[i]!;
          const before = path.steps[i - 1]!.state as ModelSnapshot;
          if (event.type.startsWith('xstate.after.')) {
            const pending = JSON.stringify(before.value).includes('invalidatingSessions') ? 'GlobalSignOut' : 'RevokeToken';
            emu.faults.set(pending, { type: 'blackhole' });
            continue;
          }
          const src = srcOf(event.type, before);
          const fails = event.type.startsWith('xstate.error.');
          if (!fails) continue; // the emulator and the storage succeed by default
          const name = (event as { error?: { name: string } }).error!.name;
          if (src === 'revokeToken') emu.faults.set('RevokeToken', { type: 'reset' });
          else if (src === 'globalSignOut' && name === 'NotAuthorizedException') emu.faults.set('GlobalSignOut', { type: 'error', name, message: 'Access Token has expired' });
          else if (src === 'globalSignOut') emu.faults.set('GlobalSignOut', { type: 'error', name, message: 'An internal error occurred' });
          else if (src === 'clearTokens') storage.flags.failRemoveSession = true;
          else throw new Error(`no way to make ${src} fail`);
        }
        const result: SignOutResult = await auth.signOut({ global: flags.global });
        storage.flags.failRemoveSession = false;

        // The child's real state sequence is the path's, and the result is the one its final context gives.
        // The real sequence has one entry per microstep: drop the states its eventless transitions pass through.
        const TRANSIENT = ['requested', 'choosingCalls', 'serverCallsDone', 'settled'];
        const NESTED_TRANSIENT = ['checkingAccessToken', 'choosingFallback'];
        const transient = (value: unknown) => TRANSIENT.includes(value as string) || NESTED_TRANSIENT.some((name) => JSON.stringify(value).includes(`"${name}"`));
        expect(run.sequence('signOut').filter((value) => !transient(value))).toEqual(path.steps.map((s) => (s.state as ModelSnapshot).value));
        const predicted = outcomeOf((path.state as ModelSnapshot).context as unknown as SignOutContext);
        expect(result.type).toBe(predicted.type);
        if (predicted.type === 'partial' && result.type === 'partial') {
          expect(Boolean(result.globalSignOutError)).toBe(Boolean(predicted.globalSignOutError));
          expect(Boolean(result.revokeTokenError)).toBe(Boolean(predicted.revokeTokenError));
          for (const key of ['globalSignOutError', 'revokeTokenError'] as const) {
            const name = predicted[key]?.name;
            if (name === 'TimeoutError' || name === 'TokenRevocationNotEnabled') expect(result[key]?.name).toBe(name);
          }
        }
        // The auth actor: signed out; when the store could not be cleared, revokedButStored if the
        // server calls killed the tokens, else back in signedIn.
        const failedAt = predicted.type === 'failed' ? (predicted.tokensRevoked ? 'revokedButStored' : { signedIn: 'active' }) : 'signedOut';
        expect(auth.actor.getSnapshot().value).toEqual(failedAt);
      } finally {
        await auth.stop();
      }
    },
  );
});

// ═══ the auth machine ═══════════════════════════════════════════════════════════════════════
const SESSION = { username: 'model-user', revocable: true, expiresAt: 4_102_444_800_000, signedInWith: 'password' as const };
const challengeStep = (name: ChallengeName) => ({ kind: 'challenge', challenge: { name, username: 'model-user', sessionRef: 'model' } });
const MFA: ChallengeName[] = ['SOFTWARE_TOKEN_MFA', 'SMS_MFA'];

/** What each of the auth machine's actors can realistically report (what Cognito and storage do). */
function authOutputs(src: string, s: ModelSnapshot): { done: unknown[]; errors: string[]; sent?: AnyEventObject[] } {
  const challenge = (s.context.challenge as { name: ChallengeName } | null)?.name;
  switch (src) {
    case 'loadSession':
      // At start-up anything; when a sign-out checks the store (one instance), it finds what it left: nothing.
      return s.value === 'checkingStore' ? { done: [null], errors: ['StorageError'] } : { done: [{ session: SESSION, heldByOutbox: null }, null], errors: ['StorageError'] };
    case 'signIn':
      return { done: [{ kind: 'signedIn', session: SESSION }, challengeStep('NEW_PASSWORD_REQUIRED'), ...MFA.map(challengeStep)], errors: ['NotAuthorizedException'] };
    case 'answerChallenge':
      // After a new password Cognito may ask for MFA; after an MFA code, nothing more. Only codes can mismatch.
      return challenge === 'NEW_PASSWORD_REQUIRED'
        ? { done: [{ kind: 'signedIn', session: SESSION }, ...MFA.map(challengeStep)], errors: ['NotAuthorizedException'] }
        : { done: [{ kind: 'signedIn', session: SESSION }], errors: ['CodeMismatchException', 'NotAuthorizedException'] };
    case 'refreshTokens':
      return { done: [SESSION], errors: ['NotAuthorizedException', 'UnexpectedResponse'] };
    case 'clearSession':
      return { done: [undefined], errors: ['StorageError'] };
    case 'confirmClear':
      // After the model's failed removeItem the store still holds the session (a removal landing late: NOT_MODELLED).
      return { done: ['stored'], errors: [] };
    case 'signOut':
      // The store could not be cleared after RevokeToken succeeded (tokensRevoked), or after it failed too.
      return {
        done: [
          { type: 'complete' },
          { type: 'failed', error: { name: 'StorageError', message: 'model' }, tokensRevoked: true },
          { type: 'failed', error: { name: 'StorageError', message: 'model' }, tokensRevoked: false },
        ],
        errors: [],
      };
    case 'outbox':
      // Before a sign-in: the outbox's drain, in this model with no global intent queued (the refusal: signInFinishesGlobalSignOut.test.ts).
      return { done: [], errors: [], sent: s.value === 'finishingGlobalSignOut' ? [{ type: 'GLOBAL_SIGN_OUTS_FINISHED', pending: 0 }] : [] };
    case 'watchTabs':
      return { done: [], errors: [] }; // run as long as the auth machine
    case 'takeRefreshTurn':
      // One instance, no tabs: the turn is its own at once.
      return { done: [], errors: [], sent: JSON.stringify(s.value).includes('waitingForTurn') ? [{ type: 'REFRESH_TURN_TAKEN', shared: false, waited: false }] : [] };
    default:
      throw new Error(`the model does not know the auth actor ${src}: add it here`);
  }
}
const EXTERNAL: Record<string, AnyEventObject[]> = {
  SIGN_IN: [{ type: 'SIGN_IN', id: 1, username: 'model-user', authFlow: 'USER_PASSWORD_AUTH', credential: 'model' }],
  CONFIRM_SIGN_IN: [{ type: 'CONFIRM_SIGN_IN', id: 1, credential: 'model', userAttributes: {} }],
  SIGN_OUT: [{ type: 'SIGN_OUT', id: 1, global: false }],
  GET_SESSION: [
    { type: 'GET_SESSION', id: 1, forceRefresh: false, at: 0 },
    { type: 'GET_SESSION', id: 1, forceRefresh: true, at: 0 },
  ],
  RETRY_SIGN_OUT: [{ type: 'RETRY_SIGN_OUT', id: 1, credential: 'model', global: false }],
  FLUSH_REVOCATIONS: [{ type: 'FLUSH_REVOCATIONS', id: 1 }],
};
/**
 * Not generated here: OUTBOX_ANSWERED follows RETRY_SIGN_OUT and FLUSH_REVOCATIONS (never sent by a
 * caller); the hosted UI's calls, the other tabs' signals and the outbox's GLOBAL_SIGN_OUT_SENT / _LANDED / _NOT_LANDED
 * (globalSignOutLanded.test.ts) are tested elsewhere (see notModelled).
 */
const NOT_CALLS = ['OUTBOX_ANSWERED', 'SIGN_IN_WITH_REDIRECT', 'HANDLE_REDIRECT', 'SIGNED_IN_ELSEWHERE', 'SIGNED_OUT_ELSEWHERE', 'GLOBAL_SIGN_OUT_LANDED', 'GLOBAL_SIGN_OUT_SENT', 'GLOBAL_SIGN_OUT_NOT_LANDED', 'GLOBAL_SIGN_OUTS_FINISHED'];
/** The outbox's calls are defined on the root: one state (signedOut) is enough to take those transitions. */
const OUTBOX_CALLS = ['RETRY_SIGN_OUT', 'FLUSH_REVOCATIONS'];
const STABLE = ['signedOut', 'awaitingChallengeAnswer', 'revokedButStored'];
const isStableAuth = (s: { value: unknown }) => STABLE.includes(String(s.value)) || JSON.stringify(s.value) === '{"signedIn":"active"}';
/** Consecutive equal state values as one: a targetless transition (an answer, a refusal, a replayed call) changes no value. */
const collapse = (values: unknown[]) => values.map((v) => JSON.stringify(v)).filter((v, i, all) => i === 0 || v !== all[i - 1]);
const authPaths = edgeCoveringPaths(authMachine, {
  input: { networkTimeoutMs: NETWORK_TIMEOUT_MS },
  events: (s) => {
    const accepted = new Set(s._nodes.flatMap((node) => [...node.transitions.keys()].filter((type) => !type.startsWith('xstate.') && !NOT_CALLS.includes(type))));
    // Calls are made where nothing is in flight (the app's calls during a flow are refused, deferred
    // or joined: see NOT_MODELLED). SIGN_OUT during a refresh takes the same transition (defined on
    // signedIn) as from signedIn.active, so it is sent from active only.
    if (!isStableAuth(s)) accepted.clear();
    if (s.value !== 'signedOut') for (const call of OUTBOX_CALLS) accepted.delete(call);
    const external = [...accepted].flatMap((type) => {
      const events = EXTERNAL[type];
      if (!events) throw new Error(`the model does not know the event ${type}: add it here`);
      return events;
    });
    return [...external, ...internalEvents(s, authOutputs)];
  },
  // The context that matters for guards: which challenge is open.
  serializeState: (s) => `${JSON.stringify(s.value)}|${(s.context.challenge as { name?: string } | null)?.name ?? ''}`,
  isStable: isStableAuth,
});

describe(`auth machine: ${authPaths.length} generated paths, executed through createAuth and the emulator`, () => {
  test.each(authPaths.map((path) => [describePath(path), path] as const))('%s', async (_, path) => {
    const pool = emu.setup();
    const storage = modelStorage();
    const run = recorder.observer();
    // A sign-in's drain of the outbox (nothing queued here) is what the real outbox does on its own:
    // SIGN_IN then GLOBAL_SIGN_OUTS_FINISHED is executed as one signIn(), landing in signingIn.
    const steps = path.steps.flatMap((step, i, all) =>
      step.event.type === 'GLOBAL_SIGN_OUTS_FINISHED' ? [] : all[i + 1]?.event.type === 'GLOBAL_SIGN_OUTS_FINISHED' ? [{ ...step, state: all[i + 1]!.state }] : [step],
    );
    const eventAt = (i: number) => steps[i]?.event as (AnyEventObject & { output?: any; error?: { name: string } }) | undefined;
    const stateAt = (i: number) => steps[i]!.state as ModelSnapshot;
    let users = 0;
    const newUser = (options: { permanent?: boolean; mfa?: 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA' }) => {
      const username = `u${++users}-${options.permanent === false ? 'newpw' : 'ok'}-${options.mfa ?? 'nomfa'}`;
      const password = `Pw-${username}-1a!`;
      emu.createUser({ userPoolId: pool.userPoolId, username, password, ...options });
      return { username, password };
    };
    let current = { username: pool.username, password: pool.password };

    // steps[1] is how loadSession ends: arrange the store before createAuth.
    const load = eventAt(1)!;
    if (load.type.startsWith('xstate.error.')) storage.flags.failNextGet = true;
    else if (load.output) {
      const earlier = newAuth(pool, storage);
      await earlier.signIn({ username: pool.username, password: pool.password, authFlow: 'USER_PASSWORD_AUTH' });
      await earlier.stop();
    }
    const auth = newAuth(pool, storage, run.inspect);
    try {
      // Wait for loadSession, so the next call does not find it still loading.
      await new Promise<void>((resolve) => {
        const check = () => auth.actor.getSnapshot().value !== 'loadingSession' && (resolve(), true);
        if (!check()) {
          const sub = auth.actor.subscribe(() => check() && sub.unsubscribe());
        }
      });
      for (let i = 2; i < steps.length; ) {
        const event = eventAt(i)!;
        const next = eventAt(i + 1);
        const from = stateAt(i - 1);
        const ok = (e: typeof next) => Boolean(e && e.type.startsWith('xstate.done.'));
        const into = (stateAt(i) as { value: unknown }).value;
        switch (event.type) {
          case 'SIGN_IN': {
            if (into !== 'signingIn') {
              // Refused where it stands: signed in already, or a revoked session still stored.
              const name = from.value === 'revokedButStored' ? 'RevokedSessionNotCleared' : 'UserAlreadyAuthenticatedException';
              await expect(auth.signIn({ username: current.username, password: current.password, authFlow: 'USER_PASSWORD_AUTH' })).rejects.toMatchObject({ name });
              i += 1;
              break;
            }
            if (!ok(next)) {
              await expect(auth.signIn({ username: pool.username, password: 'wrong-password', authFlow: 'USER_PASSWORD_AUTH' })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
            } else {
              const first = next!.output as { kind: string; challenge?: { name: ChallengeName } };
              let mfa: 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA' | undefined;
              if (first.challenge?.name === 'NEW_PASSWORD_REQUIRED') {
                // Look ahead: does the new password lead to an MFA challenge in this path?
                for (let j = i + 2; j < steps.length && !['SIGN_IN', 'SIGN_OUT'].includes(eventAt(j)!.type); j++) {
                  const later = eventAt(j)!;
                  if (later.type.startsWith('xstate.done.') && srcOf(later.type, stateAt(j - 1)) === 'answerChallenge') {
                    const name = (later.output as { challenge?: { name: ChallengeName } }).challenge?.name;
                    if (name === 'SOFTWARE_TOKEN_MFA' || name === 'SMS_MFA') mfa = name;
                    break;
                  }
                }
                current = newUser({ permanent: false, ...(mfa && { mfa }) });
              } else if (first.challenge) {
                current = newUser({ mfa: first.challenge.name as 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA' });
              } else {
                current = newUser({});
              }
              await auth.signIn({ ...current, authFlow: 'USER_PASSWORD_AUTH' });
            }
            i += 2;
            break;
          }
          case 'CONFIRM_SIGN_IN': {
            if (into !== 'answeringChallenge') {
              await expect(auth.confirmSignIn({ challengeResponse: '123456' })).rejects.toMatchObject({ name: 'NoPendingChallengeException' });
              i += 1;
              break;
            }
            const challenge = (from.context.challenge as { name: ChallengeName }).name;
            const right = () => (challenge === 'NEW_PASSWORD_REQUIRED' ? `${current.password}-new` : emu.mfaCode(pool.userPoolId, current.username));
            if (ok(next)) {
              const answer = right();
              if (challenge === 'NEW_PASSWORD_REQUIRED') current = { ...current, password: answer };
              await auth.confirmSignIn({ challengeResponse: answer });
            } else if (next!.error!.name === 'CodeMismatchException') {
              const wrong = String((Number(right()) + 500_000) % 1_000_000).padStart(6, '0');
              await expect(auth.confirmSignIn({ challengeResponse: wrong })).rejects.toMatchObject({ name: 'CodeMismatchException' });
            } else {
              emu.faults.set('RespondToAuthChallenge', { type: 'error', name: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' }, { times: 1 });
              await expect(auth.confirmSignIn({ challengeResponse: right() })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
            }
            i += 2;
            break;
          }
          case 'SIGN_OUT': {
            if (from.value === 'revokedButStored') {
              // The clear is tried again (endingSession): it succeeds, or the store still refuses.
              const clearFails = !ok(next);
              storage.flags.failRemoveSession = clearFails;
              await expect(auth.signOut()).resolves.toMatchObject({ type: clearFails ? 'failed' : 'complete' });
              storage.flags.failRemoveSession = false;
              i += clearFails ? 3 : 2; // a failed clear is read back (confirmingClear)
            } else if (into === 'checkingStore') {
              // Signed out: the store is read back first; complete when empty, failed when it cannot be read.
              const unreadable = !ok(next);
              storage.flags.failNextGet = unreadable;
              await expect(auth.signOut()).resolves.toMatchObject({ type: unreadable ? 'failed' : 'complete' });
              storage.flags.failNextGet = false;
              i += 2;
            } else if (into !== 'signingOut') {
              await expect(auth.signOut()).resolves.toMatchObject({ type: 'complete' }); // signed out already, or cancels the challenge: no call
              i += 1;
            } else {
              const outcome = next!.output as { type: string; tokensRevoked?: boolean };
              const failed = outcome.type === 'failed';
              storage.flags.failRemoveSession = failed;
              if (failed && !outcome.tokensRevoked) emu.faults.set('RevokeToken', { type: 'error', name: 'UnsupportedOperationException', message: 'model' }, { times: 1 });
              await expect(auth.signOut()).resolves.toMatchObject({ type: failed ? 'failed' : 'complete' });
              storage.flags.failRemoveSession = false;
              i += 2;
            }
            break;
          }
          case 'RETRY_SIGN_OUT': {
            // A partial result of an earlier sign-out; its refresh token is not one Cognito issued.
            const partial = { type: 'partial', signedOutLocally: true, revokeTokenError: { name: 'NetworkError', message: 'model', refreshToken: 'model-refresh-token' }, finishedBy: 'retrySignOut' } as const;
            await expect(auth.retrySignOut(partial)).resolves.toMatchObject({ signedOutLocally: true });
            i += 1;
            break;
          }
          case 'FLUSH_REVOCATIONS': {
            await expect(auth.flushRevocations()).resolves.toMatchObject({ revoked: expect.any(Number), dropped: expect.any(Number), pending: expect.any(Number) });
            i += 1;
            break;
          }
          case 'GET_SESSION': {
            // A refresh begins by taking its turn (one instance: at once); the refresh's own answer follows.
            const turn = eventAt(i + 1)?.type === 'REFRESH_TURN_TAKEN' ? 1 : 0;
            const after = eventAt(i + 1 + turn);
            if (from.value === 'revokedButStored') {
              await expect(auth.getSession({ forceRefresh: event.forceRefresh })).rejects.toMatchObject({ name: 'RevokedSessionNotCleared' });
              i += 1;
            } else if (!JSON.stringify(into).startsWith('{"signedIn":{"refreshing"')) {
              const signedIn = JSON.stringify(from.value).includes('signedIn');
              await expect(auth.getSession({ forceRefresh: event.forceRefresh })).resolves.toEqual(signedIn ? expect.objectContaining({ username: current.username }) : {});
              i += 1;
            } else if (ok(after)) {
              await expect(auth.getSession({ forceRefresh: true })).resolves.toMatchObject({ username: current.username });
              i += 2 + turn;
            } else if (after!.error!.name === 'NotAuthorizedException') {
              emu.faults.set('InitiateAuth', { type: 'error', name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' }, { times: 1 });
              const clearFails = !ok(eventAt(i + 2 + turn));
              storage.flags.failRemoveSession = clearFails;
              // The call waits for where the machine lands: no session, or a revoked one still stored.
              const session = auth.getSession({ forceRefresh: true });
              if (clearFails) await expect(session).rejects.toMatchObject({ name: 'RevokedSessionNotCleared' });
              else await expect(session).resolves.toEqual({});
              storage.flags.failRemoveSession = false;
              i += 3 + turn + (clearFails ? 1 : 0); // a failed clear is read back (confirmingClear)
            } else {
              emu.faults.set('InitiateAuth', { type: 'malformed' }, { times: 1 });
              await expect(auth.getSession({ forceRefresh: true })).rejects.toMatchObject({ name: 'UnexpectedResponse' });
              i += 2 + turn;
            }
            break;
          }
          default:
            throw new Error(`no executor for ${event.type} from ${JSON.stringify(from.value)}`);
        }
      }
      expect(collapse(run.sequence('auth'))).toEqual(collapse(path.steps.map((s) => (s.state as ModelSnapshot).value)));
    } finally {
      await auth.stop();
    }
  });
});

/** The shared allow-list also names other charts' transitions (the outbox): this model's are the sign-out's and the auth chart's. */
const ofThisModel = (t: string) => [signOutMachine, authMachine].some((m) => t.startsWith(`${m.id}.`) || t.startsWith(`${m.id} `));

// ═══ coverage ═══════════════════════════════════════════════════════════════════════════════
describe('coverage of the executed paths', () => {
  const machines = [signOutMachine, authMachine];

  test('every state and transition is reached by an executed path, except the commented allow-list', () => {
    const rows: string[] = [];
    const missing: string[] = [];
    const lines: string[] = [];
    for (const machine of machines) {
      const all = universe(machine);
      const states = recorder.states.get(machine.id) ?? new Set();
      const transitions = recorder.transitions.get(machine.id) ?? new Set();
      const allowed = all.transitions.filter((t) => t in UNREACHABLE);
      const elsewhere = all.transitions.filter((t) => notModelled(t) !== undefined && !transitions.has(t));
      const reachedStates = all.states.filter((s) => states.has(s));
      const taken = all.transitions.filter((t) => transitions.has(t));
      rows.push(
        `| \`${machine.id}\` | ${reachedStates.length}/${all.states.length} (${percent(reachedStates.length, all.states.length)}) | ` +
          `${taken.length}/${all.transitions.length} (${percent(taken.length, all.transitions.length)}) | ` +
          `${taken.length}/${all.transitions.length - allowed.length} (${percent(taken.length, all.transitions.length - allowed.length)}) |`,
      );
      lines.push(
        `${machine.id}: states ${reachedStates.length}/${all.states.length}, transitions ${taken.length}/${all.transitions.length} (${allowed.length} allow-listed as unreachable, ${elsewhere.length} not modelled, tested elsewhere)`,
      );
      // Other tabs are not in this model: adoptingSession, and the look for another tab's refresh.
      const otherTabStates = ['auth.adoptingSession', 'auth.signedIn.refreshing.lookingForTabsRefresh'];
      // Nor are expired tokens (see EXPIRED): the refresh before GlobalSignOut.
      const expiredTokenStates = ['signOut.callingCognito.signingOutGlobally.refreshingAccessToken'];
      const notModelledStates = [...HOSTED_UI_STATES, ...otherTabStates, ...expiredTokenStates, ROTATED_UNSTORED, QUEUED_SESSION, REVOKING_UNSTORED, ANNOUNCING, CONFIRMING_DEVICE];
      for (const s of all.states) if (!states.has(s) && !notModelledStates.includes(s)) missing.push(`state ${s}`);
      for (const t of all.transitions) if (!transitions.has(t) && !(t in UNREACHABLE) && notModelled(t) === undefined) missing.push(`transition ${t}`);
      for (const t of allowed) if (transitions.has(t)) missing.push(`allow-listed but taken (remove it from UNREACHABLE): ${t}`);
    }
    for (const t of [...Object.keys(UNREACHABLE).filter(ofThisModel), ...Object.keys(NOT_MODELLED)]) if (!machines.some((m) => universe(m).transitions.includes(t))) missing.push(`allow-listed but no longer in the machines: ${t}`);

    // eslint-disable-next-line no-console
    console.log(
      `model-based coverage (${signOutPaths.length} sign-out + ${authPaths.length} auth paths executed):\n  ${lines.join('\n  ')}` +
        (missing.length ? `\n  NOT COVERED:\n    ${missing.join('\n    ')}` : ''),
    );
    // The committed copy is refreshed on request, so a plain test run leaves the tree clean.
    if (process.env.WRITE_MODEL_COVERAGE === '1') writeFileSync(join(__dirname, '..', 'docs', 'model-coverage.md'), coverageDoc(rows));
    expect(missing).toEqual([]);
  });
});

function coverageDoc(rows: string[]): string {
  const byMachine = (machine: typeof signOutMachine | typeof authMachine) => {
    const all = universe(machine);
    const taken = recorder.transitions.get(machine.id) ?? new Set();
    return all.transitions
      .map((t) => `| \`${t}\` | ${taken.has(t) ? 'yes' : t in UNREACHABLE ? `no: ${UNREACHABLE[t]}` : notModelled(t) ? `not modelled: ${notModelled(t)}` : '**NO**'} |`)
      .join('\n');
  };
  return `# Model-based coverage

Generated by \`__tests__/modelBased.test.ts\` (do not edit by hand; run \`WRITE_MODEL_COVERAGE=1 npx jest __tests__/modelBased.test.ts\`).

This page counts what the **generated paths** take. What the **whole test suite** takes, every
test file together, is in [transition-coverage.md](transition-coverage.md): it checks the "not
modelled, tested elsewhere" rows below.

\`xstate/graph\` (\`getShortestPaths\`, \`getAdjacencyMap\`) walks each statechart with events read from its
definition: every invocation's done and error event, every delay, and the external events of the
auth machine, with outputs that Cognito and the storage can really produce. For every edge of the
resulting graph a path is built (shortest path to the edge, the edge, shortest way on to a state
where nothing is in flight); paths that are a prefix of another are dropped. The sign-out machine is
walked once per input (\`global\` × \`revocable\`).

Every path is then **executed** on the real stack: \`createAuth\` → real AWS SDK → HTTP → the
Cognito emulator. A failing call is an injected emulator fault (RevokeToken \`reset\`, GlobalSignOut
\`NotAuthorizedException\`, RespondToAuthChallenge / InitiateAuth errors or \`malformed\`), a deadline
is a \`blackhole\` with \`networkTimeoutMs: ${NETWORK_TIMEOUT_MS}\`, a storage failure a storage whose
\`getItem\`/\`removeItem\` throws; \`revocable: false\` is a client with \`enableTokenRevocation: false\`.
The real actors' state sequence must equal the path's, and the transitions counted below are the
ones the real actors took (XState inspection, \`@xstate.microstep\`), not the ones the model predicted.

Paths executed: ${signOutPaths.length} (sign-out machine) + ${authPaths.length} (auth machine).

| Machine | States reached | Transitions taken | Of the reachable (total minus allow-list) |
|---|---|---|---|
${rows.join('\n')}

A transition is one candidate of one state node: \`source --event[index]--> target\`
(\`__tests__/support/transitions.ts\`, the same names as transition-coverage.md).
The coverage test fails when a state or transition is neither taken nor in the allow-list of
unreachable transitions (\`__tests__/support/unreachableTransitions.ts\`) nor "not modelled" (the
test's \`NOT_MODELLED\` and the families after it), or when an allow-listed one is taken or no
longer exists.

## Not reachable

From the one allow-list, \`__tests__/support/unreachableTransitions.ts\` (shared with the whole-suite
coverage):

${Object.entries(UNREACHABLE).filter(([t]) => ofThisModel(t)).map(([t, reason]) => `- \`${t}\`: ${reason}`).join('\n')}

## Not exercised as separate paths (same transition definition, already covered)

- \`SIGN_OUT\` while \`signedIn.refreshing\`: the transition is defined on \`signedIn\` and is taken from
  \`signedIn.active\`; the in-flight-refresh case is tested in \`__tests__/session.test.ts\`.
- The sign-out deadline on \`signingOutGlobally\` fires both while GlobalSignOut and while the
  following RevokeToken is pending (two paths, one transition definition).

## Every transition

### \`signOut\`

| Transition | Taken by a real actor |
|---|---|
${byMachine(signOutMachine)}

### \`auth\`

| Transition | Taken by a real actor |
|---|---|
${byMachine(authMachine)}
`;
}
