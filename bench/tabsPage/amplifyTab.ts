// The Amplify JS v6 bench tab: aws-amplify bundled for the browser with its defaults (tokens in
// localStorage through its defaultStorage), configured against the emulator with userPoolEndpoint.
// The Hub 'auth' channel's events are recorded with the time this tab heard them, on a listener with
// the default options and on one that opts in to cross-tab events (Hub.listen's enableCrossTabEvents).
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, getCurrentUser, signIn, signOut, type SignInInput } from 'aws-amplify/auth';
import { ConsoleLogger, Hub } from 'aws-amplify/utils';
import { installProbes, now, pageConfig, timed } from './common';
import type { Heard } from './types';

ConsoleLogger.LOG_LEVEL = 'ERROR'; // Amplify warns about the custom endpoint at every configure
const config = pageConfig();
const probes = installProbes();
// When Amplify writes or removes its refresh-token key: the storage event other tabs hear.
const sent: Array<{ what: string; at: number }> = [];
const { setItem, removeItem } = Storage.prototype;
Storage.prototype.setItem = function (this: Storage, key: string, value: string): void {
  if (String(key).endsWith('.refreshToken')) sent.push({ what: 'signedIn', at: now() });
  setItem.call(this, key, value);
};
Storage.prototype.removeItem = function (this: Storage, key: string): void {
  if (String(key).endsWith('.refreshToken') && this.getItem(key) !== null) sent.push({ what: 'signedOut', at: now() });
  removeItem.call(this, key);
};
Amplify.configure({ Auth: { Cognito: { userPoolId: config.userPoolId, userPoolClientId: config.clientId, userPoolEndpoint: config.endpoint } } });
// As an app listens by default: same-tab events only. And as it may opt in (aws-amplify 6.22.1 has
// the option): other tabs' too, derived from the storage events of its token keys.
const heard: Heard[] = [];
const heardCrossTab: Heard[] = [];
Hub.listen('auth', ({ payload }) => heard.push({ type: payload.event, at: now() }));
Hub.listen('auth', ({ payload }) => heardCrossTab.push({ type: payload.event, at: now() }), { enableCrossTabEvents: true });
type AuthFlowType = NonNullable<NonNullable<SignInInput['options']>['authFlowType']>;
const authFlowType = (config.flow ?? 'USER_SRP_AUTH') as AuthFlowType;
const reason = (error: unknown) => (error instanceof Error ? error.name : String(error));

window.benchTab = {
  library: 'amplify',
  heard,
  heardCrossTab,
  sent,
  wire: [],
  signIn: (username, password) => timed(() => signIn({ username, password, options: { authFlowType } })),
  signOut: () => timed(() => signOut()),
  state: () => '—',
  async session() {
    const session = await fetchAuthSession().catch((error: unknown) => ({ error: reason(error), tokens: undefined }));
    const user = await getCurrentUser().catch((error: unknown) => ({ error: reason(error), username: undefined }));
    const error = 'error' in session ? session.error : 'error' in user ? user.error : undefined;
    return { tokens: session.tokens?.accessToken !== undefined, ...(user.username !== undefined && { username: user.username }), ...(error && { error }) };
  },
  refresh: () => timed(async () => ({ jti: (await fetchAuthSession({ forceRefresh: true })).tokens?.accessToken.payload.jti })),
  ...probes,
};
document.body.dataset['ready'] = 'true';
