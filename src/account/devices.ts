// rememberDevice(), forgetDevice() and fetchDevices(): the façade over the devices chart
// (machines/account/devicesMachine.ts). Each sends one event and maps the chart's answer to the
// result issue 22 fixes (fetchDevices(): `{ id, name, attributes, createdAt, lastAuthenticatedAt, remembered }[]`).
import { devicesMachine, type DevicesAnswer, type DevicesEvent, type ListedDevice } from '../../machines/account/devicesMachine.js';
import { createDevicesActors } from '../../services/actors/account/devices.js';
import { objectOrUndefined, text } from '../validate.js';
import type { AccountKit } from './kit.js';

/** One of the signed-in user's devices (Cognito's DeviceType), as fetchDevices() lists it. */
export interface AuthDevice {
  /** Cognito's DeviceKey: what forgetDevice({ device: { id } }) takes. */
  readonly id: string;
  /**
   * The `device_name` attribute: what ConfirmDevice named it (createAuth's `deviceName`, or the
   * user agent or platform). Absent, never an empty string, when Cognito holds no name (a device
   * confirmed by another client without one; amplify-js #12854).
   */
  readonly name?: string;
  /** Every DeviceAttribute, by name: `device_name`, `device_status`, `dev:device_remembered_status`, `last_ip_used`, …. */
  readonly attributes: Readonly<Record<string, string>>;
  /** DeviceCreateDate, when Cognito sent it. */
  readonly createdAt?: Date;
  /** DeviceLastAuthenticatedDate, when Cognito sent it. */
  readonly lastAuthenticatedAt?: Date;
  /** `dev:device_remembered_status` is `remembered`: a sign-in on it answers device SRP (and skips MFA where the pool says so). */
  readonly remembered: boolean;
}

/** forgetDevice()'s argument. */
export interface ForgetDeviceInput {
  /** The device to forget (an id fetchDevices() listed). Absent: this device (the one this session is bound to). */
  readonly device?: {
    /** The device's id (Cognito's DeviceKey). */
    readonly id: string;
  };
}

export interface DevicesCalls {
  /**
   * Remembers this device (UpdateDeviceStatus `remembered`): the device this session was given
   * (the access token's `device_key`), e.g. after a sign-in whose ConfirmDevice answered
   * UserConfirmationNecessary (the pool's DeviceOnlyRememberedOnUserPrompt). Ends by N + S (the
   * token, then the call). Rejects with AuthStateError UserUnAuthenticatedException (nobody signed
   * in), DeviceNotTracked (this session has no device) or AccountStepInProgress, nothing sent;
   * CognitoServiceError (ResourceNotFoundException: the device was forgotten; NotAuthorizedException,
   * …), CognitoUnreachableError, StorageError.
   */
  rememberDevice(): Promise<void>;
  /**
   * Forgets a device at Cognito (ForgetDevice): `device.id`, or this device when left out. Forgetting
   * this device also removes its record from the app's storage, so its DEVICE_KEY is no longer sent;
   * this session's refreshes are then refused (DeviceRefreshRefused) and it ends: sign in again.
   * Ends by N + 2 S. Rejects with AuthValidationError (a bad `device`), AuthStateError
   * UserUnAuthenticatedException, DeviceNotTracked or AccountStepInProgress, nothing sent;
   * CognitoServiceError (ResourceNotFoundException: no such device of this user), CognitoUnreachableError,
   * StorageError (Cognito forgot the device, but its record could not be removed here: a later sign-in
   * sends its key, which Cognito ignores, and gets a new device).
   */
  forgetDevice(input?: ForgetDeviceInput): Promise<void>;
  /**
   * The signed-in user's devices (ListDevices, every page), oldest first, confirmed ones only (as
   * Cognito lists them). Ends by S + N per page. Rejects with AuthStateError
   * UserUnAuthenticatedException or AccountStepInProgress, CognitoServiceError, CognitoUnreachableError, StorageError.
   */
  fetchDevices(): Promise<AuthDevice[]>;
}

const REMEMBERED = 'remembered';

function toDevice({ key, attributes, createdAt, lastAuthenticatedAt }: ListedDevice): AuthDevice {
  const name = attributes.device_name;
  return {
    id: key,
    ...(name && { name }),
    attributes,
    ...(createdAt !== undefined && { createdAt: new Date(createdAt) }),
    ...(lastAuthenticatedAt !== undefined && { lastAuthenticatedAt: new Date(lastAuthenticatedAt) }),
    remembered: attributes['dev:device_remembered_status'] === REMEMBERED,
  };
}

export function devicesCalls(kit: AccountKit): DevicesCalls {
  const { auth, runtime } = kit;
  const { settings } = runtime;
  const actors = createDevicesActors(kit.services, {
    storage: settings.storage,
    clientId: settings.clientId,
    storageTimeoutMs: settings.storageTimeoutMs,
    username: async () => (await auth.getSession().catch(() => undefined))?.username,
  });
  const ask = kit.flow<DevicesEvent, DevicesAnswer>(devicesMachine.provide({ actors }));
  return {
    rememberDevice: async () => {
      kit.live('rememberDevice');
      await ask('rememberDevice', { type: 'REMEMBER_DEVICE' });
    },
    forgetDevice: async (input) => {
      kit.live('forgetDevice');
      const { device } = objectOrUndefined(input, 'forgetDevice input', '{ device?: { id } }');
      if (device !== undefined) {
        const { id } = objectOrUndefined(device, 'device', '{ id }');
        text('device.id', id, 55, true);
        await ask('forgetDevice', { type: 'FORGET_DEVICE', deviceKey: id });
        return;
      }
      await ask('forgetDevice', { type: 'FORGET_DEVICE' });
    },
    fetchDevices: async () => {
      kit.live('fetchDevices');
      const answer = await ask('fetchDevices', { type: 'FETCH_DEVICES' });
      return answer.kind === 'devices' ? answer.devices.map(toDevice) : [];
    },
  };
}
