// associateWebAuthnCredential(), listWebAuthnCredentials() and deleteWebAuthnCredential()
// (authchart/account) end to end over HTTP against the emulator, through both transports, with a
// software authenticator as createAccount's `webAuthn` (support/softWebAuthn.ts): the emulator
// verifies each credential with @simplewebauthn/server. Covered: registration, pages, deletion;
// each ceremony fact as its typed error with nothing sent after it; Cognito's WebAuthn refusals by
// name; hostile credentials (tampered, replayed, another user's) refused with nothing stored; the
// app's step-up (maxSignInAgeSeconds); nobody signed in; one step at a time; bad arguments; the
// browser's default authenticator where there is no WebAuthn (Node); and no token, challenge or
// credential anywhere observable.
import { SetUserPoolMfaConfigCommand, StartWebAuthnRegistrationCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createAccount } from '../src/account/index';
import { AuthConfigError, AuthStateError, AuthValidationError, CognitoServiceError } from '../src/index';
import { accountHarness } from './support/accountEmulator';
import { accountApp, type AccountApp, type Transport } from './support/accountApp';
import { SoftAuthenticator, type CreationOptions } from './support/softAuthenticator';
import { softWebAuthn, type SoftWebAuthn } from './support/softWebAuthn';

const h = accountHarness();
// The library reads token expiry on the real clock: the emulator's starts there, and moves from there.
h.clock = Date.now();

const ORIGIN = 'http://localhost';

/** A pool allowing PASSWORD and WEB_AUTHN first, with `rpId` as its relying party (null: none), and a user. */
async function pool(rpId: string | null = 'localhost', factors: Array<'PASSWORD' | 'WEB_AUTHN'> = ['PASSWORD', 'WEB_AUTHN']) {
  const made = h.pool({ userPool: { AutoVerifiedAttributes: ['email'], Policies: { SignInPolicy: { AllowedFirstAuthFactors: factors } } } });
  if (rpId !== null) await h.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: made.userPoolId, WebAuthnConfiguration: { RelyingPartyId: rpId } }));
  return made;
}

/** A signed-in app over `made` whose authenticator is `key` (a new software one by default). */
async function signedIn(made: Awaited<ReturnType<typeof pool>>, transport: Transport = 'fetch', key: SoftWebAuthn = softWebAuthn(ORIGIN)) {
  const app = accountApp(h, made, { transport, account: { webAuthn: key, now: () => h.clock } });
  await app.auth.signIn({ username: made.username, password: made.password });
  return { app, key };
}

/** The operations the emulator received since `from`. */
const sentSince = (from: number) => h.emu.requests.slice(from).map((r) => r.operation);

/** Everything secret of a passkey ceremony: each challenge the authenticator was given, each credential's proof, and the tokens. */
async function secretsOf(app: AccountApp, key: SoftWebAuthn): Promise<string[]> {
  const { tokens } = await app.auth.getSession();
  const proofs = key.answers.flatMap((answer) => Object.values(answer.response as Record<string, unknown>).filter((v): v is string => typeof v === 'string'));
  return [...key.seen.map((options) => String(options.challenge)), ...proofs, ...(tokens ? [tokens.accessToken, tokens.idToken ?? '', tokens.refreshToken ?? ''] : []), ...h.secrets];
}

const failureOf = (promise: Promise<unknown>) => promise.then(() => new Error('expected a failure'), (e: unknown) => e as Error);

