// The remembered device of one user, in the app's storage under `authchart.<clientId>.device.<username>`
// (accountKeys.ts): what a sign-in on this device sends (DEVICE_KEY) and answers device SRP with.
// Its own record, not the session's: a sign-out clears the session and keeps the device, which
// stays remembered at Cognito; forgetDevice() removes it. The password is a secret: it lives here
// and in the device SRP's computation only, never in a chart, an event, an error or a log.
import type { StorageLike } from './storage.js';
import type { StorageQueue } from './queue.js';
import { accountKeys } from './accountKeys.js';

/** A device Cognito gave this user (NewDeviceMetadata) and that ConfirmDevice confirmed. */
export interface DeviceRecord {
  readonly username: string;
  readonly deviceKey: string;
  readonly groupKey: string;
  /** The device's random password (services/srp/device.ts): a secret. */
  readonly password: string;
}

/** The records' storage calls, each bounded by `timeoutMs` (StorageError past it) and run in order. */
export interface DeviceStore {
  /** The user's device, or null when none is stored or what is stored is not one (another user's included). */
  read(username: string): Promise<DeviceRecord | null>;
  /** Replaces the user's record. */
  write(record: DeviceRecord): Promise<void>;
  /** Removes the user's record. */
  remove(username: string): Promise<void>;
}

/** What the store is built with: the up-front load's helpers are handed in (services/actors/lazyKit.ts says why). */
export interface DeviceStoreOptions {
  readonly clientId: string;
  readonly timeoutMs: number;
  readonly createStorageQueue: (timeoutMs: number) => StorageQueue;
  readonly parseJsonObject: (text: string) => Readonly<Record<string, unknown>> | null | undefined;
}

const serialize = ({ username, deviceKey, groupKey, password }: DeviceRecord): string => JSON.stringify({ version: 1, username, deviceKey, groupKey, password });

export function createDeviceStore(storage: StorageLike, options: DeviceStoreOptions): DeviceStore {
  const key = accountKeys(options.clientId).device;
  const queue = options.createStorageQueue(options.timeoutMs);
  const parse = (raw: unknown, username: string): DeviceRecord | null => {
    const value = typeof raw === 'string' ? options.parseJsonObject(raw) : null;
    if (!value) return null;
    const fields = [value.deviceKey, value.groupKey, value.password];
    if (value.username !== username || !fields.every((field) => typeof field === 'string' && field !== '')) return null;
    const [deviceKey, groupKey, password] = fields as string[];
    return { username, deviceKey: deviceKey!, groupKey: groupKey!, password: password! };
  };
  return {
    async read(username) {
      return parse(await queue('read the remembered device', () => storage.getItem(key(username))), username);
    },
    async write(record) {
      const text = serialize(record);
      await queue('write the remembered device', () => storage.setItem(key(record.username), text));
    },
    async remove(username) {
      await queue('remove the remembered device', () => storage.removeItem(key(username)));
    },
  };
}
