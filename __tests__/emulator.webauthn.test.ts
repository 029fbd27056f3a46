// The emulator's passkeys over HTTP with the AWS SDK: StartWebAuthnRegistration and
// CompleteWebAuthnRegistration with a software authenticator (support/softAuthenticator.ts),
// ListWebAuthnCredentials, USER_AUTH's WEB_AUTHN sign-in, DeleteWebAuthnCredential, the pool's
// WebAuthnConfiguration, and the hostile answers the emulator refuses, verified by
// @simplewebauthn/server: a tampered signature, a replayed challenge, another user's passkey, a
// counter that did not go up, a wrong origin or relying party, a token of another app client, a
// credential made without user verification where the pool requires it.
import {
  CompleteWebAuthnRegistrationCommand,
  CreateUserPoolClientCommand,
  DeleteWebAuthnCredentialCommand,
  GetUserPoolMfaConfigCommand,
  InitiateAuthCommand,
  ListWebAuthnCredentialsCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  StartWebAuthnRegistrationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { accountHarness, failure } from './support/accountEmulator';
import { SoftAuthenticator, type CreationOptions, type RequestOptions } from './support/softAuthenticator';

const h = accountHarness();
const RP = 'example.com';
const ORIGIN = 'https://app.example.com';
const FLOWS: Array<'ALLOW_USER_AUTH' | 'ALLOW_REFRESH_TOKEN_AUTH'> = ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

interface Who {
  userPoolId: string;
  clientId: string;
  username: string;
  password: string;
}

/** A pool allowing PASSWORD and WEB_AUTHN first, with `rpId` as its relying party (null: none), and a user. */
async function pool(rpId: string | null = RP, factors: Array<'PASSWORD' | 'WEB_AUTHN'> = ['PASSWORD', 'WEB_AUTHN']): Promise<Who> {
  const made = h.pool({ explicitAuthFlows: FLOWS, userPool: { AutoVerifiedAttributes: ['email'], Policies: { SignInPolicy: { AllowedFirstAuthFactors: factors } } } });
  if (rpId !== null) await h.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: made.userPoolId, WebAuthnConfiguration: { RelyingPartyId: rpId } }));
  return made;
}

function another(s: Who, username: string): Who {
  h.emu.createUser({ userPoolId: s.userPoolId, username, password: s.password, attributes: { email: `${username}@example.com`, email_verified: 'true' } });
  return { ...s, username };
}

const initiate = (s: Who, params: Record<string, string> = {}) => h.sdk.send(new InitiateAuthCommand({ ClientId: s.clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: s.username, ...params } }));

async function accessToken(s: Who): Promise<string> {
  const out = await initiate(s, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: s.password });
  const token = out.AuthenticationResult!.AccessToken!;
  h.secrets.push(token);
  return token;
}

async function startRegistration(token: string): Promise<CreationOptions> {
  const out = await h.sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: token }));
  const options = out.CredentialCreationOptions as unknown as CreationOptions;
  h.secrets.push(options.challenge);
  return options;
}

/** A new passkey registered for `s` at `origin`. */
async function register(s: Who, origin = ORIGIN): Promise<{ key: SoftAuthenticator; token: string }> {
  const token = await accessToken(s);
  const key = new SoftAuthenticator();
  const credential = key.register(await startRegistration(token), origin);
  await h.sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: credential as never }));
  return { key, token };
}

/** USER_AUTH with WEB_AUTHN preferred: the Session and the request options. */
async function webAuthnChallenge(s: Who): Promise<{ session: string; options: RequestOptions }> {
  const out = await initiate(s, { PREFERRED_CHALLENGE: 'WEB_AUTHN' });
  expect(out.ChallengeName).toBe('WEB_AUTHN');
  const options = JSON.parse(out.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!) as RequestOptions;
  h.secrets.push(out.Session!, options.challenge);
  return { session: out.Session!, options };
}

