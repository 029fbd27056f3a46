// The command type, and the commands that call signIn(), getSession() or signOut() once and check the result against the model.
import type fc from 'fast-check';
import type { AuthSession, SignInResult, SignOutResult } from '../../../src/index';
import { INCLUDE_KB3, SETTLE_BOUND_MS, SIGN_IN_BOUND_MS, STALL_MS, watchStalls } from './bounds';
import { callErrorNames, failsSignOutCall } from './faults';
import { bump } from './stats';
import { InvariantViolation, type Model, type Outcome, type StoredTokens, type Who, type World } from './world';

export type Command = fc.AsyncCommand<Model, World>;

export const expectOk = <T>(outcome: Outcome<T>, what: string): T => {
  if (!outcome.ok) throw new Error(`model: ${what} rejected with ${outcome.error.name}: ${outcome.error.message}`);
  return outcome.value;
};
export const expectError = (outcome: Outcome<unknown>, names: string[], what: string): void => {
  if (outcome.ok) throw new Error(`model: ${what} resolved ${JSON.stringify(outcome.value)}, expected a rejection with ${names.join(' or ')}`);
  if (!names.includes(outcome.error.name)) throw new Error(`model: ${what} rejected with ${outcome.error.name} (${outcome.error.message}), expected ${names.join(' or ')}`);
};

/** Whether instance `who`'s statechart must be signed in, and setting it. */
export const isIn = (model: Model, who: Who): boolean => (who === 'A' ? model.signedIn : model.signedInB === true);
export const setIn = (model: Model, who: Who, value: boolean): void => void (who === 'A' ? (model.signedIn = value) : (model.signedInB = value));
const prefix = (who: Who): string => (who === 'A' ? '' : 'b.');

/**
 * A command that calls the API once and checks its result against the model. While an auth.on()
 * handler is armed (world.racing), a handler's call may run beside it: the command then checks only
 * what holds whatever the handler did (it settles; tokens handed out are not revoked; a sign-out
 * that signed out locally left no session), waits for the handler's calls, and learns the states.
 */
abstract class ApiCommand implements Command {
  abstract readonly label: string;
  constructor(readonly who: Who = 'A') {}
  check = (model: Readonly<Model>): boolean => this.who === 'A' || model.signedInB !== null;
  toString = () => this.label;
  async run(model: Model, world: World): Promise<void> {
    bump(world.stats.commands, this.label);
    world.sent = [];
    world.attempts = [];
    world.commandStartedAt = performance.now();
    const stall = watchStalls();
    try {
      if (world.racing) {
        await this.actRacing(world);
        await world.drainHandlerCalls(SIGN_IN_BOUND_MS);
        await world.steady(`${this.label} (a handler may have called)`, SETTLE_BOUND_MS); // an instance may still be adopting the store after its refresh's write was refused
        world.resync(model, `${this.label} (a handler may have called)`);
      } else {
        await this.act(model, world);
      }
    } catch (error) {
      // A wrong result is excused only when this process stalled while the command ran (the emulator
      // shares its event loop, so a 150 ms deadline can pass on a fault-free call); never an invariant.
      const stalledMs = stall.maxMs();
      if (error instanceof InvariantViolation) throw error;
      if (stalledMs < STALL_MS) {
        if (error instanceof Error) error.message += `\n(longest event-loop stall ${Math.round(stalledMs)} ms; HTTP attempts:\n${world.attemptLog() || 'none'})`;
        throw error;
      }
      world.stats.stalledCommands += 1;
      bump(world.stats.commands, `${this.label}: not judged (the event loop stalled ${Math.round(stalledMs)} ms)`);
      await world.drainHandlerCalls(SIGN_IN_BOUND_MS);
      await world.steady(`${this.label} (not judged: stalled)`, SIGN_IN_BOUND_MS);
      world.resync(model, `${this.label} (not judged: stalled)`);
    } finally {
      stall.stop();
    }
    world.checkInvariants(model, this.label);
  }
  protected abstract act(model: Model, world: World): Promise<void>;
  protected abstract actRacing(world: World): Promise<void>;
}

