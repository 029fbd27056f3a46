// Narrow unit tests of the services' pure parts: error classification, redaction, the token store,
// and how one provided machine finds each instance's services.
import * as errors from '../src/errors';
import { tokenFacts } from '../services/encoding/tokenFacts';
import { toCognitoCallError } from '../services/cognito/errors';
import { MAX_SERVER_MESSAGE_LENGTH, redact } from '../services/encoding/redact';
import { isRetryable as isRetryableFailure, RETRYABLE_FAILURES } from '../machines/errorInfo';
import { createMemoryStorage } from '../services/storage/storage';
import { createTokenStore, summarizeSession, UnstoredError } from '../services/storage/tokenStore';
import { saveOrReport } from '../services/actors/saveOrReport';
import { lazyKit } from '../services/actors/lazyKit';
import { secretHash } from '../services/crypto/secretHash';
import { onFirstUse } from '../services/cognito/onFirstUse';
import { createHmac } from 'node:crypto';
import { createActor, toPromise } from 'xstate';
import { signOutMachine } from '../machines/signOutMachine';
import { createServiceRegistry } from '../services/actors/registry';
import { createSignOutActors, type SignOutServices } from '../services/actors/signOutActors';
import { createSignOutOutbox } from '../services/storage/signOutOutbox';
import { createSecretVault } from '../services/storage/secretVault';
import type { SignOutInput } from '../machines/signOutMachine';