describe.each<Transport>(['fetch', 'sdk'])('over %s', (transport) => {
  test('associateWebAuthnCredential → listWebAuthnCredentials (Amplify’s shape, pages) → deleteWebAuthnCredential; nothing secret observable', async () => {
    const made = await pool();
    const { app, key } = await signedIn(made, transport);
    const mark = h.emu.requests.length;
    const first = await app.settle(app.account.associateWebAuthnCredential());
    expect(first).toEqual({ credentialId: key.keys[0]!.id });
    expect(sentSince(mark)).toEqual(['StartWebAuthnRegistration', 'CompleteWebAuthnRegistration']);
    // A second authenticator of the same user (the first one's passkey is excluded, not this one).
    const other = softWebAuthn(ORIGIN);
    const second = await createAccount(app.auth, { webAuthn: other }).associateWebAuthnCredential();
    expect(second).toEqual({ credentialId: other.keys[0]!.id });

    const all = await app.settle(app.account.listWebAuthnCredentials());
    expect(all).toEqual({
      credentials: [
        { credentialId: key.keys[0]!.id, friendlyCredentialName: 'Passkey 1', relyingPartyId: 'localhost', authenticatorAttachment: 'platform', authenticatorTransports: ['internal'], createdAt: new Date(h.clock) },
        expect.objectContaining({ credentialId: other.keys[0]!.id, friendlyCredentialName: 'Passkey 2' }),
      ],
    });
    const page = await app.account.listWebAuthnCredentials({ pageSize: 1 });
    expect(page).toEqual({ credentials: [expect.objectContaining({ credentialId: key.keys[0]!.id })], nextToken: expect.any(String) });
    const next = await app.account.listWebAuthnCredentials({ pageSize: 1, nextToken: page.nextToken! });
    expect(next).toEqual({ credentials: [expect.objectContaining({ credentialId: other.keys[0]!.id })] });

    await expect(app.settle(app.account.deleteWebAuthnCredential({ credentialId: key.keys[0]!.id }))).resolves.toBeUndefined();
    expect((await app.account.listWebAuthnCredentials()).credentials.map((k) => k.credentialId)).toEqual([other.keys[0]!.id]);
    const gone = await app.settle(app.account.deleteWebAuthnCredential({ credentialId: key.keys[0]!.id }));
    expect(gone).toBeInstanceOf(CognitoServiceError);
    expect(gone).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(app.leaked([...(await secretsOf(app, key)), ...(await secretsOf(app, other))])).toEqual([]);
    await app.stop();
  });

  test('the ceremony’s facts are typed errors, and nothing is sent after a ceremony that did not happen: declined, already registered, relying party not this origin', async () => {
    const made = await pool();
    const { app, key } = await signedIn(made, transport);
    key.declineNext();
    let mark = h.emu.requests.length;
    const declined = await app.settle(app.account.associateWebAuthnCredential());
    expect(declined).toBeInstanceOf(AuthStateError);
    expect(declined).toMatchObject({ name: 'PasskeyCancelled' });
    expect(sentSince(mark)).toEqual(['StartWebAuthnRegistration']);

    await app.account.associateWebAuthnCredential();
    mark = h.emu.requests.length;
    const again = await app.settle(app.account.associateWebAuthnCredential());
    expect(again).toMatchObject({ name: 'PasskeyAlreadyRegistered' });
    expect(sentSince(mark)).toEqual(['StartWebAuthnRegistration']);

    // The page is on another site than the pool's relying party: the browser refuses before any prompt.
    const elsewhere = createAccount(app.auth, { webAuthn: softWebAuthn('https://shop.example.org') });
    mark = h.emu.requests.length;
    expect(await failureOf(elsewhere.associateWebAuthnCredential())).toMatchObject({ name: 'PasskeyRelyingPartyNotThisOrigin', message: expect.stringContaining('relying party') });
    expect(sentSince(mark)).toEqual(['StartWebAuthnRegistration']);
    expect((await app.account.listWebAuthnCredentials()).credentials).toHaveLength(1);
    expect(app.leaked(await secretsOf(app, key))).toEqual([]);
    await app.stop();
  });

  test('Cognito’s WebAuthn refusals reach the app by name: not enabled, configuration missing, an origin the relying party does not allow', async () => {
    const off = await signedIn(await pool('localhost', ['PASSWORD']), transport);
    expect(await failureOf(off.app.account.associateWebAuthnCredential())).toMatchObject({ name: 'WebAuthnNotEnabledException' });
    await off.app.stop();
    const missing = await signedIn(await pool(null), transport);
    expect(await failureOf(missing.app.account.associateWebAuthnCredential())).toMatchObject({ name: 'WebAuthnConfigurationMissingException' });
    await missing.app.stop();
    // The browser allows http://app.example.com for example.com; Cognito wants https.
    const insecure = await signedIn(await pool('example.com'), transport, softWebAuthn('http://app.example.com'));
    const refused = await failureOf(insecure.app.account.associateWebAuthnCredential());
    expect(refused).toBeInstanceOf(CognitoServiceError);
    expect(refused).toMatchObject({ name: 'WebAuthnOriginNotAllowedException' });
    expect((await insecure.app.account.listWebAuthnCredentials()).credentials).toEqual([]);
    await insecure.app.stop();
  });
});

