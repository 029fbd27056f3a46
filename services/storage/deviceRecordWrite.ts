// A remembered device's record written (deviceRecord.ts says what it is), apart from its reading:
// only the device chunk (services/actors/deviceFlow.ts) writes one, and a sign-in's chunk only reads.
import type { DeviceRecord, DeviceRecords } from './deviceRecord.js';

/** Replaces the user's record. */
export async function writeDeviceRecord(place: DeviceRecords, { username, deviceKey, groupKey, password }: DeviceRecord): Promise<void> {
  const text = JSON.stringify({ version: 1, username, deviceKey, groupKey, password });
  await place.queue('write the remembered device', () => place.storage.setItem(place.key(username), text));
}
