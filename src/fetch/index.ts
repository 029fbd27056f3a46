// `authchart/fetch`: createAuth over plain fetch, without @aws-sdk/client-cognito-identity-provider.
export { createAuth, type FetchAuthConfig } from './createAuth.js';
export type { FetchLike } from '../../services/cognito/fetchTransport.js';
export * from '../sharedExports.js';
