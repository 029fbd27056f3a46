// The hosted UI's flows: the code flow with PKCE and the /logout visit. Loaded on first use (the
// actors in hostedUiActors.ts import this module lazily), so an app that never uses the hosted UI
// never loads it: with code splitting it is a chunk of its own. The state and the PKCE verifier go
// to the app's storage (they must outlive a page navigation), the returned URL (it carries a
// one-time code) through the vault; none of them into the statechart.
import type { OpenedHostedUi, OpenedLogout, RedirectOutcome, RedirectSignInInput } from '../../machines/authTypes.js';
import type { SignOutOutcome } from '../../machines/types.js';
import { platformHash } from '../crypto/hashes.js';
import { authorizeUrl, createPkce, exchangeCode, isAt, parseRedirect, randomState } from '../cognito/hostedUi.js';
import { createPendingSignInStore, type PendingSignInStore } from '../storage/pendingSignIn.js';
import { createPendingSignOutStore, type PendingSignOutStore, type SignOutBeforeLogout } from '../storage/pendingSignOut.js';
import type { HostedUiServices, HostedUiSettings } from './hostedUiActors.js';
import type { LazyKit } from './lazyKit.js';
import { saveOrReport } from './saveOrReport.js';

/** An instance's services, and what this chunk takes from the up-front load, handed in (lazyKit.ts says why). */
type FlowServices = HostedUiServices & { readonly kit: LazyKit };

const notConfigured = ({ FieldError, ErrorNames }: LazyKit) => new FieldError(ErrorNames.config, 'oauth', 'is needed for the hosted UI: createAuth({ oauth: { domain, redirectSignIn, redirectSignOut } })');

/** One pair of pending-record stores per instance's settings. */
const stores = new WeakMap<HostedUiSettings, { signIn: PendingSignInStore; signOut: PendingSignOutStore }>();
function storesOf(hostedUi: HostedUiSettings, kit: LazyKit) {
  let found = stores.get(hostedUi);
  if (!found) {
    const options = { clientId: hostedUi.clientId, timeoutMs: hostedUi.storageTimeoutMs, kit };
    found = { signIn: createPendingSignInStore(hostedUi.storage, options), signOut: createPendingSignOutStore(hostedUi.storage, options) };
    stores.set(hostedUi, found);
  }
  return found;
}
const pendingSignIn = (hostedUi: HostedUiSettings, kit: LazyKit) => storesOf(hostedUi, kit).signIn;
const pendingSignOut = (hostedUi: HostedUiSettings, kit: LazyKit) => storesOf(hostedUi, kit).signOut;

export async function openHostedUi(services: FlowServices, input: RedirectSignInInput, signal: AbortSignal): Promise<OpenedHostedUi> {
  const { hostedUi, vault, kit } = services;
  const opener = hostedUi?.opener;
  if (!hostedUi || !opener) throw notConfigured(kit);
  if (signal.aborted) return { kind: 'cancelled' }; // while this module loaded: nothing written yet
  // Cancelled (a sign-out, a stop): forget the sign-in in flight, so that its late return is refused.
  signal.addEventListener('abort', () => void pendingSignIn(hostedUi, kit).clear().catch(() => {}), { once: true });
  const { verifier, challenge } = await createPkce(platformHash(kit.onFirstUse));
  if (signal.aborted) return { kind: 'cancelled' }; // while SHA-256 (or its fallback's load) ran: nothing written yet
  const state = randomState();
  const redirectUri = hostedUi.redirectSignIn;
  await pendingSignIn(hostedUi, kit).write({ state, verifier, redirectUri, createdAt: Date.now(), ...(input.customState !== undefined && { customState: input.customState }) });
  if (signal.aborted) return { kind: 'cancelled' };
  const url = authorizeUrl({ domain: hostedUi.domain, clientId: hostedUi.clientId, redirectUri, scopes: hostedUi.scopes, state, challenge, kit, ...optional(input) });
  const opened = await opener(url, redirectUri);
  if (opened.type === 'navigating') return { kind: 'navigating' };
  if (opened.type === 'returned') return { kind: 'returned', credential: vault.deposit(opened.url) };
  await pendingSignIn(hostedUi, kit).clear().catch(() => {});
  return { kind: 'cancelled' };
}

