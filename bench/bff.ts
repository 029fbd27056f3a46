// Sections 10 and 11: the backend-for-frontend (createServerAuth over redisSessionStore, issue 20),
// in child processes on 127.0.0.1 over one loopback redis-server (__tests__/support/benchChild.ts).
// 10: Cognito refreshes per storm of 60 concurrent GET /auth/session of one session whose access
// token has expired, spread over 3 processes, against Auth.js's refresh-in-the-jwt-callback recipe
// (authjsStorm.ts), rotation off and on (grace period 0). 11: GET /auth/session throughput of one
// BFF process against the floor, a bare node:http handler reading one Redis key per request.
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { createClient } from 'redis';
import { createAuth } from '../src/index';
import { startCognitoEmulator, type CognitoEmulator, type SetupResult } from '../src/testing/index';
import { startChildFleet, type ChildFleet } from '../__tests__/support/childFleet';
import type { BffChildConfig } from '../__tests__/support/benchChild';
import { REDIS_SERVER, startRedis } from '../__tests__/support/redisServer';
import { authjsStorm, type StormCount } from './authjsStorm';
import { mapStorage, median, type Row } from './util';

const STORM_SECTION = '10. Server: Cognito refreshes per storm (BFF, 3 processes, loopback Redis)';
const THROUGHPUT_SECTION = '11. Server: GET /auth/session throughput over Redis (1 process)';
const COOKIE = '__Host-Http-authchart-session';
const REFRESH_OPERATIONS = new Set(['InitiateAuth', 'GetTokensFromRefreshToken']);

/** The rotation settings of the two storms: off, and on with no grace period (a second refresh ends the session). */
const ROTATIONS = [
  { name: 'rotation off', rotation: undefined },
  { name: 'rotation on, grace period 0', rotation: { feature: 'ENABLED', retryGracePeriodSeconds: 0 } },
] as const;

function missingRedis(section: string, comparison: string, target: string, log: (s: string) => void): Row[] {
  const why = `${REDIS_SERVER} is missing: this section is SKIPPED (apt-get install -y redis-server)`;
  log(`  !!! ${why}`);
  return [{ section, comparison, ours: 'not measured', theirs: '—', ratio: null, target, met: null, note: why }];
}

const bffConfig = (redisUrl: string, keyPrefix: string, emu: CognitoEmulator, pool: SetupResult, rotation: boolean): BffChildConfig => ({
  serve: 'bff',
  redisUrl,
  keyPrefix,
  userPoolId: pool.userPoolId,
  clientId: pool.clientId,
  endpoint: emu.endpoint,
  refreshTokenRotation: rotation,
});

/** Signs the pool's user in through the BFF at `port` (POST /auth/sign-in, SRP); resolves the session cookie's value. */
async function signInThrough(port: number, pool: SetupResult): Promise<string> {
  const origin = `http://127.0.0.1:${port}`;
  const response = await fetch(`${origin}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-authchart-csrf': '1', origin },
    body: JSON.stringify({ username: pool.username, password: pool.password }),
  });
  const body = (await response.json()) as { isSignedIn?: boolean };
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith(`${COOKIE}=`));
  if (response.status !== 200 || body.isSignedIn !== true || !cookie) throw new Error(`the BFF's sign-in answered ${response.status}: ${JSON.stringify(body)}`);
  return cookie.slice(COOKIE.length + 1).split(';')[0]!;
}

/** The refresh requests the emulator received since its last resetRequests(), and how many it refused. */
function refreshesAt(emu: CognitoEmulator, operations: ReadonlySet<string>): { refreshes: number; refused: number } {
  const seen = emu.requests.filter((record) => operations.has(record.operation));
  return { refreshes: seen.length, refused: seen.filter((record) => record.status !== 200).length };
}

/** One BFF storm: 60 concurrent GET /auth/session with one cookie, spread over the fleet's ports in turn. */
async function bffStorm(emu: CognitoEmulator, fleet: ChildFleet, cookie: string, requests: number): Promise<StormCount> {
  emu.resetRequests();
  const answers = await Promise.all(
    Array.from({ length: requests }, async (_, index) => {
      const response = await fetch(`http://127.0.0.1:${fleet.ports[index % fleet.ports.length]!}/auth/session`, { headers: { cookie: `${COOKIE}=${cookie}` } });
      const body = (await response.json()) as { user?: { sub?: string } };
      return response.status === 200 && typeof body.user?.sub === 'string';
    }),
  );
  return { ...refreshesAt(emu, REFRESH_OPERATIONS), served: answers.filter(Boolean).length, requests };
}

/** The Auth.js side: a confidential client (its Cognito provider needs the secret), signed in with USER_PASSWORD_AUTH. */
async function authjsSide(emu: CognitoEmulator, rotation: (typeof ROTATIONS)[number]['rotation'], requests: number): Promise<StormCount> {
  const pool = emu.setup({ generateSecret: true, ...(rotation && { refreshTokenRotation: rotation }) });
  const auth = createAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, clientSecret: pool.clientSecret!, endpoint: emu.endpoint, storage: mapStorage(), refreshTokenRotation: rotation !== undefined });
  try {
    await auth.signIn({ username: pool.username, password: pool.password, authFlow: 'USER_PASSWORD_AUTH' });
    const tokens = (await auth.getSession()).tokens;
    if (!tokens?.refreshToken) throw new Error('the sign-in for Auth.js gave no refresh token');
    return await authjsStorm(emu, pool, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }, requests);
  } finally {
    await auth.stop();
  }
}

