// What operation handlers get: the store, the token service and the clock.
import type { JsonObject } from './protocol.js';
import type { Store } from './state.js';
import type { TokenService } from './tokens.js';

/** A pending NEW_PASSWORD_REQUIRED challenge, keyed by its opaque Session. */
export interface ChallengeSession {
  readonly poolId: string;
  readonly clientId: string;
  readonly username: string;
  readonly expiresAt: number;
}

export interface EmulatorContext {
  readonly store: Store;
  readonly sessions: Map<string, ChallengeSession>;
  readonly tokens: TokenService;
  readonly region: string;
  readonly now: () => number;
}

/** Handlers return the response body or throw a CognitoError. */
export type OperationHandler = (ctx: EmulatorContext, input: JsonObject) => JsonObject;
