// Passkeys in real Chromium against the emulator (issue 22, "Real Chromium"): a virtual
// authenticator through the DevTools protocol (WebAuthn.enable, WebAuthn.addVirtualAuthenticator),
// a blank page on http://localhost:<port> calling navigator.credentials.create / get with the
// options the emulator gave, and the test posting the browser's credential to the emulator with the
// AWS SDK. Covers registration, listing, sign-in, a credential made at an origin the pool's relying
// party does not allow, and deletion. No hardware and no network beyond loopback.
import {
  CompleteWebAuthnRegistrationCommand,
  DeleteWebAuthnCredentialCommand,
  InitiateAuthCommand,
  ListWebAuthnCredentialsCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  StartWebAuthnRegistrationCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { startCognitoEmulator, type CognitoEmulator } from '../../src/testing/index.js';
import { describeInBrowser, launchChromium } from '../support/browser/chromium.js';
import { rejection, sdkClient } from '../support/sdk.js';

let browser: Browser;
let emu: CognitoEmulator;
let sdk: CognitoIdentityProviderClient;
let server: Server;
let origin: string;

/** What runs in the page: WebAuthn's JSON options to the browser's API and its answer back to JSON (base64url for bytes). */
const ceremony = async ({ kind, options, rpId }: { kind: 'create' | 'get'; options: Record<string, unknown>; rpId?: string }): Promise<string> => {
  const bytes = (s: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const text = (b: ArrayBuffer | null): string | undefined => (b === null ? undefined : btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
  const asJson = (credential: PublicKeyCredential, response: Record<string, unknown>): string =>
    JSON.stringify({ id: credential.id, rawId: text(credential.rawId), type: credential.type, authenticatorAttachment: credential.authenticatorAttachment ?? undefined, clientExtensionResults: credential.getClientExtensionResults(), response });
  const descriptors = (list: unknown) => ((list ?? []) as Array<{ id: string; type: 'public-key'; transports?: string[] }>).map((d) => ({ ...d, id: bytes(d.id) })) as PublicKeyCredentialDescriptor[];
  if (kind === 'create') {
    const o = options as { challenge: string; rp: { id: string; name: string }; user: { id: string; name: string; displayName: string }; pubKeyCredParams: PublicKeyCredentialParameters[]; excludeCredentials?: unknown };
    const publicKey: PublicKeyCredentialCreationOptions = {
      ...(options as object),
      challenge: bytes(o.challenge),
      rp: { ...o.rp, id: rpId ?? o.rp.id },
      user: { ...o.user, id: bytes(o.user.id) },
      pubKeyCredParams: o.pubKeyCredParams,
      excludeCredentials: descriptors(o.excludeCredentials),
    };
    const credential = (await navigator.credentials.create({ publicKey })) as PublicKeyCredential;
    const response = credential.response as AuthenticatorAttestationResponse;
    return asJson(credential, { clientDataJSON: text(response.clientDataJSON), attestationObject: text(response.attestationObject), transports: response.getTransports() });
  }
  const o = options as { challenge: string; allowCredentials?: unknown };
  const publicKey: PublicKeyCredentialRequestOptions = { ...(options as object), challenge: bytes(o.challenge), allowCredentials: descriptors(o.allowCredentials) };
  const credential = (await navigator.credentials.get({ publicKey })) as PublicKeyCredential;
  const response = credential.response as AuthenticatorAssertionResponse;
  return asJson(credential, { clientDataJSON: text(response.clientDataJSON), authenticatorData: text(response.authenticatorData), signature: text(response.signature), userHandle: text(response.userHandle) });
};

/** A page on http://localhost:<port> with a virtual platform authenticator (resident keys, user verification). */
async function pageWithAuthenticator(): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', { options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true } });
  await page.goto(`${origin}/`);
  return page;
}

/** A pool allowing PASSWORD and WEB_AUTHN with `rpId` as its relying party, a user, and their access token. */
async function signedInUser(rpId: string) {
  const made = emu.setup({ explicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], userPool: { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } } });
  await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: made.userPoolId, WebAuthnConfiguration: { RelyingPartyId: rpId } }));
  const out = await sdk.send(new InitiateAuthCommand({ ClientId: made.clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: made.username, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: made.password } }));
  return { ...made, token: out.AuthenticationResult!.AccessToken! };
}

async function register(page: Page, token: string, rpId?: string): Promise<unknown> {
  const start = await sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: token }));
  const credential = JSON.parse(await page.evaluate(ceremony, { kind: 'create' as const, options: start.CredentialCreationOptions as Record<string, unknown>, ...(rpId ? { rpId } : {}) })) as Record<string, unknown>;
  return sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: credential as never }));
}

describeInBrowser('passkeys in Chromium with a virtual authenticator', () => {
  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>passkeys</title><p>passkeys</p>'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://localhost:${(server.address() as AddressInfo).port}`;
    [browser, emu] = await Promise.all([launchChromium(), startCognitoEmulator()]);
    sdk = sdkClient(emu.endpoint);
  }, 45_000);
  afterAll(async () => {
    sdk?.destroy();
    await Promise.allSettled([browser?.close(), emu?.close(), new Promise((resolve) => server?.close(resolve))]);
  }, 20_000);

  test('registration, the list, a sign-in with WEB_AUTHN, and deletion', async () => {
    const user = await signedInUser('localhost');
    const page = await pageWithAuthenticator();
    await register(page, user.token);
    const listed = await sdk.send(new ListWebAuthnCredentialsCommand({ AccessToken: user.token }));
    expect(listed.Credentials).toEqual([expect.objectContaining({ RelyingPartyId: 'localhost', AuthenticatorTransports: ['internal'] })]);
    const credentialId = listed.Credentials![0]!.CredentialId!;

    const signIn = async () => {
      const challenge = await sdk.send(new InitiateAuthCommand({ ClientId: user.clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: user.username, PREFERRED_CHALLENGE: 'WEB_AUTHN' } }));
      expect(challenge.ChallengeName).toBe('WEB_AUTHN');
      const options = JSON.parse(challenge.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!) as Record<string, unknown>;
      const assertion = await page.evaluate(ceremony, { kind: 'get' as const, options });
      return sdk.send(new RespondToAuthChallengeCommand({ ClientId: user.clientId, ChallengeName: 'WEB_AUTHN', Session: challenge.Session, ChallengeResponses: { USERNAME: user.username, CREDENTIAL: assertion } }));
    };
    expect((await signIn()).AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    // A second sign-in: the virtual authenticator's counter went up, and the emulator accepts it.
    expect((await signIn()).AuthenticationResult?.AccessToken).toEqual(expect.any(String));

    await sdk.send(new DeleteWebAuthnCredentialCommand({ AccessToken: user.token, CredentialId: credentialId }));
    expect((await sdk.send(new ListWebAuthnCredentialsCommand({ AccessToken: user.token }))).Credentials).toEqual([]);
    const after = await sdk.send(new InitiateAuthCommand({ ClientId: user.clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: user.username } }));
    expect(after.AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP']);
    await page.context().close();
  });

  test('a credential made at an origin the pool’s relying party does not allow is refused, and nothing is stored', async () => {
    // The pool's relying party is app.localhost; the page, on localhost, makes the credential for its own origin.
    const user = await signedInUser('app.localhost');
    const page = await pageWithAuthenticator();
    expect(await rejection(register(page, user.token, 'localhost'))).toMatchObject({ name: 'WebAuthnOriginNotAllowedException' });
    expect((await sdk.send(new ListWebAuthnCredentialsCommand({ AccessToken: user.token }))).Credentials).toEqual([]);
    await page.context().close();
  });
});
