// Run as a child process by stopExits.test.ts: signs in, starts a sign-out, and when the parent
// writes to stdin (and closes it) calls auth.stop(). Nothing else runs here, so the process must
// then exit by itself: a timer or socket the library kept after stop() would keep it alive.
// Argument: a JSON config ({ endpoint, userPoolId, clientId, username, password }).
import { createAuth, createMemoryStorage } from '../../src/index';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const { endpoint, userPoolId, clientId, username, password } = JSON.parse(process.argv[2]!) as Record<string, string>;
const auth = createAuth({ userPoolId: userPoolId!, userPoolClientId: clientId!, endpoint: endpoint!, storage: createMemoryStorage(),
  // Far longer than jest's timeout: no deadline may be what ends the process.
  networkTimeoutMs: 60_000,
});

async function main() {
  await auth.signIn({ username: username!, password: password!, authFlow: 'USER_PASSWORD_AUTH' });
  process.stdout.write('signed-in\n');
  auth.signOut().then(
    (result) => process.stdout.write(`result ${result.type}\n`),
    (error: Error) => process.stdout.write(`rejected ${error.name}\n`),
  );
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve())); // the parent says when
  await auth.stop();
  process.stdout.write('stopped\n');
}
main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
