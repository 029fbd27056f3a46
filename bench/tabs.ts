// Item 7 (issue 12): how long a sign-in or sign-out in one tab takes to reach another tab, in real
// Chromium (Debian's, headless), two tabs of one browser context (one localStorage), against the
// in-process emulator. authchart/fetch and Amplify JS v6 each in their own bench page and context,
// trials interleaved, with the floors measured between the same two tabs in the same run: one bare
// BroadcastChannel message and one bare `storage` event. Every time is taken inside the pages
// (performance.timeOrigin + performance.now()); the two tabs' clocks are compared by BroadcastChannel
// round trips before and after the trials, and the offset is taken out.
import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startCognitoEmulator, type CognitoEmulator, type SetupResult } from '../src/testing/index';
import { launchChromium } from '../__tests__/support/browser/chromium';
import type { BenchPageConfig, Heard, Hop, SessionFacts, Timed } from './tabsPage/types';
import { median, p, type Row } from './util';

/** How long tab B is given to emit signedIn/signedOut after tab A's call resolved; after that, a miss. The same for both. */
const AMPLIFY_WINDOW_MS = 2_000;
const AUTHCHART_WINDOW_MS = AMPLIFY_WINDOW_MS;
/** No trial starts after this much time in the trials (the section stays under a minute). */
const TRIALS_CAP_MS = 40_000;
const CLOCK_PINGS = 40;
const SECTION = '7. Cross-tab propagation (Chromium, two tabs of one context, one localStorage)';

type Library = 'authchart' | 'amplify';

// ---- the bench pages: one HTML page per library, its script bundled by esbuild ----
async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [join(__dirname, '..', 'bench', 'tabsPage', entry)], // __dirname: .cache/ (scripts/run-ts.mjs), as in bundleOf.ts
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  });
  return result.outputFiles[0]!.text;
}

async function servePages(): Promise<{ url(library: Library, config: BenchPageConfig): string; close(): Promise<void> }> {
  const scripts: Record<Library, string> = { authchart: await bundle('authchartTab.ts'), amplify: await bundle('amplifyTab.ts') };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const library = path.slice(1).replace(/\.(html|js)$/, '') as Library;
    if (req.method !== 'GET' || !(library in scripts)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    } else if (path.endsWith('.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(
        `<!doctype html><html><head><meta charset="utf-8"><title>${library} tab bench</title><link rel="icon" href="data:,"></head><body><script type="module" src="/${library}.js"></script></body></html>`,
      );
    } else {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(scripts[library]);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (library, config) => `${origin}/${library}.html?${new URLSearchParams({ ...config }).toString()}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

// ---- two tabs of one context ----
interface Pair {
  readonly library: Library;
  readonly context: BrowserContext;
  readonly a: Page;
  readonly b: Page;
  readonly errors: string[];
  /** B's clock minus A's, in ms. */
  offsetMs: number;
}

/** `count` tabs of one new context, each on `url` and ready; page errors and console errors collected. */
async function openTabs(browser: Browser, url: string, library: Library, count: number): Promise<{ context: BrowserContext; tabs: Page[]; errors: string[] }> {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  const errors: string[] = [];
  const tabs: Page[] = [];
  for (let i = 0; i < count; i++) {
    const name = count === 2 ? 'AB'[i]! : String(i + 1);
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(`${library} tab ${name}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`${library} tab ${name} console.error: ${message.text()}`);
    });
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset['ready'] === 'true');
    tabs.push(page);
  }
  return { context, tabs, errors };
}

async function openPair(browser: Browser, url: string, library: Library): Promise<Pair> {
  const { context, tabs: [a, b], errors } = await openTabs(browser, url, library, 2);
  return { library, context, a: a!, b: b!, errors, offsetMs: 0 };
}

/** B's clock minus A's, from the round trip with the least time; and that round trip. */
const clockOffset = (pair: Pair) => pair.a.evaluate((pings) => window.benchTab.clockOffset(pings), CLOCK_PINGS);

type List = 'heard' | 'heardCrossTab';
const heardSoFar = (page: Page, list: List) => page.evaluate((list) => window.benchTab[list].length, list);

