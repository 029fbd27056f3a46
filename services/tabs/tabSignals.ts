// What tells this tab that another tab of the same origin signed in or out over the same storage.
// BroadcastChannel carries the news; where it is missing, the `storage` event on the session key
// does. No token ever travels: a signal names what happened, and the tab reads the store itself.
//
// localStorage is not read-consistent across tabs in Chromium: right after another tab's write (and
// its BroadcastChannel message) a read can still return the old value. A sign-out needs no read (the
// tab drops what it holds); a sign-in does, so its signal is passed on only once this tab's
// `storage` event for the session key has come (or after `settleMs`, whichever is first).

/** What happened in another tab. */
export type TabSignal = 'signedIn' | 'signedOut';

export interface TabSignals {
  /** Calls `listener` for every signal of another tab; returns the unsubscribe function. */
  listen(listener: (signal: TabSignal) => void): () => void;
  /** Tells the other tabs. */
  tell(signal: TabSignal): void;
  /** How many times another tab wrote the session key so far (its `storage` events). */
  sessionWrites(): number;
  /**
   * Resolves once another tab has written the session key after `seen` writes, or on abort (or
   * close). It has no time limit of its own: the auth chart's tabRefreshDeadline bounds the wait.
   */
  sessionWrittenSince(seen: number, signal: AbortSignal): Promise<void>;
  /** Closes the channel and the listeners. */
  close(): void;
}

interface Channel {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}
interface StorageEventLike {
  readonly key: string | null;
  readonly newValue: string | null;
  readonly oldValue: string | null;
}
interface Window {
  addEventListener(type: 'storage', listener: (event: StorageEventLike) => void): void;
  removeEventListener(type: 'storage', listener: (event: StorageEventLike) => void): void;
}

export interface TabSignalOptions {
  /** `authchart.<clientId>`: one channel per app client. */
  readonly channelName: string;
  /** The session's storage key: its `storage` events are the fallback and the read barrier. */
  readonly sessionKey: string;
  /** How long a sign-in signal waits for the `storage` event before it is passed on anyway. */
  readonly settleMs: number;
}

/**
 * Signals between the tabs of one origin that share `localStorage`. Null where there are no tabs
 * (no `window`): in Node, instances over one storage use the stale-write guard and the outbox.
 */
export function createTabSignals(options: TabSignalOptions): TabSignals | null {
  const scope = globalThis as { window?: Window; BroadcastChannel?: new (name: string) => Channel };
  const win = scope.window;
  if (!win) return null;
  const channel = scope.BroadcastChannel ? new scope.BroadcastChannel(options.channelName) : null;
  const listeners = new Set<(signal: TabSignal) => void>();
  const deliver = (signal: TabSignal) => listeners.forEach((listener) => listener(signal));
  /** A sign-in signal waiting for the storage event that makes this tab's read see it. */
  let waiting: { timer: ReturnType<typeof setTimeout> } | undefined;
  /** A write of a session another tab made that no sign-in signal has used yet: it may come before the channel's message. */
  let unusedWrite = false;
  let writes = 0;
  const writeWaiters = new Set<() => void>();
  const release = () => {
    if (!waiting) return;
    clearTimeout(waiting.timer);
    waiting = undefined;
    unusedWrite = false;
    deliver('signedIn');
  };

  const onStorage = (event: StorageEventLike) => {
    if (event.key !== options.sessionKey && event.key !== null) return;
    writes += 1;
    writeWaiters.forEach((wake) => wake());
    if (channel) {
      // The channel says what happened; this event says the store shows it. A removal shows no sign-in.
      unusedWrite = event.newValue !== null;
      return unusedWrite ? release() : undefined;
    }
    // No channel: the event is the signal. Removed (or storage cleared) → signed out; a new value → signed in.
    if (event.newValue === null) deliver('signedOut');
    else if (generationOf(event.newValue) !== generationOf(event.oldValue)) deliver('signedIn');
  };
  win.addEventListener('storage', onStorage);
  if (channel) {
    channel.onmessage = ({ data }) => {
      if (data === 'signedOut') {
        if (waiting) clearTimeout(waiting.timer);
        waiting = undefined;
        unusedWrite = false;
        deliver('signedOut');
      } else if (data === 'signedIn' && !waiting) {
        waiting = { timer: setTimeout(release, options.settleMs) };
        if (unusedWrite) release(); // the store's event came first
      }
    };
  }
  return {
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    tell(signal) {
      channel?.postMessage(signal);
    },
    sessionWrites: () => writes,
    sessionWrittenSince(seen, signal) {
      if (writes > seen || signal.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          writeWaiters.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        writeWaiters.add(done);
        signal.addEventListener('abort', done, { once: true });
      });
    },
    close() {
      if (waiting) clearTimeout(waiting.timer);
      waiting = undefined;
      listeners.clear();
      writeWaiters.forEach((wake) => wake());
      win.removeEventListener('storage', onStorage);
      channel?.close();
    },
  };
}

/** The session record's generation, read without its tokens; null for none or an unreadable record. */
function generationOf(raw: string | null): number | null {
  if (raw === null) return null;
  try {
    const generation: unknown = (JSON.parse(raw) as { generation?: unknown }).generation;
    return typeof generation === 'number' ? generation : null;
  } catch {
    return null;
  }
}
