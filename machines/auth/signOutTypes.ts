// The sign-out region's types: where a hosted-UI session's /logout goes, and what opening it led
// to. No secret in either.

/** The /logout URL of a sign-out and the sign-out URL it returns to; no secret in either. */
export interface HostedUiSignOutTarget {
  /** The hosted UI's /logout URL, with client_id and logout_uri. */
  readonly logoutUrl: string;
  /** The sign-out URL /logout returns to: one of `oauth.redirectSignOut`. */
  readonly returnTo: string;
}

/** What opening /logout led to: the page is navigating, the auth session came back to the sign-out URL, or the user closed it. */
export type OpenedLogout =
  | {
      /** The page is going away to /logout; handleRedirect() on the return has the result. */
      readonly kind: 'navigating';
    }
  | {
      /** The auth session came back to the sign-out URL: the cookie is ended. */
      readonly kind: 'returned';
    }
  | {
      /** The user closed it: the cookie may live (HostedUiSignOutCancelled). */
      readonly kind: 'cancelled';
    };