/** Waits in the page (up to `windowMs`) for an event on `list` after its first `from`; null if none came. */
function waitToHear(page: Page, list: List, from: number, type: string, reason: string | null, windowMs: number): Promise<Heard | null> {
  return page.evaluate(async ([list, from, type, reason, windowMs]) => {
    const deadline = performance.now() + windowMs;
    for (;;) {
      const found = window.benchTab[list].slice(from).find((h) => h.type === type && (reason === null || h.reason === reason));
      if (found) return found;
      if (performance.now() > deadline) return null;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }, [list, from, type, reason, windowMs] as const);
}

/** One bare hop A → B: a BroadcastChannel message or a storage write; B's receipt in A's clock. */
async function bareHop(pair: Pair, kind: 'channel' | 'storage'): Promise<number> {
  const from = await pair.b.evaluate((kind) => (kind === 'channel' ? window.benchTab.channelHops : window.benchTab.storageHops).length, kind);
  await pair.a.evaluate((kind) => (kind === 'channel' ? window.benchTab.postMessage() : window.benchTab.writeStorage()), kind);
  const hop: Hop = await pair.b.evaluate(async ([kind, from]) => {
    const hops = kind === 'channel' ? window.benchTab.channelHops : window.benchTab.storageHops;
    for (let i = 0; i < 400 && hops.length <= from; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    if (hops.length <= from) throw new Error(`no bare ${kind} hop reached tab B within 2 s`);
    return hops[from]!;
  }, [kind, from] as const);
  return hop.at - pair.offsetMs - hop.sentAt;
}

const signInIn = (page: Page, pool: SetupResult): Promise<Timed> =>
  page.evaluate(([username, password]) => window.benchTab.signIn(username, password), [pool.username, pool.password] as const);
const signOutIn = (page: Page): Promise<Timed> => page.evaluate(() => window.benchTab.signOut());
const sessionOf = (page: Page): Promise<SessionFacts> => page.evaluate(() => window.benchTab.session());

/** B's event after A's: from A's call resolving, from A's call, from A's signal leaving; in A's clock. */
interface Propagation {
  fromResolve: number[];
  fromCall: number[];
  /** From the moment A's library sent its news (authchart: the BroadcastChannel post; Amplify: the refresh-token write). */
  fromSignal: number[];
  /** Trials in which B heard nothing within the window. */
  missed: number;
}
const propagation = (): Propagation => ({ fromResolve: [], fromCall: [], fromSignal: [], missed: 0 });

interface Gathered {
  trials: number;
  signIn: Propagation;
  signOut: Propagation;
  /** Trials whose sign-out B could not hear: B had not signed in (authchart: a missed sign-in). */
  signOutSkipped: number;
  /** Trials in which B answered with the user's tokens after A's sign-in (and B's event, or its window). */
  bSawUser: number;
  /** Trials in which B still answered with tokens after A's sign-out (and B's event, or its window). */
  bKeptTokens: number;
  /** What B answered after A's sign-out, each distinct answer once. */
  bAfterSignOut: Set<string>;
  /** authchart: for each missed sign-in, what B's page saw of the signals (times relative to A's signIn() resolving). */
  misses: string[];
}
const gathered = (): Gathered => ({ trials: 0, signIn: propagation(), signOut: propagation(), signOutSkipped: 0, bSawUser: 0, bKeptTokens: 0, bAfterSignOut: new Set(), misses: [] });

/**
 * One call in tab A and what tab B heard of it: B's event on `list` (null if none came within
 * `windowMs`) and the signal A's library sent for it (the first of that kind after the call began).
 */
async function propagate(pair: Pair, list: List, call: () => Promise<Timed>, type: string, reason: string | null, windowMs: number) {
  const sentFrom = await pair.a.evaluate(() => window.benchTab.sent.length);
  const bFrom = await heardSoFar(pair.b, list);
  const timed = await call();
  if (timed.error) throw new Error(`${pair.library} ${type} call in tab A failed: ${timed.error}`);
  const inB = await waitToHear(pair.b, list, bFrom, type, reason, windowMs);
  const sent = await pair.a.evaluate(([from, type]) => window.benchTab.sent.slice(from).find((s) => s.what === type) ?? null, [sentFrom, type] as const);
  return { timed, inB, sent };
}

function record(into: Propagation, pair: Pair, { timed, inB, sent }: Awaited<ReturnType<typeof propagate>>): void {
  if (!inB) {
    into.missed++;
    return;
  }
  const at = inB.at - pair.offsetMs; // in A's clock
  into.fromResolve.push(at - timed.resolvedAt);
  into.fromCall.push(at - timed.calledAt);
  if (sent) into.fromSignal.push(at - sent.at);
}

/**
 * One trial: sign in in A, wait for B's event, sign out in A, wait for B's event. A miss is a result
 * (counted), for both libraries: authchart is listened to on its events, Amplify on its opt-in
 * cross-tab Hub listener. A sign-out B cannot hear (it never signed in) is not waited for. Recorded
 * only when `into` is given (not for the warm-up).
 */
async function trial(pair: Pair, pool: SetupResult, into: Gathered | undefined): Promise<void> {
  const amplify = pair.library === 'amplify';
  const windowMs = amplify ? AMPLIFY_WINDOW_MS : AUTHCHART_WINDOW_MS;
  const list: List = amplify ? 'heardCrossTab' : 'heard';
  const wireFrom = await pair.b.evaluate(() => window.benchTab.wire.length);
  const signedIn = await propagate(pair, list, () => signInIn(pair.a, pool), 'signedIn', null, windowMs);
  const bSession = await sessionOf(pair.b);
  let miss: string | undefined;
  if (!amplify && !signedIn.inB) {
    const [state, wire] = await Promise.all([pair.b.evaluate(() => window.benchTab.state()), pair.b.evaluate((from) => window.benchTab.wire.slice(from), wireFrom)]);
    const t0 = signedIn.timed.resolvedAt;
    miss = `B ${state} after ${windowMs} ms, session ${bSession.tokens ? 'with' : 'without'} tokens; B saw: ${wire.map((w) => `${w.what} at ${ms2(w.at - pair.offsetMs - t0)}`).join(', ') || 'nothing'}`;
  }

  const bSignedIn = amplify ? bSession.tokens : signedIn.inB !== null;
  const signedOut = await propagate(pair, list, () => signOutIn(pair.a), 'signedOut', amplify ? null : 'otherTab', bSignedIn ? windowMs : 0);
  if (!amplify && (signedOut.timed.value as { type?: string }).type !== 'complete') throw new Error(`authchart sign-out was ${JSON.stringify(signedOut.timed.value)}`);
  if (!amplify && bSignedIn && !signedOut.inB) throw new Error(`authchart tab B heard no signedOut (otherTab) within ${windowMs} ms`);
  const bAfter = await sessionOf(pair.b);
  if (!amplify && bAfter.tokens) throw new Error('authchart tab B still has tokens after the sign-out in A');
  if (!into) return;
  into.trials++;
  record(into.signIn, pair, signedIn);
  if (miss) into.misses.push(miss);
  if (bSignedIn) record(into.signOut, pair, signedOut);
  else into.signOutSkipped++;
  if (bSession.tokens && bSession.username === pool.username) into.bSawUser++;
  if (bAfter.tokens) into.bKeptTokens++;
  into.bAfterSignOut.add(bAfter.tokens ? `tokens for ${bAfter.username ?? '?'}` : `no tokens${bAfter.error ? ` (${bAfter.error})` : ''}`);
}

// ---- one refresh for many tabs: N tabs of one context force a refresh at once ----
const REFRESH_TAB_COUNTS = [2, 5] as const;
const REFRESH_ROUNDS = 5;
/** No round starts after this much time in one tab count's rounds (the section's extra time stays near 30 s). */
const REFRESH_CAP_MS = 12_000;
/** How long every tab is given to show the user after the sign-in in tab 1 (and no tokens after the sign-out). */
const SEE_WINDOW_MS = 5_000;
/** Requests the emulator logs up to this long after the last tab's refresh settled still count for the round. */
const REFRESH_SETTLE_MS = 100;
const REFRESH_OPERATIONS = new Set(['InitiateAuth', 'GetTokensFromRefreshToken']);

/** N tabs of one context, and what they sent to the emulator, as Playwright saw the requests leave. */
interface Tabs {
  readonly library: Library;
  readonly context: BrowserContext;
  readonly tabs: Page[];
  readonly errors: string[];
  /** 'InitiateAuth REFRESH_TOKEN_AUTH', 'GetTokensFromRefreshToken', …: each POST to the emulator, in order. */
  readonly sent: string[];
}

async function openTabsWatched(browser: Browser, url: string, library: Library, count: number, endpoint: string): Promise<Tabs> {
  const opened = await openTabs(browser, url, library, count);
  const sent: string[] = [];
  opened.context.on('request', (request) => {
    if (request.method() !== 'POST' || !request.url().startsWith(endpoint)) return;
    const target = (request.headers()['x-amz-target'] ?? '?').replace(/^.*\./, '');
    let flow = '';
    try {
      const body = JSON.parse(request.postData() ?? '{}') as { AuthFlow?: unknown };
      if (typeof body.AuthFlow === 'string') flow = ` ${body.AuthFlow}`;
    } catch {
      flow = ' (body not JSON)';
    }
    sent.push(`${target}${flow}`);
  });
  return { library, ...opened, sent };
}

/** Waits in the page (up to `windowMs`) until its library's session answers tokens (`want` true) or none; whether it did. */
const sessionBecomes = (page: Page, want: boolean, windowMs: number): Promise<boolean> =>
  page.evaluate(async ([want, windowMs]) => {
    const deadline = performance.now() + windowMs;
    for (;;) {
      if ((await window.benchTab.session()).tokens === want) return true;
      if (performance.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }, [want, windowMs] as const);

interface RefreshRound {
  /** Tabs whose session showed the user before the refreshes (the round is measured only when all did). */
  saw: number;
  /** Refresh requests the emulator logged for the round (InitiateAuth or GetTokensFromRefreshToken); null when not measured. */
  requests: number | null;
  /** Other operations the emulator logged in the round. */
  others: string[];
  /** What the tabs sent in the round, as Playwright saw it. */
  sent: string[];
  /** Distinct access tokens (jti) the tabs' refresh calls answered. */
  sessions: number;
  /** The refresh calls that failed, and how. */
  failed: string[];
  /** From the first tab's call to the last tab's call (the tabs' clocks agree to a fraction of a ms, as the pairs' offsets show). */
  callSpreadMs: number;
  /** Calls that began after the first call to settle had settled: those found no refresh in flight. */
  late: number;
}

/** One round: sign in in tab 1, every tab shows the user, then every tab forces a refresh at once; then sign out in tab 1. */
async function refreshRound(t: Tabs, pool: SetupResult, emu: CognitoEmulator): Promise<RefreshRound> {
  const signedIn = await signInIn(t.tabs[0]!, pool);
  if (signedIn.error) throw new Error(`${t.library} sign-in in tab 1 failed: ${signedIn.error}`);
  const seen = await Promise.all(t.tabs.map((page) => sessionBecomes(page, true, SEE_WINDOW_MS)));
  const saw = seen.filter(Boolean).length;
  const round: RefreshRound = { saw, requests: null, others: [], sent: [], sessions: 0, failed: [], callSpreadMs: 0, late: 0 };
  if (saw === t.tabs.length) {
    const logFrom = emu.requests.length;
    const sentFrom = t.sent.length;
    const results = await Promise.all(t.tabs.map((page) => page.evaluate(() => window.benchTab.refresh())));
    await new Promise((resolve) => setTimeout(resolve, REFRESH_SETTLE_MS));
    const log = emu.requests.slice(logFrom);
    round.requests = log.filter((r) => REFRESH_OPERATIONS.has(r.operation)).length;
    round.others = log.filter((r) => !REFRESH_OPERATIONS.has(r.operation)).map((r) => r.operation);
    round.sent = t.sent.slice(sentFrom);
    round.failed = results.flatMap((r) => (r.error ? [r.error] : []));
    round.sessions = new Set(results.map((r) => (r.value as { jti?: string } | null)?.jti ?? (r.error ? `error ${r.error}` : 'no jti'))).size;
    const calls = results.map((r) => r.calledAt);
    const firstSettled = Math.min(...results.map((r) => r.resolvedAt));
    round.callSpreadMs = Math.max(...calls) - Math.min(...calls);
    round.late = calls.filter((at) => at > firstSettled).length;
  }
  const signedOut = await signOutIn(t.tabs[0]!);
  if (signedOut.error) throw new Error(`${t.library} sign-out in tab 1 failed: ${signedOut.error}`);
  const cleared = await Promise.all(t.tabs.map((page) => sessionBecomes(page, false, SEE_WINDOW_MS)));
  if (cleared.some((c) => !c)) throw new Error(`${t.library}: ${cleared.filter((c) => !c).length}/${t.tabs.length} tabs still answered tokens ${SEE_WINDOW_MS} ms after the sign-out in tab 1`);
  return round;
}

/** 'A ×3, B ×1': each distinct string with its count, in first-seen order. */
const tally = (xs: string[]): string => {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts].map(([x, n]) => `${x} ×${n}`).join(', ') || 'nothing';
};

/**
 * For N = 2 and 5 tabs of one context per library: rounds interleaved (authchart, then Amplify), each
 * counting the refresh requests the emulator received while all N tabs forced a refresh at once.
 */
async function benchRefreshes(browser: Browser, emu: CognitoEmulator, urls: Record<Library, string>, pools: Record<Library, SetupResult>, amFlow: string, log: (s: string) => void): Promise<Row[]> {
  const started = performance.now();
  const rows: Row[] = [];
  for (const n of REFRESH_TAB_COUNTS) {
    const nStarted = performance.now();
    const ours: RefreshRound[] = [];
    const theirs: RefreshRound[] = [];
    const opened: Tabs[] = [];
    let amplifyBlocked: string | undefined;
    try {
      const ac = await openTabsWatched(browser, urls.authchart, 'authchart', n, emu.endpoint);
      opened.push(ac);
      const am = await openTabsWatched(browser, urls.amplify, 'amplify', n, emu.endpoint);
      opened.push(am);
      for (let i = 0; i < REFRESH_ROUNDS && performance.now() - nStarted < REFRESH_CAP_MS; i++) {
        ours.push(await refreshRound(ac, pools.authchart, emu));
        if (amplifyBlocked) continue;
        try {
          theirs.push(await refreshRound(am, pools.amplify, emu));
        } catch (error) {
          amplifyBlocked = (error as Error).message;
        }
      }
    } finally {
      for (const t of opened) if (t.errors.length) log(`  page errors (${t.library}, ${n} tabs):\n    ${t.errors.join('\n    ')}`);
      await Promise.allSettled(opened.map((t) => t.context.close()));
    }

    const counts = (rounds: RefreshRound[]) => rounds.flatMap((r) => (r.requests === null ? [] : [r.requests]));
    const summary = (rounds: RefreshRound[]) => {
      const xs = counts(rounds);
      return xs.length ? `median ${median(xs)}, max ${Math.max(...xs)} (rounds: ${xs.join(', ')})` : 'not measured';
    };
    const unseen = (rounds: RefreshRound[]) => rounds.filter((r) => r.requests === null).map((r) => `${r.saw}/${n}`);
    const detail = (name: string, rounds: RefreshRound[]) => {
      const measured = rounds.filter((r) => r.requests !== null);
      const skipped = unseen(rounds);
      const failed = measured.flatMap((r) => r.failed);
      const others = measured.flatMap((r) => r.others);
      const many = name === 'authchart' ? measured.filter((r) => r.requests! > 1) : []; // Amplify's are all more than one
      const spreads = measured.map((r) => r.callSpreadMs);
      return `${name}: sent ${tally(measured.flatMap((r) => r.sent))}; tabs ending on one access token ${measured.filter((r) => r.sessions === 1).length}/${measured.length}` +
        `; the ${n} calls began within ${ms2(median(spreads))} of each other (median; max ${ms2(Math.max(...spreads))})` +
        (many.length ? `; in its rounds with more than one request: ${many.map((r) => `${r.requests} requests, calls within ${ms2(r.callSpreadMs)}, ${r.late} call(s) begun after the first call had settled`).join('; ')}` : '') +
        (failed.length ? `; refresh calls failed: ${tally(failed)}` : '') +
        (others.length ? `; other requests in the rounds: ${tally(others)}` : '') +
        (skipped.length ? `; ${skipped.length} round(s) not measured, not every tab showed the user within ${SEE_WINDOW_MS / 1000} s (${skipped.join(', ')})` : '');
    };
    log(`  refresh, ${n} tabs: authchart ${summary(ours)}; Amplify ${summary(theirs)}`);
    log(`    ${detail('authchart', ours)}`);
    log(`    ${detail('Amplify', theirs)}`);
    if (amplifyBlocked) log(`    Amplify stopped: ${amplifyBlocked}`);

    const a = counts(ours);
    const b = counts(theirs);
    rows.push({
      section: SECTION,
      comparison: `refresh requests for ${n} tabs, all forcing a refresh at once: authchart \`getSession({ forceRefresh: true })\` vs Amplify \`fetchAuthSession({ forceRefresh: true })\` (goal: 1)`,
      ours: summary(ours),
      theirs: amplifyBlocked && !b.length ? `not measured: ${amplifyBlocked}` : summary(theirs),
      ratio: a.length && b.length && median(b) > 0 ? median(a) / median(b) : null,
      target: '1 (authchart)',
      met: a.length ? Math.max(...a) === 1 : false,
      note: `${n} tabs of one context (one localStorage) per library, ${Math.max(ours.length, theirs.length)} rounds, interleaved. A round: \`signIn\` in tab 1 (authchart SRP; Amplify ${amFlow}); every tab's session answers the user's tokens (authchart \`getSession()\`, Amplify \`fetchAuthSession()\` and \`getCurrentUser()\`); then the forced refresh in all ${n} tabs at once (one \`page.evaluate\` per tab, in parallel); then \`signOut()\` in tab 1. Counted: the emulator's InitiateAuth and GetTokensFromRefreshToken requests from the first refresh call to ${REFRESH_SETTLE_MS} ms after the last one settled (its log names the operation, not the AuthFlow; no sign-in is in that window). What the tabs sent, as Playwright saw the requests leave: ${detail('authchart', ours)}. ${detail('Amplify', theirs)}.${amplifyBlocked ? ` Amplify stopped: ${amplifyBlocked}.` : ''}`,
    });
  }
  log(`  refresh rounds in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return rows;
}

const ms2 = (x: number): string => `${x.toFixed(2)} ms`;
const spread = (xs: number[]): string => (xs.length ? `${ms2(median(xs))} (p95 ${ms2(p(xs, 0.95))})` : '—');

export async function benchTabs(trials: number, log: (s: string) => void): Promise<Row[]> {
  const started = performance.now();
  let emu: CognitoEmulator | undefined;
  let pages: Awaited<ReturnType<typeof servePages>> | undefined;
  let browser: Browser | undefined;
  try {
    [emu, pages, browser] = await Promise.all([startCognitoEmulator(), servePages(), launchChromium()]);
    const acPool = emu.setup({ username: 'bench-tabs-authchart' });
    const amPool = emu.setup({ username: 'bench-tabs-amplify' });
    const base = (pool: SetupResult) => ({ endpoint: emu!.endpoint, userPoolId: pool.userPoolId, clientId: pool.clientId });
    const urls: Record<Library, string> = { authchart: pages.url('authchart', base(acPool)), amplify: pages.url('amplify', base(amPool)) };
    const ac = await openPair(browser, urls.authchart, 'authchart');

    // Amplify's own sign-in (SRP) first; USER_PASSWORD_AUTH only if SRP fails against the emulator.
    let am = await openPair(browser, urls.amplify, 'amplify');
    let amFlow = 'USER_SRP_AUTH (its default)';
    const srp = await signInIn(am.a, amPool);
    if (srp.error) {
      log(`  Amplify SRP sign-in failed (${srp.error}); USER_PASSWORD_AUTH instead`);
      amFlow = `USER_PASSWORD_AUTH (SRP failed: ${srp.error})`;
      await am.context.close();
      urls.amplify = pages.url('amplify', { ...base(amPool), flow: 'USER_PASSWORD_AUTH' });
      am = await openPair(browser, urls.amplify, 'amplify');
    } else {
      await signOutIn(am.a);
    }

    const chromium = browser.version();
    const visibility = await Promise.all([ac.a, ac.b, am.a, am.b].map((page) => page.evaluate(() => document.visibilityState)));
    const before = await Promise.all([clockOffset(ac), clockOffset(am)]);
    ac.offsetMs = before[0].offsetMs;
    am.offsetMs = before[1].offsetMs;

    const ours = gathered();
    const theirs = gathered();
    const channel: number[] = [];
    const storage: number[] = [];
    const trialsStarted = performance.now();
    let done = 0;
    for (let i = -1; i < trials; i++) { // one warm-up of each, not recorded
      if (i >= 0 && performance.now() - trialsStarted > TRIALS_CAP_MS) break;
      const record = i >= 0;
      const c = await bareHop(ac, 'channel');
      const s = await bareHop(ac, 'storage');
      if (record) {
        channel.push(c);
        storage.push(s);
      }
      await trial(ac, acPool, record ? ours : undefined);
      await trial(am, amPool, record ? theirs : undefined);
      if (record) done++;
    }

    // The clocks again: the offset taken out is the one measured before; the drift says how much that matters.
    const after = await Promise.all([clockOffset(ac), clockOffset(am)]);
    const drift = Math.max(Math.abs(after[0].offsetMs - before[0].offsetMs), Math.abs(after[1].offsetMs - before[1].offsetMs));
    // Amplify's default Hub listener in B, over the whole run, the last sign-out included (after its window).
    await new Promise((resolve) => setTimeout(resolve, AMPLIFY_WINDOW_MS));
    const defaultHeard = await am.b.evaluate(() => window.benchTab.heard.filter((h) => h.type === 'signedIn' || h.type === 'signedOut').length);
    const errors = [...ac.errors, ...am.errors];
    if (errors.length) log(`  page errors:\n    ${errors.join('\n    ')}`);
    await Promise.allSettled([ac.context.close(), am.context.close()]);

    const heardIn = (g: Gathered, pr: Propagation) => `${g.trials - pr.missed}/${g.trials}`;
    const line = (pr: Propagation) => `from the call resolving ${spread(pr.fromResolve)}, from the call ${spread(pr.fromCall)}, from A's signal ${spread(pr.fromSignal)}`;
    log(`  Chromium ${chromium}; ${done} trials (+1 warm-up) in ${((performance.now() - trialsStarted) / 1000).toFixed(1)} s; tabs ${visibility.join('/')}; clock offset B−A: authchart pair ${ms2(before[0].offsetMs)} (rtt ${ms2(before[0].rttMs)}), Amplify pair ${ms2(before[1].offsetMs)} (rtt ${ms2(before[1].rttMs)}); drift over the run ≤ ${ms2(drift)}`);
    log(`  bare A → B: BroadcastChannel message ${spread(channel)}; storage event ${spread(storage)}`);
    log(`  authchart sign-in → B signedIn: heard ${heardIn(ours, ours.signIn)}: ${line(ours.signIn)}`);
    for (const miss of ours.misses) log(`    missed: ${miss}`);
    log(`  authchart sign-out → B signedOut (otherTab): heard ${ours.signOut.fromResolve.length}/${ours.trials - ours.signOutSkipped}: ${line(ours.signOut)}`);
    log(`  Amplify (${amFlow}), Hub listener with enableCrossTabEvents: sign-in heard ${heardIn(theirs, theirs.signIn)}: ${line(theirs.signIn)}`);
    log(`  Amplify, same listener: sign-out heard ${heardIn(theirs, theirs.signOut)}: ${line(theirs.signOut)}`);
    log(`  Amplify, default Hub listener in B: ${defaultHeard} signedIn/signedOut events over the run (${theirs.trials + 1} sign-ins and sign-outs in A); B answered the user after A's sign-in ${theirs.bSawUser}/${theirs.trials}; after A's sign-out: ${[...theirs.bAfterSignOut].join(', ')}`);

    /** The times B heard, and how often it heard nothing in the window. */
    const heard = (g: Gathered, pr: Propagation, xs: number[], windowMs: number, skipped = 0) =>
      pr.fromResolve.length === 0 ? `no event within ${windowMs / 1000} s (0/${g.trials - skipped})` : `${spread(xs)}${pr.missed ? `; none within ${windowMs / 1000} s in ${pr.missed}/${g.trials - skipped}` : ''}`;
    const amHeard = (g: Gathered, pr: Propagation) => heard(g, pr, pr.fromResolve, AMPLIFY_WINDOW_MS);
    const acHeard = (pr: Propagation, xs: number[], skipped = 0) => heard(ours, pr, xs, AUTHCHART_WINDOW_MS, skipped);
    const skippedNote = ours.signOutSkipped ? ` authchart's sign-out is timed in the ${ours.trials - ours.signOutSkipped} trials whose sign-in B heard.` : '';
    const ratio = (x: number[], y: number[]) => (x.length && y.length ? median(x) / median(y) : null);
    const floors = `floors in this run, A → B: one BroadcastChannel message ${spread(channel)}, one storage event ${spread(storage)}`;
    const reported = { target: '— (reported)', met: null };
    const bAfter = `B's fetchAuthSession() after A's signOut(): ${[...theirs.bAfterSignOut].join(', ')} (tokens in ${theirs.bKeptTokens}/${theirs.trials}: it reads localStorage at every call)`;
    const run = `${done} interleaved trials, median (p95); times taken in the tabs, clock offset B−A taken out (${ms2(before[0].offsetMs)} / ${ms2(before[1].offsetMs)}, drift ≤ ${ms2(drift)}, 0.1 ms clock resolution)`;
    const nearZero = 'no ratio: both within a hop of zero (negative: B heard before A\'s promise settled)';
    const signal = 'the signal leaves A: authchart posts on its BroadcastChannel; Amplify writes its refresh-token key (other tabs turn the storage event into Hub events)';
    const refreshes = await benchRefreshes(browser, emu, urls, { authchart: acPool, amplify: amPool }, amFlow, log);
    return [
      {
        section: SECTION, ...reported,
        comparison: "sign-out, A's signOut() resolves → B emits it: authchart signedOut (reason 'otherTab') vs Amplify Hub 'auth' signedOut on a default listener",
        ours: acHeard(ours.signOut, ours.signOut.fromResolve, ours.signOutSkipped),
        theirs: defaultHeard === 0 ? `no event (0 in the run: ${theirs.trials + 1} sign-outs, the last watched ${AMPLIFY_WINDOW_MS / 1000} s)` : `${defaultHeard} events in the run`,
        ratio: null,
        note: `Chromium ${chromium}, headless. Amplify ${amFlow}, \`Hub.listen('auth', cb)\`: other tabs' events reach only listeners that opt in. ${bAfter}`,
      },
      {
        section: SECTION, ...reported,
        comparison: "sign-out, A's signOut() resolves → B emits it: authchart vs Amplify Hub listener with `enableCrossTabEvents: true`",
        ours: acHeard(ours.signOut, ours.signOut.fromResolve, ours.signOutSkipped), theirs: amHeard(theirs, theirs.signOut), ratio: null,
        note: `${run}; ${nearZero}. From the call: authchart ${spread(ours.signOut.fromCall)}, Amplify ${spread(theirs.signOut.fromCall)} (each revokes the refresh token first).${skippedNote}`,
      },
      {
        section: SECTION, ...reported,
        comparison: 'sign-out, the signal leaves A → B emits it: authchart vs Amplify (opt-in listener)',
        ours: spread(ours.signOut.fromSignal), theirs: spread(theirs.signOut.fromSignal), ratio: ratio(ours.signOut.fromSignal, theirs.signOut.fromSignal),
        note: `${signal}. ${floors}`,
      },
      {
        section: SECTION, ...reported,
        comparison: 'sign-out, the signal leaves A → B emits it: authchart vs one bare BroadcastChannel message between the same two tabs (the floor)',
        ours: spread(ours.signOut.fromSignal), theirs: spread(channel), ratio: ratio(ours.signOut.fromSignal, channel),
        note: `Amplify's against its floor, one bare storage event: ${spread(theirs.signOut.fromSignal)} vs ${spread(storage)}`,
      },
      {
        section: SECTION, ...reported,
        comparison: "sign-in, A's signIn() resolves → B emits signedIn: authchart vs Amplify Hub listener with `enableCrossTabEvents: true`",
        ours: acHeard(ours.signIn, ours.signIn.fromResolve), theirs: amHeard(theirs, theirs.signIn), ratio: null,
        note: `${nearZero}. ${ours.signIn.missed ? `authchart's B missed ${ours.signIn.missed}/${ours.trials} sign-ins: B stayed signed out: its read of the store did not show A's write. The read barrier (services/tabs/tabSignals.ts) lets a 'signedIn' message through at once when any storage event of the session key is under storageTimeoutMs (5 s) old, the previous sign-out's removal included, and in most misses the message came before or with the write's storage event; what B's page saw in each miss is in the bench output. ` : ''}B answered with the user's tokens afterwards: authchart ${ours.bSawUser}/${ours.trials}, Amplify ${theirs.bSawUser}/${theirs.trials}. From the call (SRP): authchart ${spread(ours.signIn.fromCall)}, Amplify ${spread(theirs.signIn.fromCall)}`,
      },
      {
        section: SECTION, ...reported,
        comparison: 'sign-in, the signal leaves A → B emits signedIn: authchart vs Amplify (opt-in listener)',
        ours: acHeard(ours.signIn, ours.signIn.fromSignal), theirs: spread(theirs.signIn.fromSignal), ratio: ratio(ours.signIn.fromSignal, theirs.signIn.fromSignal),
        note: `${signal}; authchart's B also waits for the session key's storage event before it reads the store, then reads it; Amplify's B reads the store (getCurrentUser) before it emits`,
      },
      {
        section: SECTION, ...reported,
        comparison: "sign-in, the signal leaves A → B emits signedIn: authchart vs one bare storage event between the same two tabs (its read barrier waits for one)",
        ours: acHeard(ours.signIn, ours.signIn.fromSignal), theirs: spread(storage), ratio: ratio(ours.signIn.fromSignal, storage),
        note: floors,
      },
      ...refreshes,
    ];
  } finally {
    log(`  section time ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await Promise.allSettled([browser?.close(), pages?.close(), emu?.close()]);
  }
}
