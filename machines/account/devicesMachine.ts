/**
 * Remembered devices (issue 22): rememberDevice(), forgetDevice() and fetchDevices() for the
 * signed-in user. The sign-in's part (confirming a new device, device SRP, DEVICE_KEY on refresh)
 * is the auth chart's (machines/auth/signIn.ts, confirmingDevice); this chart is the account side.
 *
 *   idle ─REMEMBER_DEVICE / FORGET_DEVICE (no id)─► findingDevice ─┬─ none (hasNoDevice) ─► idle (DeviceNotTracked, nothing sent)
 *    │                                                             ├─ remember ─► remembering ─► idle
 *    │                                                             └─ forget ────► forgetting ──► idle
 *    ├─FORGET_DEVICE { deviceKey } ─────────────────────────────────────────────► forgetting ──► idle
 *    └─FETCH_DEVICES ─► fetching ─► idle
 *
 * Why it is a chart:
 * - "This device" is a fact read first (findingDevice: the access token's device_key claim, the
 *   device Cognito bound this session to); a session without one is refused here, before anything
 *   is sent, rather than sending a call Cognito would refuse.
 * - One step at a time: every call during a step is refused (AccountStepInProgress).
 * - forgetDevice() of this device also removes its stored record (the engine will not send its
 *   DEVICE_KEY again); of another device, only that one is forgotten at Cognito.
 */
import { assign, emit, fromPromise, setup } from 'xstate';
import { notProvided } from '../notProvided.js';
import { refused, toErrorInfo, type AccountRefusal, type Answered, type Asked, type Failed } from './shared.js';

/** The calls; none carries a secret. */
export type DevicesEvent =
  | (Asked & {
      /** rememberDevice(). */
      readonly type: 'REMEMBER_DEVICE';
    })
  | (Asked & {
      /** forgetDevice(). */
      readonly type: 'FORGET_DEVICE';
      /** The device named; absent, this one. */
      readonly deviceKey?: string;
    })
  | (Asked & {
      /** fetchDevices(). */
      readonly type: 'FETCH_DEVICES';
    });

/** A device as ListDevices describes it, without interpretation (the façade shapes it). */
export interface ListedDevice {
  /** DeviceKey. */
  readonly key: string;
  /** DeviceAttributes, by name. */
  readonly attributes: Readonly<Record<string, string>>;
  /** DeviceCreateDate, epoch ms. */
  readonly createdAt?: number;
  /** DeviceLastAuthenticatedDate, epoch ms. */
  readonly lastAuthenticatedAt?: number;
}

/** The flow's answers. */
export type DevicesAnswer =
  | {
      /** rememberDevice() did it. */
      readonly kind: 'remembered';
    }
  | {
      /** forgetDevice() did it. */
      readonly kind: 'forgotten';
    }
  | {
      /** fetchDevices()'s list. */
      readonly kind: 'devices';
      /** Every device ListDevices gave. */
      readonly devices: readonly ListedDevice[];
    };

interface DevicesContext {
  /** The call the running step answers. */
  readonly caller: number;
  /** What findingDevice leads to. */
  readonly then: 'remember' | 'forget';
  /** The device the step acts on. */
  readonly deviceKey: string;
}

const stepInProgress = { type: 'refuse' as const, params: { refusal: 'stepInProgress' as const } };
/** While a step runs: every call is refused. */
const busy = { REMEMBER_DEVICE: { actions: stepInProgress }, FORGET_DEVICE: { actions: stepInProgress }, FETCH_DEVICES: { actions: stepInProgress } };
const failedWith = { type: 'answer' as const, params: ({ event }: { event: { error: unknown } }): Failed => ({ kind: 'failed', error: toErrorInfo(event.error) }) };