const counted = (c: StormCount) => `${c.refreshes} refresh${c.refreshes === 1 ? '' : 'es'}, ${c.refused} refused, ${c.served}/${c.requests} served`;

/**
 * Section 10. Per rotation setting: a pool, 3 BFF processes over one redis-server (their own key
 * prefix), the user signed in through process 1 while the emulator's clock is two hours behind (so
 * the stored access token expired an hour ago), then 60 concurrent GET /auth/session over the 3;
 * and Auth.js's recipe with one expired cookie, 60 requests at once. Counted at the emulator.
 */
export async function benchStorm(log: (s: string) => void, requests = 60): Promise<Row[]> {
  if (!existsSync(REDIS_SERVER)) return missingRedis(STORM_SECTION, `Cognito refreshes per storm of ${requests} requests`, `1 refresh, ${requests} served`, log);
  let shiftMs = 0;
  const [redis, emu] = await Promise.all([startRedis(), startCognitoEmulator({ now: () => Date.now() + shiftMs })]);
  const rows: Row[] = [];
  try {
    for (const [k, { name, rotation }] of ROTATIONS.entries()) {
      const pool = emu.setup(rotation ? { refreshTokenRotation: rotation } : {});
      const fleet = await startChildFleet('benchChild.ts', bffConfig(redis.url, `bench-storm-${k}:`, emu, pool, rotation !== undefined), 3);
      let ours: StormCount;
      try {
        shiftMs = -2 * 3600_000; // tokens issued two hours ago: the one-hour access token has expired
        let cookie: string;
        try {
          cookie = await signInThrough(fleet.ports[0]!, pool);
        } finally {
          shiftMs = 0;
        }
        ours = await bffStorm(emu, fleet, cookie, requests);
      } finally {
        await fleet.close();
      }
      const theirs = await authjsSide(emu, rotation, requests);
      log(`  ${name}: authchart BFF ${counted(ours)}; Auth.js recipe ${counted(theirs)}`);
      rows.push({
        section: STORM_SECTION,
        comparison: `${name}: ${requests} concurrent GET /auth/session of one session whose access token expired → refreshes at Cognito, refused, requests served`,
        ours: counted(ours),
        theirs: counted(theirs),
        ratio: theirs.refreshes ? ours.refreshes / theirs.refreshes : null,
        target: `1 refresh, 0 refused, ${requests} served`,
        met: ours.refreshes === 1 && ours.refused === 0 && ours.served === requests,
        note:
          rotation === undefined
            ? 'authchart: 3 processes, redisSessionStore, the refresh lease; Auth.js: each request runs the jwt callback on its own and refreshes'
            : 'with rotation and no grace period, each refresh after the first presents a refresh token already rotated away: Cognito refuses it and that request loses its session',
      });
    }
  } finally {
    await Promise.all([redis.close(), emu.close()]);
  }
  return rows;
}

/** `connections` keep-alive HTTP/1.1 connections to one loopback port, each with one request in flight at a time. */
interface Load {
  /** Sends `count` GET requests over the connections; resolves the elapsed ms and the statuses other than 200. */
  run(count: number): Promise<{ ms: number; failed: number[] }>;
  close(): void;
}

