// `authchart/server`: what an app's API server needs (Node 20+): a revocation list its access-token
// checks consult, its stores, and the endpoint clients announce sign-outs to. docs/server.md.
export { createRevocationList, revocationCheck, withRevocation, type AnnouncementOutcome, type RevocationList, type RevocationListOptions, type VerifierLike } from './revocationList.js';
export { createRevocationEndpoint, toNodeListener, type AnnouncementVerifier, type FetchHandler, type RevocationEndpointErrorCode, type RevocationEndpointOptions } from './revocationEndpoint.js';
export { memoryRevocationStore, type MemoryRevocationStoreOptions, type RevocationStore } from '../../services/server/store.js';
export { redisRevocationStore, type RedisClientLike, type RedisConnectionLike, type RedisRevocationStoreOptions } from '../../services/redis/redisStore.js';
export { redisSessionStore, type RedisSessionStoreOptions } from '../../services/redis/redisSessionStore.js';
export type { FleetOutbox, FleetOutboxState, SessionStorage, SessionStore } from '../../services/server/sessionStore.js';
export type { RefreshLock } from '../../services/tabs/refreshLock.js';
export type { StorageLike } from '../../services/storage/storage.js';
export type { CognitoPoolConfig } from '../../services/server/cognitoCheck.js';
export type { RevocationClaims, RevocationReason } from '../../machines/revocation/policy.js';
export { AuthError } from '../errors.js';
export { RevocationUnavailableError, TokenRevokedError, type TokenRevokedReason } from './errors.js';
