// Items 1–3: sign-out latency, unresponsive server, connection refused. authchart vs Amplify JS v6
// vs a sequential SDK baseline, in this one process, over the same emulator.
import { CognitoIdentityProviderClient, GlobalSignOutCommand, InitiateAuthCommand, RevokeTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import { signIn as amplifySignIn, signOut as amplifySignOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { waitFor } from 'xstate';
import { createAuth, DEFAULT_NETWORK_TIMEOUT_MS, type Auth } from '../src/index';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';
import { amplifyStorage, closedPort, mapStorage, median, ms, time, type Row } from './util';

const LATENCY_MS = 100;
const SIGN_OUT_OPS = ['RevokeToken', 'GlobalSignOut'] as const;

interface Pool { userPoolId: string; clientId: string; username: string; password: string }

// ---- Amplify, with its token storage kept across re-configures ----
const amplifyStore = mapStorage();
function configureAmplify(pool: Pool, endpoint: string): void {
  Amplify.configure({ Auth: { Cognito: { userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, userPoolEndpoint: endpoint } } });
  cognitoUserPoolsTokenProvider.setKeyValueStorage(amplifyStorage(amplifyStore.items));
}
async function amplifySignedIn(pool: Pool, endpoint: string): Promise<void> {
  configureAmplify(pool, endpoint);
  const { isSignedIn } = await amplifySignIn({ username: pool.username, password: pool.password }); // SRP
  if (!isSignedIn) throw new Error('Amplify sign-in did not complete');
}

function assertAmplifyCleared(): void {
  if ([...amplifyStore.items.keys()].some((k) => k.endsWith('.accessToken'))) throw new Error('Amplify left tokens behind');
}

// ---- authchart ----
async function authchartSignedIn(pool: Pool, endpoint: string, storage = mapStorage()): Promise<{ auth: Auth; storage: ReturnType<typeof mapStorage> }> {
  const auth = createAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint, storage });
  await auth.signIn({ username: pool.username, password: pool.password }); // SRP
  return { auth, storage };
}
async function loaded(auth: Auth): Promise<void> {
  await waitFor(auth.actor, (s) => !s.matches('loadingSession' as never));
}

// ---- the mobile SDKs' sequence: GlobalSignOut, then RevokeToken, one after the other ----
function sdkClient(emu: CognitoEmulator): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ region: emu.region, endpoint: emu.endpoint });
}
async function sdkSignedIn(client: CognitoIdentityProviderClient, pool: Pool) {
  const out = await client.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: pool.clientId, AuthParameters: { USERNAME: pool.username, PASSWORD: pool.password } }));
  return out.AuthenticationResult!;
}

export async function benchLatency(runs: number, log: (s: string) => void): Promise<Row[]> {
  const emu = await startCognitoEmulator();
  const pool = emu.setup({ username: 'bench-user' });
  const client = sdkClient(emu);
  for (const op of SIGN_OUT_OPS) emu.faults.set(op, { type: 'latency', ms: LATENCY_MS });
  const samples: Record<string, number[]> = { acLocal: [], amLocal: [], acGlobal: [], amGlobal: [], sequential: [] };
  try {
    // one warm-up of each, not measured
    for (let i = -1; i < runs; i++) {
      const record = (key: string, t: number) => { if (i >= 0) samples[key]!.push(t); };
      for (const global of [false, true]) {
        const { auth } = await authchartSignedIn(pool, emu.endpoint);
        let type = '';
        record(global ? 'acGlobal' : 'acLocal', await time(async () => { type = (await auth.signOut({ global })).type; }));
        if (type !== 'complete') throw new Error(`authchart sign-out was ${type}`);
        await auth.stop();
        await amplifySignedIn(pool, emu.endpoint);
        record(global ? 'amGlobal' : 'amLocal', await time(() => amplifySignOut({ global })));
        assertAmplifyCleared();
      }
      const tokens = await sdkSignedIn(client, pool);
      const store = mapStorage();
      store.setItem('session', JSON.stringify(tokens));
      record('sequential', await time(async () => {
        await client.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken! }));
        await client.send(new RevokeTokenCommand({ ClientId: pool.clientId, Token: tokens.RefreshToken! }));
        store.removeItem('session');
      }));
    }
  } finally {
    client.destroy();
    await emu.close();
  }
  const m = { acLocal: median(samples.acLocal!), amLocal: median(samples.amLocal!), acGlobal: median(samples.acGlobal!), amGlobal: median(samples.amGlobal!), sequential: median(samples.sequential!) };
  log(`  medians over ${runs} runs: ${Object.entries(m).map(([k, v]) => `${k} ${ms(v)}`).join(', ')}`);
  const row = (comparison: string, ours: number, theirs: number, target: number, note?: string): Row => ({
    section: '1. Sign-out latency (100 ms injected on RevokeToken/GlobalSignOut)', comparison, ours: ms(ours), theirs: ms(theirs), ratio: ours / theirs, target: `≤ ${target}`, met: ours / theirs <= target, ...(note && { note }),
  });
  return [
    row('authchart local vs Amplify local', m.acLocal, m.amLocal, 1.05),
    row('authchart global vs Amplify global (GlobalSignOut only)', m.acGlobal, m.amGlobal, 1.05),
    row('authchart global vs sequential GlobalSignOut → RevokeToken (SDK)', m.acGlobal, m.sequential, 0.55),
  ];
}