export class SignIn extends ApiCommand {
  readonly label: string;
  constructor(who: Who = 'A') {
    super(who);
    this.label = `${prefix(who)}signIn()`;
  }
  static send(world: World, who: Who = 'A'): Promise<SignInResult> {
    return world.authOf(who).signIn({ username: world.user.username, password: world.user.password, authFlow: 'USER_PASSWORD_AUTH' });
  }
  protected async act(model: Model, world: World): Promise<void> {
    const globalQueued = world.globalIntentQueued();
    const outcome = await world.settle(this.label, SignIn.send(world, this.who), SIGN_IN_BOUND_MS);
    if (isIn(model, this.who)) return expectError(outcome, ['UserAlreadyAuthenticatedException'], this.label);
    // KB6: a sign-in first has the outbox send the global intents queued on this storage. One still
    // queued after that (GlobalSignOut failed again, for a reason a later try can fix) refuses it,
    // and InitiateAuth is never sent.
    const globalFailure = callErrorNames(model.faults.get('GlobalSignOut'))[0];
    if (globalQueued && globalFailure !== undefined && retryable(globalFailure)) {
      expectError(outcome, ['GlobalSignOutPendingException'], this.label);
      expect(world.sent).not.toContain('InitiateAuth');
      bump(world.stats.commands, `${this.label} refused: a queued global sign-out still fails`);
      return;
    }
    if (!outcome.ok && outcome.error.name === 'GlobalSignOutPendingException' && world.authB !== undefined && globalFailure === undefined) {
      // What is left: the other instance's drain held the entry (its lease) when this one looked.
      expect(world.sent).not.toContain('InitiateAuth');
      bump(world.stats.commands, `${this.label} refused: the other instance was sending the queued global sign-out`);
      return;
    }
    const fault = model.faults.get('InitiateAuth');
    const failures = callErrorNames(fault);
    if (failures.length > 0) return expectError(outcome, failures, this.label);
    expect(expectOk(outcome, this.label)).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    setIn(model, this.who, true);
    model.stored = true; // a new generation: over any session the other instance stored
  }
  protected async actRacing(world: World): Promise<void> {
    const outcome = await world.settle(this.label, SignIn.send(world, this.who), SIGN_IN_BOUND_MS);
    if (outcome.ok) expect(outcome.value).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  }
}

export class GetSession extends ApiCommand {
  readonly label: string;
  constructor(
    readonly forceRefresh: boolean,
    who: Who = 'A',
  ) {
    super(who);
    this.label = `${prefix(who)}${forceRefresh ? 'getSession({ forceRefresh: true })' : 'getSession()'}`;
  }
  /** The call; what it hands out is checked against the server the moment it resolves. */
  call(world: World): Promise<AuthSession> {
    return world
      .authOf(this.who)
      .getSession(this.forceRefresh ? { forceRefresh: true } : undefined)
      .then((session) => (world.crossRace ? session : (world.checkHandedOut(session, this.label), session)));
  }
  protected async actRacing(world: World): Promise<void> {
    const outcome = await world.settle(this.label, this.call(world), this.forceRefresh ? SIGN_IN_BOUND_MS : SETTLE_BOUND_MS);
    if (outcome.ok && outcome.value.tokens) expect(outcome.value.username).toBe(world.user.username);
  }
  protected async act(model: Model, world: World): Promise<void> {
    const before = world.storedSession();
    const outcome = await world.settle(this.label, this.call(world), this.forceRefresh ? SIGN_IN_BOUND_MS : SETTLE_BOUND_MS);
    if (!isIn(model, this.who)) {
      expect(expectOk(outcome, this.label)).toEqual({});
      return;
    }
    if (!model.stored) {
      // Signed in in this statechart, but the other instance signed out: the store is empty.
      // Read: {}. Refresh: no refresh token (RefreshTokenMissing ends the session): {} and signed out.
      expect(expectOk(outcome, this.label)).toEqual({});
      if (this.forceRefresh) setIn(model, this.who, false);
      return;
    }
    if (!this.forceRefresh) {
      // Tokens live an hour, far outside the 60 s skew: returned as stored, no refresh sent.
      const session = expectOk(outcome, this.label);
      expect(session).toMatchObject({ username: world.user.username, tokens: before });
      expect(world.sent.filter((op) => op !== 'RevokeToken')).toEqual([]); // the outbox may drain meanwhile
      return;
    }
    const fault = model.faults.get('InitiateAuth');
    if (fault === 'notAuthorized') {
      // Cognito refused the refresh token: the session is over, and the store is cleared.
      expect(expectOk(outcome, this.label)).toEqual({});
      setIn(model, this.who, false);
      model.stored = false;
      return;
    }
    const failures = callErrorNames(fault);
    if (failures.length > 0) {
      // Offline, throttled or too slow: rejected, tokens kept, still signed in.
      expectError(outcome, failures, this.label);
      expect(world.storedSession()).toEqual(before);
      return;
    }
    const session = expectOk(outcome, this.label);
    expect(session.username).toBe(world.user.username);
    expect(session.tokens?.refreshToken).toBe(before?.refreshToken);
    expect(session.tokens?.accessToken).not.toBe(before?.accessToken);
    expect(world.storedSession()).toMatchObject(session.tokens ?? {});
  }
}

