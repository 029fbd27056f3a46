// moto's server (Python, in this machine's image as `moto_server`) on 127.0.0.1, on a free port, for
// the account-flow tests that must pass against another Cognito implementation too (issue 21: the
// operations moto implements). Started per test file and stopped at the end. Without moto_server
// the tests that need it are skipped with a loud warning, as the issue asks (moto is a peer, not a
// dependency: .ci/run does not install it).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort } from './redisServer';

/** Where moto_server is, or null. */
function motoServerPath(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' });
  const path = found.status === 0 ? found.stdout.trim() : '';
  return path === '' ? null : path;
}

/** Whether the moto tests can run here (else a loud warning). */
export function motoAvailable(): boolean {
  if (motoServerPath() !== null) return true;
  console.warn('\n!!! moto_server is missing: the moto tests are SKIPPED. Install it: pip install "moto[server]" !!!\n');
  return false;
}

/** A running moto server: its endpoint for the AWS SDK (any credentials, region us-east-1). */
export interface Moto {
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts moto_server on a free loopback port and waits until it answers (at most 20 s). `env` adds
 * moto settings (e.g. MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP): a test's process.env is jest's copy,
 * which a child process does not see.
 */
export async function startMoto(options: { readonly env?: Readonly<Record<string, string>> } = {}): Promise<Moto> {
  const path = motoServerPath();
  if (path === null) throw new Error('moto_server is missing');
  const port = await freePort();
  const child: ChildProcess = spawn(path, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore', env: { ...process.env, ...options.env } });
  const endpoint = `http://127.0.0.1:${port}`;
  const until = Date.now() + 20_000;
  for (;;) {
    const up = await fetch(`${endpoint}/moto-api/`).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (Date.now() > until || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not answer on ${endpoint}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    endpoint,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
