// What a bench tab page (authchartTab.ts, amplifyTab.ts) puts on `window.benchTab`, shared by the
// pages and the Node side (bench/tabs.ts). Every time is `performance.timeOrigin + performance.now()`
// in the tab that took it; bench/tabs.ts corrects the offset between the two tabs' clocks.

/** An auth event this tab emitted (authchart: signedIn/signedOut; Amplify: the Hub 'auth' channel). */
export interface Heard {
  readonly type: string;
  /** authchart's signedOut reason ('otherTab' when another tab signed out). */
  readonly reason?: string;
  readonly at: number;
}

/** A call of the page's library, timed in the page. */
export interface Timed {
  readonly calledAt: number;
  readonly resolvedAt: number;
  /** What it resolved with (JSON-safe), or the error's name. */
  readonly value: unknown;
  readonly error?: string;
}

/** A bare message between the tabs: when the sender sent it, when this tab received it. */
export interface Hop {
  readonly sentAt: number;
  readonly at: number;
}

/** The session as this tab's library answers it, reduced to what the bench reports. */
export interface SessionFacts {
  readonly tokens: boolean;
  readonly username?: string;
  readonly error?: string;
}

export interface BenchTab {
  readonly library: 'authchart' | 'amplify';
  /** Auth events of this tab, in order (Amplify: a Hub 'auth' listener with the default options). */
  readonly heard: Heard[];
  /**
   * Amplify only (authchart: empty): a second Hub 'auth' listener with `enableCrossTabEvents: true`,
   * which hears both this tab's events and the ones Amplify derives from other tabs' storage writes.
   */
  readonly heardCrossTab: Heard[];
  signIn(username: string, password: string): Promise<Timed>;
  signOut(): Promise<Timed>;
  /** For the bench's error messages: authchart's state value; Amplify: '—'. */
  state(): string;
  /** authchart: getSession(); Amplify: fetchAuthSession() and getCurrentUser(). */
  session(): Promise<SessionFacts>;
  /**
   * A forced refresh: authchart `getSession({ forceRefresh: true })`, Amplify
   * `fetchAuthSession({ forceRefresh: true })`. Resolves with the `jti` of the access token it
   * answered (`{ jti }`, `{}` without one), to tell whether the tabs ended with one session.
   */
  refresh(): Promise<Timed>;
  /**
   * When this tab's library sent its news to the other tabs, seen by the page from outside the library:
   * authchart's BroadcastChannel posts on `authchart.<clientId>` ('signedIn'/'signedOut'); Amplify's
   * writes of its refresh-token key (set: 'signedIn'; removed: 'signedOut'), whose storage events
   * the other tabs turn into Hub events. Taken just before the post or the write, as the bare probes do.
   */
  readonly sent: Array<{ readonly what: string; readonly at: number }>;
  /**
   * authchart only (Amplify: empty): what this tab's page saw of authchart's own signals, observed
   * from outside the library: the messages on its channel `authchart.<clientId>` and the `storage`
   * events of its session key. To explain a sign-in this tab missed.
   */
  readonly wire: Array<{ readonly what: string; readonly at: number }>;
  /** Bare BroadcastChannel messages ('authchart-bench.bare') this tab received. */
  readonly channelHops: Hop[];
  /** Bare `storage` events (key 'authchart-bench.bare') this tab received. */
  readonly storageHops: Hop[];
  /** Posts one bare BroadcastChannel message; returns when. */
  postMessage(): number;
  /** Writes the bare storage key; returns when. */
  writeStorage(): number;
  /**
   * The other tab's clock minus this tab's, from `pings` BroadcastChannel round trips: the estimate
   * of the round trip with the least time (NTP's rule), and that round trip.
   */
  clockOffset(pings: number): Promise<{ readonly offsetMs: number; readonly rttMs: number }>;
  /** Uncaught errors and unhandled rejections the page saw. */
  readonly problems: string[];
}

/** Passed to the page in its query string. */
export interface BenchPageConfig {
  readonly endpoint: string;
  readonly userPoolId: string;
  readonly clientId: string;
  /** Amplify only: 'USER_SRP_AUTH' (its default) or 'USER_PASSWORD_AUTH'. */
  readonly flow?: string;
}

declare global {
  interface Window {
    benchTab: BenchTab;
  }
}