export class SignOut extends ApiCommand {
  readonly label: string;
  constructor(
    readonly global: boolean,
    who: Who = 'A',
  ) {
    super(who);
    this.label = `${prefix(who)}${global ? 'signOut({ global: true })' : 'signOut()'}`;
  }
  override check = (model: Readonly<Model>): boolean => (this.who === 'A' || model.signedInB !== null) && SignOut.allowed(model, this.who);
  /** KB3 step-around (FC_KNOWN_BUGS=0): no sign-out by a signed-out statechart while the other instance's session is stored. */
  static allowed(model: Readonly<Model>, who: Who): boolean {
    return INCLUDE_KB3 || isIn(model as Model, who) || !model.stored;
  }
  /** The call; a result that says signed out locally is checked against the storage the moment it resolves. */
  call(world: World): Promise<SignOutResult> {
    const before = world.storedSession();
    return world
      .authOf(this.who)
      .signOut(this.global ? { global: true } : undefined)
      .then((result) => {
        if (result.type === 'partial' && result.finishedBy === 'outbox' && before) {
          for (const token of [before.accessToken, before.refreshToken]) if (token) world.queuedTokens.add(token);
        }
        if (result.signedOutLocally && world.storedSession() !== null) {
          world.stats.tokensLeftBehind += 1;
          throw new InvariantViolation(`invariant 1: ${this.label} resolved ${result.type} with signedOutLocally, but a session is stored`);
        }
        return result;
      });
  }
  protected async actRacing(world: World): Promise<void> {
    expectOk(await world.settle(this.label, this.call(world), SETTLE_BOUND_MS), this.label);
  }
  protected async act(model: Model, world: World): Promise<void> {
    const session = world.storedSession();
    // What the outbox may send meanwhile, on its own: RevokeToken, and GlobalSignOut while a global intent is queued
    // (a drain that began at a restart may still be sending it when this call starts).
    const outboxMaySend = world.globalIntentQueued() ? ['RevokeToken', 'GlobalSignOut'] : ['RevokeToken'];
    const result = expectOk(await world.settle(this.label, this.call(world), SETTLE_BOUND_MS), this.label);
    const signedIn = isIn(model, this.who);
    bump(world.stats.signOutResults, signedIn ? `${this.who === 'B' ? 'b.' : ''}${this.global ? 'global' : 'local'} ${result.type}${model.stored ? '' : ' (store emptied by the other instance)'}` : `nobody signed in: ${result.type}`);
    if (!signedIn) {
      if (!model.stored) {
        expect(result).toEqual({ type: 'complete', signedOutLocally: true });
        expect(world.sent.filter((op) => !outboxMaySend.includes(op))).toEqual([]); // nobody to sign out: no call (the outbox may drain)
        return;
      }
      // The other instance's session is stored: this one's chart checks the store and signs it out
      // as asked (checkingStore). The other instance's chart does not know; its getSession() finds {}.
      model.stored = false;
      checkSignOutResult(result, this.global, model, world, session);
      return;
    }
    setIn(model, this.who, false);
    if (!model.stored) {
      // The other instance signed out already: nothing to revoke, nothing to clear.
      expect(result.signedOutLocally).toBe(true);
      return;
    }
    model.stored = false;
    checkSignOutResult(result, this.global, model, world, session);
  }
}

