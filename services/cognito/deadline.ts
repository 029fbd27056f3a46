import { ErrorNames } from '../../machines/errors/registry.js';
/**
 * A signal that aborts when `outer` does, or with a TimeoutError after `ms`: every call to Cognito
 * is bounded, whatever its caller passed. done() releases the timer and the listener.
 */
export function withDeadline(outer: AbortSignal | undefined, ms: number): { signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) controller.abort(outer.reason);
  else outer?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new DOMException(`No answer within ${ms} ms`, ErrorNames.timeout)), ms);
  return {
    signal: controller.signal,
    done() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}