const AMPLIFY_CAP_MS = 30_000;

export async function benchBlackhole(log: (s: string) => void): Promise<Row[]> {
  const emu = await startCognitoEmulator();
  const pool = emu.setup({ username: 'bench-user' });
  try {
    const { auth } = await authchartSignedIn(pool, emu.endpoint);
    for (const op of SIGN_OUT_OPS) emu.faults.set(op, { type: 'blackhole' });
    let ac = 0;
    let acType = '';
    ac = await time(async () => { acType = (await auth.signOut()).type; });
    await auth.stop();
    log(`  authchart: ${ms(ac)} (${acType})`);
    emu.faults.clear();
    await amplifySignedIn(pool, emu.endpoint);
    for (const op of SIGN_OUT_OPS) emu.faults.set(op, { type: 'blackhole' });
    let timer: NodeJS.Timeout | undefined;
    const t0 = performance.now();
    const resolved = await Promise.race([
      amplifySignOut().then(() => true, () => true),
      new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), AMPLIFY_CAP_MS); }),
    ]);
    clearTimeout(timer);
    const am = performance.now() - t0;
    log(`  Amplify: ${resolved ? ms(am) : `> ${AMPLIFY_CAP_MS / 1000} s (not resolved)`}`);
    const target = DEFAULT_NETWORK_TIMEOUT_MS + 100;
    return [{
      section: '2. Unresponsive server (blackhole on RevokeToken/GlobalSignOut), defaults',
      comparison: 'local signOut() → signed out locally',
      ours: ms(ac),
      theirs: resolved ? ms(am) : `> ${AMPLIFY_CAP_MS / 1000} s (not resolved, capped)`,
      ratio: resolved ? ac / am : null,
      target: `authchart ≤ networkTimeoutMs + 100 = ${target} ms`,
      met: ac <= target,
      note: `authchart result: ${acType}`,
    }];
  } finally {
    await emu.close(); // destroys the blackholed sockets, so Amplify's pending call ends with the process
  }
}

export async function benchRefused(runs: number, log: (s: string) => void): Promise<Row[]> {
  const emu = await startCognitoEmulator();
  const pool = emu.setup({ username: 'bench-user' });
  const dead = `http://127.0.0.1:${await closedPort()}`;
  const ac: number[] = [];
  const am: number[] = [];
  const types = new Set<string>();
  try {
    for (let i = 0; i < runs; i++) {
      const { auth, storage } = await authchartSignedIn(pool, emu.endpoint);
      await auth.stop();
      const offline = createAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: dead, storage, revocationOutbox: false });
      await loaded(offline);
      ac.push(await time(async () => { types.add((await offline.signOut()).type); }));
      await offline.stop();

      await amplifySignedIn(pool, emu.endpoint);
      configureAmplify(pool, dead); // same token storage, the endpoint now refuses connections
      am.push(await time(() => amplifySignOut()));
      assertAmplifyCleared();
    }
  } finally {
    await emu.close();
  }
  log(`  medians over ${runs} runs: authchart ${ms(median(ac))} (${[...types].join('/')}), Amplify ${ms(median(am))}`);
  const ratio = median(ac) / median(am);
  return [{
    section: '3. Connection refused (closed loopback port)',
    comparison: 'authchart local vs Amplify local',
    ours: ms(median(ac)),
    theirs: ms(median(am)),
    ratio,
    target: '≤ 0.5',
    met: ratio <= 0.5,
    note: `median of ${runs}; authchart result: ${[...types].join('/')}; revocationOutbox off on the offline instance (its background retries are not part of the sign-out)`,
  }];
}
