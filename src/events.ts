import type { AuthActor } from './authRuntime.js';
import type { AuthEmitted } from '../machines/authMachine.js';
import type { ErrorInfo, SignOutOutcome } from '../machines/types.js';

/**
 * The events auth.on() delivers: the same set as Amplify's Hub auth channel. They carry no tokens;
 * a partial sign-out's retry tokens exist only in what signOut() returns.
 */
export type AuthHubEvent =
  | { readonly type: 'signedIn'; readonly username: string }
  /** A sign-in with the hosted UI carried customState: here it is. */
  | { readonly type: 'customOAuthState'; readonly state: string }
  | { readonly type: 'signInWithRedirect_failure'; readonly error: ErrorInfo }
  | { readonly type: 'signedOut'; readonly reason: 'signOut' | 'sessionEnded'; readonly outcome: SignOutOutcome }
  /** Another tab over the same storage signed out: this one dropped its session (that tab has the outcome). */
  | { readonly type: 'signedOut'; readonly reason: 'otherTab' }
  | { readonly type: 'tokenRefresh'; readonly username: string }
  | { readonly type: 'tokenRefresh_failure'; readonly error: ErrorInfo }
  /** The stored session could not be used (CorruptSession: it was removed) or storage failed (StorageError). */
  | { readonly type: 'storageError'; readonly error: ErrorInfo };

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
      return { type: 'storageError', error: event.error };
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
