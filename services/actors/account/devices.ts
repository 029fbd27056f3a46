// The devices chart's actors (machines/account/devicesMachine.ts): this session's device (the
// access token's device_key claim), UpdateDeviceStatus, ForgetDevice (and the stored record of the
// device forgotten, when it is the one kept here), ListDevices page by page. Facts only.
import { fromPromise } from 'xstate';
import type { ListedDevice } from '../../../machines/account/devicesMachine.js';
import { readJwtClaims } from '../../encoding/jwt.js';
import { parseJsonObject } from '../../encoding/json.js';
import { accountKeys } from '../../storage/accountKeys.js';
import { readDeviceRecord, type DeviceRecords } from '../../storage/deviceRecord.js';
import { createStorageQueue } from '../../storage/queue.js';
import type { StorageLike } from '../../storage/storage.js';
import { signedInToken, type AccountServices } from './kit.js';

/** Where this instance remembers devices (createAuth's storage), and whose session it holds. */
export interface DeviceRecordPlace {
  readonly storage: StorageLike;
  readonly clientId: string;
  readonly storageTimeoutMs: number;
  /** The signed-in user's username (auth.getSession()), or undefined. */
  readonly username: () => Promise<string | undefined>;
}

/** ListDevices pages read at most (60 devices each): Cognito keeps far fewer per user. */
const MAX_PAGES = 20;

export function createDevicesActors(services: AccountServices, place: DeviceRecordPlace) {
  const { calls } = services;
  const records: DeviceRecords = { storage: place.storage, key: accountKeys(place.clientId).device, queue: createStorageQueue(place.storageTimeoutMs), parseJsonObject };
  return {
    thisDevice: fromPromise<{ readonly deviceKey: string | null }>(async () => {
      const claim = readJwtClaims(await signedInToken(services))?.device_key;
      return { deviceKey: typeof claim === 'string' && claim !== '' ? claim : null };
    }),
    rememberDevice: fromPromise<void, { readonly deviceKey: string }>(async ({ input, signal }) => {
      await calls.updateDeviceStatus(await signedInToken(services), input.deviceKey, true, signal);
    }),
    forgetDevice: fromPromise<void, { readonly deviceKey: string }>(async ({ input, signal }) => {
      await calls.forgetDevice(await signedInToken(services), input.deviceKey, signal);
      // The record kept here of the device just forgotten: its DEVICE_KEY is no longer sent.
      const username = await place.username();
      if (username === undefined || (await readDeviceRecord(records, username))?.deviceKey !== input.deviceKey) return;
      await records.queue('remove the remembered device', () => place.storage.removeItem(records.key(username)));
    }),
    fetchDevices: fromPromise<readonly ListedDevice[]>(async ({ signal }) => {
      const accessToken = await signedInToken(services);
      const devices: ListedDevice[] = [];
      let next: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const listed = await calls.listDevices(accessToken, next, signal);
        devices.push(...listed.devices);
        next = listed.paginationToken;
        if (next === undefined) break;
      }
      return devices;
    }),
  };
}