export async function completeRedirect(services: FlowServices, input: { credential: string }, signal: AbortSignal): Promise<RedirectOutcome> {
  const { hostedUi, vault, store, outbox, networkTimeoutMs, kit } = services;
  const { CognitoCallError, ErrorNames } = kit;
  const url = vault.take(input.credential);
  if (!hostedUi || url === undefined) return { kind: 'none' };
  const returned = parseRedirect(url, hostedUi.redirectSignIn);
  if (returned.kind === 'none') return signOutReturn(pendingSignOut(hostedUi, kit), url);
  const pending = await pendingSignIn(hostedUi, kit).read();
  if (!pending || returned.state !== pending.state) {
    if (pending) await pendingSignIn(hostedUi, kit).clear().catch(() => {});
    throw new CognitoCallError(ErrorNames.oauthStateMismatch, 'The return from the hosted UI does not carry the state this app sent: it was not exchanged');
  }
  await pendingSignIn(hostedUi, kit).clear().catch(() => {}); // a code is good once: whatever happens next, this sign-in is over
  if (returned.kind === 'error') {
    // A fact, as received: the chart decides what the code means (oauthRefusalOf). The URL is anyone's
    // to write: the code keeps only OAuth's own characters, and the text is redacted and capped, like a server's.
    const error = returned.error.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 64);
    return { kind: 'oauthError', error, description: returned.description ? kit.redact(returned.description, [], 400) : '' };
  }
  const tokens = await exchangeCode({
    domain: hostedUi.domain,
    clientId: hostedUi.clientId,
    redirectUri: pending.redirectUri,
    code: returned.code,
    verifier: pending.verifier,
    signal,
    kit,
    ...(hostedUi.clientSecret !== undefined && { clientSecret: hostedUi.clientSecret }),
    ...(hostedUi.fetch && { fetch: hostedUi.fetch }),
    ...(networkTimeoutMs !== undefined && { timeoutMs: networkTimeoutMs }),
  });
  const session = kit.summarizeSession(tokens, 'hostedUi');
  if (!session) throw new CognitoCallError(ErrorNames.unexpectedResponse, 'The token endpoint returned an access token that is not a Cognito JWT');
  if (signal.aborted) throw new CognitoCallError(ErrorNames.aborted, 'The sign-in was abandoned before its tokens were stored');
  // Tokens the store took back are live at Cognito: the failure says so, and the chart revokes them.
  await saveOrReport(tokens, store.save(tokens, { signedInWith: 'hostedUi' }), { vault, outbox, signal, kit });
  return { kind: 'signedIn', session, ...(pending.customState !== undefined && { customState: pending.customState }) };
}

export async function recordHostedUiSignOut(services: FlowServices, input: { returnTo: string; outcome: SignOutBeforeLogout }): Promise<void> {
  const { hostedUi, kit } = services;
  if (!hostedUi) throw notConfigured(kit);
  await pendingSignOut(hostedUi, kit).write({ returnTo: input.returnTo, outcome: input.outcome, createdAt: Date.now() });
}

export async function openLogout(services: FlowServices, input: { logoutUrl: string; returnTo: string }): Promise<OpenedLogout> {
  const { hostedUi, kit } = services;
  const { CognitoCallError, ErrorNames } = kit;
  if (!hostedUi) throw notConfigured(kit);
  // The record is for a return to this page; an auth session's answer comes back here instead.
  const forget = () => pendingSignOut(hostedUi, kit).clear().catch(() => {});
  const opener = hostedUi.opener;
  if (!opener) {
    await forget();
    throw new CognitoCallError(ErrorNames.hostedUiSignOutNotOpened, 'no opener: outside a browser, pass oauth.opener');
  }
  let opened: Awaited<ReturnType<typeof opener>>;
  try {
    opened = await opener(input.logoutUrl, input.returnTo);
  } catch (error) {
    await forget();
    throw new CognitoCallError(ErrorNames.hostedUiSignOutNotOpened, kit.redact(`the opener failed: ${error instanceof Error ? error.message : String(error)}`));
  }
  if (opened.type === 'navigating') return { kind: 'navigating' };
  await forget();
  if (opened.type === 'cancelled') return { kind: 'cancelled' };
  if (isAt(opened.url, input.returnTo)) return { kind: 'returned' };
  throw new CognitoCallError(ErrorNames.hostedUiSignOutNotOpened, 'the auth session came back to a URL that is not the sign-out URL');
}

/** A return from /logout: the sign-out recorded before the page went there, if `url` is where it returns. Else none. */
async function signOutReturn(pending: PendingSignOutStore, url: string): Promise<RedirectOutcome> {
  const record = await pending.read().catch(() => null);
  if (!record || !isAt(url, record.returnTo)) return { kind: 'none' };
  await pending.clear().catch(() => {});
  const outcome: SignOutOutcome = record.outcome;
  return { kind: 'signedOut', outcome };
}

function optional({ provider, prompt, loginHint }: RedirectSignInInput) {
  return { ...(provider !== undefined && { provider }), ...(prompt !== undefined && { prompt }), ...(loginHint !== undefined && { loginHint }) };
}
