// The revocation list (authchart/server) with its in-process store: its policy as pure functions,
// then over real HTTP against the emulator: local and global sign-outs, the same-second case
// decided by Cognito, revalidation catching an unannounced sign-out, and revocationCheck as
// aws-jwt-verify's customJwtCheck.
import { createHash } from 'node:crypto';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { announcementVerdict, nextUserInstant, sessionStartOf, verdictOf } from '../machines/revocation/policy';
import { createFetchCognito } from '../services/cognito/fetchTransport';
import { readJwtClaims } from '../services/encoding/jwt';
import { hashIdentifier } from '../services/server/store';
import { createRevocationEndpoint, createRevocationList, memoryRevocationStore, revocationCheck, RevocationUnavailableError, TokenRevokedError, withRevocation } from '../src/server/index';
import { startPool, type Pool } from './support/revocation';

const claims = (token: string) => readJwtClaims(token)!;

/** The reason a check refused with, or 'accepted'. */
function outcomeOf(run: () => void): string {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return error instanceof TokenRevokedError ? error.reason : String(error);
  }
}
async function outcomeOfAsync(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'accepted';
  } catch (error) {
    if (error instanceof TokenRevokedError) return error.reason;
    if (error instanceof RevocationUnavailableError) return 'unavailable';
    return `${(error as Error).name}`;
  }
}

describe('the policy (machines/revocation/policy.ts)', () => {
  test('a session entry refuses; a user entry refuses an earlier session, asks about the same second, accepts a later one', () => {
    expect(verdictOf({ auth_time: 100 }, { sessionRevoked: true, userSignedOutAt: undefined })).toEqual({ kind: 'refuse', reason: 'session' });
    expect(verdictOf({ auth_time: 99 }, { sessionRevoked: false, userSignedOutAt: 100 })).toEqual({ kind: 'refuse', reason: 'user' });
    expect(verdictOf({ auth_time: 100 }, { sessionRevoked: false, userSignedOutAt: 100 })).toEqual({ kind: 'ask' });
    expect(verdictOf({ auth_time: 101 }, { sessionRevoked: false, userSignedOutAt: 100 })).toEqual({ kind: 'accept' });
    expect(verdictOf({}, { sessionRevoked: false, userSignedOutAt: 100 })).toEqual({ kind: 'refuse', reason: 'user' });
    expect(verdictOf({ auth_time: 1 }, { sessionRevoked: false, userSignedOutAt: undefined })).toEqual({ kind: 'accept' });
  });

  test("a session's start is auth_time (a refresh after a global sign-out cannot revive an older session), else iat", () => {
    expect(sessionStartOf({ auth_time: 100, iat: 200 })).toBe(100);
    expect(sessionStartOf({ iat: 200.7 })).toBe(200);
    expect(verdictOf({ auth_time: 99, iat: 150 }, { sessionRevoked: false, userSignedOutAt: 100 })).toEqual({ kind: 'refuse', reason: 'user' });
  });

  test("a user's instant only moves forward; a covered token announces nothing", () => {
    expect(nextUserInstant(undefined, 5)).toBe(5);
    expect(nextUserInstant(10, 5)).toBe(10);
    expect(nextUserInstant(10, 10)).toBe(10);
    expect(nextUserInstant(10, 11)).toBe(11);
    expect(announcementVerdict({ kind: 'refuse', reason: 'user' })).toBe('covered');
    expect(announcementVerdict({ kind: 'ask' })).toBe('ask');
    expect(announcementVerdict({ kind: 'accept' })).toBe('record');
  });
});

test("an identifier's key is the SHA-256 hex of '<kind>:<id>', whichever of crypto.hash or createHash computes it (keys already in Redis keep matching)", () => {
  for (const [kind, id] of [['session', 'a1b2c3d4-0000-4000-8000-000000000000'], ['user', 'sub-é-ü'], ['session', '']] as const) {
    expect(hashIdentifier(kind, id)).toBe(createHash('sha256').update(`${kind}:${id}`).digest('hex'));
  }
});

