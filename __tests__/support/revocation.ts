// Shared set-up for the revocation-list tests (authchart/server): an emulator pool with Cognito's
// own issuer, sign-ins over real HTTP, and aws-jwt-verify's CognitoJwtVerifier, unchanged, as
// docs/server.md and the README tell an API to build it.
import { createFetchCognito } from '../../services/cognito/fetchTransport';
import { startCognitoEmulator, type CognitoEmulator, type CognitoEmulatorOptions, type SetupResult } from '../../src/testing/index';
import { cognitoVerifier, type EmulatorVerifier } from './cognitoVerifier';

export type { EmulatorVerifier };

/** The list's `cognito` option for an emulator pool (its `endpoint` is the emulator's). */
export interface PoolCognito {
  readonly userPoolId: string;
  readonly clientId: string;
  readonly region: string;
  readonly endpoint: string;
}

export interface Pool {
  readonly emu: CognitoEmulator;
  readonly pool: SetupResult;
  readonly cognito: PoolCognito;
  /** A fresh sign-in (a new session: a new origin_jti) of the pool's user. */
  signIn(): Promise<{ accessToken: string; refreshToken: string }>;
  /** A CognitoJwtVerifier of the pool's access tokens, its JWKS cached from the emulator (cognitoVerifier). */
  verifier(): EmulatorVerifier;
}

/** An emulator started with `issuer: 'aws'` (so CognitoJwtVerifier runs unchanged), one pool in it. */
export async function startPool(options: Omit<CognitoEmulatorOptions, 'issuer'> = {}): Promise<Pool> {
  const emu = await startCognitoEmulator({ ...options, issuer: 'aws' });
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
    verifier: () => cognitoVerifier(cognito, emu.jwks(pool.userPoolId)),
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
