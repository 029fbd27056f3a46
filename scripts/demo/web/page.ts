// The live page's script (bundled by server.ts for the browser): authchart/fetch over the emulator
// with `storage: localStorage`, the auth and sign-out statecharts drawn from their definitions and
// highlighted as the `inspect` observer reports, a timeline, and one button per call; passkeys
// through authchart/account and the browser's own authenticator (the page is on localhost).
import type { ActorRefLike, InspectionEvent, Observer } from 'xstate';
import { createAccount } from '../../../src/account/index';
import { createRedactedBrowserInspector } from '../../../src/inspect/index';
import { authMachine, signOutMachine } from '../../../machines/index';
import { createAuth, type FetchLike } from '../../../src/fetch/index';
import { statePath } from '../print';
import { drawChart, eventLabel, type DrawnChart } from './chart';
import type { LivePageConfig } from './config';
import { passkeyRegisteredMeaning, passkeySignInMeaning, redirectMeaning, rejection, sessionMeaning, signInMeaning, signOutMeaning, withheld } from './meaning';
import { createTimeline } from './timeline';
import './page.css';

const config = JSON.parse(document.getElementById('config')?.textContent ?? '{}') as LivePageConfig;
const timeline = createTimeline();
timeline.note(`page loaded: ${location.pathname}${location.search ? ' (with a query)' : ''}`);
const charts = new Map<string, DrawnChart>([authMachine, signOutMachine].map((machine) => [machine.id, drawChart(machine)]));

/** The drawn chart of the machine an inspected actor runs, if any (an actor's `logic` is its machine). */
const chartOf = (actorRef: ActorRefLike): DrawnChart | undefined => {
  const logic = (actorRef as { logic?: { id?: unknown } }).logic;
  return typeof logic?.id === 'string' ? charts.get(logic.id) : undefined;
};

// The inspection stream: an event delivered to a drawn machine (or a new run of it) starts a step;
// each microstep highlights the arrows it took; each snapshot highlights the states and, when the
// state changed, is logged.
const lastState = new Map<ActorRefLike, string>(); // per running actor: each sign-out run is a new one
function observe(event: InspectionEvent): void {
  if (event.type === '@xstate.event' || event.type === '@xstate.actor') return chartOf(event.actorRef)?.newStep();
  if (event.type === '@xstate.microstep') chartOf(event.actorRef)?.took(event._transitions);
  if (event.type !== '@xstate.snapshot' && event.type !== '@xstate.microstep') return;
  const snapshot = event.snapshot as { value?: unknown; status?: string; machine?: { id: string } };
  const chart = snapshot.machine && charts.get(snapshot.machine.id);
  if (!snapshot.machine || !chart || snapshot.status === 'stopped') return;
  const to = statePath(snapshot.value);
  const from = lastState.get(event.actorRef);
  if (from === to) return;
  lastState.set(event.actorRef, to);
  chart.show(snapshot.value, snapshot.status === 'done' ? 'finished' : undefined);
  timeline.transition(snapshot.machine.id, from ?? '(start)', to, eventLabel(event.event.type));
}

// "Go offline": every Cognito API call of this page fails as a dropped connection would.
let offline = false;
const pageFetch: FetchLike = (input, init) => (offline ? Promise.reject(new TypeError('Failed to fetch: the page is offline ("Go offline" is on)')) : globalThis.fetch(input, init));

// `?inspect`: stream the same events, redacted, to the Stately inspector (a window it opens; it needs
// the inspector to be reachable, which these machines' tests are not). authchart/inspect bundles here.
let stately: Observer<InspectionEvent> | undefined;
if (new URLSearchParams(location.search).has('inspect')) void createRedactedBrowserInspector().then((inspector) => (stately = inspector.inspect));
const inspect = (event: InspectionEvent) => {
  observe(event);
  stately?.next?.(event);
};

const auth = createAuth({
  userPoolId: config.userPoolId,
  userPoolClientId: config.clientId,
  endpoint: config.endpoint,
  storage: localStorage,
  fetch: pageFetch,
  revocationEndpoint: `${config.api}/revoke`,
  inspect,
  oauth: { domain: config.endpoint, redirectSignIn: config.redirectSignIn, redirectSignOut: config.redirectSignOut },
});
// Passkey management (registration) for the signed-in user, with navigator.credentials.create.
const account = createAccount(auth);
for (const type of ['signedIn', 'signedOut', 'tokenRefresh', 'tokenRefresh_failure', 'signInWithRedirect_failure', 'storageError'] as const) {
  auth.on(type, (event) => timeline.note(`event ${event.type}${'reason' in event ? ` (${event.reason})` : ''}`));
}