/** A step on the device findingDevice found (or forgetDevice() named): `src` runs on its key, and the caller hears `kind`. */
function onDevice<const S extends 'rememberDevice' | 'forgetDevice', const K extends 'remembered' | 'forgotten'>(src: S, kind: K) {
  return {
    on: busy,
    invoke: {
      src,
      input: ({ context }: { context: DevicesContext }) => ({ deviceKey: context.deviceKey }),
      onDone: { target: 'idle', actions: { type: 'answer' as const, params: { kind } } },
      onError: { target: 'idle', actions: failedWith },
    },
  };
}

/** The devices chart; its actors are provided by authchart/account (services/actors/account/devices.ts). */
export const devicesMachine = setup({
  types: {
    context: {} as DevicesContext,
    events: {} as DevicesEvent,
    emitted: {} as Answered<DevicesAnswer>,
  },
  actors: {
    /** This session's device: the access token's device_key claim, or null when Cognito bound it to none. Rejects with nobody signed in. */
    thisDevice: fromPromise<{ readonly deviceKey: string | null }>(notProvided('thisDevice')),
    /** UpdateDeviceStatus remembered. */
    rememberDevice: fromPromise<void, { readonly deviceKey: string }>(notProvided('rememberDevice')),
    /** ForgetDevice; then, when it is the device stored here, its record removed. */
    forgetDevice: fromPromise<void, { readonly deviceKey: string }>(notProvided('forgetDevice')),
    /** ListDevices, every page. */
    fetchDevices: fromPromise<readonly ListedDevice[]>(notProvided('fetchDevices')),
  },
  actions: {
    takeCaller: assign(({ event }) => ({ caller: event.id, then: event.type === 'REMEMBER_DEVICE' ? ('remember' as const) : ('forget' as const), deviceKey: (event.type === 'FORGET_DEVICE' && event.deviceKey) || '' })),
    answer: emit(({ context }, answer: DevicesAnswer | Failed) => ({ type: 'answered' as const, id: context.caller, answer })),
    refuse: emit(({ event }, params: { readonly refusal: AccountRefusal }) => ({ type: 'answered' as const, id: event.id, answer: refused(params.refusal) })),
  },
  guards: {
    /** forgetDevice() named the device. */
    namesDevice: ({ event }) => event.type === 'FORGET_DEVICE' && event.deviceKey !== undefined,
    /** This session has no device (the pool does not track devices, or a hosted-UI sign-in). */
    hasNoDevice: (_, found: { readonly deviceKey: string | null }) => found.deviceKey === null,
    remembers: ({ context }) => context.then === 'remember',
  },
}).createMachine({
  id: 'devices',
  context: { caller: 0, then: 'remember', deviceKey: '' },
  initial: 'idle',
  states: {
    idle: {
      on: {
        REMEMBER_DEVICE: { target: 'findingDevice', actions: 'takeCaller' },
        FORGET_DEVICE: [
          { guard: 'namesDevice', target: 'forgetting', actions: 'takeCaller' },
          { target: 'findingDevice', actions: 'takeCaller' },
        ],
        FETCH_DEVICES: { target: 'fetching', actions: 'takeCaller' },
      },
    },
    findingDevice: {
      on: busy,
      invoke: {
        src: 'thisDevice',
        onDone: [
          { guard: { type: 'hasNoDevice', params: ({ event }) => event.output }, target: 'idle', actions: { type: 'answer', params: refused('noDevice') } },
          { guard: 'remembers', target: 'remembering', actions: assign({ deviceKey: ({ event }) => event.output.deviceKey ?? '' }) },
          { target: 'forgetting', actions: assign({ deviceKey: ({ event }) => event.output.deviceKey ?? '' }) },
        ],
        onError: { target: 'idle', actions: failedWith },
      },
    },
    remembering: onDevice('rememberDevice', 'remembered'),
    forgetting: onDevice('forgetDevice', 'forgotten'),
    fetching: {
      on: busy,
      invoke: {
        src: 'fetchDevices',
        onDone: { target: 'idle', actions: { type: 'answer', params: ({ event }) => ({ kind: 'devices' as const, devices: event.output }) } },
        onError: { target: 'idle', actions: failedWith },
      },
    },
  },
});
