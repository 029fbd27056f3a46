// Per-operation fault registry: one fault per target, '*' as the fallback.
import type { EmulatorFaults, Fault, FaultOptions, FaultTarget } from './types.js';

interface Entry {
  readonly fault: Fault;
  /** Requests left; undefined = until cleared. */
  remaining: number | undefined;
}

export class FaultRegistry implements EmulatorFaults {
  private readonly entries = new Map<string, Entry>();

  set(op: FaultTarget, fault: Fault, options?: FaultOptions): void {
    validate(fault);
    const times = options?.times;
    if (times !== undefined && (!Number.isInteger(times) || times < 1)) {
      throw new RangeError(`faults.set: times must be a positive integer, got ${String(times)}`);
    }
    this.entries.set(op, { fault, remaining: times });
  }

  clear(op?: FaultTarget): void {
    if (op === undefined) this.entries.clear();
    else this.entries.delete(op);
  }

  /** The fault for this request, consuming one use of a `times`-limited fault. */
  take(operation: string, fallback = true): Fault | undefined {
    const target = this.entries.has(operation) || !fallback ? operation : '*';
    const entry = this.entries.get(target);
    if (!entry) return undefined;
    if (entry.remaining !== undefined && --entry.remaining <= 0) this.entries.delete(target);
    return entry.fault;
  }

  /** A fault set for exactly this target ('*' does not apply). */
  takeExact(operation: string): Fault | undefined {
    return this.take(operation, false);
  }
}

function validate(fault: Fault): void {
  if (fault.type === 'latency' && !(fault.ms >= 0)) throw new RangeError('faults.set: latency ms must be >= 0');
  if (fault.type === 'httpStatus' && !(fault.status >= 100 && fault.status <= 599)) {
    throw new RangeError('faults.set: httpStatus status must be 100-599');
  }
  if (fault.type === 'redirect' && (typeof fault.location !== 'string' || fault.location === '')) {
    throw new RangeError('faults.set: redirect needs a location');
  }
}
