// The sign-in flow's hooks for remembered devices (issue 22), in the sign-in's chunk: which device
// this user has here (its record, read at each sign-in), and handing the device work to its own
// chunk (deviceFlow.ts) only when Cognito asks for it: a new device to confirm, or DEVICE_SRP_AUTH.
// Only what a sign-in without a device record needs is here: the rest (the verifier, the record's
// write, ConfirmDevice, device SRP) is the device chunk's, loaded when Cognito asks for it.
import type { AuthStep, CognitoService } from '../cognito/types.js';
import type { Hash } from '../crypto/hashes.js';
import type { SecretVault } from '../storage/secretVault.js';
import type { StorageLike } from '../storage/storage.js';
import { deviceRecordKey } from '../storage/accountKeys.js';
import { readDeviceRecord, type DeviceRecord, type DeviceRecords } from '../storage/deviceRecord.js';
import { bytesToBase64, hexToBytes, randomBigInt } from '../srp/encoding.js';
import { computeX, g, modPowN, padHex, runFormulaAsync } from '../srp/math.js';
import { startSrp } from '../srp/index.js';
import type { LazyKit } from './lazyKit.js';
import type { NetworkBudget } from './challengeFlow.js';
import type { PendingDevice } from './deviceFlow.js';

/** What remembering devices takes from createAuth's settings. */
export interface DeviceSettings {
  readonly storage: StorageLike;
  readonly clientId: string;
  readonly storageTimeoutMs: number;
  /** ConfirmDevice's DeviceName; absent: the platform's (deviceFlow.ts, defaultDeviceName). */
  readonly deviceName?: string | undefined;
}

/** The sign-in flow's services this module reads. */
interface DeviceServices {
  readonly cognito: CognitoService;
  readonly vault: SecretVault;
  readonly kit: LazyKit;
  readonly settings?: DeviceSettings | undefined;
}

type Chunk = typeof import('./deviceFlow.js');
let chunk: (() => Promise<Chunk>) | undefined;

/** The hooks: no settings (a bare machine's actors), no device is remembered here, and a new one's confirmation fails as a fact (deviceError). */
export function devicesOf(services: DeviceServices, hash: Hash, srpStep: <T>(run: () => T | Promise<T>) => Promise<T>) {
  const { vault, kit, settings } = services;
  chunk ??= kit.onFirstUse(() => import('./deviceFlow.js'), 'The device tracking');
  const records: DeviceRecords | null = settings
    ? { storage: settings.storage, key: deviceRecordKey(settings.clientId), queue: kit.createStorageQueue(settings.storageTimeoutMs), parseJsonObject: kit.parseJsonObject }
    : null;
  const srp = { startSrp, bytesToBase64, hexToBytes, randomBigInt, computeX, g, modPowN, padHex, runFormulaAsync };
  const parts = { ...services, hash, records, srp, srpStep };
  /** This user's remembered device here, or null (none; the storage failing is none too: the sign-in goes on as on a new device). */
  const remembered = async (username: string): Promise<DeviceRecord | null> => (records ? readDeviceRecord(records, username).catch(() => null) : null);
  return {
    remembered,
    /** Cognito's step after DEVICE_SRP_AUTH (`step`), answered by `username`'s remembered device; `step` itself when there is none. */
    answer: async (step: Extract<AuthStep, { kind: 'challenge' }>, username: string, send: NetworkBudget): Promise<AuthStep> => {
      const device = await remembered(username);
      return device ? (await chunk!()).answerDeviceSrp(parts, step, device, send) : step;
    },
    /** The vault reference of what confirming a new device takes (PendingDevice), when the tokens came with NewDeviceMetadata. */
    pending(step: Extract<AuthStep, { kind: 'tokens' }>, username: string): string | undefined {
      const { DeviceKey: deviceKey, DeviceGroupKey: groupKey } = step.device ?? {};
      if (typeof deviceKey !== 'string' || typeof groupKey !== 'string') return undefined;
      const pending: PendingDevice = { username, deviceKey, groupKey, accessToken: step.tokens.accessToken };
      return vault.deposit(JSON.stringify(pending));
    },
    confirm: async (ref: string, signal: AbortSignal, send: NetworkBudget): Promise<void> => (await chunk!()).confirmDevice(parts, ref, signal, send),
  };
}
