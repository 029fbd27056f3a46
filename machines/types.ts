// Facts the statecharts hold. Nothing here may carry a token, a password or a client secret:
// machine context, events and snapshots are observable (inspector, persistence, logs).

/** A failure as the machines record it: Cognito's exception name, or one of ours. */
export interface ErrorInfo {
  /** e.g. 'NotAuthorizedException', 'NetworkError', 'TimeoutError', 'TokenRevocationNotEnabled'. */
  readonly name: string;
  /** What happened, for people: free of tokens, passwords and client secrets; server-supplied text redacted and capped at 512 characters. */
  readonly message: string;
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

/** Our own error names, beside the exception names Cognito sends. */
export const ErrorNames = {
  /** The connection failed: refused, reset, DNS. */
  network: 'NetworkError',
  /** No answer within networkTimeoutMs (or a step's deadline); the request was aborted, or not sent in time. */
  timeout: 'TimeoutError',
  /** The access token has no `origin_jti`: token revocation is off on the app client, so RevokeToken was skipped. */
  revocationNotEnabled: 'TokenRevocationNotEnabled',
  /** A global sign-out asked for with an access token lacking the admin scope (a hosted-UI sign-in). */
  globalSignOutNotSupported: 'GlobalSignOutNotSupported',
  /** The body was not Cognito's JSON (an HTML 503 page, a cut-off body); the message gives the HTTP status. */
  unexpectedResponse: 'UnexpectedResponse',
  /** Cognito's endpoint answered with a 3xx redirect, which is never followed. Transient, like NetworkError. */
  redirect: 'UnexpectedRedirect',
  /** The app's storage threw, did not answer within storageTimeoutMs, or did not keep (or remove) the session as asked. */
  storage: 'StorageError',
  /** What was stored was not a usable session (bad JSON, half a session, another client's tokens); it was removed. */
  corruptSession: 'CorruptSession',
  /**
   * A refresh was needed, but the stored session has no refresh token (tokens stored by an app, or
   * a flow that issued none): the session is over, and the store is cleared.
   */
  refreshTokenMissing: 'RefreshTokenMissing',
  /** A sign-out revoked the tokens on the server, but the device could not be cleared yet. */
  revokedSessionNotCleared: 'RevokedSessionNotCleared',
  /** A call not sent because the storage it needed did not answer in time. */
  notSent: 'NotSent',
  /** A sign-in while a user is signed in: one user at a time. */
  userAlreadyAuthenticated: 'UserAlreadyAuthenticatedException',
  /** A call a running sign-in step excludes. */
  signInInProgress: 'SignInInProgressException',
  /** A sign-in while a sign-out runs. */
  signOutInProgress: 'SignOutInProgressException',
  /** confirmSignIn() without a challenge waiting for an answer. */
  noPendingChallenge: 'NoPendingChallengeException',
  /** The user left the hosted UI without signing in (closed it, went back). */
  redirectSignInCancelled: 'RedirectSignInCancelled',
  /** A return from the hosted UI whose `state` is not the one this app sent (or none was sent). */
  oauthStateMismatch: 'OAuthStateMismatch',
  /** The hosted UI or its identity provider answered with an OAuth error, or the code was refused. */
  oauthError: 'OAuthError',
  /** signOut({ redirectUrl }) named a URL that is not one of `oauth.redirectSignOut`: nothing was done. */
  signOutUrlNotAllowed: 'SignOutUrlNotAllowed',
  /** Cognito's: a rotated refresh token used again after its grace period (another tab or instance refreshed first). */
  refreshTokenReuse: 'RefreshTokenReuseException',
  /** The user closed the hosted UI's sign-out (an auth session) before it came back: the cookie may live. */
  hostedUiSignOutCancelled: 'HostedUiSignOutCancelled',
  /** /logout could not be opened: the opener failed, none is available, or its pending record could not be written. */
  hostedUiSignOutNotOpened: 'HostedUiSignOutNotOpened',
  /** A hosted-UI session signed out by an instance with no `oauth` config: /logout cannot be built. */
  hostedUiNotConfigured: 'HostedUiNotConfigured',
} as const;
