// An XState inspection observer that forwards only redacted copies of what it sees.
import type { InspectionEvent, Observer } from 'xstate';
import { redactDeep } from './redact.js';

/**
 * An inspection event after redaction: JSON-safe data. Actor refs (`actorRef`, `sourceRef`,
 * snapshot `children`) are their sessionId strings; secrets are '[redacted]'.
 */
export interface RedactedInspectionEvent {
  /** XState's inspection event type: '@xstate.actor', '@xstate.event', '@xstate.snapshot', '@xstate.action' or '@xstate.microstep'. */
  readonly type: InspectionEvent['type'];
  /** The sessionId of the root actor of the system. */
  readonly rootId?: string;
  /** The sessionId of the actor the event is about. */
  readonly actorRef?: string;
  /** The sessionId of the actor that sent the event, when known. */
  readonly sourceRef?: string;
  /** The event the actor received, redacted. */
  readonly event?: {
    /** The event's type, e.g. 'SIGN_IN'. */
    readonly type: string;
    readonly [key: string]: unknown;
  };
  /** The actor's snapshot after the event, redacted (context, value, status, children as sessionIds). */
  readonly snapshot?: { readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** redactingInspector()'s options. */
export interface RedactingInspectorOptions {
  /** Known secret values, read at every event (so it can follow a changing set). */
  readonly secrets?: () => ReadonlyArray<string | undefined | null>;
}

/** What redactingInspector() forwards to: a function, or an observer with next (and optionally error, complete). */
export type RedactedObserver = ((event: RedactedInspectionEvent) => void) | Partial<Observer<RedactedInspectionEvent>>;

/**
 * Wraps an observer so that it receives only redacted copies of inspection events.
 * Use it as `createAuth({ inspect: redactingInspector(observer) })` or `createActor(m, { inspect })`.
 * Redaction never throws into the statechart: an event that cannot be copied is forwarded as
 * `{ type, redactionFailed: true }`.
 */
export function redactingInspector(observer: RedactedObserver, options: RedactingInspectorOptions = {}): Observer<InspectionEvent> {
  const next = typeof observer === 'function' ? observer : observer.next?.bind(observer);
  return {
    next(event: InspectionEvent) {
      if (!next) return;
      let copy: RedactedInspectionEvent;
      try {
        const secrets = options.secrets?.() ?? [];
        copy = redactDeep(event, { secrets }) as unknown as RedactedInspectionEvent;
      } catch {
        copy = { type: event.type, redactionFailed: true };
      }
      next(copy);
    },
    error(error: unknown) {
      if (typeof observer !== 'function') observer.error?.(redactDeep(error, { secrets: options.secrets?.() ?? [] }));
    },
    complete() {
      if (typeof observer !== 'function') observer.complete?.();
    },
  };
}
