import type { Actor, Subscription } from 'xstate';
import type { authMachine, AuthEmitted } from '../machines/authMachine.js';
import { AuthStoppedError } from './errors.js';

type AuthActor = Actor<typeof authMachine>;

/**
 * Resolves with the first event of the given types the auth actor emits. Rejects when the actor
 * fails, or with AuthStoppedError when `stopped` aborts first, so no caller waits forever.
 */
export function whenEmitted<T extends AuthEmitted['type']>(actor: AuthActor, types: readonly T[], stopped: AbortSignal, method: string): Promise<Extract<AuthEmitted, { type: T }>> {
  const wanted = new Set<string>(types);
  return settleOn(actor, stopped, method, (resolve) =>
    actor.on('*', (event) => {
      if (wanted.has(event.type)) resolve(event as Extract<AuthEmitted, { type: T }>);
    }),
  );
}

/** Resolves once the auth actor is not in `state` (at once if it is not now); rejects as whenEmitted does. */
export function whenLeft(actor: AuthActor, state: 'loadingSession' | 'endingSession', stopped: AbortSignal, method: string): Promise<void> {
  if (stopped.aborted) return Promise.reject(new AuthStoppedError(method));
  if (!actor.getSnapshot().matches(state)) return Promise.resolve();
  return settleOn(actor, stopped, method, (resolve) => actor.subscribe((snapshot) => void (snapshot.matches(state) || resolve())));
}

/** The shared part: `watch` resolves; an actor error rejects; a stop (of the instance or the actor) rejects with AuthStoppedError; each cleans up. */
function settleOn<R>(actor: AuthActor, stopped: AbortSignal, method: string, watch: (resolve: (value: R) => void) => Subscription): Promise<R> {
  return new Promise((resolve, reject) => {
    let watching: Subscription | undefined;
    let settled = false;
    const onStop = () => settle(() => reject(new AuthStoppedError(method)));
    const failing = actor.subscribe({ error: (error: unknown) => settle(() => reject(error)), complete: onStop });
    stopped.addEventListener('abort', onStop);
    watching = watch((value) => settle(() => resolve(value)));
    if (settled) watching.unsubscribe();
    function settle(finish: () => void) {
      if (settled) return;
      settled = true;
      watching?.unsubscribe();
      failing.unsubscribe();
      stopped.removeEventListener('abort', onStop);
      finish();
    }
  });
}
