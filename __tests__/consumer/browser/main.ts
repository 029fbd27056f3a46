// A browser app: `authchart/fetch` (no AWS SDK), typed without @types/node, bundled by esbuild
// with platform 'browser'. The test loads the bundle in Node (which has fetch and WebCrypto)
// and calls main() against its emulator.
import { createAuth, createMemoryStorage } from 'authchart/fetch';
import { run, type Pool, type Report } from './flow';

export function main(pool: Pool): Promise<Report> {
  const auth = createAuth({ region: pool.region, userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: pool.endpoint, storage: createMemoryStorage() });
  return run(auth, pool);
}
