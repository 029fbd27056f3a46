// Remembered devices, the sign-in's part (issue 22), a chunk of its own: signInFlow.ts loads it
// when Cognito gives a sign-in a new device (NewDeviceMetadata), or asks a remembered one to prove
// itself (DEVICE_SRP_AUTH). A sign-in on a pool without device tracking never loads it.
// - confirmDevice: the device's random password and salt, its SRP verifier (services/srp/device.ts),
//   ConfirmDevice, then its record in the app's storage (services/storage/deviceRecordWrite.ts).
// - answerDeviceSrp: DEVICE_SRP_AUTH (SRP_A) then DEVICE_PASSWORD_VERIFIER (the claim signed with
//   the device's password, its DeviceGroupKey in the pool name's place).
// The password lives in the device's record and in these computations only: never in the chart, an
// event, an error or a log. Facts only: what a failure means is the chart's (confirmingDevice).
import type { AuthStep, CognitoService } from '../cognito/types.js';
import type { Hash } from '../crypto/hashes.js';
import type { SecretVault } from '../storage/secretVault.js';
import type { DeviceRecord, DeviceRecords } from '../storage/deviceRecord.js';
import { writeDeviceRecord } from '../storage/deviceRecordWrite.js';
import type { LazyKit } from './lazyKit.js';
import type { NetworkBudget } from './challengeFlow.js';
import { createDeviceVerifier, type SrpPrimitives } from '../srp/device.js';
import type { startSrp } from '../srp/client.js';

/** What confirming a sign-in's new device takes, deposited in the vault by the sign-in flow (its access token is a secret). */
export interface PendingDevice {
  readonly username: string;
  readonly deviceKey: string;
  readonly groupKey: string;
  readonly accessToken: string;
}

/** What this chunk is handed by the sign-in flow. */
export interface DeviceParts {
  readonly cognito: CognitoService;
  readonly vault: SecretVault;
  readonly kit: LazyKit;
  readonly hash: Hash;
  /** Where devices are remembered; null when this instance has no storage settings (a bare machine's actors). */
  readonly records: DeviceRecords | null;
  /**
   * The SRP code, handed in by the sign-in's chunk, which holds it: imported here, it would be split
   * into a chunk of its own that a password sign-in fetches as one more file (docs/performance.md).
   */
  readonly srp: SrpPrimitives & { readonly startSrp: typeof startSrp };
  /** SRP's own faults reported under the registry's name (the sign-in flow's srpStep). */
  readonly srpStep: <T>(run: () => T | Promise<T>) => Promise<T>;
  /** createAuth's settings: ConfirmDevice's DeviceName is its deviceName; absent, what the platform says it is (defaultDeviceName). */
  readonly settings?: { readonly deviceName?: string | undefined } | undefined;
}

/**
 * What a device is called when the app does not say: the browser's user agent, or the platform
 * (Node, React Native), never empty (Cognito lists devices by name: an empty one is no name at
 * all, Amplify JS issue #12854). confirmDevice sends at most 256 characters, as ConfirmDevice's DeviceName allows.
 */
export function defaultDeviceName(): string {
  const nav = (globalThis as { navigator?: { userAgent?: unknown; product?: unknown } }).navigator;
  const process = (globalThis as { process?: { version?: unknown; platform?: unknown } }).process;
  const named = [nav?.userAgent, nav?.product, process?.version && `Node.js ${String(process.version)} (${String(process.platform)})`].find((n): n is string => typeof n === 'string' && n.trim() !== '');
  return named ?? 'authchart';
}

/** The step a device failure happened at, in its message: the app hears which (deviceError). */
function atStep<T>(parts: DeviceParts, step: string, run: () => Promise<T>): Promise<T> {
  return run().catch((error: unknown) => {
    const { name, message } = error instanceof Error ? error : { name: parts.kit.ErrorNames.unnamed, message: String(error) };
    throw new parts.kit.CognitoCallError(name, `${step}: ${message}`);
  });
}

