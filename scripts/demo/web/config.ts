// What the server hands the live page (server.ts puts it in the HTML as JSON; page.ts reads it).
export interface LivePageConfig {
  /** The emulator's 'http://127.0.0.1:PORT': the Cognito API and the hosted UI's domain. */
  readonly endpoint: string;
  readonly userPoolId: string;
  readonly clientId: string;
  /** The page itself (`/`): the app client's callback URL. */
  readonly redirectSignIn: string;
  /** `/signed-out` (the same page): the app client's sign-out URL. */
  readonly redirectSignOut: string;
  /** The demo app's API on this page's server: `GET <api>/orders`, and `<api>/revoke` told at sign-out. */
  readonly api: string;
  /** The demo user, for the SRP button and to type into the hosted UI's form. A local, generated password. */
  readonly username: string;
  readonly password: string;
}