describe('hostile credentials are refused by name, and nothing is stored', () => {
  test('a tampered credential (its clientDataJSON names another challenge)', async () => {
    const { app, key } = await signedIn(await pool());
    key.hostile = (_options, honest) => {
      const response = honest.response as Record<string, string>;
      const clientData = JSON.parse(Buffer.from(response.clientDataJSON!, 'base64url').toString()) as Record<string, string>;
      clientData.challenge = Buffer.from('another challenge').toString('base64url');
      return { ...honest, response: { ...response, clientDataJSON: Buffer.from(JSON.stringify(clientData)).toString('base64url') } };
    };
    expect(await failureOf(app.account.associateWebAuthnCredential())).toMatchObject({ name: 'WebAuthnChallengeNotFoundException' });
    expect((await app.account.listWebAuthnCredentials()).credentials).toEqual([]);
    await app.stop();
  });

  test('a replayed credential (an earlier registration’s, accepted once)', async () => {
    const { app, key } = await signedIn(await pool());
    await app.account.associateWebAuthnCredential();
    const accepted = key.answers[0]!;
    // Delete it, then let a hostile authenticator answer the next registration with the old credential.
    await app.account.deleteWebAuthnCredential({ credentialId: key.keys[0]!.id });
    key.hostile = () => accepted;
    expect(await failureOf(app.account.associateWebAuthnCredential())).toMatchObject({ name: 'WebAuthnChallengeNotFoundException' });
    expect((await app.account.listWebAuthnCredentials()).credentials).toEqual([]);
    await app.stop();
  });

  test('a credential of another user: one made for another user’s registration, and another user’s passkey', async () => {
    const made = await pool();
    const alice = await signedIn(made);
    await alice.app.account.associateWebAuthnCredential();
    h.emu.createUser({ userPoolId: made.userPoolId, username: 'bob', password: made.password, attributes: { email: 'bob@example.com', email_verified: 'true' } });
    const bob = await signedIn({ ...made, username: 'bob' });
    // Alice's pending registration, answered by an authenticator, posted as Bob's.
    const aliceToken = (await alice.app.auth.getSession()).tokens!.accessToken;
    const aliceOptions = (await h.sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: aliceToken }))).CredentialCreationOptions as unknown as CreationOptions;
    bob.key.hostile = () => new SoftAuthenticator().register(aliceOptions, ORIGIN);
    expect(await failureOf(bob.app.account.associateWebAuthnCredential())).toMatchObject({ name: 'WebAuthnChallengeNotFoundException' });
    // Alice's own passkey (her key), registered again for Bob's challenge.
    bob.key.hostile = (bobOptions) => alice.key.keys[0]!.register(bobOptions, ORIGIN);
    expect(await failureOf(bob.app.account.associateWebAuthnCredential())).toMatchObject({ name: 'InvalidParameterException' });
    expect((await bob.app.account.listWebAuthnCredentials()).credentials).toEqual([]);
    expect((await alice.app.account.listWebAuthnCredentials()).credentials.map((k) => k.credentialId)).toEqual([alice.key.keys[0]!.id]);
    await Promise.all([alice.app.stop(), bob.app.stop()]);
  });
});

test('maxSignInAgeSeconds: a sign-in older than that is RecentSignInRequired with nothing sent; a recent one registers', async () => {
  const made = await pool();
  const { app } = await signedIn(made);
  // One passkey per authenticator: each registration here is on a new device.
  const device = () => createAccount(app.auth, { webAuthn: softWebAuthn(ORIGIN), now: () => h.clock });
  await expect(device().associateWebAuthnCredential({ maxSignInAgeSeconds: 300 })).resolves.toEqual({ credentialId: expect.any(String) });
  h.clock += 10 * 60_000;
  const mark = h.emu.requests.length;
  const old = await failureOf(device().associateWebAuthnCredential({ maxSignInAgeSeconds: 300 }));
  expect(old).toBeInstanceOf(AuthStateError);
  expect(old).toMatchObject({ name: 'RecentSignInRequired' });
  expect(sentSince(mark)).toEqual([]);
  // Without the rule, Cognito registers for any valid token, however old the sign-in.
  await expect(device().associateWebAuthnCredential()).resolves.toEqual({ credentialId: expect.any(String) });
  await app.auth.signOut();
  await app.auth.signIn({ username: made.username, password: made.password });
  await expect(device().associateWebAuthnCredential({ maxSignInAgeSeconds: 300 })).resolves.toEqual({ credentialId: expect.any(String) });
  expect((await app.account.listWebAuthnCredentials()).credentials).toHaveLength(3);
  await app.stop();
});

