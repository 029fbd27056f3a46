// The emulator faults the property tests switch on, and the errors a call that meets them rejects with.
import type { Fault } from '../../../src/testing/index';
import { LONG_LATENCY_MS, SHORT_LATENCY_MS } from './bounds';

export const FAULT_OPS = ['RevokeToken', 'GlobalSignOut', 'InitiateAuth'] as const;
export type FaultOp = (typeof FAULT_OPS)[number];
export const FAULT_NAMES = ['reset', 'blackhole', 'http503', 'throttled', 'notAuthorized', 'latencyShort', 'latencyLong'] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

export const FAULTS: Record<FaultName, Fault> = {
  reset: { type: 'reset' },
  blackhole: { type: 'blackhole' },
  http503: { type: 'httpStatus', status: 503 },
  throttled: { type: 'error', name: 'TooManyRequestsException', message: 'Rate exceeded' },
  notAuthorized: { type: 'error', name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' },
  latencyShort: { type: 'latency', ms: SHORT_LATENCY_MS },
  latencyLong: { type: 'latency', ms: LONG_LATENCY_MS },
};
export const describeFault = (name: FaultName): string => {
  const fault = FAULTS[name];
  if (fault.type === 'latency') return `latency ${fault.ms} ms`;
  if (fault.type === 'httpStatus') return `HTTP ${fault.status}`;
  if (fault.type === 'error') return fault.name;
  return fault.type;
};

/** The error a call that meets this fault on every attempt rejects with. Undefined: it succeeds. */
const FAILURE: Record<FaultName, string | undefined> = {
  reset: 'NetworkError',
  blackhole: 'TimeoutError',
  http503: 'UnexpectedResponse',
  throttled: 'TooManyRequestsException',
  notAuthorized: 'NotAuthorizedException',
  latencyShort: undefined,
  latencyLong: undefined,
};
/** Every call is bounded by networkTimeoutMs: it may instead run out of time while the SDK retries. */
export function callErrorNames(fault: FaultName | undefined): string[] {
  if (fault === 'latencyLong') return ['TimeoutError'];
  const failure = fault && FAILURE[fault];
  return failure ? [failure, 'TimeoutError'] : [];
}
export const failsSignOutCall = (fault: FaultName | undefined): boolean => callErrorNames(fault).length > 0;
