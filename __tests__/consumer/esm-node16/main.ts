// ESM app (type: module, module/moduleResolution node16): `authchart` over the AWS SDK, against
// an emulator it starts itself from `authchart/testing`.
import { createAuth, createMemoryStorage } from 'authchart';
import { startCognitoEmulator } from 'authchart/testing';
import { run } from './flow.js';
import { inspectReport } from './inspect.js';
import { relayTypes } from './inspectNode.js';

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
