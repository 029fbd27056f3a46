// A fleet of API processes on one Redis, for revocationFleet.test.ts and npm run bench (bench/server.ts):
// each is a child process running apiChild.ts (bundled by esbuild into .cache/), with its own
// node-redis client, revocation list and revocation endpoint, on its own loopback port.
import type { EmulatorJwks } from '../../src/testing/emulator/types';
import { startChildFleet } from './childFleet';

/** What each API process is given (as JSON on its command line). */
export interface ApiChildConfig {
  readonly redisUrl: string;
  /** The fleet's key prefix: processes with the same prefix share one list. */
  readonly keyPrefix: string;
  /** The list's `cognito` option (`endpoint`: the emulator's). */
  readonly cognito: { readonly userPoolId: string; readonly clientId: string; readonly region: string; readonly endpoint: string };
  /** `emulator.jwks(userPoolId)`, for the verifier's cacheJwks (the emulator runs with `issuer: 'aws'`). */
  readonly jwks: EmulatorJwks;
  /** The list's `revalidateAfterMs` option; left out, the list never revalidates. */
  readonly revalidateAfterMs?: number;
}

/** What a process answers GET /api with a token: 'served', or the reason it refused ('session', 'user', 'cognito', 'invalid'). */
export type ApiAnswer = 'served' | 'session' | 'user' | 'cognito' | 'invalid';

export interface ApiFleet {
  /** Each process's loopback port. */
  readonly ports: readonly number[];
  /** GET /api at one process with this bearer token. */
  answer(port: number, token: string): Promise<ApiAnswer>;
  /** GET /api at every process, in port order. */
  atEach(token: string): Promise<ApiAnswer[]>;
  /** POST /revoke at one process: the app's announcement of a sign-out. */
  announce(port: number, token: string, scope: 'session' | 'user'): Promise<Response>;
  /** Stops every process (SIGTERM) and waits for them to exit. */
  close(): Promise<void>;
}

/** Starts `count` API processes (default 3) and resolves once each listens, its list loaded from Redis. */
export async function startApiFleet(config: ApiChildConfig, count = 3): Promise<ApiFleet> {
  const { ports, close } = await startChildFleet('apiChild.ts', config, count);
  const answer = async (port: number, token: string): Promise<ApiAnswer> => {
    const body = (await (await fetch(`http://127.0.0.1:${port}/api`, { headers: { authorization: `Bearer ${token}` } })).json()) as { served?: true; refused?: Exclude<ApiAnswer, 'served'> };
    return body.served ? 'served' : body.refused!;
  };
  return {
    ports,
    answer,
    atEach: (token) => Promise.all(ports.map((port) => answer(port, token))),
    announce: (port, token, scope) =>
      fetch(`http://127.0.0.1:${port}/revoke`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ scope }) }),
    close,
  };
}