/**
 * A load generator as lean as it can be, so the server, not the client, is what is measured: raw
 * sockets, one request written per answer read (no pipelining), the answer's end found by its
 * Content-Length or its last chunk.
 */
async function openLoad(port: number, path: string, headers: Readonly<Record<string, string>>, connections: number): Promise<Load> {
  const request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`, 'latin1');
  const sockets: Socket[] = await Promise.all(
    Array.from({ length: connections }, () => new Promise<Socket>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket));
      socket.setNoDelay(true);
      socket.once('error', reject);
    })),
  );
  return {
    run(count) {
      let left = count;
      let done = 0;
      const failed: number[] = [];
      const t0 = performance.now();
      return new Promise((resolve, reject) => {
        for (const socket of sockets) {
          let buffer = '';
          const next = () => {
            if (left === 0) return;
            left -= 1;
            socket.write(request);
          };
          const onData = (chunk: Buffer) => {
            buffer += chunk.toString('latin1');
            for (;;) {
              const headEnd = buffer.indexOf('\r\n\r\n');
              if (headEnd < 0) return;
              const head = buffer.slice(0, headEnd);
              const length = /\r\ncontent-length: *(\d+)/i.exec(head);
              let end: number;
              if (length) {
                end = headEnd + 4 + Number(length[1]);
                if (buffer.length < end) return;
              } else {
                const last = buffer.indexOf('\r\n0\r\n\r\n', headEnd + 2);
                if (last < 0) return;
                end = last + 7;
              }
              const status = Number(head.slice(9, 12));
              if (status !== 200) failed.push(status);
              buffer = buffer.slice(end);
              done += 1;
              if (done === count) {
                for (const s of sockets) s.removeAllListeners('data').removeAllListeners('close');
                resolve({ ms: performance.now() - t0, failed });
                return;
              }
              next();
            }
          };
          socket.on('data', onData);
          socket.once('close', () => reject(new Error(`a connection closed after ${done} of ${count} answers`)));
          next();
        }
      });
    },
    close: () => sockets.forEach((socket) => socket.destroy()),
  };
}

/** The Redis commands the server ran per request over `run`: INFO commandstats before and after. */
async function commandsPer(redis: { info(section: string): Promise<string> }, requests: number, run: () => Promise<void>): Promise<Record<string, number>> {
  const stats = async () => {
    const text = await redis.info('commandstats');
    return Object.fromEntries([...text.matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm)].map(([, name, calls]) => [name!, Number(calls)]));
  };
  const before = await stats();
  await run();
  const after = await stats();
  const per: Record<string, number> = {};
  for (const [name, calls] of Object.entries(after)) {
    const delta = calls - (before[name] ?? 0);
    if (name !== 'info' && delta / requests >= 0.005) per[name.toUpperCase()] = delta / requests; // the fleet outbox's rare background reads round to 0
  }
  return per;
}

const perRequest = (per: Record<string, number>) =>
  Object.entries(per)
    .sort(([, a], [, b]) => b - a)
    .map(([name, n]) => `${name} ${n.toFixed(2)}`)
    .join(', ') || 'none';

/**
 * Section 11. One BFF process (createServerAuth, redisSessionStore) holding a signed-in session
 * whose access token is valid, and one floor process (node:http, one node-redis GET per request,
 * a small JSON), over one redis-server. Per round and per server: `connections` new keep-alive
 * connections, `warmup` requests, then `requests` timed; rounds alternate which server goes first.
 * req/s = requests ÷ elapsed; ratio = median of the rounds' ratios.
 */
export async function benchThroughput(log: (s: string) => void, options: { rounds?: number; requests?: number; warmup?: number; connections?: number } = {}): Promise<Row[]> {
  const { rounds = 5, requests = 4000, warmup = 2000, connections = 32 } = options;
  const comparison = `GET /auth/session, req/s: the BFF against a node:http handler reading one Redis key per request`;
  if (!existsSync(REDIS_SERVER)) return missingRedis(THROUGHPUT_SECTION, comparison, '≥ 0.5', log);
  const [redis, emu] = await Promise.all([startRedis(), startCognitoEmulator()]);
  const client = createClient({ url: redis.url });
  client.on('error', () => {});
  const fleets: ChildFleet[] = [];
  try {
    await client.connect();
    const pool = emu.setup();
    const floorKey = 'bench-floor:key';
    const [bff, floor] = await Promise.all([
      startChildFleet('benchChild.ts', bffConfig(redis.url, 'bench-session:', emu, pool, false), 1),
      startChildFleet('benchChild.ts', { serve: 'floor', redisUrl: redis.url, key: floorKey } satisfies BffChildConfig, 1),
    ]);
    fleets.push(bff, floor);
    const cookie = await signInThrough(bff.ports[0]!, pool);
    // The floor reads a value as large as the BFF's session (its record's fields, as one JSON string).
    const [record] = await client.keys('bench-session:session:*');
    await client.set(floorKey, JSON.stringify(await client.hGetAll(record!)));
    emu.resetRequests();
    const servers = {
      bff: { port: bff.ports[0]!, path: '/auth/session', headers: { cookie: `${COOKIE}=${cookie}` } },
      floor: { port: floor.ports[0]!, path: '/', headers: {} },
    };
    const names = ['bff', 'floor'] as const;
    const rates: Record<(typeof names)[number], number[]> = { bff: [], floor: [] };
    const commands: Record<(typeof names)[number], Record<string, number>> = { bff: {}, floor: {} };
    for (let round = 0; round < rounds; round++) {
      for (const name of round % 2 ? [...names].reverse() : names) {
        const { port, path, headers } = servers[name];
        const load = await openLoad(port, path, headers, connections);
        try {
          const warm = await load.run(warmup);
          if (warm.failed.length) throw new Error(`${name} answered ${warm.failed[0]} during the warm-up`);
          let took = 0;
          const per = await commandsPer(client, requests, async () => {
            const timed = await load.run(requests);
            if (timed.failed.length) throw new Error(`${name} answered ${timed.failed.length} requests with ${timed.failed[0]}`);
            took = timed.ms;
          });
          if (round === 0) commands[name] = per;
          rates[name].push((requests * 1000) / took);
        } finally {
          load.close();
        }
      }
    }
    const refreshes = refreshesAt(emu, REFRESH_OPERATIONS).refreshes;
    if (refreshes) throw new Error(`the BFF refreshed ${refreshes} times: its access token was to stay valid`);
    const ratio = median(rates.bff.map((rate, k) => rate / rates.floor[k]!));
    const rate = (xs: number[]) => `${Math.round(median(xs)).toLocaleString('en')} req/s`;
    log(`  ${connections} keep-alive connections, ${rounds} rounds × ${requests} requests (after ${warmup}): BFF ${rate(rates.bff)}, floor ${rate(rates.floor)}, ratio ${ratio.toFixed(3)} (goal ≥ 0.5)`);
    log(`  per round, BFF / floor: ${rates.bff.map((r, k) => `${Math.round(r)} / ${Math.round(rates.floor[k]!)}`).join('; ')}`);
    log(`  Redis commands per request: BFF ${perRequest(commands.bff)}; floor ${perRequest(commands.floor)}`);
    return [
      {
        section: THROUGHPUT_SECTION,
        comparison,
        ours: rate(rates.bff),
        theirs: rate(rates.floor),
        ratio,
        target: '≥ 0.5',
        met: ratio >= 0.5,
        note: `an engine (the statechart) started, run and stopped per request is most of the cost: performance.md has the profile and the fix (one engine per session per process). ${connections} keep-alive connections, ${rounds} alternating rounds of ${requests} requests after ${warmup}; medians; ratio = median of the rounds' ratios. Per round, BFF / floor: ${rates.bff.map((r, k) => `${Math.round(r)} / ${Math.round(rates.floor[k]!)}`).join(', ')}`,
      },
      {
        section: THROUGHPUT_SECTION,
        comparison: 'Redis commands per GET /auth/session (INFO commandstats over the timed requests)',
        ours: perRequest(commands.bff),
        theirs: perRequest(commands.floor),
        ratio: null,
        target: 'diagnostic',
        met: null,
        note: 'the BFF\'s fleet outbox also runs a blocking XREADGROUP and a periodic XAUTOCLAIM in the background: well under 0.005 per request, so not shown',
      },
    ];
  } finally {
    await Promise.all(fleets.map((fleet) => fleet.close()));
    if (client.isOpen) await client.close();
    await Promise.all([redis.close(), emu.close()]);
  }
}