/** Runs one call and puts its result (or rejection) on the timeline. */
async function call<T>(name: string, run: () => Promise<T>, meaning: (value: T) => string): Promise<void> {
  try {
    const value = await run();
    timeline.result(name, meaning(value), withheld(value));
  } catch (error) {
    const { name: errorName, message } = rejection(error);
    timeline.result(name, `rejected: ${errorName}`, withheld({ name: errorName, message }));
  }
}

// The last access token sent to the API (in memory, never shown): signed out, the button sends it
// again, so the page shows the API refusing a signed-out token.
let lastAccessToken: string | undefined;
/** GET <api>/orders with the current access token, else the last one: the API's answer ('200 served', or why it refused). */
async function callApi(): Promise<string> {
  const { tokens } = await auth.getSession();
  lastAccessToken = tokens?.accessToken ?? lastAccessToken;
  const response = await globalThis.fetch(`${config.api}/orders`, { headers: lastAccessToken ? { authorization: `Bearer ${lastAccessToken}` } : {} });
  const body = (await response.json()) as { error?: string; reason?: string };
  const which = tokens ? '' : lastAccessToken ? ' to the old token' : ' (no token)';
  return response.ok ? `${response.status} served` : `${response.status}${which} ${body.error ?? 'refused'}${body.reason ? ` (reason ${body.reason})` : ''}`;
}

function button(label: string, onClick: (self: HTMLButtonElement) => void): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = label;
  element.addEventListener('click', () => onClick(element));
  return element;
}

const controls = [
  button('Sign in (SRP)', () => void call('signIn()', () => auth.signIn({ username: config.username, password: config.password }), signInMeaning)),
  button('Sign in (passkey)', () =>
    void call('signIn({ USER_AUTH, WEB_AUTHN })', () => auth.signIn({ username: config.username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' } }), passkeySignInMeaning),
  ),
  button('Sign in (hosted UI)', () => void call('signInWithRedirect()', () => auth.signInWithRedirect(), signInMeaning)),
  button('Register a passkey', () => void call('associateWebAuthnCredential()', () => account.associateWebAuthnCredential(), passkeyRegisteredMeaning)),
  button('Refresh', () => void call('getSession({ forceRefresh: true })', () => auth.getSession({ forceRefresh: true }), sessionMeaning)),
  button('Sign out', () => void call('signOut()', () => auth.signOut(), signOutMeaning)),
  button('Sign out (global)', () => void call('signOut({ global: true })', () => auth.signOut({ global: true }), signOutMeaning)),
  button('Call the API', () => void call(`GET ${new URL(config.api).pathname}/orders`, callApi, (answer) => answer)),
  button('Go offline', (self) => {
    offline = !offline;
    self.textContent = offline ? 'Go online' : 'Go offline';
    self.setAttribute('aria-pressed', String(offline));
    document.body.classList.toggle('offline', offline);
    timeline.note(offline ? "offline: this page's Cognito API calls now fail" : 'online again');
  }),
  // noopener: the new tab starts its own timeline (sessionStorage is not copied) and shares localStorage.
  button('Open a second tab', () => void window.open(`${location.origin}/`, '_blank', 'noopener')),
];

function layout(): void {
  const header = document.createElement('header');
  header.innerHTML = '<h1>authchart: live statecharts</h1><p class="hint">Laid out by elkjs from the machine definitions. Green: the current states; orange: the arrows of the last step. Hover a state for the calls it answers in place.</p>';
  const user = document.createElement('p');
  user.className = 'hint';
  user.textContent = `Demo user (for the hosted UI's form too): ${config.username} / ${config.password}. Emulator: ${config.endpoint}.`;
  header.append(user);
  const nav = document.createElement('nav');
  nav.append(...controls);
  const chartsSection = document.createElement('section');
  chartsSection.className = 'charts';
  chartsSection.append(...[...charts.values()].map((chart) => chart.element));
  const log = document.createElement('section');
  log.className = 'log';
  const title = document.createElement('h2');
  title.textContent = 'Timeline';
  log.append(title, timeline.element);
  const main = document.createElement('main');
  main.append(chartsSection, log);
  document.body.append(header, nav, main);
}

async function start(): Promise<void> {
  layout();
  await Promise.all([...charts.values()].map((chart) => chart.ready));
  // Every load, before anything else: finish a return from the hosted UI or from its /logout.
  await call('handleRedirect()', () => auth.handleRedirect(), redirectMeaning);
  if (location.search || location.pathname !== '/') history.replaceState(null, '', '/'); // the one-time code is spent
  document.body.dataset['ready'] = 'true';
}

void start();
