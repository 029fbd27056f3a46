// KB4: a refresh's write-back and a clear of the session, by two instances over one storage (tabs
// without Web Locks, processes sharing a file or AsyncStorage). Storage has no compare-and-set, so
// each side raises its own flag (a key of its own: owner and expiry, no token), then reads the
// other's (the flag principle: of two sides that both raise, then read, at least one sees the
// other). A write-back that sees a clear under way writes nothing; a clear that sees a write-back
// under way waits for it to end (no longer than its expiry, nor than the clear's storage budget
// allows), then removes what it wrote. Each storage call runs in the store's turn (StorageStep).
import type { StorageStep } from './queue.js';
import type { StorageLike } from './storage.js';

interface Flag {
  readonly owner: string;
  readonly until: number;
}

export interface SessionGuard {
  /** Raises the write-back's flag; false (the flag lowered again) when a clear is under way. */
  enterWrite(turn: StorageStep, forMs: number): Promise<boolean>;
  /** Raises the clear's flag, then waits while a write-back is under way, keeping `reserveMs` of the turn for the clear itself. */
  enterClear(turn: StorageStep, forMs: number, reserveMs: number): Promise<void>;
  /** Lowers this side's flag, if it is still this instance's (a clear: once its removal has landed). Never fails. */
  leave(turn: StorageStep, side: 'write' | 'clear'): Promise<void>;
}

export function createSessionGuard(storage: StorageLike, keys: { readonly write: string; readonly clear: string }, pollMs = 5): SessionGuard {
  const me = Math.random().toString(36).slice(2);
  /** The flag at `key` as stored (any owner, expired or not); null when absent or unreadable: nobody's. */
  const stored = async (turn: StorageStep, key: string): Promise<Partial<Flag> | null> => {
    try {
      return JSON.parse(String(await turn.call('read a session flag', () => storage.getItem(key)))) as Partial<Flag> | null;
    } catch {
      return null;
    }
  };
  /** Another instance's flag at `key` that has not expired, or null. */
  const read = async (turn: StorageStep, key: string): Promise<Flag | null> => {
    const flag = await stored(turn, key);
    return flag && typeof flag.owner === 'string' && typeof flag.until === 'number' && flag.owner !== me && flag.until > Date.now() ? (flag as Flag) : null;
  };
  const raise = (turn: StorageStep, key: string, forMs: number) => turn.call('raise a session flag', () => storage.setItem(key, JSON.stringify({ owner: me, until: Date.now() + forMs })));
  const guard: SessionGuard = {
    async enterWrite(turn, forMs) {
      await raise(turn, keys.write, forMs); // a write-back that cannot raise its flag does not write
      if (!(await read(turn, keys.clear))) return true;
      await guard.leave(turn, 'write');
      return false;
    },
    async enterClear(turn, forMs, reserveMs) {
      await raise(turn, keys.clear, forMs).catch(() => undefined); // a clear is never blocked by its flag
      for (let writer = await read(turn, keys.write); writer && turn.remaining() > reserveMs; writer = await read(turn, keys.write)) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, writer!.until - Date.now())));
      }
    },
    async leave(turn, side) {
      const key = side === 'write' ? keys.write : keys.clear;
      if (turn.remaining() <= 0) return; // the turn is spent: the flag expires on its own
      if ((await stored(turn, key))?.owner !== me) return;
      await turn.call('lower a session flag', () => storage.removeItem(key)).catch(() => undefined); // left to expire
    },
  };
  return guard;
}
