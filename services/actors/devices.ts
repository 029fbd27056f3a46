// The sign-in flow's hooks for remembered devices (issue 22), in the sign-in's chunk: which device
// this user has here (its record, read at each sign-in), and handing the device work to its own
// chunk (deviceFlow.ts) only when Cognito asks for it: a new device to confirm, or DEVICE_SRP_AUTH.
import type { AuthStep, CognitoService } from '../cognito/types.js';
import type { Hash } from '../crypto/hashes.js';
import type { SecretVault } from '../storage/secretVault.js';
import type { StorageLike } from '../storage/storage.js';
import { createDeviceStore, type DeviceRecord } from '../storage/deviceRecord.js';
import { createDeviceVerifier, startSrp } from '../srp/index.js';
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
  const { cognito, vault, kit, settings } = services;
  chunk ??= kit.onFirstUse(() => import('./deviceFlow.js'), 'The device tracking');
  const store = settings
    ? createDeviceStore(settings.storage, { clientId: settings.clientId, timeoutMs: settings.storageTimeoutMs, createStorageQueue: kit.createStorageQueue, parseJsonObject: kit.parseJsonObject })
    : null;
  const parts = { cognito, vault, kit, hash, devices: store, deviceName: settings?.deviceName, srp: { startSrp, createDeviceVerifier } };
  return {
    /** This user's remembered device here, or null (none; the storage failing is none too: the sign-in goes on as on a new device). */
    remembered: async (username: string): Promise<DeviceRecord | null> => (store ? store.read(username).catch(() => null) : null),
    /** Cognito's step, after the remembered device answered DEVICE_SRP_AUTH if Cognito asked for it. */
    answer: async (step: AuthStep, device: DeviceRecord | null, send: NetworkBudget): Promise<AuthStep> =>
      step.kind === 'challenge' && step.name === 'DEVICE_SRP_AUTH' && device ? (await chunk!()).answerDeviceSrp(parts, step, device, send, srpStep) : step,
    /** The vault reference of what confirming a new device takes (PendingDevice), when the tokens came with NewDeviceMetadata. */
    pending(step: AuthStep, username: string): string | undefined {
      const { DeviceKey: deviceKey, DeviceGroupKey: groupKey } = (step.kind === 'tokens' && step.device) || {};
      if (typeof deviceKey !== 'string' || typeof groupKey !== 'string' || step.kind !== 'tokens') return undefined;
      const pending: PendingDevice = { username, deviceKey, groupKey, accessToken: step.tokens.accessToken };
      return vault.deposit(JSON.stringify(pending));
    },
    confirm: async (ref: string, signal: AbortSignal, send: NetworkBudget): Promise<void> => (await chunk!()).confirmDevice(parts, ref, signal, send),
  };
}