const jwt = (claims: object) => `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;

describe('toCognitoCallError', () => {
  test('a Cognito exception keeps its name; secrets sent in the call are cut from the message', () => {
    const error = Object.assign(new Error('token abcdefgh12345 is bad'), { name: 'NotAuthorizedException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
    expect(toCognitoCallError(error, 'RevokeToken', ['abcdefgh12345'])).toMatchObject({ name: 'NotAuthorizedException', message: 'token [redacted] is bad' });
  });

  test('an abort for a deadline is a TimeoutError; another abort stays an AbortError', () => {
    const timedOut = new AbortController();
    timedOut.abort(new DOMException('deadline', 'TimeoutError'));
    const aborted = new AbortController();
    aborted.abort();
    const error = Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    expect(toCognitoCallError(error, 'GlobalSignOut', [], timedOut.signal).name).toBe('TimeoutError');
    expect(toCognitoCallError(error, 'GlobalSignOut', [], aborted.signal).name).toBe('AbortError');
  });

  test('the SDK calls a reset "TimeoutError"; with a socket code it is a NetworkError', () => {
    const error = Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' });
    expect(toCognitoCallError(error, 'RevokeToken', []).name).toBe('NetworkError');
  });

  test('a socket error wrapped across realms is still recognised from its text', () => {
    expect(toCognitoCallError(new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:9'), 'RevokeToken', []).name).toBe('NetworkError');
  });

  test('an undecodable body is an UnexpectedResponse naming the HTTP status, without echoing the body', () => {
    const error = Object.assign(new SyntaxError('Unexpected token < in "<html>secret page"'), { $metadata: { httpStatusCode: 503 } });
    const mapped = toCognitoCallError(error, 'RevokeToken', []);
    expect(mapped).toMatchObject({ name: 'UnexpectedResponse' });
    expect(mapped.message).toContain('503');
    expect(mapped.message).not.toContain('secret page');
  });

  test('a non-error value is described without crashing', () => {
    expect(toCognitoCallError(undefined, 'RevokeToken', [])).toMatchObject({ name: 'Error' });
  });
});

test('redact removes a whole JWE (5 segments, like a Cognito refresh token), not just its first 3', () => {
  const jwe = 'eyJjdHkiOiJKV1QifQ.aaaa-bbbb.cccc_dddd.eeee.ffff';
  expect(redact(`token ${jwe} refused`)).toBe('token [redacted-jwt] refused');
});

describe('redact: every secret of the request, any length, in raw, JSON-escaped and URL-encoded form', () => {
  test('secrets of 4+ characters are removed anywhere; 1-3 character ones only where they stand alone, so prose keeps its words', () => {
    const token = jwt({ sub: 'x' });
    expect(redact(`got ${token} and hunter2hunter2 and abc`, ['hunter2hunter2', 'abc'])).toBe('got [redacted-jwt] and [redacted] and [redacted]');
    expect(redact('about abc, "abc" and xabc', ['abc'])).toBe('about [redacted], "[redacted]" and xabc');
    expect(redact('code 1 of 12 (1)', ['1'])).toBe('code [redacted] of 12 ([redacted])');
    expect(redact('pw=Pass1x;', ['Pass'])).toBe('pw=[redacted]1x;');
  });

  test('a 6- or 7-character password is removed (the old rule skipped anything under 8)', () => {
    expect(redact('Incorrect password Ab1!xy for user', ['Ab1!xy'])).toBe('Incorrect password [redacted] for user');
    expect(redact('bad: Ab1!xyz', ['Ab1!xyz'])).toBe('bad: [redacted]');
  });

  test('JSON-escaped forms: " and \\ as \\" and \\\\, / as \\/, non-ASCII as \\uXXXX', () => {
    const password = 'p"a\\s/é!';
    const body = JSON.stringify({ PASSWORD: password });
    expect(redact(`echo ${body}`, [password])).toBe('echo {"PASSWORD":"[redacted]"}');
    expect(redact('echo p\\"a\\\\s\\/\\u00e9! and p\\"a\\\\s\\/\\u00E9!', [password])).toBe('echo [redacted] and [redacted]');
  });

  test('URL-encoded forms: encodeURIComponent, form encoding with +, hex in either case', () => {
    const password = 'a b&c=d/é';
    const forms = [encodeURIComponent(password), encodeURIComponent(password).toLowerCase(), new URLSearchParams({ p: password }).toString().slice(2), encodeURIComponent(password).replace(/%20/g, '+')];
    for (const form of forms) expect(redact(`q=${form}&x=1`, [password])).toBe('q=[redacted]&x=1');
  });

  test('overlapping secrets are removed as one, leaving no piece of either', () => {
    expect(redact('xx abcdef yy', ['abcd', 'cdef'])).toBe('xx [redacted] yy');
  });

  test(`server text is cut to ${MAX_SERVER_MESSAGE_LENGTH} characters after redaction, with …`, () => {
    expect(MAX_SERVER_MESSAGE_LENGTH).toBe(512);
    expect(redact('y'.repeat(512), [])).toBe('y'.repeat(512));
    expect(redact('y'.repeat(513), [])).toBe(`${'y'.repeat(512)}…`);
    // The secret across the cut is redacted first: no piece of it survives the cut.
    expect(redact(`${'y'.repeat(508)}Secret!${'z'.repeat(10)}`, ['Secret!'])).toBe(`${'y'.repeat(508)}[red…`);
  });

  test('a huge message is read only in part, and what straddles the part read never leaks', () => {
    const token = jwt({ sub: 'x', pad: 'p'.repeat(40_000) });
    // Redaction shrinks the start (8 long secrets) to under 100 characters, so text near the end of
    // what is read falls inside the cap: the token cut in half there must not come out.
    const secret = `${'Q'.repeat(2000)}!`;
    const huge = `${`${secret} `.repeat(8)}${token} tail`;
    const out = redact(huge, [secret]);
    expect(out).toBe(`${'[redacted] '.repeat(8)}…`);
  });
});

test('retryable failures: one list, the redirect included', () => {
  expect([...RETRYABLE_FAILURES].sort()).toEqual(['AbortError', 'GlobalSignOutPendingException', 'InternalErrorException', 'NetworkError', 'NotSent', 'RevocationEndpointUnavailable', 'ServiceUnavailableException', 'TimeoutError', 'TooManyRequestsException', 'UnexpectedRedirect', 'UnexpectedResponse']);
  expect(isRetryableFailure('UnexpectedRedirect')).toBe(true);
  expect(isRetryableFailure('NotAuthorizedException')).toBe(false);
});

test('secretHash matches HMAC-SHA256(secret, username + clientId) in base64', async () => {
  const expected = createHmac('sha256', 'the-secret').update('alice' + 'client1').digest('base64');
  await expect(secretHash('the-secret', 'alice', 'client1', onFirstUse)).resolves.toBe(expected);
});

describe('token store', () => {
  test('keeps the session under one key and clears it in one removeItem', async () => {
    const storage = createMemoryStorage();
    const store = createTokenStore(storage, { clientId: 'client1' });
    const session = { accessToken: jwt({ username: 'u', exp: 9e9 }), idToken: 'i', refreshToken: 'r' };
    await store.save(session);
    expect(storage.getItem('authchart.client1.session')).toContain('"refreshToken":"r"');
    await expect(store.load()).resolves.toEqual(session);
    await store.clear();
    await expect(store.load()).resolves.toBeNull();
  });

  test.each(['not json', '{"accessToken":1}', '[]', '{"accessToken":"a"}', '{"accessToken":"a","idToken":"i","refreshToken":5}'])('reads %s as no session', async (raw) => {
    const storage = createMemoryStorage();
    storage.setItem('authchart.c.session', raw);
    await expect(createTokenStore(storage, { clientId: 'c' }).load()).resolves.toBeNull();
  });

  test('storage errors become StorageError without the stored values', async () => {
    const store = createTokenStore({ getItem: () => { throw new Error('eyJsecret.value.here'); }, setItem() {}, removeItem() {} }, { clientId: 'c' });
    await expect(store.load()).rejects.toMatchObject({ name: 'StorageError' });
    await expect(store.load()).rejects.not.toMatchObject({ message: expect.stringContaining('eyJ') });
  });

  test('summarizeSession reads username, origin_jti and expiry, and refuses non-JWTs', () => {
    const accessToken = jwt({ username: 'alice', origin_jti: 'o', exp: 100 });
    expect(summarizeSession({ accessToken, idToken: 'x' }, 'hostedUi')).toEqual({ username: 'alice', revocable: true, expiresAt: 100_000, signedInWith: 'hostedUi' });
    expect(summarizeSession({ accessToken: jwt({ username: 'bob', exp: 1 }), idToken: 'x' }, 'password')).toMatchObject({ revocable: false });
    expect(summarizeSession({ accessToken: 'opaque', idToken: 'x' }, 'password')).toBeNull();
  });
});

describe('services bound per actor system (one provided machine, many instances)', () => {
  const registry = createServiceRegistry<SignOutServices>('test');
  const { pickIntent: _pick, watchBackoff: _watch, ...flowActors } = createSignOutActors(registry);
  const machine = signOutMachine.provide({ actors: flowActors });
  const input: SignOutInput = { global: false, revocable: true, scope: 'admin', source: { kind: 'session' }, queueing: false, networkTimeoutMs: 1000, storageTimeoutMs: 1000 };
  const servicesWith = (revoked: string[]) => {
    const storage = createMemoryStorage();
    const store = createTokenStore(storage, { clientId: 'abc123' });
    const cognito = {
      revokeToken: async (token: string) => void revoked.push(token),
      globalSignOut: async () => {},
      initiateAuth: async () => ({ kind: 'challenge', name: 'X', parameters: {} }) as const,
      respondToAuthChallenge: async () => ({ kind: 'challenge', name: 'X', parameters: {} }) as const,
      refreshTokens: async () => ({ accessToken: 'a', idToken: 'i' }),
    };
    const outbox = createSignOutOutbox({ storage, clientId: 'abc123', timeoutMs: 1000, persist: false });
    return { storage, store, cognito, outbox, vault: createSecretVault() };
  };

  test('two actors of the same machine each use the services bound to their own system', async () => {
    const revokedA: string[] = [];
    const revokedB: string[] = [];
    const a = servicesWith(revokedA);
    const b = servicesWith(revokedB);
    await a.store.save({ accessToken: jwt({ username: 'a', origin_jti: 'o', exp: 1 }), idToken: 'x', refreshToken: 'refresh-of-a' });
    await b.store.save({ accessToken: jwt({ username: 'b', origin_jti: 'o', exp: 1 }), idToken: 'x', refreshToken: 'refresh-of-b' });
    const actorA = createActor(machine, { input });
    const actorB = createActor(machine, { input });
    registry.bind(actorA, a);
    registry.bind(actorB, b);
    actorA.start();
    actorB.start();
    await expect(Promise.all([toPromise(actorA), toPromise(actorB)])).resolves.toMatchObject([{ type: 'complete' }, { type: 'complete' }]);
    expect(revokedA).toEqual(['refresh-of-a']);
    expect(revokedB).toEqual(['refresh-of-b']);
    expect(await a.store.load()).toBeNull();
    expect(await b.store.load()).toBeNull();
  });

  test('an actor started without bound services fails its calls with a message that says so', async () => {
    const actor = createActor(machine, { input });
    actor.start();
    const outcome = await toPromise(actor);
    expect(outcome).toMatchObject({ type: 'failed', error: { message: expect.stringContaining('no services are bound to this actor system') } });
  });
});

describe('toAuthError: every name an answer can carry maps to an exported AuthError subclass', () => {
  test.each([
    ['UserAlreadyAuthenticatedException', 'AuthStateError'],
    ['RevokedSessionNotCleared', 'AuthStateError'],
    ['NetworkError', 'CognitoUnreachableError'],
    ['TimeoutError', 'CognitoUnreachableError'],
    ['NotSent', 'CognitoUnreachableError'],
    ['UnexpectedRedirect', 'UnexpectedResponseError'],
    ['TokensFromAnotherPool', 'UnexpectedResponseError'],
    ['StorageError', 'StorageError'],
    ['StaleWriteError', 'StorageError'],
    ['NotAuthorizedException', 'CognitoServiceError'],
  ])('%s → %s, name kept', (name, className) => {
    const error = errors.toAuthError({ name, message: 'm' });
    expect(error).toBeInstanceOf(errors.AuthError);
    expect(error.constructor.name).toBe(className);
    expect(error.name).toBe(name);
  });
});

describe('tokenFacts: what a sign-out can do with these tokens, from the access token alone (facts; the chart decides)', () => {
  const jwt = (claims: object) => `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
  test.each([
    ['a password sign-in (admin scope, origin_jti)', { origin_jti: 'o', scope: 'aws.cognito.signin.user.admin' }, { revocable: true, scope: 'admin' }],
    ['a hosted-UI sign-in without the admin scope', { origin_jti: 'o', scope: 'openid email' }, { revocable: true, scope: 'other' }],
    ['a hosted-UI sign-in that asked for the admin scope', { origin_jti: 'o', scope: 'openid aws.cognito.signin.user.admin' }, { revocable: true, scope: 'admin' }],
    ['revocation off on the client (no origin_jti)', { scope: 'aws.cognito.signin.user.admin' }, { revocable: false, scope: 'admin' }],
    ['no scope claim at all (not a Cognito token): reported as absent, not judged', { origin_jti: 'o' }, { revocable: true, scope: 'absent' }],
    ['a scope claim that is not a string: absent', { origin_jti: 'o', scope: ['aws.cognito.signin.user.admin'] }, { revocable: true, scope: 'absent' }],
  ])('%s', (_, claims, facts) => {
    expect(tokenFacts({ accessToken: jwt(claims), refreshToken: 'r' }, 0)).toEqual(facts);
  });
  test('how long the access token has left, by the given clock (negative: expired); nothing without exp', () => {
    const token = jwt({ scope: 'aws.cognito.signin.user.admin', exp: 1_000 });
    expect(tokenFacts({ accessToken: token }, 990_000)).toMatchObject({ accessTokenExpiresInMs: 10_000 });
    expect(tokenFacts({ accessToken: token }, 1_060_000)).toMatchObject({ accessTokenExpiresInMs: -60_000 });
  });
  test('a refresh token alone: RevokeToken can be tried, GlobalSignOut has nothing to be sent with (no scope but its own: other)', () => {
    expect(tokenFacts({ refreshToken: 'r' }, 0)).toEqual({ revocable: true, scope: 'other' });
  });
});

