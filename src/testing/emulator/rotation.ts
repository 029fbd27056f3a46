// An app client's RefreshTokenRotation: read from the wire (CreateUserPoolClient,
// UpdateUserPoolClient), from the in-process options, and described back (DescribeUserPoolClient).
import * as p from './protocol.js';
import type { RotationSettings } from './state.js';
import type { EmulatorRefreshTokenRotation } from './types.js';

export const ROTATION_OFF: RotationSettings = { enabled: false, graceSeconds: 0 };
const MAX_GRACE_SECONDS = 60;

/** The RefreshTokenRotation member, validated as the API reference constrains it; off when absent. */
export function rotationFromWire(input: p.JsonObject): RotationSettings {
  const value = input.RefreshTokenRotation;
  if (value === undefined || value === null) return ROTATION_OFF;
  if (!p.isJsonObject(value)) throw p.validationError('refreshTokenRotation', 'Member must be a structure');
  const feature = value.Feature;
  if (feature === undefined || feature === null) throw p.validationError('refreshTokenRotation.feature', 'Member must not be null');
  if (feature !== 'ENABLED' && feature !== 'DISABLED') {
    const shown = typeof feature === 'string' || typeof feature === 'number' ? feature : JSON.stringify(feature);
    throw p.validationError('refreshTokenRotation.feature', 'Member must satisfy enum value set: [ENABLED, DISABLED]', shown);
  }
  const grace = value.RetryGracePeriodSeconds ?? 0;
  if (typeof grace !== 'number' || !Number.isInteger(grace)) {
    throw p.validationError('refreshTokenRotation.retryGracePeriodSeconds', 'Member must be an integer');
  }
  if (grace < 0) throw p.validationError('refreshTokenRotation.retryGracePeriodSeconds', 'Member must have value greater than or equal to 0', grace);
  if (grace > MAX_GRACE_SECONDS) {
    throw p.validationError('refreshTokenRotation.retryGracePeriodSeconds', `Member must have value less than or equal to ${MAX_GRACE_SECONDS}`, grace);
  }
  return { enabled: feature === 'ENABLED', graceSeconds: grace };
}

/** The in-process option (createUserPoolClient, setup); RangeError for what the API would refuse. */
export function rotationFromOptions(option: EmulatorRefreshTokenRotation | undefined): RotationSettings {
  if (option === undefined) return ROTATION_OFF;
  if (option.feature !== 'ENABLED' && option.feature !== 'DISABLED') {
    throw new RangeError(`refreshTokenRotation.feature must be 'ENABLED' or 'DISABLED', got ${String(option.feature)}`);
  }
  const grace = option.retryGracePeriodSeconds ?? 0;
  if (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_SECONDS) {
    throw new RangeError(`refreshTokenRotation.retryGracePeriodSeconds must be an integer from 0 to ${MAX_GRACE_SECONDS}, got ${String(grace)}`);
  }
  return { enabled: option.feature === 'ENABLED', graceSeconds: grace };
}

/** RefreshTokenRotationType as DescribeUserPoolClient returns it. */
export function describeRotation(rotation: RotationSettings): p.JsonObject {
  return { Feature: rotation.enabled ? 'ENABLED' : 'DISABLED', RetryGracePeriodSeconds: rotation.graceSeconds };
}
