// Shared set-up for the revocation-list tests (authchart/server): an emulator pool, sign-ins over
// real HTTP, and an aws-jwt-verify verifier for the emulator's tokens.
import { JwtRsaVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { createFetchCognito } from '../../services/cognito/fetchTransport';
import { startCognitoEmulator, type CognitoEmulator, type CognitoEmulatorOptions, type SetupResult } from '../../src/testing/index';

const makeVerifier = (issuer: string) => JwtRsaVerifier.create({ issuer, audience: null, jwksUri: `${issuer}/.well-known/jwks.json` });
/** An aws-jwt-verify verifier of one emulator pool's tokens. */
export type EmulatorVerifier = ReturnType<typeof makeVerifier>;

export interface Pool {
  readonly emu: CognitoEmulator;
  readonly pool: SetupResult;
  readonly cognito: { userPoolId: string; clientId: string; region: string; endpoint: string };
  /** A fresh sign-in (a new session: a new origin_jti) of the pool's user. */
  signIn(): Promise<{ accessToken: string; refreshToken: string }>;
  /** An aws-jwt-verify verifier of the pool's access tokens, its JWKS cached from the emulator. */
  verifier(): Promise<EmulatorVerifier>;
}

/**
 * The emulator's `iss` is `<endpoint>/<poolId>` (not AWS-style yet), so the tests use a
 * JwtRsaVerifier for that issuer with the keys fetched from its JWKS endpoint; with the emulator's
 * `issuer: 'aws'`, CognitoJwtVerifier would run unchanged.
 */
export async function startPool(options: CognitoEmulatorOptions = {}): Promise<Pool> {
  const emu = await startCognitoEmulator(options);
  const pool = emu.setup();
  const cognito = { userPoolId: pool.userPoolId, clientId: pool.clientId, region: emu.region, endpoint: emu.endpoint };
  const transport = createFetchCognito({ region: emu.region, endpoint: emu.endpoint, clientId: pool.clientId });
  return {
    emu,
    pool,
    cognito,
    async signIn() {
      const step = await transport.initiateAuth('USER_PASSWORD_AUTH', { USERNAME: pool.username, PASSWORD: pool.password });
      if (step.kind !== 'tokens') throw new Error(`sign-in answered ${step.name}`);
      return { accessToken: step.tokens.accessToken, refreshToken: step.tokens.refreshToken! };
    },
    async verifier() {
      const issuer = `${emu.endpoint}/${pool.userPoolId}`;
      const verifier = makeVerifier(issuer);
      const jwks = (await (await fetch(`${issuer}/.well-known/jwks.json`)).json()) as Jwks;
      verifier.cacheJwks(jwks);
      return verifier;
    },
  };
}

/** Polls `probe` until it returns true, every 10 ms, for at most `boundMs` (a generous bound, not a speed claim). */
export async function eventually(probe: () => boolean | Promise<boolean>, boundMs = 5000): Promise<void> {
  const until = Date.now() + boundMs;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error(`not true within ${boundMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
