// Shared set-up for integration tests: a real emulator on 127.0.0.1, the real SDK client,
// and storage we can look into. Cognito's answers are read back through the SDK, over HTTP.
import {
  CognitoIdentityProviderClient,
  GetUserCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createAuth, type Auth, type AuthConfig } from '../../src/index';
import { startCognitoEmulator, type CognitoEmulator, type SetupOptions } from '../../src/testing/index';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export interface Harness {
  emu: CognitoEmulator;
  /** A fresh pool/client/user and an Auth signed in as that user. */
  signedIn(options?: SetupOptions & Partial<AuthConfig>): Promise<Session>;
  /** Stops every Auth made by this harness and the emulator. */
  close(): Promise<void>;
}

export interface Session {
  auth: Auth;
  storage: InspectableStorage;
  username: string;
  password: string;
  clientId: string;
  userPoolId: string;
  clientSecret?: string;
  /** The tokens as they were right after sign-in (read from storage, for server-side checks). */
  tokens: { accessToken: string; idToken: string; refreshToken: string };
}

export interface InspectableStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  readonly items: Map<string, string>;
}

export function inspectableStorage(): InspectableStorage {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

export async function startHarness(): Promise<Harness> {
  const emu = await startCognitoEmulator();
  const auths: Auth[] = [];
  return {
    emu,
    async signedIn(options = {}) {
      const { generateSecret, enableTokenRevocation, username: wanted, ...config } = options;
      const setup = await emu.setup({ generateSecret, enableTokenRevocation, ...(wanted && { username: wanted }) });
      const storage = inspectableStorage();
      const auth = createAuth({
        region: emu.region,
        userPoolId: setup.userPoolId,
        userPoolClientId: setup.clientId,
        endpoint: emu.endpoint,
        storage,
        ...(setup.clientSecret && { clientSecret: setup.clientSecret }),
        // Background revocation retries would land in other tests' request logs (one emulator is
        // shared), so they wait 10 minutes here; the outbox's own tests choose short delays.
        revocationOutbox: { retryBaseMs: 600_000 },
        ...config,
      });
      auths.push(auth);
      await auth.signIn({ username: setup.username, password: setup.password, authFlow: 'USER_PASSWORD_AUTH' });
      const stored = JSON.parse([...storage.items.values()][0] ?? '{}');
      emu.resetRequests();
      return { auth, storage, ...setup, tokens: stored };
    },
    async close() {
      await Promise.all(auths.map((auth) => auth.stop()));
      await emu.close();
    },
  };
}

/** What Cognito (the emulator) now says about tokens, through a separate SDK client. */
export function serverView(emu: CognitoEmulator) {
  const client = new CognitoIdentityProviderClient({ region: emu.region, endpoint: emu.endpoint, maxAttempts: 1 });
  const failureName = (promise: Promise<unknown>) => promise.then(() => 'accepted', (error: Error) => error.name);
  /** What Cognito says of a refresh token now: 'accepted', or the error's name. */
  const refreshWith = (clientId: string, refreshToken: string) =>
    failureName(client.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: refreshToken } })));
  return {
    getUser: (accessToken: string) => failureName(client.send(new GetUserCommand({ AccessToken: accessToken }))),
    refresh: (session: Session) => refreshWith(session.clientId, session.tokens.refreshToken),
    refreshWith,
    destroy: () => client.destroy(),
  };
}

/** Polls a condition that background work will make true; the cap only stops a broken test. */
export async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400 && !(await check()); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(await check()).toBe(true);
}

/**
 * What a finished sign-out must leave: no session, no ID token anywhere, and the refresh token
 * (and, for a queued global intent, the access token GlobalSignOut needs), if anywhere, only in
 * the sign-out outbox (kept there to finish the sign-out later). Returns whether the outbox holds
 * the refresh token.
 */
export function expectSignedOutStore(storage: InspectableStorage, tokens: { accessToken: string; idToken: string; refreshToken?: string }): boolean {
  const entries = [...storage.items.entries()];
  if (entries.some(([key]) => key.endsWith('.session'))) throw new Error(`the session is still stored: ${entries.map(([key]) => key).join(', ')}`);
  let inOutbox = false;
  for (const [key, value] of entries) {
    if (value.includes(tokens.idToken)) throw new Error(`an ID token is left under ${key}`);
    if (value.includes(tokens.accessToken) && !(key.endsWith('.revocationOutbox') && value.includes('"global":true'))) throw new Error(`an access token is left under ${key}`);
    if (tokens.refreshToken && value.includes(tokens.refreshToken)) {
      if (!key.endsWith('.revocationOutbox')) throw new Error(`the refresh token is left outside the outbox, under ${key}`);
      inOutbox = true;
    }
  }
  return inOutbox;
}

/**
 * One emulator for a test file, and the instances its tests start: after every test the faults are
 * cleared and those instances stopped. `onStart` receives the emulator once it listens.
 */
export function emulatorPerFile(onStart: (emu: CognitoEmulator) => void, options: Parameters<typeof startCognitoEmulator>[0] = {}): Auth[] {
  let emu: CognitoEmulator | undefined;
  const auths: Auth[] = [];
  beforeAll(async () => onStart((emu = await startCognitoEmulator(options))));
  afterAll(() => emu?.close());
  afterEach(async () => {
    emu?.faults.clear();
    await Promise.all(auths.splice(0).map((auth) => auth.stop()));
  });
  return auths;
}
