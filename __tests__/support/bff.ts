// Shared set-up for the backend-for-frontend's tests: the emulator, the BFF over node:http on
// 127.0.0.1 through toNodeListener, an upstream API as a tiny node:http server, and a raw HTTP
// client (node:http: it sends paths and headers exactly as given, which fetch would normalize).
import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServerAuth, memorySessionStore, toNodeListener, type ServerAuth, type ServerAuthConfig, type SessionStore } from '../../src/server/index';
import type { CognitoEmulator, SetupResult } from '../../src/testing/index';

export const COOKIE = '__Host-Http-authchart-session';

/** One answer, as the client saw it. */
export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** The body as JSON (undefined when it is not). */
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads
}

/** Every answer the BFF gave in this file, to look for secrets in. */
export const answers: Answer[] = [];

/** How many of `secrets` each answer holds outside its own Set-Cookie (a session id may be there, and nowhere else). */
export function leaksIn(all: readonly Answer[], secrets: ReadonlySet<string>): number[] {
  return all.map((answer) => {
    const { 'set-cookie': _cookies, ...headers } = answer.headers;
    const text = `${answer.text}\n${JSON.stringify(headers)}`;
    return [...secrets].filter((secret) => text.includes(secret)).length;
  });
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export interface SendOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

/** Sends one request over node:http, exactly as given. */
export function send(base: string, path: string, options: SendOptions = {}): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        const answer = { status: res.statusCode ?? 0, headers: res.headers, text, body };
        answers.push(answer);
        resolve(answer);
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The session id a Set-Cookie of `answer` gives, '' when it clears it, undefined when it sets none. */
export function cookieOf(answer: Answer): string | undefined {
  const set = answer.headers['set-cookie'] ?? [];
  const ours = set.filter((line) => line.startsWith(`${COOKIE}=`));
  if (ours.length > 1) throw new Error('more than one session cookie set');
  return ours[0]?.slice(COOKIE.length + 1).split(';')[0];
}

export const hashOf = (sessionId: string): string => createHash('sha256').update(sessionId).digest('hex');

/** What a call to the BFF carries besides its method and path. */
export interface CallOptions {
  readonly cookie?: string;
  readonly json?: unknown;
  readonly headers?: Record<string, string>;
}

/** Sends to the BFF at `base`, as a browser of the app would: the session cookie, and on a POST the CSRF header and the BFF's own Origin, unless `headers` says otherwise. */
export function callAt(base: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (method !== 'GET' && method !== 'HEAD') Object.assign(headers, { 'x-authchart-csrf': '1', origin: base });
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  if (options.cookie !== undefined) headers.cookie = `${COOKIE}=${options.cookie}`;
  Object.assign(headers, options.headers);
  return send(base, path, { method, headers, ...(options.json !== undefined && { body: JSON.stringify(options.json) }) });
}

/** A running BFF with its store, and a client for it. */
export interface Bff {
  readonly base: string;
  readonly server: ServerAuth;
  readonly store: SessionStore;
  /** Sends to the BFF; a POST gets the CSRF header and the BFF's own Origin unless `headers` says otherwise. */
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
  /** The tokens stored for a session id (read from the store, as a test may). */
  tokensOf(sessionId: string): Promise<{ accessToken: string; idToken: string; refreshToken: string } | null>;
  close(): Promise<void>;
}

export async function startBff(emu: CognitoEmulator, pool: SetupResult, config: Partial<ServerAuthConfig> = {}, store: SessionStore = memorySessionStore({ claimIdleMs: 1000, maxDeliveries: 1000 })): Promise<Bff> {
  const server = createServerAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: emu.endpoint, sessionStore: store, ...(pool.clientSecret && { clientSecret: pool.clientSecret }), ...config });
  const http = createServer(toNodeListener(server.handle));
  const base = await listen(http);
  return {
    base,
    server,
    store,
    call: (method, path, options) => callAt(base, method, path, options),
    async tokensOf(sessionId) {
      const stored = await store.storageFor(hashOf(sessionId)).getItem(`authchart.${pool.clientId}.session`);
      return stored ? JSON.parse(stored) : null;
    },
    async close() {
      await server.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

/** A tiny upstream API: records what it was sent, answers `{ path, method, body }` with a cookie of its own. */
export async function startUpstream() {
  const seen: Array<{ url: string; method: string; headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ url: req.url ?? '', method: req.method ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'upstream=1; Path=/', 'x-upstream': 'yes' });
      res.end(JSON.stringify({ path: req.url, method: req.method, body }));
    });
  });
  const base = await listen(server);
  return {
    base,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
