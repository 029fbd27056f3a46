// ESM app for a bundler (moduleResolution bundler): esbuild bundles it, xstate and the AWS SDK
// included, for Node; it runs against the emulator the test started (AUTHCHART_POOL).
import { createAuth, createMemoryStorage } from 'authchart';
import { run, type Pool } from './flow';
import { inspectReport } from './inspect';

const pool = JSON.parse(process.env['AUTHCHART_POOL'] ?? 'null') as Pool;
const auth = createAuth({ region: pool.region, userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: pool.endpoint, storage: createMemoryStorage() });
console.log(JSON.stringify({ report: await run(auth, pool), inspect: await inspectReport(true) }));
