// `authchart/server`: what an app's API server needs (Node 20+): a revocation list its access-token
// checks consult, its stores, the endpoint clients announce sign-outs to, and the sign-out outbox
// a fleet of processes drains. docs/server.md.
export { createRevocationList, revocationCheck, withRevocation, type AnnouncementOutcome, type RevocationList, type RevocationListOptions, type VerifierLike } from './revocationList.js';
export { createRevocationEndpoint, type AnnouncementVerifier, type RevocationEndpointErrorCode, type RevocationEndpointOptions } from './revocationEndpoint.js';
export { toNodeListener, type FetchHandler } from './nodeHttp.js';
export { memoryRevocationStore, type MemoryRevocationStoreOptions, type RevocationStore } from '../../services/server/store.js';
export { redisRevocationStore, type RedisRevocationStoreOptions } from '../../services/redis/redisStore.js';
export { redisSessionStore, type RedisSessionStoreOptions } from '../../services/redis/redisSessionStore.js';
export { redisFleetOutbox, type FleetOutboxError, type RedisFleetOutbox, type RedisFleetOutboxOptions } from '../../services/redis/fleetOutbox.js';
export type { RedisClientLike, RedisConnectionLike } from '../../services/redis/connection.js';
export type { FinishReport, FleetOutbox, FleetOutboxState, SessionStorage, SessionStore } from '../../services/server/sessionStore.js';
export type { RefreshLock } from '../../services/tabs/refreshLock.js';
export type { StorageLike } from '../../services/storage/storage.js';
export type { CognitoPoolConfig } from '../../services/server/cognitoCheck.js';
export type { RevocationClaims, RevocationReason } from '../../machines/revocation/policy.js';
export { AuthConfigError, AuthError } from '../errors.js';
export { RevocationUnavailableError, TokenRevokedError, type TokenRevokedReason } from './errors.js';
// The backend-for-frontend (RFC 10017): sessions behind an HttpOnly cookie, the library's own engine per session.
export { createServerAuth, type ProxyEntry, type ServerAuth, type ServerAuthConfig } from './serverAuth.js';
export type { ServerSignOutResult } from './bffRoutes.js';
export { ServerRequestError, type ServerRequestErrorName } from './errors.js';
export { memorySessionStore, type MemorySessionStoreOptions } from '../../services/server/memorySessionStore.js';
export type { SignInResult, SignInStep } from '../results.js';
export type { ErrorInfo, FinishedBy } from '../../machines/types.js';
