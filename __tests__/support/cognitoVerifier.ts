// An API's access-token verifier for an emulator pool, exactly as an app builds it (docs/server.md,
// docs/emulator.md): aws-jwt-verify's CognitoJwtVerifier, unchanged, its JWKS cache filled with the
// pool's keys. The emulator must run with `issuer: 'aws'`. Kept apart from revocation.ts so that the
// API child processes (apiChild.ts) load no emulator.
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { EmulatorJwks } from '../../src/testing/emulator/types';

const create = (userPoolId: string, clientId: string) => CognitoJwtVerifier.create({ userPoolId, tokenUse: 'access', clientId });
/** aws-jwt-verify's CognitoJwtVerifier of one emulator pool's access tokens. */
export type EmulatorVerifier = ReturnType<typeof create>;

/** `CognitoJwtVerifier.create({ userPoolId, tokenUse: 'access', clientId })` + `cacheJwks(jwks)` (jwks: `emulator.jwks(userPoolId)`). */
export function cognitoVerifier(cognito: { readonly userPoolId: string; readonly clientId: string }, jwks: EmulatorJwks): EmulatorVerifier {
  const verifier = create(cognito.userPoolId, cognito.clientId);
  verifier.cacheJwks(jwks);
  return verifier;
}
