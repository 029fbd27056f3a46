// Generated, not hand-picked: for every atomic state of the auth machine (read from its
// definition) and every public method, a real instance over real HTTP is held in that state, the
// method is called, the hold is released, and the call must settle: a result, or a typed AuthError.
// A call that no state answers hangs, and the test fails at its timeout. A state added to the
// machine without a way to hold it here fails the coverage check first.
import { authMachine } from '../machines/authMachine';
import { createSdkCognito, createCognitoClient } from '../services/cognito/sdkTransport';
import type { CognitoService } from '../services/cognito/types';
import { atomicStates, CALLS, pathOf } from '../scripts/diagrams/calls';
import { AuthError, createAuth, type Auth, type SignOutResult } from '../src/index';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';

/** Named holds: a gated function waits at its gate until the hold is released. */
function createGates() {
  const armed = new Map<string, { open: Promise<void>; release: () => void }>();
  return {
    arm(name: string): () => void {
      let release!: () => void;
      const open = new Promise<void>((resolve) => (release = resolve));
      armed.set(name, { open, release });
      return () => {
        armed.delete(name);
        release();
      };
    },
    async pass(name: string): Promise<void> {
      await armed.get(name)?.open;
    },
  };
}
type Gates = ReturnType<typeof createGates>;

function gatedTransport(inner: CognitoService, gates: Gates): CognitoService {
  return {
    revokeToken: async (...args) => (await gates.pass('revokeToken'), inner.revokeToken(...args)),
    globalSignOut: async (...args) => (await gates.pass('globalSignOut'), inner.globalSignOut(...args)),
    initiateAuth: async (...args) => (await gates.pass('initiateAuth'), inner.initiateAuth(...args)),
    respondToAuthChallenge: async (...args) => (await gates.pass('respondToAuthChallenge'), inner.respondToAuthChallenge(...args)),
    refreshTokens: async (...args) => (await gates.pass('refreshTokens'), inner.refreshTokens(...args)),
  };
}

let emu: CognitoEmulator;
const clients: Array<{ destroy(): void }> = [];
beforeAll(async () => {
  emu = await startCognitoEmulator();
});
afterAll(async () => {
  clients.forEach((client) => client.destroy());
  await emu.close();
});

interface World {
  auth: Auth;
  gates: Gates;
  storageFails: { removeItem: boolean };
  code(): string;
  user: { username: string; password: string };
}

