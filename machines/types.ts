// Facts the statecharts hold. Nothing here may carry a token, a password or a client secret:
// machine context, events and snapshots are observable (inspector, persistence, logs).

/** A failure as the machines record it: Cognito's exception name, or one of ours. */
export interface ErrorInfo {
  /** e.g. 'NotAuthorizedException', 'NetworkError', 'TimeoutError', 'TokenRevocationNotEnabled'. */
  readonly name: string;
  /** What happened, for people: free of tokens, passwords and client secrets; server-supplied text redacted and capped at 512 characters. */
  readonly message: string;
  /** An AuthConfigError's or AuthValidationError's: the field that cannot be used (e.g. 'oauth', 'transport', 'result'). */
  readonly field?: string;
}

/** What the machines may know about a session: never the tokens themselves. */
export interface SessionSummary {
  /** The user's Cognito username, read from the tokens. */
  readonly username: string;
  /** The access token carries `origin_jti`: the app client has token revocation enabled. */
  readonly revocable: boolean;
  /** When the access token expires, in epoch milliseconds. */
  readonly expiresAt: number;
  /** How the session was created, as the store recorded it at sign-in: a hosted-UI session also has the `cognito` cookie to end. */
  readonly signedInWith: SignInMethod;
  /** The access token's `jti`: which token this is (an identifier, useless to present). Tells a tab that another refreshed. */
  readonly tokenId?: string;
}

/** How a session was created: signIn() (SRP or password), or the hosted UI (managed login). */
export type SignInMethod = 'password' | 'hostedUi';

/**
 * Layer 3 did not end: the hosted UI's `cognito` cookie may still live in that browser (up to an
 * hour), so the next hosted-UI sign-in there would go through without a password. `logoutUrl` is
 * the exact /logout URL that ends it; absent only when no `oauth` is configured to build it from.
 */
export interface HostedUiSignOutError extends ErrorInfo {
  /** The /logout URL to open in that browser to end the cookie; absent when no `oauth` is configured. */
  readonly logoutUrl?: string;
}

/**
 * Who will finish a partial sign-out: the outbox ('outbox': it holds the intent and retries it with
 * backoff), the app ('retrySignOut': retrySignOut(result), the failure was retryable but nothing
 * queued it; 'openLogoutUrl': only the hosted UI's cookie is left, open hostedUiError.logoutUrl in
 * that browser), or nothing ('nothing': no retry can help, e.g. token revocation is off on the app client).
 */
export type FinishedBy = 'outbox' | 'retrySignOut' | 'nothing' | 'openLogoutUrl';

/**
 * How a sign-out flow ended, before the public API attaches retry tokens. `intentId` names the
 * outbox entry that held the flow's tokens (no secret: an opaque id).
 */
export type SignOutOutcome =
  | {
      /** This device is cleared, and the server calls it needed succeeded. */
      readonly type: 'complete';
      /** Only with createAuth's revocationEndpoint: the app's API answered the announcement of what ended with 204. */
      readonly apiNotified?: boolean;
      /** Why the announcement to the app's API failed (RevocationEndpointRefused, RevocationEndpointUnavailable, NetworkError, TimeoutError). */
      readonly announceError?: ErrorInfo;
      /** The outbox entry that held the flow's tokens, if one was recorded. */
      readonly intentId?: string;
    }
  | {
      /** This device is cleared, but a server call (or /logout) did not succeed or was not made. */
      readonly type: 'partial';
      /** What the intent asked for: GlobalSignOut (true) or this device only; a retry asks the same (retryIsGlobal). Absent when only /logout is left. */
      readonly global?: boolean;
      /** Why GlobalSignOut failed, or was not sent (GlobalSignOutNotSupported). */
      readonly globalSignOutError?: ErrorInfo;
      /** Why RevokeToken failed, or was not sent (TokenRevocationNotEnabled, TimeoutError). */
      readonly revokeTokenError?: ErrorInfo;
      /** Layer 3 (the hosted UI's cookie) did not end. */
      readonly hostedUiError?: HostedUiSignOutError;
      /** Who will finish it (see FinishedBy). */
      readonly finishedBy: FinishedBy;
      /** Only with createAuth's revocationEndpoint: the app's API answered the announcement of what ended with 204. */
      readonly apiNotified?: boolean;
      /** Why the announcement to the app's API failed (RevocationEndpointRefused, RevocationEndpointUnavailable, NetworkError, TimeoutError). */
      readonly announceError?: ErrorInfo;
      /** The outbox entry that holds the flow's tokens, if one was recorded. */
      readonly intentId?: string;
    }
  | {
      /** The store could not be cleared: this device still holds the session. */
      readonly type: 'failed';
      /** Why the store could not be cleared (StorageError). */
      readonly error: ErrorInfo;
      /** The server calls killed this device's tokens (GlobalSignOut or RevokeToken succeeded). */
      readonly tokensRevoked: boolean;
      /** Why GlobalSignOut failed, if it did. */
      readonly globalSignOutError?: ErrorInfo;
      /** Why RevokeToken failed, if it did. */
      readonly revokeTokenError?: ErrorInfo;
      /** Only with createAuth's revocationEndpoint: the app's API answered the announcement of what ended with 204. */
      readonly apiNotified?: boolean;
      /** Why the announcement to the app's API failed (RevocationEndpointRefused, RevocationEndpointUnavailable, NetworkError, TimeoutError). */
      readonly announceError?: ErrorInfo;
      /** The outbox entry that holds the flow's tokens, if one was recorded. */
      readonly intentId?: string;
    };

/** What a drain of the outbox did: flushRevocations() resolves it. */
export interface DrainReport {
  /** Intents finished: their tokens are dead on the server, and their entries removed. */
  readonly revoked: number;
  /** Entries removed without a revocation: Cognito refused them for good (e.g. revocation off on the client). */
  readonly dropped: number;
  /** Entries still queued, for a later attempt (those a running flow of any instance holds included). */
  readonly pending: number;
}

/** Our own error names: they live in the error registry (machines/errors/registry.ts), with what each means. */
export { ErrorNames } from './errors/registry.js';
