import { AuthConfigError } from './errors.js';

/** What an opener reports: the page is navigating away, the auth session came back to a URL, or the user cancelled. */
export type OpenerResult =
  | {
      /** The page is going away (a browser navigation): handleRedirect() finishes on the next load. */
      readonly type: 'navigating';
    }
  | {
      /** The auth session came back. */
      readonly type: 'returned';
      /** The full URL it came back to (it carries the one-time code and `state`). */
      readonly url: string;
    }
  | {
      /** The user closed the auth session: a sign-in rejects with RedirectSignInCancelled; a sign-out is `partial` with HostedUiSignOutCancelled. */
      readonly type: 'cancelled';
    };

/**
 * Opens the hosted UI. In a browser the default assigns `window.location` (the page goes away, and
 * handleRedirect() finishes on the next load). React Native, Electron and tests pass an
 * auth-session-style function that resolves with the URL the hosted UI came back to.
 */
export type AuthOpener = (url: string, returnTo: string) => Promise<OpenerResult>;

/**
 * AuthConfig's `oauth`: the hosted UI (managed login). Checked by createAuth(): each URL must be
 * absolute and https (http only on 127.0.0.1, localhost or [::1]; the redirect URLs may also use
 * an app's custom scheme), or it throws AuthConfigError naming the field (`oauth.domain`, …).
 */
export interface OAuthConfig {
  /** The user pool's domain, e.g. `https://auth.example.com` (or the emulator's endpoint). */
  readonly domain: string;
  /** Where the hosted UI returns after sign-in: one of the app client's callback URLs. */
  readonly redirectSignIn: string;
  /**
   * Where /logout returns after sign-out: one of the app client's sign-out URLs, or several (the
   * first is the default; signOut({ redirectUrl }) picks another, and may name only these).
   */
  readonly redirectSignOut: string | readonly string[];
  /** The scopes to ask for. Default ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'] (the last lets a global sign-out work). */
  readonly scopes?: readonly string[];
  /**
   * Opens the hosted UI and /logout. Default: `window.location.assign` in a browser; required
   * elsewhere (signInWithRedirect() rejects with AuthConfigError `oauth.opener` without one).
   */
  readonly opener?: AuthOpener;
}

export interface ResolvedOAuth {
  readonly domain: string;
  readonly redirectSignIn: string;
  /** At least one; the first is signOut()'s default. */
  readonly redirectSignOut: readonly string[];
  readonly scopes: readonly string[];
  readonly opener?: AuthOpener;
}

export const DEFAULT_OAUTH_SCOPES = ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'] as const;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** An absolute URL: https, or http on a loopback host (local development, the emulator); with `customScheme`, an app's own scheme (redirects). Else AuthConfigError naming `field`. */
export function webUrl(value: unknown, field: string, customScheme = false): string {
  let parsed: URL;
  try {
    parsed = new URL(String(value));
  } catch {
    throw new AuthConfigError(field, 'must be an absolute URL');
  }
  if (typeof value !== 'string') throw new AuthConfigError(field, 'must be a string URL');
  const web = parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname));
  if (!web && !(customScheme && !['http:', 'https:', 'javascript:', 'data:', 'file:'].includes(parsed.protocol))) {
    throw new AuthConfigError(field, 'must be https (http only on 127.0.0.1 or localhost)');
  }
  return value;
}

function signOutUrls(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new AuthConfigError('oauth.redirectSignOut', 'must be a URL or a non-empty array of URLs');
  return list.map((item) => webUrl(item, 'oauth.redirectSignOut', true));
}

export function resolveOAuth(value: unknown): ResolvedOAuth | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) throw new AuthConfigError('oauth', 'must be an object { domain, redirectSignIn, redirectSignOut, scopes?, opener? }');
  const o = value as Record<string, unknown>;
  const scopes = o.scopes ?? DEFAULT_OAUTH_SCOPES;
  if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every((scope) => typeof scope === 'string' && /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope))) {
    throw new AuthConfigError('oauth.scopes', 'must be a non-empty array of scope names');
  }
  if (o.opener !== undefined && typeof o.opener !== 'function') throw new AuthConfigError('oauth.opener', 'must be a function (url, returnTo) => Promise<OpenerResult>');
  return {
    domain: webUrl(o.domain, 'oauth.domain').replace(/\/+$/, ''),
    redirectSignIn: webUrl(o.redirectSignIn, 'oauth.redirectSignIn', true),
    redirectSignOut: signOutUrls(o.redirectSignOut),
    scopes: scopes as string[],
    ...(o.opener !== undefined && { opener: o.opener as AuthOpener }),
  };
}

/** The browser's navigation, when there is a browser. */
export function browserOpener(): AuthOpener | undefined {
  const location = (globalThis as { location?: { assign?: (url: string) => void } }).location;
  if (typeof location?.assign !== 'function') return undefined;
  return async (target) => {
    location.assign!(target);
    return { type: 'navigating' };
  };
}
