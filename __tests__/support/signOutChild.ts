// Run as a child process by signOutOutbox.test.ts: signs in, then starts a sign-out (local or
// global) that the parent kills (SIGKILL) while its request is in flight. Arguments: a JSON config.
import { createAuth } from '../../src/index';
import { fileStorage } from './fileStorage';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const { endpoint, userPoolId, clientId, username, password, file, global } = JSON.parse(process.argv[2]!) as Record<string, string> & { global?: boolean };
const auth = createAuth({ userPoolId: userPoolId!, userPoolClientId: clientId!, endpoint: endpoint!, storage: fileStorage(file!),
  // Long enough to be killed mid-flight; short, so the lease it leaves on its intent ends soon after.
  networkTimeoutMs: 3000,
  storageTimeoutMs: 250,
});

async function main() {
  await auth.signIn({ username: username!, password: password!, authFlow: 'USER_PASSWORD_AUTH' });
  process.stdout.write('signed-in\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve())); // the parent says when
  process.stdout.write('signing-out\n');
  await auth.signOut({ global: global === true });
  process.stdout.write('signed-out\n'); // never reached: the parent kills us first
}
main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
