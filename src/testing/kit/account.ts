// The testing kit's account flows (authchart/testing): createTestAccount(kit) gives a real
// createAccount() over the kit's instance and emulator, and drives its flows into named states
// (waiting for a reset code, a reset request held on the wire, …) for UI tests, as kit.driveTo()
// does for the auth chart. The flows' requests go over a wire the kit can hold: a held request
// is not sent until released.
import type { InspectionEvent } from 'xstate';
import { createAccount, type Account } from '../../account/createAccount.js';
import type { ResetPasswordOutput } from '../../account/resetPassword.js';
import type { SignUpOutput } from '../../account/signUp.js';
import type { TOTPSetupDetails } from '../../account/mfaSetup.js';
import type { SignInResult } from '../../results.js';
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
  /** signUp() of a new user called, its SignUp held. */
  'signUp.signingUp': HeldAccountCall<SignUpOutput> & SignUpUser;
  /** signUp() answered CONFIRM_SIGN_UP (with autoSignIn asked): the user has the code, the app shows the code form. */
  'signUp.awaitingCode': SignUpUser & {
    /** The newest sign-up code in the user's inbox. */
    readonly code: string;
    /** What signUp() resolved. */
    readonly result: SignUpOutput;
  };
  /** confirmSignUp() with the right code called, its ConfirmSignUp held. */
  'signUp.confirming': HeldAccountCall<SignUpOutput> & SignUpUser;
  /** confirmSignUp() answered COMPLETE_AUTO_SIGN_IN: the app calls autoSignIn() (after a reload too, kit.restart()). */
  'signUp.awaitingAutoSignIn': SignUpUser & {
    /** What confirmSignUp() resolved. */
    readonly result: SignUpOutput;
  };
  /** autoSignIn() called, its InitiateAuth (USER_AUTH with the Session) held. */
  'signUp.autoSigningIn': HeldAccountCall<SignInResult> & SignUpUser;
  /** The kit's user signed in, setUpTotp() called, its AssociateSoftwareToken held. */
  'mfaSetup.associating': HeldAccountCall<TOTPSetupDetails>;
  /** setUpTotp() answered: the app shows the QR code and waits for the first code. */
  'mfaSetup.awaitingCode': {
    /** What setUpTotp() resolved: the shared secret and getSetupUri(). */
    readonly setup: TOTPSetupDetails;
    /** The code an authenticator app shows now, from the shared secret on the emulator's clock. */
    code(): string;
  };
  /** verifyTotpSetup() with the right code called, its VerifySoftwareToken held. */
  'mfaSetup.verifying': HeldAccountCall<void>;
}

/** The user a sign-up state made: new to the pool, with an email the kit reads codes for. */
export interface SignUpUser {
  /** The new user's name: `options.username`, or `new-user`. */
  readonly username: string;
  /** The password it signed up with (generated). */
  readonly password: string;
}

/** A state createTestAccount's driveTo() can reach: `<flow>.<state>`, the flow's chart and a state of it. */
export type TestAccountState = keyof TestAccountStates;

/**
 * The chart state each named state is: most are the chart's own; a flow that waits for the user
 * rests in its chart's `idle`, with what it waits on stored (a sign-up's code, its auto sign-in).
 */
const CHART_STATE_OF: { readonly [state in TestAccountState]: string } = {
  'resetPassword.requestingCode': 'resetPassword.requestingCode',
  'resetPassword.awaitingCode': 'resetPassword.awaitingCode',
  'resetPassword.confirming': 'resetPassword.confirming',
  'signUp.signingUp': 'signUp.signingUp',
  'signUp.awaitingCode': 'signUp.idle',
  'signUp.confirming': 'signUp.confirming',
  'signUp.awaitingAutoSignIn': 'signUp.idle',
  'signUp.autoSigningIn': 'signUp.autoSigningIn',
  'mfaSetup.associating': 'mfaSetup.associating',
  'mfaSetup.awaitingCode': 'mfaSetup.awaitingCode',
  'mfaSetup.verifying': 'mfaSetup.verifying',
};

/** Every state driveTo() reaches, for tests that cover them all. */
export const TEST_ACCOUNT_STATES: readonly TestAccountState[] = Object.keys(CHART_STATE_OF) as TestAccountState[];

/** The `<chart id>.<state>` each named state is, for tests that check the names against the charts. */
export const chartStateOf = (state: TestAccountState): string => CHART_STATE_OF[state];

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
    const [flow, value] = CHART_STATE_OF[state].split('.') as [string, string];
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
      case 'signUp.signingUp':
      case 'signUp.awaitingCode':
      case 'signUp.confirming':
      case 'signUp.awaitingAutoSignIn':
      case 'signUp.autoSigningIn':
        return driveSignUp(state, account, options.username ?? 'new-user', timeoutMs);
      case 'mfaSetup.associating':
      case 'mfaSetup.awaitingCode':
      case 'mfaSetup.verifying':
        return driveMfaSetup(state, account, username, timeoutMs);
      case 'resetPassword.confirming': {
        await account.resetPassword({ username });
        const newPassword = `Pw-${Math.random().toString(36).slice(2, 12)}9!`;
        const held = await holdCall(state, 'ConfirmForgotPassword', () => account.confirmResetPassword({ username, confirmationCode: code('resetPassword', username), newPassword }), timeoutMs);
        return { ...held, newPassword };
      }
    }
  };
  const driveSignUp = async (state: TestAccountState, account: Account, username: string, timeoutMs: number): Promise<unknown> => {
    const password = `Pw-${Math.random().toString(36).slice(2, 12)}7!`;
    const user = { username, password };
    const signUp = () => account.signUp({ username, password, options: { userAttributes: { email: `${username}@example.com` }, autoSignIn: true } });
    if (state === 'signUp.signingUp') return { ...(await holdCall(state, 'SignUp', signUp, timeoutMs)), ...user };
    const signedUp = await signUp();
    if (state === 'signUp.awaitingCode') return { ...user, code: code('signUp', username), result: signedUp };
    const confirm = () => account.confirmSignUp({ username, confirmationCode: code('signUp', username) });
    if (state === 'signUp.confirming') return { ...(await holdCall(state, 'ConfirmSignUp', confirm, timeoutMs)), ...user };
    const confirmed = await confirm();
    if (state === 'signUp.awaitingAutoSignIn') return { ...user, result: confirmed };
    return { ...(await holdCall(state, 'InitiateAuth', () => account.autoSignIn(), timeoutMs)), ...user };
  };
  const driveMfaSetup = async (state: TestAccountState, account: Account, username: string, timeoutMs: number): Promise<unknown> => {
    if (!kit.is('signedIn')) await kit.driveTo('signedIn', { username });
    if (state === 'mfaSetup.associating') return holdCall(state, 'AssociateSoftwareToken', () => account.setUpTotp(), timeoutMs);
    const setup = await account.setUpTotp();
    const totp = () => kit.emulator.totpCode(setup.sharedSecret);
    if (state === 'mfaSetup.awaitingCode') return { setup, code: totp };
    return holdCall(state, 'VerifySoftwareToken', () => account.verifyTotpSetup({ code: totp() }), timeoutMs);
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
