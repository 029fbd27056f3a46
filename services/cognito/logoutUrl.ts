// The URL of the hosted UI's /logout: small and apart from the code flow (hostedUi.ts), because
// every signOut() builds it while the hosted UI's flows load only when used.

/** A user pool domain without its trailing slashes. */
export function trimDomain(domain: string): string {
  return domain.replace(/\/+$/, '');
}

/** The URL of Cognito's `/logout` that clears the hosted UI's `cognito` cookie and returns to `logoutUri` (one of the client's sign-out URLs). */
export function logoutUrl(o: { readonly domain: string; readonly clientId: string; readonly logoutUri: string }): string {
  return `${trimDomain(o.domain)}/logout?${new URLSearchParams({ client_id: o.clientId, logout_uri: o.logoutUri }).toString()}`;
}
