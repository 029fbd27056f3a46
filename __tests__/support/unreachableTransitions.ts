// The one list of transitions that no test can take, each with the reason it cannot happen.
// Read by the whole-suite transition coverage (scripts/jest-transition-coverage.cjs,
// docs/transition-coverage.md) and by the model-based test (__tests__/modelBased.test.ts).
// A key is transitionKey() of __tests__/support/transitions.ts. The full run fails (once
// ENFORCE_TRANSITION_COVERAGE is on) when an entry here is taken by a test or is no longer a
// transition of the charts: the list cannot go stale.
//
// Only what cannot happen belongs here. A transition that can happen but no test takes yet is a
// gap: write the test.
export const UNREACHABLE: Readonly<Record<string, string>> = {
  // INTENTS_DUE is sent only by watchBackoff (services/actors/signOutActors.ts), which the outbox
  // invokes in `idle` alone. Leaving idle stops it: its timer is cleared, and xstate drops what a
  // stopped callback actor sends back. The `INTENTS_DUE: {}` of draining and retrying only says
  // that such an event would be ignored.
  'outbox.draining --INTENTS_DUE[0]--> (none)': 'INTENTS_DUE comes only from the backoff watcher, which runs in idle alone',
  'outbox.retrying --INTENTS_DUE[0]--> (none)': 'INTENTS_DUE comes only from the backoff watcher, which runs in idle alone',
  // The sign-out chart (machines/signOutMachine.ts) handles the failure of each of its five
  // invocations (each has onError) and none of its guards or actions throws: its actor always
  // ends done, never in error. The outbox's onError for it is a guard against a future bug.
  'outbox.draining.finishingIntent --xstate.error.actor.0.outbox.draining.finishingIntent[0]--> outbox.draining.pickingIntent':
    'the sign-out chart catches every failure of its actors: it ends done, never in error',
  'outbox.retrying --xstate.error.actor.0.outbox.retrying[0]--> outbox.idle': 'the sign-out chart catches every failure of its actors: it ends done, never in error',
  // The auth chart sends FINISH_GLOBAL_SIGN_OUTS only on entering finishingGlobalSignOut, which a
  // SIGN_IN reaches after loadingSession (a SIGN_IN there is deferred), and loadingSession's exit
  // sends SESSION_LOADED first: the outbox has left waitingForSession by then. Kept so that the
  // sign-in, which has no deadline of its own there, is answered even so.
  'outbox.waitingForSession --FINISH_GLOBAL_SIGN_OUTS[0]--> (none)': 'the sign-in asks only after loadingSession has sent SESSION_LOADED, which ends waitingForSession',
};