test('nobody signed in: each call is UserUnAuthenticatedException, and nothing is sent', async () => {
  const app = accountApp(h, await pool(), { account: { webAuthn: softWebAuthn(ORIGIN) } });
  const mark = h.emu.requests.length;
  for (const call of [() => app.account.associateWebAuthnCredential(), () => app.account.associateWebAuthnCredential({ maxSignInAgeSeconds: 60 }), () => app.account.listWebAuthnCredentials(), () => app.account.deleteWebAuthnCredential({ credentialId: 'abc' })]) {
    const error = await failureOf(call());
    expect(error).toBeInstanceOf(AuthStateError);
    expect(error).toMatchObject({ name: 'UserUnAuthenticatedException' });
  }
  expect(sentSince(mark)).toEqual([]);
  await app.stop();
});

test('one step at a time: every call while the user is at the passkey prompt is AccountStepInProgress, and one passkey is made', async () => {
  const { app, key } = await signedIn(await pool());
  let release!: () => void;
  const prompt = new Promise<void>((resolve) => (release = resolve));
  const create = key.create.bind(key);
  key.create = async (options, how) => (await prompt, create(options, how));
  const first = app.account.associateWebAuthnCredential();
  const calls = [app.account.associateWebAuthnCredential(), app.account.listWebAuthnCredentials(), app.account.deleteWebAuthnCredential({ credentialId: 'abc' })].map(failureOf);
  for (const call of calls) expect(await call).toMatchObject({ name: 'AccountStepInProgress' });
  release();
  await expect(first).resolves.toEqual({ credentialId: expect.any(String) });
  expect((await app.account.listWebAuthnCredentials()).credentials).toHaveLength(1);
  await app.stop();
});

test('bad arguments are AuthValidationError naming the field, nothing sent; a webAuthn that is not a client is AuthConfigError', async () => {
  const { app } = await signedIn(await pool());
  const mark = h.emu.requests.length;
  await expect(app.account.associateWebAuthnCredential({ maxSignInAgeSeconds: 0 })).rejects.toMatchObject({ field: 'maxSignInAgeSeconds' });
  await expect(app.account.associateWebAuthnCredential({ maxSignInAgeSeconds: 1.5 })).rejects.toBeInstanceOf(AuthValidationError);
  await expect(app.account.associateWebAuthnCredential('now' as never)).rejects.toBeInstanceOf(AuthValidationError);
  await expect(app.account.listWebAuthnCredentials({ pageSize: 21 })).rejects.toMatchObject({ field: 'pageSize' });
  await expect(app.account.listWebAuthnCredentials({ nextToken: '' })).rejects.toMatchObject({ field: 'nextToken' });
  await expect(app.account.deleteWebAuthnCredential(undefined as never)).rejects.toBeInstanceOf(AuthValidationError);
  await expect(app.account.deleteWebAuthnCredential({ credentialId: ' ' })).rejects.toMatchObject({ field: 'credentialId' });
  expect(sentSince(mark)).toEqual([]);
  expect(() => createAccount(app.auth, { webAuthn: {} as never })).toThrow(AuthConfigError);
  expect(() => createAccount(app.auth, { webAuthn: { get: () => null } as never })).toThrow(expect.objectContaining({ field: 'webAuthn' }));
  await app.stop();
});

test('without its own webAuthn, createAccount uses createAuth’s', async () => {
  const made = await pool();
  const key = softWebAuthn(ORIGIN);
  const app = accountApp(h, made, { config: { webAuthn: key } });
  await app.auth.signIn({ username: made.username, password: made.password });
  const associated = await app.account.associateWebAuthnCredential();
  expect(associated).toEqual({ credentialId: key.keys[0]!.id });
  await app.stop();
});

test('the default authenticator is the browser’s, loaded only as a ceremony begins: where there is no WebAuthn (Node) it is PasskeyNotSupported, after StartWebAuthnRegistration alone', async () => {
  const made = await pool();
  const app = accountApp(h, made);
  await app.auth.signIn({ username: made.username, password: made.password });
  const mark = h.emu.requests.length;
  const error = await failureOf(app.account.associateWebAuthnCredential());
  expect(error).toBeInstanceOf(AuthStateError);
  expect(error).toMatchObject({ name: 'PasskeyNotSupported', message: expect.stringContaining('webAuthn') });
  expect(sentSince(mark)).toEqual(['StartWebAuthnRegistration']);
  await app.stop();
});