describe('against the emulator', () => {
  // One clock for the emulator and the lists: real time (so aws-jwt-verify accepts exp), moved by hand.
  const base = Math.floor(Date.now() / 1000) * 1000 - 60_000;
  let offset = 0;
  const now = () => base + offset;
  let p: Pool;

  beforeAll(async () => {
    p = await startPool({ now });
  });
  afterAll(() => p.emu.close());
  beforeEach(() => {
    offset += 10_000;
  });

  test('a local sign-out refuses that session’s tokens, refreshed ones too; the user’s other session is served', async () => {
    const list = createRevocationList({ cognito: p.cognito, now });
    const a = await p.signIn();
    const b = await p.signIn();
    expect(await list.announce('session', a.accessToken, claims(a.accessToken))).toBe('recorded');
    const refreshed = await createFetchCognito({ region: p.emu.region, endpoint: p.emu.endpoint, clientId: p.pool.clientId }).refreshTokens(a.refreshToken, p.pool.username);
    expect(claims(refreshed.accessToken).origin_jti).toBe(claims(a.accessToken).origin_jti);
    expect(outcomeOf(() => list.check(claims(a.accessToken)))).toBe('session');
    expect(outcomeOf(() => list.check(claims(refreshed.accessToken)))).toBe('session');
    expect(outcomeOf(() => list.check(claims(b.accessToken)))).toBe('accepted');
    // Announced again: nothing changes.
    expect(await list.announce('session', a.accessToken, claims(a.accessToken))).toBe('covered');
  });

  test('a global sign-out refuses every token of the user issued before it; a sign-in afterwards is served; a replay never moves the instant', async () => {
    const list = createRevocationList({ cognito: p.cognito, now });
    const a = await p.signIn();
    const b = await p.signIn();
    offset += 2000;
    expect(await list.announce('user', a.accessToken, claims(a.accessToken))).toBe('recorded');
    expect(outcomeOf(() => list.check(claims(a.accessToken)))).toBe('user');
    expect(outcomeOf(() => list.check(claims(b.accessToken)))).toBe('user');
    offset += 2000;
    const c = await p.signIn();
    expect(outcomeOf(() => list.check(claims(c.accessToken)))).toBe('accepted');
    // A replay of the old announcement (or any older token) is covered: the later session stays valid.
    offset += 2000;
    expect(await list.announce('user', a.accessToken, claims(a.accessToken))).toBe('covered');
    expect(await list.announce('user', b.accessToken, claims(b.accessToken))).toBe('covered');
    expect(outcomeOf(() => list.check(claims(c.accessToken)))).toBe('accepted');
  });

  test('a token of the same second as a global sign-out is decided by Cognito (GetUser), and the answer is kept', async () => {
    const list = createRevocationList({ cognito: p.cognito, now });
    const verifier = withRevocation(p.verifier(), list);
    offset += 1000 - (now() % 1000); // the start of a second: all below happens within it
    const before = await p.signIn();
    // GlobalSignOut at Cognito, in the same second, then a new sign-in in that second.
    offset += 300;
    await createFetchCognito({ region: p.emu.region, endpoint: p.emu.endpoint, clientId: p.pool.clientId }).globalSignOut(before.accessToken);
    offset += 300;
    const after = await p.signIn();
    expect(Math.floor(now() / 1000)).toBe(claims(before.accessToken).auth_time);
    expect(await list.announce('user', before.accessToken, claims(before.accessToken))).toBe('recorded');
    // list.check alone cannot tell: it refuses both.
    expect(outcomeOf(() => list.check(claims(before.accessToken)))).toBe('user');
    expect(outcomeOf(() => list.check(claims(after.accessToken)))).toBe('user');
    p.emu.resetRequests();
    expect(await outcomeOfAsync(() => verifier.verify(before.accessToken))).toBe('cognito');
    expect(await outcomeOfAsync(() => verifier.verify(after.accessToken))).toBe('accepted');
    expect(await outcomeOfAsync(() => verifier.verify(after.accessToken))).toBe('accepted');
    expect(p.emu.requests.filter((r) => r.operation === 'GetUser')).toHaveLength(2);
    // Cognito's answers are kept: the revoked session has an entry, the valid one is known.
    expect(outcomeOf(() => list.check(claims(before.accessToken)))).toBe('session');
    expect(outcomeOf(() => list.check(claims(after.accessToken)))).toBe('accepted');
  });

  test('a revalidation answer given before a global sign-out does not settle the same-second case: Cognito is asked again', async () => {
    const list = createRevocationList({ cognito: p.cognito, now, revalidateAfterMs: 60_000 });
    const verifier = withRevocation(p.verifier(), list);
    offset += 1000 - (now() % 1000); // the start of a second: all below happens within it
    const a = await p.signIn();
    offset += 200;
    expect(await outcomeOfAsync(() => verifier.verify(a.accessToken))).toBe('accepted'); // revalidated: valid
    offset += 200;
    await createFetchCognito({ region: p.emu.region, endpoint: p.emu.endpoint, clientId: p.pool.clientId }).globalSignOut(a.accessToken);
    const b = await p.signIn();
    expect(await list.announce('user', b.accessToken, claims(b.accessToken))).toBe('recorded');
    expect(Math.floor(now() / 1000)).toBe(claims(a.accessToken).auth_time);
    expect(await outcomeOfAsync(() => verifier.verify(a.accessToken))).toBe('cognito');
  });

  test('the same-second case when Cognito cannot be asked: refused as unavailable, never accepted', async () => {
    const list = createRevocationList({ cognito: p.cognito, now, cognitoTimeoutMs: 500 });
    const verifier = withRevocation(p.verifier(), list);
    const a = await p.signIn();
    await list.announce('user', a.accessToken, claims(a.accessToken));
    p.emu.faults.set('GetUser', { type: 'httpStatus', status: 503 });
    try {
      expect(await outcomeOfAsync(() => verifier.verify(a.accessToken))).toBe('unavailable');
    } finally {
      p.emu.faults.clear();
    }
  });

  test('revalidateAfterMs: an unannounced sign-out (RevokeToken elsewhere) is caught once the interval is due; one GetUser per session per interval, shared by lists on one store', async () => {
    const store = memoryRevocationStore({ now });
    const one = createRevocationList({ cognito: p.cognito, now, store, revalidateAfterMs: 60_000 });
    const two = createRevocationList({ cognito: p.cognito, now, store, revalidateAfterMs: 60_000 });
    const jwt = p.verifier();
    const [v1, v2] = [withRevocation(jwt, one), withRevocation(jwt, two)];
    const a = await p.signIn();
    p.emu.resetRequests();
    expect(await outcomeOfAsync(() => v1.verify(a.accessToken))).toBe('accepted');
    expect(await outcomeOfAsync(() => v2.verify(a.accessToken))).toBe('accepted');
    expect(p.emu.requests.filter((r) => r.operation === 'GetUser')).toHaveLength(1);
    // Signed out where no list hears of it.
    await createFetchCognito({ region: p.emu.region, endpoint: p.emu.endpoint, clientId: p.pool.clientId }).revokeToken(a.refreshToken);
    offset += 30_000;
    expect(await outcomeOfAsync(() => v2.verify(a.accessToken))).toBe('accepted');
    offset += 31_000;
    expect(await outcomeOfAsync(() => v2.verify(a.accessToken))).toBe('cognito');
    expect(p.emu.requests.filter((r) => r.operation === 'GetUser')).toHaveLength(2);
    // Now an entry: the other list refuses without asking.
    expect(outcomeOf(() => one.check(claims(a.accessToken)))).toBe('session');
    expect(p.emu.requests.filter((r) => r.operation === 'GetUser')).toHaveLength(2);
  });

  test('revocationCheck is a customJwtCheck: aws-jwt-verify refuses a revoked token with TokenRevokedError', async () => {
    const list = createRevocationList({ cognito: p.cognito, now });
    const { userPoolId, clientId } = p.pool;
    const verifier = CognitoJwtVerifier.create({ userPoolId, tokenUse: 'access', clientId, customJwtCheck: revocationCheck(list) });
    verifier.cacheJwks(p.emu.jwks(userPoolId));
    const a = await p.signIn();
    expect(claims(a.accessToken).iss).toBe(`https://cognito-idp.${p.emu.region}.amazonaws.com/${userPoolId}`); // Cognito's own issuer: the verifier runs unchanged
    await expect(verifier.verify(a.accessToken)).resolves.toMatchObject({ sub: expect.any(String) });
    await list.announce('session', a.accessToken, claims(a.accessToken));
    await expect(verifier.verify(a.accessToken)).rejects.toBeInstanceOf(TokenRevokedError);
    expect(() => verifier.verifySync(a.accessToken)).toThrow(TokenRevokedError);
  });

  test('an announcement from a token of the same second as the user’s instant: Cognito decides whether it may still announce', async () => {
    const list = createRevocationList({ cognito: p.cognito, now });
    offset += 1000 - (now() % 1000); // the start of a second: all below happens within it
    const first = await p.signIn();
    const transport = createFetchCognito({ region: p.emu.region, endpoint: p.emu.endpoint, clientId: p.pool.clientId });
    await transport.globalSignOut(first.accessToken);
    offset += 100;
    const after = await p.signIn();
    expect(await list.announce('user', first.accessToken, claims(first.accessToken))).toBe('recorded');
    const instant = Math.floor(now() / 1000);
    expect([claims(first.accessToken).auth_time, claims(after.accessToken).auth_time]).toEqual([instant, instant]);
    // The revoked one announces nothing; the one signed in after the sign-out may end its own session.
    expect(await list.announce('session', first.accessToken, claims(first.accessToken))).toBe('covered');
    expect(await list.announce('session', after.accessToken, claims(after.accessToken))).toBe('recorded');
    expect(outcomeOf(() => list.check(claims(after.accessToken)))).toBe('session');
  });

  test('the types fit aws-jwt-verify as documented: CognitoJwtVerifier in withRevocation, revocationCheck and the endpoint', () => {
    const list = createRevocationList({ cognito: p.cognito });
    const options = { userPoolId: 'us-east-1_AbC123', tokenUse: 'access', clientId: 'client' } as const;
    const wrapped = withRevocation(CognitoJwtVerifier.create(options), list);
    const checked = CognitoJwtVerifier.create({ ...options, customJwtCheck: revocationCheck(list) });
    const endpoint = createRevocationEndpoint({ list, verifier: CognitoJwtVerifier.create(options) });
    expect([typeof wrapped.verify, typeof checked.verify, typeof endpoint]).toEqual(['function', 'function', 'function']);
  });

  test('entries live the access-token lifetime, then are gone', async () => {
    const list = createRevocationList({ cognito: p.cognito, now, store: memoryRevocationStore({ now }), accessTokenLifetimeSeconds: 5 });
    const a = await p.signIn();
    await list.announce('session', a.accessToken, claims(a.accessToken));
    expect(outcomeOf(() => list.check(claims(a.accessToken)))).toBe('session');
    offset += 5_000;
    expect(outcomeOf(() => list.check(claims(a.accessToken)))).toBe('accepted');
  });
});
