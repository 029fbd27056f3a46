// Item 5 (child process, run with --expose-gc): heap per idle signed-in createAuth instance,
// each restored from its own storage (no network), and the first-instance time.
// argv: <mode> where mode is 'heap' | 'import-authchart' | 'import-amplify'; the session JSON comes on env BENCH_SESSION.
const t0 = performance.now();
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const mode = process.argv[2];
const { session, key, userPoolId, clientId, count } = JSON.parse(process.env.BENCH_SESSION!) as { session: string; key: string; userPoolId: string; clientId: string; count: number };

const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => { gc?.(); gc?.(); return process.memoryUsage().heapUsed; };

function storageWith(items: Map<string, string>) {
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), removeItem: (k: string) => void items.delete(k) };
}
function amplifyStorageWith(items: Map<string, string>) {
  return { getItem: async (k: string) => items.get(k) ?? null, setItem: async (k: string, v: string) => void items.set(k, v), removeItem: async (k: string) => void items.delete(k), clear: async () => items.clear() };
}

async function main(): Promise<unknown> {
  if (mode === 'import-authchart') {
    const { createAuth } = require('../src/index') as typeof import('../src/index');
    const imported = performance.now() - t0;
    const { waitFor } = require('xstate') as typeof import('xstate');
    const auth = createAuth({ userPoolId, userPoolClientId: clientId, storage: storageWith(new Map([[key, session]])) });
    await waitFor(auth.actor, (s) => s.matches('signedIn' as never), { timeout: 5000 });
    const first = performance.now() - t0;
    await auth.stop();
    return { imported, first };
  }
  if (mode === 'import-amplify') {
    const { Amplify } = require('aws-amplify') as typeof import('aws-amplify');
    const { fetchAuthSession } = require('aws-amplify/auth') as typeof import('aws-amplify/auth');
    const { cognitoUserPoolsTokenProvider } = require('aws-amplify/auth/cognito') as typeof import('aws-amplify/auth/cognito');
    const imported = performance.now() - t0;
    const tokens = JSON.parse(session) as { accessToken: string; idToken: string; refreshToken: string };
    const username = (JSON.parse(Buffer.from(tokens.accessToken.split('.')[1]!, 'base64url').toString()) as { username: string }).username;
    const prefix = `CognitoIdentityServiceProvider.${clientId}`;
    const items = new Map<string, string>([
      [`${prefix}.LastAuthUser`, username],
      [`${prefix}.${username}.accessToken`, tokens.accessToken],
      [`${prefix}.${username}.idToken`, tokens.idToken],
      [`${prefix}.${username}.refreshToken`, tokens.refreshToken],
      [`${prefix}.${username}.clockDrift`, '0'],
    ]);
    Amplify.configure({ Auth: { Cognito: { userPoolId, userPoolClientId: clientId, userPoolEndpoint: 'http://127.0.0.1:9' } } });
    cognitoUserPoolsTokenProvider.setKeyValueStorage(amplifyStorageWith(items));
    const s = await fetchAuthSession();
    if (!s.tokens?.accessToken) throw new Error('Amplify did not restore the session');
    return { imported, first: performance.now() - t0 };
  }
  // heap: 'heap' (the default entry, over the SDK) or 'heap-fetch' (authchart/fetch)
  const { createAuth } = (mode === 'heap-fetch' ? require('../src/fetch/index') : require('../src/index')) as typeof import('../src/index');
  const { waitFor } = require('xstate') as typeof import('xstate');
  const auths: Array<{ actor: import('../src/index').AuthActor; stop(): Promise<void> }> = [];
  const stores = [];
  for (let i = 0; i < count; i++) stores.push(new Map([[key, session]])); // storage and its (shared) session string: not counted
  const warm = createAuth({ userPoolId, userPoolClientId: clientId, storage: storageWith(new Map([[key, session]])) }); // module-level set-up (the shared machine): not per instance
  await waitFor(warm.actor, (s) => s.matches('signedIn' as never), { timeout: 10_000 });
  const before = heap();
  for (let i = 0; i < count; i++) auths.push(createAuth({ userPoolId, userPoolClientId: clientId, storage: storageWith(stores[i]!) }));
  for (const auth of auths) await waitFor(auth.actor, (s) => s.matches('signedIn' as never), { timeout: 10_000 });
  await new Promise((r) => setTimeout(r, 200)); // background start-up work (outbox drain) settles
  const after = heap();
  const signedIn = auths.filter((a) => a.actor.getSnapshot().matches('signedIn' as never)).length;
  const perInstance = (after - before) / count;
  for (const auth of auths) await auth.stop();
  await warm.stop();
  return { perInstance, signedIn, total: after - before };
}

main().then((r) => { process.stdout.write(JSON.stringify(r)); process.exit(0); }, (e) => { console.error(e); process.exit(1); });
