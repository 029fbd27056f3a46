// The remembered device of one user, in the app's storage under `authchart.<clientId>.device.<username>`
// (accountKeys.ts): what a sign-in on this device sends (DEVICE_KEY) and answers device SRP with.
// Its own record, not the session's: a sign-out clears the session and keeps the device, which
// stays remembered at Cognito; forgetDevice() removes it. The password is a secret: it lives here
// and in the device SRP's computation only, never in a chart, an event, an error or a log.
// Reading and writing are apart (deviceRecordWrite.ts), each in the one chunk that needs it: a
// sign-in's chunk reads (services/actors/devices.ts), the device chunk writes (deviceFlow.ts), and the
// account's devices read and remove (services/actors/account/devices.ts). esbuild splits a module two
// lazy chunks import into a file of its own, which a sign-in would fetch as one more (docs/performance.md).
import type { StorageLike } from './storage.js';
import type { StorageQueue } from './queue.js';

/** A device Cognito gave this user (NewDeviceMetadata) and that ConfirmDevice confirmed. */
export interface DeviceRecord {
  readonly username: string;
  readonly deviceKey: string;
  readonly groupKey: string;
  /** The device's random password (services/srp/device.ts): a secret. */
  readonly password: string;
}

/** Where the records are, and the helpers of the up-front load they are read with (handed in: services/actors/lazyKit.ts says why). */
export interface DeviceRecords {
  readonly storage: StorageLike;
  /** The record's key for a username (deviceRecordKey). */
  readonly key: (username: string) => string;
  /** Bounds each storage call (StorageError past its timeout) and runs them in order. */
  readonly queue: StorageQueue;
  readonly parseJsonObject: (text: string) => Readonly<Record<string, unknown>> | null | undefined;
}

/** The user's device, or null when none is stored or what is stored is not one (another user's included). Bounded by the queue (StorageError past it). */
export async function readDeviceRecord(place: DeviceRecords, username: string): Promise<DeviceRecord | null> {
  const raw = await place.queue('read the remembered device', () => place.storage.getItem(place.key(username)));
  const record = typeof raw === 'string' ? place.parseJsonObject(raw) : null;
  // The parsed record itself, once its fields are checked (its `version` goes along unread).
  const valid = record?.username === username && [record.deviceKey, record.groupKey, record.password].every((field) => typeof field === 'string' && field !== '');
  return valid ? (record as unknown as DeviceRecord) : null;
}
