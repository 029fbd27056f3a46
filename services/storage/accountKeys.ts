/**
 * The keys the account flows (authchart/account) write in the app's storage: `authchart.<clientId>.<name>`,
 * the prefix of services/storage/keys.ts. Apart from it so that createAuth's bundles, whose size
 * is capped, carry none of them.
 */
export const accountKeys = (clientId: string) => ({
  /**
   * A sign-up's auto sign-in (services/storage/autoSignIn.ts): who, Cognito's Session (a secret,
   * kept here and nowhere else), the deadline, and whether the sign-up is confirmed yet. Never a
   * password. Removed once autoSignIn() ends it, or a confirmation brought no Session.
   */
  autoSignIn: `authchart.${clientId}.autoSignIn`,
});
