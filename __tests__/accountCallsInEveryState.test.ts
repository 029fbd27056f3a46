// Derived from the machines, not hand-picked: for every account flow in ACCOUNT_FLOWS
// (machines/account/index.ts), every atomic state of its chart is reached by a search over its
// calls and its actors' settlements (each actor held until the search settles it), and in each
// state every call of the flow must be answered: one `answered` event for its id, once the steps
// it started settle. A call no state answers, a state no search reaches, or a flow without samples
// here fails. Bare machines: the actors are stand-ins; the flows' end-to-end tests run them over HTTP.
import { createActor, fromPromise, type AnyStateMachine } from 'xstate';
import { ACCOUNT_FLOWS } from '../machines/account/index';
import { atomicStates, pathOf } from '../scripts/diagrams/calls';

/** What the search sends and settles for one flow: each call's payload variants (no `type`, no `id`), and what each actor resolves with. */
interface Samples {
  readonly events: Readonly<Record<string, ReadonlyArray<Record<string, unknown>>>>;
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** Errors every held actor may reject with: a wrong code, the network, and a storage that refused tokens Cognito issued (their receipt reported). */
const ERRORS = [
  { name: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' },
  { name: 'NetworkError', message: 'offline' },
  { name: 'StorageError', message: 'The quota has been exceeded', unstoredRef: 'receipt#9' },
];

const SAMPLES: Readonly<Record<string, Samples>> = {
  resetPassword: {
    events: { RESET_PASSWORD: [{ username: 'jane' }], CONFIRM_RESET_PASSWORD: [{ username: 'jane', code: 'receipt#1', newPassword: 'receipt#2' }] },
    outputs: { forgotPassword: { codeDelivery: { destination: 'j***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' } }, confirmForgotPassword: undefined },
  },
  updatePassword: {
    events: { UPDATE_PASSWORD: [{ oldPassword: 'receipt#1', newPassword: 'receipt#2', signInPassword: 'receipt#3' }, { oldPassword: 'receipt#1', newPassword: 'receipt#2' }] },
    outputs: { changePassword: { username: 'jane' }, signOutEverywhere: { type: 'complete' }, signInAgain: { signedIn: true, signInStep: 'DONE' } },
  },
  userAttributes: {
    events: {
      FETCH_USER_ATTRIBUTES: [{}],
      UPDATE_USER_ATTRIBUTES: [{ attributes: { email: 'new@example.org' } }],
      CONFIRM_USER_ATTRIBUTE: [{ attributeName: 'email', code: 'receipt#1' }],
      SEND_USER_ATTRIBUTE_VERIFICATION_CODE: [{ attributeName: 'email' }],
      DELETE_USER_ATTRIBUTES: [{ attributeNames: ['custom:team'] }],
      PENDING_ATTRIBUTE_CHANGES: [{}],
    },
    outputs: {
      getUser: { attributes: { email: 'jane@example.com' } },
      updateUserAttributes: { codeDeliveries: [{ destination: 'n***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' }] },
      verifyUserAttribute: undefined,
      sendVerificationCode: { codeDelivery: { destination: 'n***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' } },
      deleteUserAttributes: undefined,
      readPending: {},
      recordPending: undefined,
    },
  },
  signUp: {
    events: { SIGN_UP: [{ username: 'jane', password: 'receipt#1', userAttributes: {}, autoSignIn: true, at: 0, validForMs: 180_000 }], CONFIRM_SIGN_UP: [{ username: 'jane', code: 'receipt#2', at: 0, validForMs: 180_000 }], RESEND_SIGN_UP_CODE: [{ username: 'jane' }], AUTO_SIGN_IN: [{ at: 0 }] },
    outputs: { signUp: { userConfirmed: false }, confirmSignUp: { autoSignInAsked: true, sessionRef: 'receipt#3' }, resendSignUpCode: {}, saveRecord: undefined, clearRecord: undefined, readAutoSignIn: { pending: { stage: 'confirmed', username: 'jane', deadline: 180_000 }, signedOut: true }, autoSignIn: undefined, revokeUnstored: undefined },
  },
  mfaSetup: {
    events: { SET_UP_TOTP: [{ replace: false }], VERIFY_TOTP_SETUP: [{ code: 'receipt#1', friendlyDeviceName: 'phone' }], UPDATE_MFA_PREFERENCE: [{ totp: 'PREFERRED' }], FETCH_MFA_PREFERENCE: [{}] },
    outputs: { readMfaSettings: { username: 'jane', mfaFactors: [] }, associateSoftwareToken: { secret: 'receipt#2' }, verifySoftwareToken: undefined, setMfaPreference: undefined },
  },
  deleteUser: {
    events: { DELETE_USER: [{}] },
    outputs: { deleteUser: { sub: 'sub-1' }, endSession: { store: 'gone' }, readOutbox: [{ id: 'intent-1', sub: 'sub-1', revoked: false }], dropIntents: { left: [] } },
  },
  devices: {
    events: { REMEMBER_DEVICE: [{}], FORGET_DEVICE: [{}, { deviceKey: 'us-east-1_device-2' }], FETCH_DEVICES: [{}] },
    outputs: { thisDevice: { deviceKey: 'us-east-1_device-1' }, rememberDevice: undefined, forgetDevice: undefined, fetchDevices: [{ key: 'us-east-1_device-1', attributes: { device_name: 'laptop' } }] },
  },
  passkeys: {
    events: { ASSOCIATE_WEBAUTHN_CREDENTIAL: [{ at: 0 }, { at: 600_000, maxSignInAgeMs: 300_000 }], LIST_WEBAUTHN_CREDENTIALS: [{ pageSize: 5 }], DELETE_WEBAUTHN_CREDENTIAL: [{ credentialId: 'cred-1' }] },
    outputs: {
      readSignIn: { signedInAt: 0 },
      startRegistration: { options: 'receipt#1' },
      createCredential: { credential: 'receipt#2', credentialId: 'cred-1' },
      completeRegistration: undefined,
      listCredentials: { credentials: [{ credentialId: 'cred-1' }] },
      deleteCredential: undefined,
    },
  },
};

type Move = { readonly call: string; readonly variant: number } | { readonly settle: 'done' | number };

interface Run {
  readonly value: () => string;
  readonly answered: Set<number>;
  readonly held: number;
  send(type: string, variant: number, id: number): Promise<void>;
  settle(how: 'done' | number): Promise<boolean>;
  stop(): void;
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

async function start(machine: AnyStateMachine, samples: Samples, moves: readonly Move[]): Promise<Run> {
  const held: Array<{ resolve: (value: unknown) => void; reject: (error: unknown) => void; src: string }> = [];
  const sources = Object.keys((machine.implementations as { actors: Record<string, unknown> }).actors);
  const actors = Object.fromEntries(sources.map((src) => [src, fromPromise(() => new Promise((resolve, reject) => held.push({ resolve, reject, src })))]));
  const actor = createActor(machine.provide({ actors }));
  const answered = new Set<number>();
  actor.on('answered', (event) => void answered.add((event as unknown as { id: number }).id));
  actor.start();
  let nextId = 1;
  const run: Run = {
    value: () => atomicStates(machine).filter((node) => actor.getSnapshot().matches(node.path.join('.') as never)).map(pathOf).join(',') || JSON.stringify(actor.getSnapshot().value),
    answered,
    get held() {
      return held.length;
    },
    async send(type, variant, id) {
      actor.send({ type, id, ...samples.events[type]![variant] } as never);
      await flush();
    },
    async settle(how) {
      const next = held.shift();
      if (!next) return false;
      if (how === 'done') next.resolve(samples.outputs[next.src]);
      else next.reject(ERRORS[how]);
      await flush();
      return true;
    },
    stop: () => actor.stop(),
  };
  for (const move of moves) {
    if ('call' in move) await run.send(move.call, move.variant, nextId++);
    else await run.settle(move.settle);
  }
  return run;
}

/** The shortest moves to each atomic state (by dotted path), breadth first. */
async function reach(machine: AnyStateMachine, samples: Samples, calls: ReadonlyArray<readonly [string, string]>): Promise<Map<string, Move[]>> {
  const found = new Map<string, Move[]>();
  const seen = new Set<string>();
  let frontier: Move[][] = [[]];
  for (let depth = 0; depth < 8 && frontier.length > 0; depth++) {
    const next: Move[][] = [];
    for (const moves of frontier) {
      const run = await start(machine, samples, moves);
      const here = run.value();
      const key = `${here}|${run.held}`;
      run.stop();
      if (seen.has(key)) continue;
      seen.add(key);
      if (!found.has(here)) found.set(here, moves);
      for (const [, type] of calls) (samples.events[type] ?? []).forEach((_, variant) => next.push([...moves, { call: type, variant }]));
      if (run.held > 0) for (const how of ['done', ...ERRORS.keys()] as const) next.push([...moves, { settle: how }]);
    }
    frontier = next;
  }
  return found;
}

describe.each(ACCOUNT_FLOWS.map((flow) => [flow.machine.id, flow] as const))('the %s flow', (id, { machine, calls }) => {
  test('has samples here for every call and every actor', () => {
    const samples = SAMPLES[id];
    expect(samples).toBeDefined();
    expect(Object.keys(samples!.events).sort()).toEqual(calls.map(([, type]) => type).sort());
    expect(Object.keys(samples!.outputs).sort()).toEqual(Object.keys((machine.implementations as { actors: Record<string, unknown> }).actors).sort());
  });

  test('every call is answered in every atomic state', async () => {
    const samples = SAMPLES[id]!;
    const paths = await reach(machine, samples, calls);
    expect([...paths.keys()].sort()).toEqual(atomicStates(machine).map(pathOf).sort());
    const unanswered: string[] = [];
    for (const [state, moves] of paths) {
      for (const [method, type] of calls) {
        const run = await start(machine, samples, moves);
        await run.send(type, 0, 999);
        for (let steps = 0; !run.answered.has(999) && steps < 10; steps++) if (!(await run.settle('done'))) break;
        if (!run.answered.has(999)) unanswered.push(`${method}() in ${state}`);
        run.stop();
      }
    }
    expect(unanswered).toEqual([]);
  });
});
