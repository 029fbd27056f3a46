// `authchart/transport/fetch`: the Cognito transport over `fetch`, without the AWS SDK.
// Pass it as createAuth({ ..., transport }) to keep @aws-sdk/client-cognito-identity-provider out
// of a bundle. See docs/transport.md.
export { createFetchCognito, type FetchCognitoOptions, type FetchLike } from '../../services/cognito/fetchTransport.js';
export type { AuthFlow, AuthStep, CognitoService } from '../../services/cognito/types.js';
export { CognitoCallError } from '../../services/cognito/errors.js';
