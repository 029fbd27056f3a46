// Printing for the demo: state transitions as they happen, and results with their tokens withheld.
import type { InspectionEvent } from 'xstate';
import type { SignOutResult } from '../../src/index';

export function statePath(value: unknown): string {
  if (typeof value === 'string') return value;
  return Object.entries(value as Record<string, unknown>).map(([key, child]) => `${key}.${statePath(child)}`).join(' | ');
}

/** A result as it may be printed: the retry tokens are shown only as present. */
export function printable(result: SignOutResult): string {
  return JSON.stringify(result, (key, value) => (key === 'accessToken' || key === 'refreshToken' ? `<${String(value).length} chars, withheld>` : value), 2);
}

/** A second observer every scenario reports to as well (the Stately inspector, with --inspect). */
let alsoInspect: ((event: InspectionEvent) => void) | undefined;
export function forwardInspectionTo(observer: ((event: InspectionEvent) => void) | undefined): void {
  alsoInspect = observer;
}

/** An inspection observer that prints each machine's state changes with the elapsed time. */
export function printTransitions() {
  let started = performance.now();
  const last = new Map<string, string>(); // per machine: print changes only
  return {
    inspect(event: InspectionEvent) {
      alsoInspect?.(event);
      if (event.type !== '@xstate.snapshot') return;
      const snapshot = event.snapshot as { value?: unknown; machine?: { id: string } };
      if (!snapshot.machine) return;
      const state = statePath(snapshot.value);
      if (last.get(snapshot.machine.id) === state) return;
      last.set(snapshot.machine.id, state);
      console.log(`  ${(performance.now() - started).toFixed(0).padStart(6)} ms  ${snapshot.machine.id}: ${state}`);
    },
    /** Restarts the elapsed-time clock; returns the new start. */
    restart() {
      started = performance.now();
      return started;
    },
  };
}
