// Model-based property tests of sessions and sign-out (docs/reliability.invariants.md): random
// command sequences (sign-in, getSession, sign-out, emulator faults, restarts, flushRevocations,
// a second instance over the same storage, calls from event handlers; storage synchronous or
// asynchronous as AsyncStorage) run against a real Auth, the real AWS SDK and the emulator over 127.0.0.1, checking after every
// command that:
//   1. no token the library ever received is left in storage once signed out (a refresh token may
//      wait in the revocation outbox; access and ID tokens never may);
//   2. every call settles within a bound, and the statechart is never left in a transient state;
//   3. the library never sends a token the server has already revoked (checked on the wire);
// and that every result matches a model of what must have happened, where that is deterministic.
// This file gathers what the tests import from the files beside it.
export {
  FLUSH_BOUND_MS,
  INCLUDE_KNOWN_BUGS,
  LONG_LATENCY_MS,
  NETWORK_TIMEOUT_MS,
  SDK_RETRY_BUDGET_MS,
  SETTLE_BOUND_MS,
  SHORT_LATENCY_MS,
  SIGN_IN_BOUND_MS,
  STALL_MS,
  STORAGE_TIMEOUT_MS,
} from './bounds';
export { FAULTS, FAULT_NAMES, FAULT_OPS, type FaultName, type FaultOp } from './faults';
export { newStats, type Stats } from './stats';
export { InvariantViolation, World, type Model, type StorageTiming, type Who } from './world';
export { GetSession, SignIn, SignOut, type Command } from './commands';
export { ClearFault, SetFault } from './faultCommands';
export { FlushRevocations, Restart } from './restartAndFlush';
export { Parallel } from './parallel';
export { CrossInstanceRace } from './crossInstance';
export { HANDLER_CALLS, HANDLER_EVENTS, OnNextEvent } from './handlers';
export { commandArbitraries, finish, freshWorld, scenarios, type Scenario } from './scenarios';
