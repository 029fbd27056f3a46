// Facts the statecharts hold. Nothing here may carry a token, a password or a client secret:
// machine context, events and snapshots are observable (inspector, persistence, logs).

/** A failure as the machines record it: Cognito's exception name, or one of ours. */
export interface ErrorInfo {
  /** e.g. 'NotAuthorizedException', 'NetworkError', 'TimeoutError', 'TokenRevocationNotEnabled'. */
  readonly name: string;
  readonly message: string;
}

/** What the machines may know about a session: never the tokens themselves. */
export interface SessionSummary {
  readonly username: string;
  /** The access token carries `origin_jti`: the app client has token revocation enabled. */
  readonly revocable: boolean;
  /** When the access token expires, in epoch milliseconds. */
  readonly expiresAt: number;
}

/** How a sign-out flow ended, before the public API attaches retry tokens. */
export type SignOutOutcome =
  | { readonly type: 'complete' }
  | { readonly type: 'partial'; readonly globalSignOutError?: ErrorInfo; readonly revokeTokenError?: ErrorInfo }
  | { readonly type: 'failed'; readonly error: ErrorInfo };

/** Our own error names, beside the exception names Cognito sends. */
export const ErrorNames = {
  network: 'NetworkError',
  timeout: 'TimeoutError',
  revocationNotEnabled: 'TokenRevocationNotEnabled',
  unexpectedResponse: 'UnexpectedResponse',
  redirect: 'UnexpectedRedirect',
  storage: 'StorageError',
  corruptSession: 'CorruptSession',
  refreshTokenMissing: 'RefreshTokenMissing',
} as const;