function world(options: { mfa?: 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA'; temporary?: boolean } = {}, before?: (gates: Gates) => void): World {
  const { userPoolId, clientId, username, password } = emu.setup({ ...(options.mfa && { mfa: options.mfa }) });
  let user = { username, password };
  if (options.temporary) {
    user = { username: 'temporary-user', password: 'Temp-Passw0rd!' };
    emu.createUser({ userPoolId, username: user.username, password: user.password, permanent: false });
  }
  const gates = createGates();
  before?.(gates);
  const items = new Map<string, string>();
  const storageFails = { removeItem: false };
  const storage = {
    getItem: async (key: string) => (await gates.pass('getItem'), items.get(key) ?? null),
    setItem: async (key: string, value: string) => void items.set(key, value),
    removeItem: async (key: string) => {
      await gates.pass('removeItem');
      if (storageFails.removeItem) throw new Error('disk full');
      items.delete(key);
    },
  };
  const client = createCognitoClient(emu.region, emu.endpoint);
  clients.push(client);
  const transport = gatedTransport(createSdkCognito({ client, clientId, callTimeoutMs: 5000 }), gates);
  const auth = createAuth({ userPoolId, userPoolClientId: clientId, region: emu.region, transport, storage, networkTimeoutMs: 5000, revocationOutbox: { retryBaseMs: 600_000 } });
  return { auth, gates, storageFails, code: () => emu.mfaCode(userPoolId, user.username), user };
}

const signIn = (w: World) => w.auth.signIn({ ...w.user, authFlow: 'USER_PASSWORD_AUTH' });
const whenIn = (auth: Auth, state: string) =>
  new Promise<void>((resolve) => {
    const check = () => auth.actor.getSnapshot().matches(state as never) && (resolve(), true);
    if (!check()) {
      const subscription = auth.actor.subscribe(() => check() && subscription.unsubscribe());
    }
  });

/** How to bring an instance into each state and hold it there; release() lets it move on. */
const HOLDERS: Record<string, () => Promise<{ w: World; release: () => void }>> = {
  loadingSession: async () => {
    let release = () => {};
    const w = world({}, (gates) => (release = gates.arm('getItem')));
    return { w, release };
  },
  signedOut: async () => {
    const w = world();
    await whenIn(w.auth, 'signedOut');
    return { w, release: () => {} };
  },
  signingIn: async () => {
    const w = world();
    const release = w.gates.arm('initiateAuth');
    void signIn(w).catch(() => {});
    await whenIn(w.auth, 'signingIn');
    return { w, release };
  },
  awaitingNewPassword: async () => {
    const w = world({ temporary: true });
    await signIn(w);
    return { w, release: () => {} };
  },
  awaitingTotpCode: async () => {
    const w = world({ mfa: 'SOFTWARE_TOKEN_MFA' });
    await signIn(w);
    return { w, release: () => {} };
  },
  awaitingSmsCode: async () => {
    const w = world({ mfa: 'SMS_MFA' });
    await signIn(w);
    return { w, release: () => {} };
  },
  answeringChallenge: async () => {
    const w = world({ mfa: 'SOFTWARE_TOKEN_MFA' });
    await signIn(w);
    const release = w.gates.arm('respondToAuthChallenge');
    void w.auth.confirmSignIn({ challengeResponse: w.code() }).catch(() => {});
    await whenIn(w.auth, 'answeringChallenge');
    return { w, release };
  },
  'signedIn.active': async () => {
    const w = world();
    await signIn(w);
    return { w, release: () => {} };
  },
  'signedIn.refreshing': async () => {
    const w = world();
    await signIn(w);
    const release = w.gates.arm('refreshTokens');
    void w.auth.getSession({ forceRefresh: true }).catch(() => {});
    await whenIn(w.auth, 'signedIn.refreshing');
    return { w, release };
  },
  endingSession: async () => {
    const w = world();
    await signIn(w);
    emu.faults.set('InitiateAuth', { type: 'error', name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    const release = w.gates.arm('removeItem');
    void w.auth.getSession({ forceRefresh: true }).catch(() => {});
    await whenIn(w.auth, 'endingSession');
    emu.faults.clear('InitiateAuth');
    return { w, release };
  },
  revokedButStored: async () => {
    const w = world();
    await signIn(w);
    w.storageFails.removeItem = true;
    await w.auth.signOut();
    await whenIn(w.auth, 'revokedButStored');
    return { w, release: () => (w.storageFails.removeItem = false) };
  },
  signingOut: async () => {
    const w = world();
    await signIn(w);
    const release = w.gates.arm('revokeToken');
    void w.auth.signOut().catch(() => {});
    await whenIn(w.auth, 'signingOut');
    return { w, release };
  },
};

const PARTIAL: SignOutResult = { type: 'partial', signedOutLocally: true, revokeTokenError: { name: 'NetworkError', message: 'offline', refreshToken: 'not-a-token' }, finishedBy: 'retrySignOut' };
const CALLERS: Record<(typeof CALLS)[number][0], (w: World) => Promise<unknown>> = {
  signIn: (w) => signIn(w),
  confirmSignIn: (w) => w.auth.confirmSignIn({ challengeResponse: '123456' }),
  getSession: (w) => w.auth.getSession(),
  signOut: (w) => w.auth.signOut(),
  retrySignOut: (w) => w.auth.retrySignOut(PARTIAL),
  flushRevocations: (w) => w.auth.flushRevocations(),
};

const states = atomicStates(authMachine).map(pathOf);

test('every state of the auth machine can be held here', () => {
  expect(Object.keys(HOLDERS).sort()).toEqual([...states].sort());
});

describe.each(states)('in %s', (state) => {
  test.each(CALLS.map(([method]) => method))('%s() settles with a result or a typed AuthError', async (method) => {
    const { w, release } = await HOLDERS[state]!();
    try {
      expect(w.auth.actor.getSnapshot().matches(state as never)).toBe(true);
      const settled = CALLERS[method](w).then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      release();
      const outcome = await settled;
      if (!outcome.ok) {
        expect(outcome.error).toBeInstanceOf(AuthError);
        expect((outcome.error as AuthError).name).not.toBe('Error');
      }
    } finally {
      release();
      await w.auth.stop();
    }
  });
});
