// Helpers for @statelyai/inspect (an optional peer, ESM-only) that work in a browser: it is loaded
// with a dynamic import() inside async functions, so requiring authchart (CJS) never loads it,
// and apps that do not inspect never need it installed. Never use createSkyInspector: it ships to
// a third party. The Node relay (an HTTP and WebSocket server) is in relay.ts, its own entry.
import type { InspectionEvent, Observer } from 'xstate';
import { redactDeep } from './redact.js';

/**
 * An event as @statelyai/inspect posts it to the inspector: xstate's inspection event plus the
 * package's own fields. Declared here by its shape, so these typings compile without the optional
 * package installed and on TypeScript 5.0 (which cannot import the ESM-only package's types from
 * a CommonJS declaration).
 */
export interface StatelyEventLike {
  /** The xstate inspection event's type, e.g. `@xstate.snapshot`, `@xstate.event`, `@xstate.actor`. */
  readonly type: string;
  /** The root actor's session id. */
  readonly rootId: string | undefined;
  /** The inspected actor's session id. */
  readonly sessionId: string;
  /** When the event was made (ms since the epoch, as a string). */
  readonly createdAt: string;
  /** The event's own id. */
  readonly id: string;
  /** The @statelyai/inspect protocol version. */
  readonly _version: string;
}

/** The redaction options of the Stately helpers (redactingSerializer and the inspectors built on it). */
export interface RedactedInspectorOptions {
  /** Known secret values, read at every event. */
  readonly secrets?: () => ReadonlyArray<string | undefined | null>;
  /** Only events for which this returns true are sent (after redaction). */
  readonly filter?: (event: StatelyEventLike) => boolean;
}

/** The redactor as a Stately `serialize` hook. */
export function redactingSerializer(options: RedactedInspectorOptions = {}): <E extends StatelyEventLike>(event: E) => E {
  return <E extends StatelyEventLike>(event: E): E => {
    try {
      return redactDeep(event, { secrets: options.secrets?.() ?? [] }) as unknown as E;
    } catch {
      return { type: event.type, sessionId: event.sessionId, rootId: event.rootId, _version: event._version, createdAt: event.createdAt, id: event.id } as E;
    }
  };
}

/**
 * The DOM type named `Name` (`Window`, `HTMLIFrameElement`), or `never` in a program without the
 * DOM lib (a Node app): written as a type by name, it would fail such apps' compile under
 * `skipLibCheck: false` ("Cannot find name 'Window'").
 */
type DomType<Name extends string> = typeof globalThis extends { readonly [K in Name]: { readonly prototype: infer T } } ? T : never;

/** createRedactedBrowserInspector()'s options: the redaction options, and @statelyai/inspect's createBrowserInspector options. */
export type RedactedBrowserInspectorOptions = RedactedInspectorOptions & {
  /** The inspector window's URL; default Stately's. */
  readonly url?: string;
  /** An iframe (an `HTMLIFrameElement`) to load the inspector in, instead of a window opened with `window.open`. Default null. */
  readonly iframe?: DomType<'HTMLIFrameElement'> | null;
  /** The `Window` that opens the inspector and receives its messages. Default: the global `window`. */
  readonly window?: DomType<'Window'>;
  /** Start at once (true, the default); with false, call start(). */
  readonly autoStart?: boolean;
};

/**
 * createBrowserInspector from @statelyai/inspect with every event redacted before it is posted
 * to the inspector window. In Node (no window) the package returns a no-op. Rejects when
 * @statelyai/inspect (an optional peer) is not installed.
 */
export async function createRedactedBrowserInspector(options: RedactedBrowserInspectorOptions = {}): Promise<{
  /** The XState inspection observer: `createAuth({ inspect })`. */
  inspect: Observer<InspectionEvent>;
  /** Opens the inspector (needed only with `autoStart: false`). */
  start(): void;
  /** Stops sending events to the inspector. */
  stop(): void;
}> {
  const { createBrowserInspector } = await import('@statelyai/inspect');
  const { secrets, filter, ...rest } = options;
  const inspector = createBrowserInspector({ ...rest, serialize: redactingSerializer({ ...(secrets && { secrets }) }), ...(filter && { filter }) });
  // In Node the package returns a bare no-op adapter without `inspect`.
  const inspect = (inspector as { inspect?: Observer<InspectionEvent> }).inspect ?? { next() {} };
  return { inspect, start: () => inspector.start?.(), stop: () => inspector.stop?.() };
}
