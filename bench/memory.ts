// Item 5 driver: runs memoryChild in fresh processes (node --expose-gc) so each number starts cold.
import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { startCognitoEmulator } from '../src/testing/index';
import { kb, median, ms, type Row } from './util';

const COUNT = 10_000;
const IMPORT_RUNS = 5;

export async function benchMemory(log: (s: string) => void): Promise<Row[]> {
  const emu = await startCognitoEmulator({ accessTokenTtlSeconds: 24 * 3600 });
  const pool = emu.setup({ username: 'bench-user' });
  const client = new CognitoIdentityProviderClient({ region: emu.region, endpoint: emu.endpoint });
  const r = (await client.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: pool.clientId, AuthParameters: { USERNAME: pool.username, PASSWORD: pool.password } }))).AuthenticationResult!;
  client.destroy();
  await emu.close(); // from here on nothing answers: restored sessions need no network
  const env = { ...process.env, BENCH_SESSION: JSON.stringify({
    session: JSON.stringify({ version: 1, accessToken: r.AccessToken, idToken: r.IdToken, refreshToken: r.RefreshToken }),
    key: `authchart.${pool.clientId}.session`, userPoolId: pool.userPoolId, clientId: pool.clientId, count: COUNT,
  }) };
  const outfile = '.cache/memoryChild.cjs';
  await build({ entryPoints: ['bench/memoryChild.ts'], bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', outfile, logLevel: 'warning' });
  const child = (mode: string) => {
    const run = spawnSync(process.execPath, ['--expose-gc', outfile, mode], { env, encoding: 'utf8', timeout: 180_000, maxBuffer: 1 << 20 });
    if (run.status !== 0) throw new Error(`memory child ${mode} failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as Record<string, number>;
  };
  const h = child('heap');
  log(`  heap: ${kb(h.perInstance!)} per instance (${h.signedIn}/${COUNT} signed in, ${(h.total! / 2 ** 20).toFixed(1)} MiB in all)`);
  const hf = child('heap-fetch');
  log(`  heap, authchart/fetch: ${kb(hf.perInstance!)} per instance (${hf.signedIn}/${COUNT} signed in)`);
  const ac = Array.from({ length: IMPORT_RUNS }, () => child('import-authchart'));
  const am = Array.from({ length: IMPORT_RUNS }, () => child('import-amplify'));
  const acImport = median(ac.map((x) => x.imported!)); const acFirst = median(ac.map((x) => x.first!));
  const amImport = median(am.map((x) => x.imported!)); const amFirst = median(am.map((x) => x.first!));
  log(`  import: authchart ${ms(acImport)} (first instance signed in at ${ms(acFirst)}), Amplify ${ms(amImport)} (session restored at ${ms(amFirst)})`);
  return [
    {
      section: '5. Memory and start-up', comparison: `heap per idle signed-in createAuth instance (${COUNT} instances, restored from storage, default config)`,
      ours: kb(h.perInstance!), theirs: '—', ratio: null, target: '≤ 20 KB', met: h.perInstance! <= 20 * 1024,
      note: `${h.signedIn}/${COUNT} reached signedIn; one machine definition shared by all; no SDK client until the first Cognito call`,
    },
    {
      section: '5. Memory and start-up', comparison: `heap per idle signed-in createAuth instance from authchart/fetch (${COUNT} instances)`,
      ours: kb(hf.perInstance!), theirs: '—', ratio: null, target: '≤ 20 KB', met: hf.perInstance! <= 20 * 1024,
      note: `${hf.signedIn}/${COUNT} reached signedIn`,
    },
    {
      section: '5. Memory and start-up', comparison: 'import time (fresh process, median of 5)',
      ours: ms(acImport), theirs: ms(amImport), ratio: acImport / amImport, target: '— (reported)', met: null,
      note: 'authchart: require of the library; Amplify: aws-amplify + aws-amplify/auth + aws-amplify/auth/cognito',
    },
    {
      section: '5. Memory and start-up', comparison: 'import + first instance with a restored session (fresh process, median of 5)',
      ours: ms(acFirst), theirs: ms(amFirst), ratio: acFirst / amFirst, target: '— (reported)', met: null,
      note: 'authchart: createAuth → signedIn; Amplify: configure + setKeyValueStorage + fetchAuthSession() with the tokens in its storage keys',
    },
  ];
}
