// The testing kit's account flows (authchart/testing): createTestAccount(kit) gives a real
// createAccount() over the kit's instance and emulator, and drives its flows into named states
// (waiting for a reset code, a reset request held on the wire, …) for UI tests, as kit.driveTo()
// does for the auth chart. The flows' requests go over a wire the kit can hold: a held request
// is not sent until released.
import type { InspectionEvent } from 'xstate';
import { createAccount, type Account } from '../../account/createAccount.js';
import type { ResetPasswordOutput } from '../../account/resetPassword.js';
import type { Auth } from '../../authCore.js';
import { fetchAccountWire, type AccountWire } from '../../../services/cognito/accountWire.js';
import type { AccountOperation } from '../../../services/cognito/types.js';
import type { EmulatorInboxMessage as InboxMessage } from '../emulator/types.js';
import type { TestAuth } from '../testAuth.js';

/** A call of an account flow, held on one Cognito request: the request is not sent until release(). */
export interface HeldAccountCall<R> {
  /** The call's own promise: it settles after release(). */
  readonly result: Promise<R>;
  /** Sends the held request and resolves with the call's result (rejects with its error). */
  release(): Promise<R>;
}

/** What driveTo() resolves with, per named state of an account flow. */
export interface TestAccountStates {
  /** resetPassword() called, its ForgotPassword held. */
  'resetPassword.requestingCode': HeldAccountCall<ResetPasswordOutput>;
  /** resetPassword() answered CONFIRM_RESET_PASSWORD_WITH_CODE: the user has the code, the app shows the code form. */
  'resetPassword.awaitingCode': {
    /** The user the code was sent to. */
    readonly username: string;
    /** The newest reset code in the user's inbox. */
    readonly code: string;
    /** What resetPassword() resolved. */
    readonly result: ResetPasswordOutput;
  };
  /** confirmResetPassword() called with the right code, its ConfirmForgotPassword held. */
  'resetPassword.confirming': HeldAccountCall<void> & {
    /** The new password the held call sets (generated). */
    readonly newPassword: string;
  };
}

/** A state createTestAccount's driveTo() can reach: `<flow>.<state>`, the flow's chart and its state. */
export type TestAccountState = keyof TestAccountStates;

/** Every state driveTo() reaches, for tests that cover them all. */
export const TEST_ACCOUNT_STATES: readonly TestAccountState[] = ['resetPassword.requestingCode', 'resetPassword.awaitingCode', 'resetPassword.confirming'];

/** driveTo()'s options. */
export interface AccountDriveOptions {
  /** The user the flow runs for. Default: the kit's first user. */
  readonly username?: string;
  /** How long to wait for the state, in ms. Default 5000. */
  readonly timeoutMs?: number;
}

/** The account flows of a TestAuth, and the handles to steer them. */
export interface TestAccount {
  /** createAccount() over the kit's current `auth` (a new one after kit.restart()). */
  readonly account: Account;
  /** Drives a flow into `state` and resolves once its chart is there. */
  driveTo<S extends TestAccountState>(state: S, options?: AccountDriveOptions): Promise<TestAccountStates[S]>;
  /** Whether a flow's chart is now in `state`. */
  is(state: TestAccountState): boolean;
  /** Every code the emulator "sent" to `username` (default: the kit's first user), oldest first. */
  inbox(username?: string): readonly InboxMessage[];
  /** The newest code of `purpose` sent to `username`; throws when none was sent. */
  code(purpose: InboxMessage['purpose'], username?: string): string;
}

/**
 * The account flows of `kit`'s instance (authchart/account's createAccount), with driveTo() for
 * their named states. The kit's first user has a verified email (`<username>@example.com`), so a
 * reset code reaches it.
 */
export function createTestAccount(kit: TestAuth): TestAccount {
  const base = fetchAccountWire({ region: kit.emulator.region, endpoint: kit.emulator.endpoint, clientId: kit.clientId, ...(kit.clientSecret && { clientSecret: kit.clientSecret }), callTimeoutMs: 10_000 });
  const holds = new Map<AccountOperation, { readonly released: Promise<void>; reached(): void }>();
  const wire: AccountWire = async (operation, payload, secrets, signal) => {
    const hold = holds.get(operation);
    if (hold) {
      holds.delete(operation);
      hold.reached();
      await hold.released;
    }
    return base(operation, payload, secrets, signal);
  };
  /** Each flow's newest snapshot value, by the chart's id, as the inspection stream shows it. */
  const values = new Map<string, string>();
  const inspect = (event: InspectionEvent) => {
    if (event.type !== '@xstate.snapshot') return;
    const id = (event.actorRef as { logic?: { id?: unknown } }).logic?.id;
    const value = (event.snapshot as { value?: unknown }).value;
    if (typeof id === 'string' && typeof value === 'string') values.set(id, value);
  };
  let made: { readonly auth: Auth; readonly account: Account } | undefined;
  const current = (): Account => {
    if (made?.auth !== kit.auth) {
      values.clear();
      made = { auth: kit.auth, account: createAccount(kit.auth, { wire, inspect }) };
    }
    return made.account;
  };
  const is = (state: TestAccountState): boolean => {
    const [flow, value] = state.split('.') as [string, string];
    return values.get(flow) === value;
  };
  const inbox = (username = kit.user().username) => kit.emulator.inbox(username, { userPoolId: kit.userPoolId });
  const code = (purpose: InboxMessage['purpose'], username?: string): string => {
    const sent = inbox(username).filter((message) => message.purpose === purpose);
    const newest = sent[sent.length - 1];
    if (!newest) throw new Error(`authchart/testing: no ${purpose} code was sent to ${username ?? kit.user().username}`);
    return newest.code;
  };
  const until = async (state: TestAccountState, timeoutMs: number): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!is(state)) {
      if (Date.now() > deadline) throw new Error(`authchart/testing: ${state} not reached within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
  /** Arms a hold on `operation`, makes `call`, and resolves once the chart is in `state` with that request held. */
  const holdCall = async <R>(state: TestAccountState, operation: AccountOperation, call: () => Promise<R>, timeoutMs: number): Promise<HeldAccountCall<R>> => {
    let release!: () => void;
    let reached!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const arrived = new Promise<void>((resolve) => (reached = resolve));
    holds.set(operation, { released, reached });
    const result = call();
    result.catch(() => undefined); // the test may never await it
    await Promise.race([arrived, result.then(() => undefined, () => undefined)]);
    await until(state, timeoutMs);
    return { result, release: () => (release(), result) };
  };
  const drive = async (state: TestAccountState, options: AccountDriveOptions = {}): Promise<unknown> => {
    const username = options.username ?? kit.user().username;
    const timeoutMs = options.timeoutMs ?? 5000;
    const account = current();
    switch (state) {
      case 'resetPassword.requestingCode':
        return holdCall(state, 'ForgotPassword', () => account.resetPassword({ username }), timeoutMs);
      case 'resetPassword.awaitingCode': {
        const result = await account.resetPassword({ username });
        await until(state, timeoutMs);
        return { username, code: code('resetPassword', username), result };
      }
      case 'resetPassword.confirming': {
        await account.resetPassword({ username });
        const newPassword = `Pw-${Math.random().toString(36).slice(2, 12)}9!`;
        const held = await holdCall(state, 'ConfirmForgotPassword', () => account.confirmResetPassword({ username, confirmationCode: code('resetPassword', username), newPassword }), timeoutMs);
        return { ...held, newPassword };
      }
    }
  };
  return {
    get account() {
      return current();
    },
    driveTo: (state, options) => drive(state, options) as Promise<never>,
    is,
    inbox,
    code,
  };
}
