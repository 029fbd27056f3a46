import type { AuthActor } from './authRuntime.js';
import type { AuthEmitted } from '../machines/authMachine.js';
import type { ErrorInfo, SignOutOutcome } from '../machines/types.js';

/**
 * The events auth.on() delivers: the same set as Amplify's Hub auth channel. They carry no tokens;
 * a partial sign-out's retry tokens exist only in what signOut() returns.
 */
export type AuthHubEvent =
  | {
      /** A session began here: a sign-in (signIn(), confirmSignIn(), the hosted UI), a stored session restored at start-up, or one another tab stored. */
      readonly type: 'signedIn';
      /** Who signed in (Cognito's username). */
      readonly username: string;
    }
  /** A sign-in with the hosted UI carried customState: here it is. */
  | {
      /** Emitted right after the `signedIn` of a hosted-UI sign-in that carried customState. */
      readonly type: 'customOAuthState';
      /** What signInWithRedirect({ customState }) was given. */
      readonly state: string;
    }
  | {
      /** A sign-in with the hosted UI did not finish. */
      readonly type: 'signInWithRedirect_failure';
      /** Why: RedirectSignInCancelled, OAuthStateMismatch, OAuthError, or a network or storage error. */
      readonly error: ErrorInfo;
    }
  | {
      /** Someone was signed out: by signOut() (`reason: 'signOut'`), or because the session ended (`reason: 'sessionEnded'`: no refresh can continue it). */
      readonly type: 'signedOut';
      /**
       * 'signOut': a signOut() call; 'sessionEnded': a refresh was refused for good
       * (NotAuthorizedException) or the stored session had no refresh token (RefreshTokenMissing),
       * and the store was cleared.
       */
      readonly reason: 'signOut' | 'sessionEnded';
      /** How the sign-out ended, without tokens; `complete` for an ended session. */
      readonly outcome: SignOutOutcome;
    }
  /** Another tab over the same storage signed out: this one dropped its session (that tab has the outcome). */
  | {
      /** This tab dropped its session. */
      readonly type: 'signedOut';
      /** Another tab over the same `localStorage` signed out (docs/tabs.md). */
      readonly reason: 'otherTab';
    }
  | {
      /** getSession() refreshed the tokens, and stored them. */
      readonly type: 'tokenRefresh';
      /** Whose tokens. */
      readonly username: string;
    }
  | {
      /** A refresh failed: for good (the session then ends, and `signedOut` follows) or for now (offline, throttled, a deadline: the tokens are kept). */
      readonly type: 'tokenRefresh_failure';
      /** Why: NotAuthorizedException, RefreshTokenMissing, NetworkError, TimeoutError, …. */
      readonly error: ErrorInfo;
    }
  /** The stored session could not be used (CorruptSession: it was removed) or storage failed (StorageError). */
  | {
      /** A background storage problem; authchart never throws from such a path. */
      readonly type: 'storageError';
      /** CorruptSession (what was stored was removed) or StorageError. */
      readonly error: ErrorInfo;
    }
  /** The device Cognito gave a sign-in could not be confirmed or stored (docs/devices.md): signed in all the same, the device not remembered. */
  | {
      /** The sign-in's result says `deviceConfirmed: false`. */
      readonly type: 'deviceError';
      /** Why: Cognito's error, a NetworkError or TimeoutError, or StorageError; the message names the step (ConfirmDevice, storing the device). */
      readonly error: ErrorInfo;
    };

/** The `type` of an AuthHubEvent: what auth.on() takes. */
export type AuthHubEventType = AuthHubEvent['type'];

/** Which machine announcement becomes which public event. */
function toHubEvent(event: AuthEmitted): AuthHubEvent | undefined {
  switch (event.type) {
    case 'signedIn':
      return { type: 'signedIn', username: event.username };
    case 'customState':
      return { type: 'customOAuthState', state: event.state };
    case 'redirectSignInFailed':
      return { type: 'signInWithRedirect_failure', error: event.error };
    case 'signedOut':
      return { type: 'signedOut', reason: 'signOut', outcome: event.outcome };
    case 'signedOutElsewhere':
      return { type: 'signedOut', reason: 'otherTab' };
    case 'sessionEnded':
      return { type: 'signedOut', reason: 'sessionEnded', outcome: { type: 'complete' } };
    case 'tokenRefreshed':
      return { type: 'tokenRefresh', username: event.username };
    case 'tokenRefreshFailed':
      return { type: 'tokenRefresh_failure', error: event.error };
    case 'storageError':
    case 'deviceError':
      return { type: event.type, error: event.error };
    default:
      return undefined;
  }
}

/** Subscribes `handler` to one public event type; returns the unsubscribe function. */
export function listen<T extends AuthHubEventType>(actor: AuthActor, type: T, handler: (event: Extract<AuthHubEvent, { type: T }>) => void): () => void {
  const subscription = actor.on('*', (emitted) => {
    const event = toHubEvent(emitted);
    if (event?.type !== type) return;
    try {
      handler(event as Extract<AuthHubEvent, { type: T }>);
    } catch (error) {
      // An app's handler must not break the statechart that announced the event.
      console.error(`authchart: a '${type}' handler threw`, error);
    }
  });
  return () => subscription.unsubscribe();
}
