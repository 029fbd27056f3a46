// The authchart bench tab: authchart/fetch bundled for the browser (as the browser tests' page does),
// one createAuth over localStorage (syncTabs on by default there), its signedIn/signedOut events
// recorded with the time this tab emitted them.
import { createAuth } from '../../src/fetch/index';
import { installProbes, jtiOf, now, pageConfig, timed } from './common';
import type { Heard } from './types';

const config = pageConfig();
const probes = installProbes();
// When authchart tells the other tabs (before createAuth, which opens the channel).
const sent: Array<{ what: string; at: number }> = [];
const post = BroadcastChannel.prototype.postMessage;
BroadcastChannel.prototype.postMessage = function (this: BroadcastChannel, message: unknown): void {
  if (this.name === `authchart.${config.clientId}`) sent.push({ what: String(message), at: now() });
  post.call(this, message);
};
const auth = createAuth({ userPoolId: config.userPoolId, userPoolClientId: config.clientId, endpoint: config.endpoint, storage: localStorage });
const heard: Heard[] = [];
auth.on('signedIn', () => heard.push({ type: 'signedIn', at: now() }));
auth.on('signedOut', (event) => heard.push({ type: 'signedOut', reason: event.reason, at: now() }));

// Watched from outside, to explain a miss: the library's channel and its session key's storage events.
const wire: Array<{ what: string; at: number }> = [];
const sessionKey = `authchart.${config.clientId}.session`;
new BroadcastChannel(`authchart.${config.clientId}`).onmessage = (event: MessageEvent<unknown>) => wire.push({ what: `channel '${String(event.data)}'`, at: now() });
window.addEventListener('storage', (event) => {
  if (event.key === sessionKey) wire.push({ what: event.newValue === null ? 'storage: session removed' : 'storage: session written', at: now() });
});

window.benchTab = {
  library: 'authchart',
  heard,
  heardCrossTab: [],
  sent,
  wire,
  signIn: (username, password) => timed(() => auth.signIn({ username, password })),
  signOut: () => timed(() => auth.signOut()),
  state: () => JSON.stringify(auth.actor.getSnapshot().value),
  async session() {
    const session = await auth.getSession();
    return { tokens: session.tokens !== undefined, ...(session.username !== undefined && { username: session.username }) };
  },
  refresh: () => timed(async () => ({ jti: jtiOf((await auth.getSession({ forceRefresh: true })).tokens?.accessToken) })),
  ...probes,
};
document.body.dataset['ready'] = 'true';