const answer = (s: Who, session: string, credential: string) =>
  h.sdk.send(new RespondToAuthChallengeCommand({ ClientId: s.clientId, ChallengeName: 'WEB_AUTHN', Session: session, ChallengeResponses: { USERNAME: s.username, CREDENTIAL: credential } }));

const TOKENS = { AuthenticationResult: expect.objectContaining({ AccessToken: expect.any(String), IdToken: expect.any(String), RefreshToken: expect.any(String) }) };
const REFUSED = { name: 'NotAuthorizedException', message: 'The passkey could not be verified.' };

describe('the pool’s WebAuthnConfiguration', () => {
  test('SetUserPoolMfaConfig keeps RelyingPartyId and UserVerification; GetUserPoolMfaConfig answers them', async () => {
    const s = await pool(null);
    expect((await h.sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: s.userPoolId }))).WebAuthnConfiguration).toEqual({ UserVerification: 'preferred' });
    await h.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: s.userPoolId, WebAuthnConfiguration: { RelyingPartyId: RP, UserVerification: 'required' } }));
    expect((await h.sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: s.userPoolId }))).WebAuthnConfiguration).toEqual({ RelyingPartyId: RP, UserVerification: 'required' });
    expect(await failure(h.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: s.userPoolId, WebAuthnConfiguration: { RelyingPartyId: 'https://example.com/' } })))).toMatchObject({ name: 'InvalidParameterException' });
  });

  test('registration without WEB_AUTHN allowed, or without a relying party, is refused by name', async () => {
    const off = await pool(RP, ['PASSWORD']);
    expect(await failure(h.sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: await accessToken(off) })))).toMatchObject({ name: 'WebAuthnNotEnabledException' });
    const missing = await pool(null);
    expect(await failure(h.sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: await accessToken(missing) })))).toMatchObject({ name: 'WebAuthnConfigurationMissingException' });
  });
});

