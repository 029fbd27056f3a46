// CommonJS app in TypeScript (module node16 in a type: commonjs package, so imports compile to
// require() and resolve with the `require` condition; tsconfig.node10.json checks the same code
// with moduleResolution node10, which reads typesVersions).
import { createAuth, createMemoryStorage } from 'authchart';
import { startCognitoEmulator } from 'authchart/testing';
import { run } from './flow';
import { inspectReport } from './inspect';
import { relayTypes } from './inspectNode';

async function main(): Promise<void> {
  const emu = await startCognitoEmulator();
  try {
    const setup = emu.setup();
    const pool = { ...setup, endpoint: emu.endpoint, region: emu.region };
    const auth = createAuth({ region: pool.region, userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: pool.endpoint, storage: createMemoryStorage() });
    const report = await run(auth, pool);
    console.log(JSON.stringify({ report, inspect: await inspectReport(true), relay: relayTypes }));
  } finally {
    await emu.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
