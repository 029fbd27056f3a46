// The parts of a bench tab page that do not depend on the library: the clock, the bare
// BroadcastChannel and storage probes (the floors), the clock-offset pings, the page's config.
import type { BenchPageConfig, BenchTab, Hop } from './types';

export const now = (): number => performance.timeOrigin + performance.now();

export function pageConfig(): BenchPageConfig {
  const params = new URLSearchParams(location.search);
  const required = (name: string): string => {
    const value = params.get(name);
    if (!value) throw new Error(`bench page: the query string has no ${name}`);
    return value;
  };
  const flow = params.get('flow');
  return { endpoint: required('endpoint'), userPoolId: required('userPoolId'), clientId: required('clientId'), ...(flow && { flow }) };
}

const BARE_CHANNEL = 'authchart-bench.bare';
const BARE_KEY = 'authchart-bench.bare';
const CLOCK_CHANNEL = 'authchart-bench.clock';

type ClockMessage = { kind: 'ping'; from: string; t0: number } | { kind: 'pong'; to: string; t0: number; tb: number };

export type Probes = Pick<BenchTab, 'channelHops' | 'storageHops' | 'postMessage' | 'writeStorage' | 'clockOffset' | 'problems'>;

/** Installs the probes: listeners that record bare hops from the other tab, and the clock's answerer. */
export function installProbes(): Probes {
  const problems: string[] = [];
  window.addEventListener('error', (event) => problems.push(`error: ${event.message}`));
  window.addEventListener('unhandledrejection', (event) => problems.push(`unhandledrejection: ${event.reason instanceof Error ? `${event.reason.name}: ${event.reason.message}` : String(event.reason)}`));

  const channelHops: Hop[] = [];
  const storageHops: Hop[] = [];
  const bare = new BroadcastChannel(BARE_CHANNEL);
  bare.onmessage = (event: MessageEvent<number>) => channelHops.push({ sentAt: event.data, at: now() });
  window.addEventListener('storage', (event) => {
    if (event.key === BARE_KEY && event.newValue !== null) storageHops.push({ sentAt: Number(event.newValue), at: now() });
  });

  const id = Math.random().toString(36).slice(2);
  const clock = new BroadcastChannel(CLOCK_CHANNEL);
  let waiting: ((pong: { t0: number; tb: number }) => void) | undefined;
  clock.onmessage = (event: MessageEvent<ClockMessage>) => {
    const message = event.data;
    if (message.kind === 'ping' && message.from !== id) clock.postMessage({ kind: 'pong', to: message.from, t0: message.t0, tb: now() } satisfies ClockMessage);
    else if (message.kind === 'pong' && message.to === id) waiting?.(message);
  };

  return {
    channelHops,
    storageHops,
    problems,
    postMessage() {
      const sentAt = now();
      bare.postMessage(sentAt);
      return sentAt;
    },
    writeStorage() {
      const sentAt = now();
      localStorage.setItem(BARE_KEY, String(sentAt));
      return sentAt;
    },
    async clockOffset(pings) {
      let best = { offsetMs: 0, rttMs: Number.POSITIVE_INFINITY };
      for (let i = 0; i < pings; i++) {
        const t0 = now();
        const pong = await new Promise<{ t0: number; tb: number }>((resolve) => {
          waiting = resolve;
          clock.postMessage({ kind: 'ping', from: id, t0 } satisfies ClockMessage);
        });
        const t1 = now();
        if (t1 - t0 < best.rttMs) best = { offsetMs: pong.tb - (t0 + t1) / 2, rttMs: t1 - t0 };
      }
      waiting = undefined;
      return best;
    },
  };
}

/** The `jti` claim of a JWT (an identifier, not the token), for telling sessions apart. */
export function jtiOf(token: string | undefined): string | undefined {
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { jti?: unknown };
  return typeof claims.jti === 'string' ? claims.jti : undefined;
}

/** Times `call` in the page: when it was called, when it settled, what it settled with. */
export async function timed(call: () => Promise<unknown>): Promise<{ calledAt: number; resolvedAt: number; value: unknown; error?: string }> {
  const calledAt = now();
  try {
    const value = await call();
    return { calledAt, resolvedAt: now(), value: value === undefined ? null : JSON.parse(JSON.stringify(value)) };
  } catch (error) {
    return { calledAt, resolvedAt: now(), value: null, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}
