// `authchart`: createAuth over the AWS SDK. `authchart/fetch` is the same API without the SDK.
export { createAuth } from './createAuth.js';
export * from './sharedExports.js';