describe('registration', () => {
  test('Start → the creation options for the pool’s relying party; Complete → the passkey is listed', async () => {
    const s = await pool();
    const token = await accessToken(s);
    const options = await startRegistration(token);
    expect(options).toMatchObject({ rp: { id: RP }, user: { name: s.username }, pubKeyCredParams: expect.arrayContaining([{ type: 'public-key', alg: -7 }]), authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' } });
    const key = new SoftAuthenticator();
    await h.sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: key.register(options, ORIGIN) as never }));
    const listed = await h.sdk.send(new ListWebAuthnCredentialsCommand({ AccessToken: token }));
    expect(listed.Credentials).toEqual([
      { CredentialId: key.id, FriendlyCredentialName: 'Passkey 1', RelyingPartyId: RP, AuthenticatorAttachment: 'platform', AuthenticatorTransports: ['internal'], CreatedAt: new Date(h.clock) },
    ]);
    expect(listed.NextToken).toBeUndefined();
    // The next registration excludes the passkey the user has.
    expect((await startRegistration(token)).excludeCredentials).toEqual([{ type: 'public-key', id: key.id, transports: ['internal'] }]);
  });

  test('a registration is answered once: a second Complete finds no challenge', async () => {
    const s = await pool();
    const token = await accessToken(s);
    const credential = new SoftAuthenticator().register(await startRegistration(token), ORIGIN);
    await h.sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: credential as never }));
    expect(await failure(h.sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: credential as never })))).toMatchObject({ name: 'WebAuthnChallengeNotFoundException' });
  });

  test('an origin outside the relying party, plain http off localhost, or another relying party is refused, and nothing is stored', async () => {
    const s = await pool();
    const token = await accessToken(s);
    for (const origin of ['https://example.org', 'https://badexample.com', 'http://app.example.com']) {
      const credential = new SoftAuthenticator().register(await startRegistration(token), origin);
      expect(await failure(h.sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: credential as never })))).toMatchObject({ name: 'WebAuthnOriginNotAllowedException' });
    }
    const otherRp = new SoftAuthenticator().register(await startRegistration(token), ORIGIN, 'example.org');
    expect(await failure(h.sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: otherRp as never })))).toMatchObject({ name: 'WebAuthnRelyingPartyMismatchException' });
    const stale = new SoftAuthenticator().register({ challenge: Buffer.from('another challenge').toString('base64url'), rp: { id: RP } }, ORIGIN);
    await startRegistration(token);
    expect(await failure(h.sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: stale as never })))).toMatchObject({ name: 'WebAuthnChallengeNotFoundException' });
    expect((await h.sdk.send(new ListWebAuthnCredentialsCommand({ AccessToken: token }))).Credentials).toEqual([]);
  });

  test('a token of another app client than the Start’s is WebAuthnClientMismatchException', async () => {
    const s = await pool();
    const token = await accessToken(s);
    const created = await h.sdk.send(new CreateUserPoolClientCommand({ UserPoolId: s.userPoolId, ClientName: 'other', ExplicitAuthFlows: FLOWS }));
    const otherToken = await accessToken({ ...s, clientId: created.UserPoolClient!.ClientId! });
    const credential = new SoftAuthenticator().register(await startRegistration(token), ORIGIN);
    expect(await failure(h.sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: otherToken, Credential: credential as never })))).toMatchObject({ name: 'WebAuthnClientMismatchException' });
  });

  test('UserVerification required: a credential made without user verification is not accepted', async () => {
    const s = await pool();
    await h.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: s.userPoolId, WebAuthnConfiguration: { RelyingPartyId: RP, UserVerification: 'required' } }));
    const token = await accessToken(s);
    const options = await startRegistration(token);
    expect(options).toMatchObject({ authenticatorSelection: { userVerification: 'required' } });
    const credential = new SoftAuthenticator().register(options, ORIGIN, RP, false);
    expect(await failure(h.sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: credential as never })))).toMatchObject({ name: 'WebAuthnCredentialNotSupportedException' });
    expect((await h.sdk.send(new ListWebAuthnCredentialsCommand({ AccessToken: token }))).Credentials).toEqual([]);
  });

  test('http on localhost is allowed for a localhost relying party', async () => {
    const s = await pool('localhost');
    await register(s, 'http://localhost:5173');
    const token = await accessToken(s);
    expect((await h.sdk.send(new ListWebAuthnCredentialsCommand({ AccessToken: token }))).Credentials).toHaveLength(1);
  });
});