describe('saveOrReport: a sign-in’s tokens the store took back are a fact for the chart, never revoked here', () => {
  const setUp = (aborted: boolean) => {
    const queued: unknown[] = [];
    const outbox = { queue: async (tokens: unknown) => void queued.push(tokens) } as never;
    const controller = new AbortController();
    if (aborted) controller.abort();
    return { queued, vault: createSecretVault(), services: { outbox, signal: controller.signal, kit: lazyKit } };
  };

  test('nothing stored: the failure carries the vault receipt of the refresh token (as a retry source reads it), and nothing is queued', async () => {
    const { queued, vault, services } = setUp(false);
    const error: unknown = await saveOrReport({ refreshToken: 'r-1' }, Promise.reject(new UnstoredError('nothing', 'full')), { ...services, vault }).catch((e: unknown) => e);
    const ref = (error as { unstoredTokensRef?: string }).unstoredTokensRef;
    expect(error).toBeInstanceOf(UnstoredError);
    expect(vault.take(ref ?? '')).toBe(JSON.stringify({ refreshToken: 'r-1' }));
    expect(queued).toEqual([]);
  });

  test('the step was abandoned (its signal aborted): nobody hears the failure, so the outbox holds the token at once', async () => {
    const { queued, vault, services } = setUp(true);
    const error: unknown = await saveOrReport({ refreshToken: 'r-2' }, Promise.reject(new UnstoredError('nothing', 'full')), { ...services, vault }).catch((e: unknown) => e);
    expect(error).not.toHaveProperty('unstoredTokensRef');
    expect(queued).toEqual([{ refreshToken: 'r-2' }]);
  });

  test('a session that may still be stored is no such fact: a later signOut() finds and ends it', async () => {
    const { queued, vault, services } = setUp(false);
    const error: unknown = await saveOrReport({ refreshToken: 'r-3' }, Promise.reject(new UnstoredError('unknown', 'unsure')), { ...services, vault }).catch((e: unknown) => e);
    expect(error).not.toHaveProperty('unstoredTokensRef');
    expect(queued).toEqual([]);
  });
});
