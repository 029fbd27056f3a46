import type { Actor } from 'xstate';
import type { authMachine, AuthEmitted } from '../machines/authMachine.js';
import { AuthStoppedError } from './errors.js';

/**
 * Resolves with the first event of the given types the auth actor emits. Rejects when the actor
 * fails, or with AuthStoppedError when `stopped` aborts first, so no caller waits forever.
 */
export function whenEmitted<T extends AuthEmitted['type']>(
  actor: Actor<typeof authMachine>,
  types: readonly T[],
  stopped: AbortSignal,
  method: string,
): Promise<Extract<AuthEmitted, { type: T }>> {
  return new Promise((resolve, reject) => {
    const wanted = new Set<string>(types);
    const listening = actor.on('*', (event) => {
      if (wanted.has(event.type)) settle(() => resolve(event as Extract<AuthEmitted, { type: T }>));
    });
    const watching = actor.subscribe({ error: (error: unknown) => settle(() => reject(error)) });
    const onStop = () => settle(() => reject(new AuthStoppedError(method)));
    stopped.addEventListener('abort', onStop);
    function settle(finish: () => void) {
      listening.unsubscribe();
      watching.unsubscribe();
      stopped.removeEventListener('abort', onStop);
      finish();
    }
  });
}
