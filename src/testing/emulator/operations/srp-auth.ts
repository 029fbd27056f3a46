// USER_SRP_AUTH: InitiateAuth answers PASSWORD_VERIFIER; RespondToAuthChallenge checks the claim.
import type { EmulatorContext } from '../context.js';
import * as p from '../protocol.js';
import { parseSrpA, secretBlock, serverEphemeral, srpVerifier, verifyClaim, type SrpState } from '../srp.js';
import type { AppClient, User } from '../state.js';
import { formatSrpTimestamp, parseSrpTimestamp } from '../../../../services/srp/timestamp.js';
import { afterPassword, CHALLENGE_TTL_MS } from './challenges.js';
import * as check from './checks.js';

const incorrect = (): p.CognitoError => new p.CognitoError('NotAuthorizedException', 'Incorrect username or password.');

export function initiateSrp(ctx: EmulatorContext, client: AppClient, params: Record<string, string>): p.JsonObject {
  if (!check.flowEnabled(client, 'USER_SRP_AUTH')) {
    throw new p.CognitoError('InvalidParameterException', 'USER_SRP_AUTH flow not enabled for this client');
  }
  const username = check.requireParam(params, 'USERNAME');
  const srpA = check.requireParam(params, 'SRP_A');
  check.verifySecretHash(client, params.SECRET_HASH, [username]);
  const A = srpAOf(srpA);
  const user = ctx.store.findUser(client.userPoolId, username);
  if (!user && !client.preventUserExistenceErrors) throw check.unknownUser(client);
  if (user && !user.enabled) throw new p.CognitoError('NotAuthorizedException', 'User is disabled.');
  return srpChallenge(ctx, client, A, user, username, params.DEVICE_KEY);
}

/** SRP_A as a number; InvalidParameterException when it is not hex, or A mod N = 0. */
export function srpAOf(hex: string): bigint {
  const A = parseSrpA(hex);
  if (A === undefined) throw new p.CognitoError('InvalidParameterException', 'SRP_A is not a valid SRP value.');
  return A;
}

/**
 * The PASSWORD_VERIFIER challenge for `user` (USER_SRP_AUTH, and USER_AUTH's PASSWORD_SRP). With no
 * user (existence errors prevented), a simulated challenge that can never succeed.
 */
export function srpChallenge(ctx: EmulatorContext, client: AppClient, A: bigint, user: User | undefined, username: string, deviceKey?: string): p.JsonObject {
  const pool = ctx.store.pool(client.userPoolId);
  const srpUser = user?.username ?? username;
  const { salt, verifier } = user?.srp ?? srpVerifier(pool.id, srpUser, secretBlock());
  const { b, B } = serverEphemeral(verifier);
  const block = secretBlock();
  const now = ctx.now();
  for (const [key, s] of ctx.srp) if (s.expiresAt <= now) ctx.srp.delete(key);
  const state: SrpState = { poolId: pool.id, clientId: client.clientId, username: user?.username, A, B, b, verifier, expiresAt: now + CHALLENGE_TTL_MS, ...(deviceKey !== undefined && { deviceKey }) };
  ctx.srp.set(block, state);
  return {
    ChallengeName: 'PASSWORD_VERIFIER',
    ChallengeParameters: { SALT: salt.toString(16), SRP_B: B.toString(16), SECRET_BLOCK: block, USER_ID_FOR_SRP: srpUser, USERNAME: srpUser },
  };
}

/** An SRP claim's answer (PASSWORD_VERIFIER, DEVICE_PASSWORD_VERIFIER), its SECRET_HASH checked; the timestamp in canonical form. */
export function claimAnswer(client: AppClient, responses: Record<string, string>): { username: string; block: string; signature: string; timestamp: string } {
  const username = check.requireParam(responses, 'USERNAME');
  const block = check.requireParam(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
  const signature = check.requireParam(responses, 'PASSWORD_CLAIM_SIGNATURE');
  const timestamp = parseSrpTimestamp(check.requireParam(responses, 'TIMESTAMP'));
  check.verifySecretHash(client, responses.SECRET_HASH, [username]);
  if (!timestamp) throw new p.CognitoError('InvalidParameterException', 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.');
  // The signature covers the canonical form of the parsed time (so 'Nov 03' parses but fails).
  return { username, block, signature, timestamp: formatSrpTimestamp(timestamp) };
}

export function passwordVerifier(ctx: EmulatorContext, client: AppClient, responses: Record<string, string>): p.JsonObject {
  const { username, block, signature, timestamp } = claimAnswer(client, responses);
  const state = ctx.srp.get(block);
  if (!state || state.clientId !== client.clientId || state.expiresAt <= ctx.now()) throw incorrect();
  ctx.srp.delete(block); // single use, whatever the outcome
  const user = state.username === undefined ? undefined : ctx.store.findUser(state.poolId, state.username);
  if (!user || (username !== user.username && username !== user.sub)) throw incorrect();
  if (!verifyClaim(state, user.username, block, timestamp, signature)) throw incorrect();
  if (!user.enabled) throw new p.CognitoError('NotAuthorizedException', 'User is disabled.');
  return afterPassword(ctx, client, user, state.deviceKey ?? responses.DEVICE_KEY);
}
