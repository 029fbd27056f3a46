// Compiled and run after the test removed @aws-sdk/* (and @smithy/*) and @statelyai/inspect from
// node_modules: `authchart/fetch` and `authchart/transport/fetch` need neither, the `authchart/inspect`
// typings compile without the optional package, and entries.ts (written by the test) imports
// every entry that needs neither.
import { createAuth, createMemoryStorage } from 'authchart/fetch';
import { createFetchCognito } from 'authchart/transport/fetch';
import { run, type Pool } from './flow.js';
import { inspectReport } from './inspect.js';
import * as entries from './entries.js';

const pool = JSON.parse(process.env['AUTHCHART_POOL'] ?? 'null') as Pool;
const config = { region: pool.region, userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: pool.endpoint };
const report = await run(createAuth({ ...config, storage: createMemoryStorage() }), pool);
const transport = createFetchCognito({ region: pool.region, endpoint: pool.endpoint, clientId: pool.clientId });
const withTransport = await run(createAuth({ ...config, storage: createMemoryStorage(), transport }), pool);
let sdkInstalled = true;
try {
  await import('@aws-sdk/client-cognito-identity-provider' as string);
} catch {
  sdkInstalled = false;
}
const imported = Object.values(entries).filter((entry) => Object.keys(entry).length > 0).length;
console.log(JSON.stringify({ report, withTransport, inspect: await inspectReport(false), imported, sdkInstalled }));
