// What follows a verified password (NEW_PASSWORD_REQUIRED, an MFA challenge, a choice of MFA, an
// MFA setup, or tokens), and the single-use challenge sessions those steps run on.
import type { ChallengeSession, EmulatorContext, SessionChallenge } from '../context.js';
import { rememberedDevice, signInResult } from '../devices.js';
import * as ids from '../ids.js';
import { maskPhone, smsCode } from '../mfa.js';
import * as p from '../protocol.js';
import type { AppClient, User } from '../state.js';
import { mfaStep, type MfaFactor } from '../userMfa.js';
import { challengeAttributes } from './checks.js';

/** SECRET_BLOCKs expire after 3 minutes; a challenge's Session after the client's AuthSessionValidity (3 by default). */
export const CHALLENGE_TTL_MS = 3 * 60 * 1000;

/**
 * The next step for a user whose password (or new password) was just verified. `deviceKey` is the
 * sign-in's DEVICE_KEY: a remembered device answers device SRP first (operations/devices.ts).
 */
export function afterPassword(ctx: EmulatorContext, client: AppClient, user: User, deviceKey?: string): p.JsonObject {
  // Signed up but never confirmed: Cognito says so only once the password is proven.
  if (user.status === 'UNCONFIRMED') throw new p.CognitoError('UserNotConfirmedException', 'User is not confirmed.');
  // AdminResetUserPassword: only ForgotPassword's code and a new password let the user in again.
  if (user.status === 'RESET_REQUIRED') throw new p.CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    return challenge(ctx, client, user, 'NEW_PASSWORD_REQUIRED', {
      USER_ID_FOR_SRP: user.username,
      requiredAttributes: '[]',
      userAttributes: challengeAttributes(user),
    }, { deviceKey });
  }
  if (rememberedDevice(ctx.store.pool(user.poolId), user, deviceKey)) return challenge(ctx, client, user, 'DEVICE_SRP_AUTH', { USERNAME: user.username }, { deviceKey });
  return mfaChallenge(ctx, client, user, deviceKey);
}

/** After every password step: the user's MFA (userMfa.ts decides which step), or tokens (bound to `deviceKey`'s device, devices.ts). */
export function mfaChallenge(ctx: EmulatorContext, client: AppClient, user: User, deviceKey?: string): p.JsonObject {
  const step = mfaStep(ctx.store.pool(user.poolId).settings, user);
  switch (step.kind) {
    case 'factor':
      return factorChallenge(ctx, client, user, step.factor, { deviceKey });
    case 'select':
      return challenge(ctx, client, user, 'SELECT_MFA_TYPE', { MFAS_CAN_CHOOSE: JSON.stringify(step.choices) }, { choices: step.choices, deviceKey });
    case 'setup':
      return challenge(ctx, client, user, 'MFA_SETUP', { MFAS_CAN_SETUP: JSON.stringify(step.choices) }, { choices: step.choices, deviceKey });
    case 'none':
      return signInResult(ctx, client, user, deviceKey);
  }
}

/** One factor's challenge: TOTP asks for a code; SMS and email "send" one first. */
export function factorChallenge(ctx: EmulatorContext, client: AppClient, user: User, factor: MfaFactor, extra: ChallengeExtra = {}): p.JsonObject {
  if (factor === 'SOFTWARE_TOKEN_MFA') return challenge(ctx, client, user, 'SOFTWARE_TOKEN_MFA', {}, extra);
  if (factor === 'SMS_MFA') {
    const code = smsCode();
    user.lastSmsCode = code; // the SMS is "sent": emulator.mfaCode() reads it
    const destination = maskPhone(user.attributes.get('phone_number') ?? '');
    return challenge(ctx, client, user, 'SMS_MFA', { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: destination }, { ...extra, smsCode: code });
  }
  const { delivery } = ctx.inbox.send(user, 'mfa', 'email'); // emulator.inbox() and mfaCode() read it
  return challenge(ctx, client, user, 'EMAIL_OTP', { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: delivery.Destination }, extra);
}

/** What a challenge session carries besides its name, client and user. */
export type ChallengeExtra = Pick<ChallengeSession, 'smsCode' | 'choices' | 'totpVerified' | 'emailSetup' | 'firstFactor' | 'code' | 'simulated' | 'deviceKey' | 'deviceSrp' | 'webAuthnChallenge'>;

/** A new challenge session (the client's AuthSessionValidity) and Cognito's answer naming it; `user` may be a simulated one (USER_AUTH). */
export function challenge(ctx: EmulatorContext, client: AppClient, user: Pick<User, 'poolId' | 'username'>, name: SessionChallenge, parameters: Record<string, string>, extra: ChallengeExtra = {}): p.JsonObject {
  const now = ctx.now();
  for (const [id, s] of ctx.sessions) if (s.expiresAt <= now) ctx.sessions.delete(id);
  const session = ids.session();
  const record: ChallengeSession = { challenge: name, poolId: user.poolId, clientId: client.clientId, username: user.username, expiresAt: now + client.authSessionValidityMinutes * 60_000 };
  ctx.sessions.set(session, { ...record, ...extra });
  return { ChallengeName: name, Session: session, ChallengeParameters: parameters };
}

export const invalidSession = (): p.CognitoError => new p.CognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.');

/**
 * The pending session for this challenge, client and USERNAME (a username or sub), or
 * NotAuthorizedException for an unknown, used, expired or mismatched one. Does not consume it:
 * call ctx.sessions.delete(id) once the answer is right.
 */
export function pendingSession(ctx: EmulatorContext, input: p.JsonObject, client: AppClient, name: SessionChallenge, username: string): { id: string; session: ChallengeSession; user: User } {
  const id = p.optionalString(input, 'Session') ?? '';
  const session = ctx.sessions.get(id);
  if (!session || session.clientId !== client.clientId || session.challenge !== name) throw invalidSession();
  if (session.expiresAt <= ctx.now()) {
    ctx.sessions.delete(id);
    throw invalidSession();
  }
  const user = ctx.store.findUser(session.poolId, session.username);
  if (!user || (username !== user.username && username !== user.sub)) throw invalidSession();
  return { id, session, user };
}

/** The pending USER_AUTH session: a real user's (pendingSession), or a simulated one for the same USERNAME. */
export function userAuthSession(ctx: EmulatorContext, input: p.JsonObject, client: AppClient, name: 'SELECT_CHALLENGE' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN', username: string): { id: string; session: ChallengeSession; user: User | undefined } {
  const id = p.optionalString(input, 'Session') ?? '';
  const session = ctx.sessions.get(id);
  if (session?.simulated !== true) return pendingSession(ctx, input, client, name, username);
  if (session.clientId !== client.clientId || session.challenge !== name || session.username !== username) throw invalidSession();
  if (session.expiresAt <= ctx.now()) {
    ctx.sessions.delete(id);
    throw invalidSession();
  }
  return { id, session, user: undefined };
}