/**
 * Confirms the new device of the sign-in whose PendingDevice `ref` holds: its verifier made here,
 * ConfirmDevice sent (within the step's network budget), then its record stored. UserConfirmationNecessary
 * (the pool remembers devices only when the user says so) leaves it confirmed, not yet remembered:
 * rememberDevice() remembers it. Rejects with the step's name in the message.
 */
export async function confirmDevice(parts: DeviceParts, ref: string, signal: AbortSignal, send: NetworkBudget): Promise<void> {
  const { kit, vault } = parts;
  const held = vault.take(ref);
  const pending = held === undefined ? undefined : (kit.parseJsonObject(held) as PendingDevice | undefined);
  if (!pending) throw new kit.CognitoCallError(kit.ErrorNames.internal, 'ConfirmDevice: what confirming the device takes is no longer available');
  const { username, deviceKey, groupKey, accessToken } = pending;
  const { records } = parts;
  // Nowhere to keep the device's password: it is not confirmed (a device confirmed at Cognito and kept nowhere could never sign in).
  if (!records) throw new kit.CognitoCallError(kit.ErrorNames.storage, 'Storing the device: this instance has no storage for devices');
  const verifier = await atStep(parts, 'The device verifier', () => createDeviceVerifier(parts.srp, parts.hash, groupKey, deviceKey));
  const { mfaSetup } = parts.cognito;
  if (!mfaSetup) throw new kit.CognitoCallError(kit.ErrorNames.unsupportedChallenge, 'ConfirmDevice: this Cognito transport cannot confirm a device');
  const payload = {
    AccessToken: accessToken,
    DeviceKey: deviceKey,
    DeviceSecretVerifierConfig: { PasswordVerifier: verifier.passwordVerifier, Salt: verifier.salt },
    DeviceName: (parts.settings?.deviceName ?? defaultDeviceName()).slice(0, 256),
  };
  await atStep(parts, 'ConfirmDevice', () => send((bounded) => mfaSetup('ConfirmDevice', payload, [accessToken, verifier.password, verifier.passwordVerifier, verifier.salt], bounded)));
  if (signal.aborted) throw new kit.CognitoCallError(kit.ErrorNames.aborted, 'Storing the device: the sign-in was abandoned before the device was stored');
  await atStep(parts, 'Storing the device', () => writeDeviceRecord(records, { username, deviceKey, groupKey, password: verifier.password }));
}

/**
 * A remembered device's answer to DEVICE_SRP_AUTH: SRP_A with DEVICE_KEY, then the
 * DEVICE_PASSWORD_VERIFIER claim signed with the device's password. Resolves Cognito's next step
 * (tokens, or the MFA the pool still asks for). SRP's own faults reject under the registry's name (`srpStep`).
 */
export async function answerDeviceSrp(parts: DeviceParts, step: Extract<AuthStep, { kind: 'challenge' }>, device: DeviceRecord, send: NetworkBudget): Promise<AuthStep> {
  const { cognito, srpStep } = parts;
  const username = step.parameters.USERNAME ?? device.username;
  const handshake = await srpStep(() => parts.srp.startSrp(parts.hash));
  const asked = await send((bounded) => cognito.respondToAuthChallenge('DEVICE_SRP_AUTH', step.session, { USERNAME: username, DEVICE_KEY: device.deviceKey, SRP_A: handshake.srpA }, bounded));
  if (asked.kind !== 'challenge' || asked.name !== 'DEVICE_PASSWORD_VERIFIER') return asked;
  const p = asked.parameters;
  const answer = await srpStep(() =>
    handshake.answer({ userPoolId: '', poolName: device.groupKey, userIdForSrp: device.deviceKey, password: device.password, srpB: p.SRP_B ?? '', salt: p.SALT ?? '', secretBlock: p.SECRET_BLOCK ?? '' }),
  );
  const claim = { USERNAME: p.USERNAME ?? username, DEVICE_KEY: device.deviceKey, PASSWORD_CLAIM_SECRET_BLOCK: answer.passwordClaimSecretBlock, PASSWORD_CLAIM_SIGNATURE: answer.passwordClaimSignature, TIMESTAMP: answer.timestamp };
  return send((bounded) => cognito.respondToAuthChallenge('DEVICE_PASSWORD_VERIFIER', asked.session, claim, bounded));
}
