// The passkeys chart's actors (machines/account/passkeysMachine.ts): the four WebAuthn operations
// for the signed-in user and the authenticator's `create`, each reporting what happened. The
// creation options (their challenge) and the new credential go straight into the vault, and only
// their receipts are reported; a ceremony that did not happen rejects with its fact
// (WebAuthnCeremonyError.failure), which the chart turns into the app's error. The authenticator
// is loaded as the ceremony begins (the browser's by default), never before.
import { fromPromise } from 'xstate';
import type { PasskeyFacts, SignInFacts } from '../../../machines/account/passkeysMachine.js';
import { readJwtClaims } from '../../encoding/jwt.js';
import type { WebAuthnClient, WebAuthnJson } from '../../webauthn/types.js';
import { secretOf, signedInToken, type AccountServices } from './kit.js';

/** The authenticator, loaded when a ceremony needs it. */
export type WebAuthnLoader = () => Promise<WebAuthnClient>;

/** A JSON text the vault held, back as the object it was. */
const parsed = (text: string): WebAuthnJson => JSON.parse(text) as WebAuthnJson;

export function createPasskeysActors(services: AccountServices, webAuthn: WebAuthnLoader) {
  const { calls, vault } = services;
  return {
    readSignIn: fromPromise<SignInFacts, void>(async () => {
      const authTime = readJwtClaims(await signedInToken(services))?.auth_time;
      return typeof authTime === 'number' && Number.isFinite(authTime) ? { signedInAt: authTime * 1000 } : {};
    }),
    startRegistration: fromPromise<{ readonly options: string }, void>(async ({ signal }) => {
      const { options } = await calls.startWebAuthnRegistration(await signedInToken(services), signal);
      return { options: vault.deposit(JSON.stringify(options)) };
    }),
    createCredential: fromPromise<{ readonly credential: string; readonly credentialId: string }, { readonly options: string }>(async ({ input, signal }) => {
      const options = parsed(secretOf(vault, input.options));
      const credential = await (await webAuthn()).create(options, { signal });
      const credentialId = typeof credential.id === 'string' ? credential.id : '';
      return { credential: vault.deposit(JSON.stringify(credential)), credentialId };
    }),
    completeRegistration: fromPromise<void, { readonly credential: string }>(async ({ input, signal }) => {
      const accessToken = await signedInToken(services);
      await calls.completeWebAuthnRegistration(accessToken, parsed(secretOf(vault, input.credential)), signal);
    }),
    listCredentials: fromPromise<{ readonly credentials: readonly PasskeyFacts[]; readonly nextToken?: string }, { readonly pageSize?: number; readonly nextToken?: string }>(async ({ input, signal }) =>
      calls.listWebAuthnCredentials(await signedInToken(services), { ...(input.pageSize !== undefined && { maxResults: input.pageSize }), ...(input.nextToken !== undefined && { nextToken: input.nextToken }) }, signal),
    ),
    deleteCredential: fromPromise<void, { readonly credentialId: string }>(async ({ input, signal }) => calls.deleteWebAuthnCredential(await signedInToken(services), input.credentialId, signal)),
  };
}