describe('sign-in with WEB_AUTHN', () => {
  test('offered once the user has a passkey; the assertion for the challenge → tokens', async () => {
    const s = await pool();
    expect((await initiate(s)).AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP']);
    const { key } = await register(s);
    const select = await initiate(s);
    h.secrets.push(select.Session!);
    expect(select.AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP', 'WEB_AUTHN']);
    const { session, options } = await webAuthnChallenge(s);
    expect(options).toMatchObject({ rpId: RP, allowCredentials: [{ type: 'public-key', id: key.id, transports: ['internal'] }], userVerification: 'preferred' });
    expect(await answer(s, session, key.assert(options, ORIGIN))).toMatchObject(TOKENS);
  });

  test.each(['shortS', 'shortR', 'shortRTopBitSet'] as const)('a signature of shape %s (r or s shorter than 32 bytes: about 1 in 128 of any authenticator’s) is accepted, @simplewebauthn/server 9.0.3 alone would refuse it; tampered, it is refused', async (shape) => {
    const s = await pool();
    const { key } = await register(s);
    const { session, options } = await webAuthnChallenge(s);
    expect(await answer(s, session, key.assert(options, ORIGIN, { signature: shape }))).toMatchObject(TOKENS);
    const next = await webAuthnChallenge(s);
    expect(await failure(answer(s, next.session, key.assert(next.options, ORIGIN, { signature: shape, tamper: true })), next.options.challenge)).toEqual(REFUSED);
  });

  test('chosen from SELECT_CHALLENGE', async () => {
    const s = await pool();
    const { key } = await register(s);
    const select = await initiate(s);
    h.secrets.push(select.Session!);
    const out = await h.sdk.send(new RespondToAuthChallengeCommand({ ClientId: s.clientId, ChallengeName: 'SELECT_CHALLENGE', Session: select.Session, ChallengeResponses: { USERNAME: s.username, ANSWER: 'WEB_AUTHN' } }));
    expect(out.ChallengeName).toBe('WEB_AUTHN');
    h.secrets.push(out.Session!);
    const options = JSON.parse(out.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!) as RequestOptions;
    expect(await answer(s, out.Session!, key.assert(options, ORIGIN))).toMatchObject(TOKENS);
  });

  test('a tampered signature is refused, and the session is used up', async () => {
    const s = await pool();
    const { key } = await register(s);
    const { session, options } = await webAuthnChallenge(s);
    expect(await failure(answer(s, session, key.assert(options, ORIGIN, { tamper: true })), options.challenge)).toEqual(REFUSED);
    expect(await failure(answer(s, session, key.assert(options, ORIGIN)))).toMatchObject({ name: 'NotAuthorizedException' });
  });

  test('a replayed challenge is refused: the same Session, or an old assertion on a new Session', async () => {
    const s = await pool();
    const { key } = await register(s);
    const first = await webAuthnChallenge(s);
    const assertion = key.assert(first.options, ORIGIN);
    expect(await answer(s, first.session, assertion)).toMatchObject(TOKENS);
    expect(await failure(answer(s, first.session, assertion))).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' });
    const second = await webAuthnChallenge(s);
    expect(await failure(answer(s, second.session, assertion), first.options.challenge)).toEqual(REFUSED);
  });

  test('a counter that does not go up is refused (a cloned authenticator)', async () => {
    const s = await pool();
    const { key } = await register(s);
    const first = await webAuthnChallenge(s);
    expect(await answer(s, first.session, key.assert(first.options, ORIGIN, { counter: 5 }))).toMatchObject(TOKENS);
    const second = await webAuthnChallenge(s);
    expect(await failure(answer(s, second.session, key.assert(second.options, ORIGIN, { counter: 5 })))).toEqual(REFUSED);
  });

  test('another user’s passkey is refused', async () => {
    const s = await pool();
    await register(s);
    const mallory = another(s, `${s.username}-mallory`);
    const { key: malloryKey } = await register(mallory);
    const { session, options } = await webAuthnChallenge(s);
    expect(await failure(answer(s, session, malloryKey.assert(options, ORIGIN)))).toEqual(REFUSED);
  });

  test('a wrong origin or relying party is refused by name', async () => {
    const s = await pool();
    const { key } = await register(s);
    const wrongOrigin = await webAuthnChallenge(s);
    expect(await failure(answer(s, wrongOrigin.session, key.assert(wrongOrigin.options, 'https://example.net')))).toMatchObject({ name: 'WebAuthnOriginNotAllowedException' });
    const wrongRp = await webAuthnChallenge(s);
    expect(await failure(answer(s, wrongRp.session, key.assert(wrongRp.options, ORIGIN, { rpId: 'example.net' })))).toMatchObject({ name: 'WebAuthnRelyingPartyMismatchException' });
  });
});

describe('DeleteWebAuthnCredential', () => {
  test('the passkey is gone from the list and from sign-in; an unknown id is ResourceNotFoundException', async () => {
    const s = await pool();
    const { key, token } = await register(s);
    const { session, options } = await webAuthnChallenge(s);
    await h.sdk.send(new DeleteWebAuthnCredentialCommand({ AccessToken: token, CredentialId: key.id }));
    expect((await h.sdk.send(new ListWebAuthnCredentialsCommand({ AccessToken: token }))).Credentials).toEqual([]);
    expect(await failure(answer(s, session, key.assert(options, ORIGIN)))).toEqual(REFUSED);
    expect((await initiate(s)).AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP']);
    expect(await failure(h.sdk.send(new DeleteWebAuthnCredentialCommand({ AccessToken: token, CredentialId: key.id })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
