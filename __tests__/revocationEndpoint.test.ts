// The revocation endpoint (authchart/server) over real HTTP (node:http through toNodeListener),
// against the emulator: 204 when recorded and when already covered; scope 'session' takes an
// expired but correctly signed token, scope 'user' does not; typed 4xx for bad input with nothing
// recorded; replays never move a user's instant; a flood holds bounded work.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFetchCognito } from '../services/cognito/fetchTransport';
import { readJwtClaims } from '../services/encoding/jwt';
import { createRevocationEndpoint, createRevocationList, toNodeListener, TokenRevokedError, type AnnouncementVerifier, type RevocationList } from '../src/server/index';
import { startPool, type Pool } from './support/revocation';

const claims = (token: string) => readJwtClaims(token)!;

function outcomeOf(list: RevocationList, token: string): string {
  try {
    list.check(claims(token));
    return 'accepted';
  } catch (error) {
    if (error instanceof TokenRevokedError) return error.reason;
    throw error;
  }
}

describe('the revocation endpoint', () => {
  // Real time, moved by hand: tokens minted "two hours ago" have expired for aws-jwt-verify too.
  let offset = 0;
  const now = () => Date.now() + offset;
  let p: Pool;
  let other: ReturnType<Pool['emu']['setup']>;
  let server: Server;
  let url: string;
  let list: RevocationList;
  let verifier: AnnouncementVerifier;
  let handler: (request: Request) => Promise<Response>;

  beforeAll(async () => {
    p = await startPool({ now });
    other = p.emu.setup({ username: 'someone-else' });
    verifier = p.verifier();
    server = createServer((req, res) => toNodeListener(handler)(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/revoke`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await p.emu.close();
  });
  beforeEach(() => {
    offset = 0;
    list = createRevocationList({ cognito: p.cognito, now });
    handler = createRevocationEndpoint({ list, verifier, now });
  });

  const post = (token: string | undefined, body: unknown, init: { contentType?: string; method?: string } = {}) =>
    fetch(url, {
      method: init.method ?? 'POST',
      headers: { 'content-type': init.contentType ?? 'application/json', ...(token !== undefined && { authorization: `Bearer ${token}` }) },
      ...(init.method !== 'GET' && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const errorOf = async (response: Response) => ({ status: response.status, body: (await response.json()) as { error: string; message: string } });

  test('scope session: 204, the session is refused, the user’s other session is not; again: 204, nothing changes', async () => {
    const [a, b] = [await p.signIn(), await p.signIn()];
    expect((await post(a.accessToken, { scope: 'session' })).status).toBe(204);
    expect(outcomeOf(list, a.accessToken)).toBe('session');
    expect(outcomeOf(list, b.accessToken)).toBe('accepted');
    expect((await post(a.accessToken, { scope: 'session' })).status).toBe(204);
  });

  test('scope session accepts an expired, correctly signed token of this pool; scope user requires an unexpired one', async () => {
    offset = -2 * 3600_000;
    const old = await p.signIn();
    offset = 0;
    const user = await errorOf(await post(old.accessToken, { scope: 'user' }));
    expect(user).toEqual({ status: 401, body: { error: 'invalid_token', message: expect.any(String) } });
    expect(outcomeOf(list, old.accessToken)).toBe('accepted');
    expect((await post(old.accessToken, { scope: 'session' })).status).toBe(204);
    expect(outcomeOf(list, old.accessToken)).toBe('session');
  });

  test('scope user: a global sign-out; a replayed or older token then moves nothing, and a later session stays valid', async () => {
    const a = await p.signIn();
    offset = 2000;
    expect((await post(a.accessToken, { scope: 'user' })).status).toBe(204);
    expect(outcomeOf(list, a.accessToken)).toBe('user');
    offset = 4000;
    const later = await p.signIn();
    offset = 6000;
    expect((await post(a.accessToken, { scope: 'user' })).status).toBe(204); // replay: covered
    expect((await post(a.accessToken, { scope: 'session' })).status).toBe(204); // covered too
    expect(outcomeOf(list, later.accessToken)).toBe('accepted');
  });

  test('bad input gets a typed 4xx and records nothing', async () => {
    const a = await p.signIn();
    const foreign = await (async () => {
      const transport = createFetchCognito({ region: p.emu.region, endpoint: p.emu.endpoint, clientId: other.clientId });
      const step = await transport.initiateAuth('USER_PASSWORD_AUTH', { USERNAME: other.username, PASSWORD: other.password });
      return step.kind === 'tokens' ? step.tokens.accessToken : '';
    })();
    const [header, payload] = a.accessToken.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: JSON.parse(Buffer.from(header!, 'base64url').toString()).kid })).toString('base64url')}.${payload}.`;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims(a.accessToken), sub: 'someone' })).toString('base64url')}.${a.accessToken.split('.')[2]}`;
    const cases: Array<[string, Promise<Response>, number, string]> = [
      ['no bearer', post(undefined, { scope: 'session' }), 401, 'invalid_token'],
      ['not a JWT', post('not-a-jwt', { scope: 'session' }), 401, 'invalid_token'],
      ['alg none', post(none, { scope: 'session' }), 401, 'invalid_token'],
      ['tampered payload', post(tampered, { scope: 'user' }), 401, 'invalid_token'],
      ['another pool', post(foreign, { scope: 'user' }), 401, 'invalid_token'],
      ['no scope', post(a.accessToken, {}), 400, 'invalid_request'],
      ['bad scope', post(a.accessToken, { scope: 'everything' }), 400, 'invalid_request'],
      ['not JSON', post(a.accessToken, '{"scope":'), 400, 'invalid_request'],
      ['text/plain', post(a.accessToken, { scope: 'session' }, { contentType: 'text/plain' }), 415, 'unsupported_media_type'],
      ['GET', post(a.accessToken, undefined, { method: 'GET' }), 405, 'method_not_allowed'],
      ['huge body', post(a.accessToken, JSON.stringify({ scope: 'session', pad: 'x'.repeat(1_000_000) })), 413, 'payload_too_large'],
    ];
    for (const [name, response, status, error] of cases) expect({ name, ...(await errorOf(await response)) }).toEqual({ name, status, body: { error, message: expect.any(String) } });
    expect(outcomeOf(list, a.accessToken)).toBe('accepted');
  });

  test('a huge body without content-length (chunked) is refused after reading at most the bound', async () => {
    const a = await p.signIn();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 50_000_000) return controller.close();
        sent += 65_536;
        controller.enqueue(new Uint8Array(65_536).fill(32));
      },
    });
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${a.accessToken}` }, body, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    expect(sent).toBeLessThan(50_000_000);
    expect(outcomeOf(list, a.accessToken)).toBe('accepted');
  });

  test('a flood: concurrent work is bounded (maxConcurrent), the rest answered 503 at once; nothing recorded for bad tokens', async () => {
    const a = await p.signIn();
    let running = 0;
    let most = 0;
    const slow: AnnouncementVerifier = {
      async verify(token, props) {
        running++;
        most = Math.max(most, running);
        try {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return await verifier.verify(token, props);
        } finally {
          running--;
        }
      },
    };
    handler = createRevocationEndpoint({ list, verifier: slow, maxConcurrent: 8, now });
    const forged = `${a.accessToken.slice(0, -4)}AAAA`;
    const statuses = await Promise.all(Array.from({ length: 400 }, () => handler(new Request(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${forged}` }, body: '{"scope":"user"}' })).then((r) => r.status)));
    expect(most).toBeLessThanOrEqual(8);
    expect(new Set(statuses)).toEqual(new Set([401, 503]));
    expect(outcomeOf(list, a.accessToken)).toBe('accepted');
  });
});