/** machines/errorInfo.ts RETRYABLE_FAILURES. */
const RETRYABLE = new Set(['NetworkError', 'TimeoutError', 'NotSent', 'UnexpectedResponse', 'UnexpectedRedirect', 'TooManyRequestsException', 'InternalErrorException', 'ServiceUnavailableException', 'AbortError', 'GlobalSignOutPendingException']);
const retryable = (name: string | undefined): boolean => name !== undefined && RETRYABLE.has(name);

/**
 * The result a sign-out of `session` must have, given the faults; and what the server must say.
 * The outbox is on (the default): a retryable failure is finished by it ('outbox'), any other by nothing.
 */
function checkSignOutResult(result: SignOutResult, global: boolean, model: Model, world: World, session: StoredTokens | null): void {
  if (result.type === 'failed') throw new Error(`model: signOut failed (${result.error.name}: ${result.error.message}), but the storage never fails`);
  const revokeFault = model.faults.get('RevokeToken');
  const globalFault = model.faults.get('GlobalSignOut');
  const refresh = session?.refreshToken ?? '';
  /** RevokeToken was left to the queued global intent (GlobalSignOut failed for a retryable reason). */
  let revokeLeftToOutbox = false;
  if (!global) {
    if (!failsSignOutCall(revokeFault)) {
      expect(result).toEqual({ type: 'complete', signedOutLocally: true });
    } else {
      expect(result).toMatchObject({ type: 'partial', revokeTokenError: { refreshToken: refresh } });
      expect(result).not.toHaveProperty('globalSignOutError');
      const partial = result as Extract<SignOutResult, { type: 'partial' }>;
      expect(callErrorNames(revokeFault)).toContain(partial.revokeTokenError?.name);
      expect(partial.finishedBy).toBe(retryable(partial.revokeTokenError?.name) ? 'outbox' : 'nothing');
    }
  } else if (!failsSignOutCall(globalFault)) {
    expect(result).toEqual({ type: 'complete', signedOutLocally: true });
  } else {
    expect(result).toMatchObject({ type: 'partial', globalSignOutError: { accessToken: session?.accessToken } });
    const partial = result as Extract<SignOutResult, { type: 'partial' }>;
    const globalName = partial.globalSignOutError?.name;
    expect(callErrorNames(globalFault)).toContain(globalName);
    if (retryable(globalName)) {
      if (partial.revokeTokenError) {
        // The deadline passed while GlobalSignOut was pending: both TimeoutError, RevokeToken not sent.
        expect({ global: globalName, revoke: partial.revokeTokenError.name }).toEqual({ global: 'TimeoutError', revoke: 'TimeoutError' });
        expect(partial.revokeTokenError.refreshToken).toBe(refresh);
        expect(partial.globalSignOutError).not.toHaveProperty('refreshToken');
      } else {
        // Retryable, outbox on: RevokeToken is not sent, the global intent stays queued with both tokens.
        expect(partial.globalSignOutError?.refreshToken).toBe(refresh);
      }
      revokeLeftToOutbox = true;
      expect(partial.finishedBy).toBe('outbox');
    } else {
      // GlobalSignOut can never succeed: RevokeToken follows at once.
      expect(partial.globalSignOutError).not.toHaveProperty('refreshToken');
      if (failsSignOutCall(revokeFault)) expect(partial.revokeTokenError).toBeDefined();
      if (partial.revokeTokenError) {
        expect(partial.revokeTokenError.refreshToken).toBe(refresh);
        expect([...callErrorNames(revokeFault), 'TimeoutError']).toContain(partial.revokeTokenError.name);
      }
      expect(partial.finishedBy).toBe(retryable(partial.revokeTokenError?.name) ? 'outbox' : 'nothing');
    }
  }
  // Honest results: what is reported revoked is revoked on the server.
  const revokeSucceeded = result.type === 'complete' || (result.type === 'partial' && !result.revokeTokenError && !revokeLeftToOutbox);
  if (revokeSucceeded) expect({ refreshTokenRevoked: world.emu.tokenRevoked(refresh) }).toEqual({ refreshTokenRevoked: true });
  if (global && result.type === 'complete') expect({ accessTokenRevoked: world.emu.tokenRevoked(session?.accessToken ?? '') }).toEqual({ accessTokenRevoked: true });
}
