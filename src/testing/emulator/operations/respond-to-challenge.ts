// RespondToAuthChallenge: PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA and SMS_MFA;
// MFA_SETUP, SELECT_MFA_TYPE and EMAIL_OTP (as MFA) in mfaSetup.ts; USER_AUTH's SELECT_CHALLENGE,
// and EMAIL_OTP / SMS_OTP as first factors, in userAuth.ts; WEB_AUTHN (a passkey) in webauthn.ts.
import type { EmulatorContext, OperationHandler } from '../context.js';
import { signInResult } from '../devices.js';
import { totpMatches } from '../mfa.js';
import * as p from '../protocol.js';
import type { AppClient } from '../state.js';
import { afterPassword, pendingSession } from './challenges.js';
import * as check from './checks.js';
import { answerDevicePasswordVerifier, answerDeviceSrpAuth } from './devices.js';
import { answerEmailOtp, answerMfaSetup, answerSelectMfaType } from './mfaSetup.js';
import { passwordVerifier } from './srp-auth.js';
import { answerSelectChallenge, answerSignInCode, isFirstFactorSession } from './userAuth.js';
import { answerWebAuthn } from './webauthn.js';

export const respondToAuthChallenge: OperationHandler = (ctx, input) => {
  const client = ctx.store.client(p.requireString(input, 'ClientId'));
  const challenge = p.requireString(input, 'ChallengeName');
  const responses = p.stringMap(input, 'ChallengeResponses');
  switch (challenge) {
    case 'PASSWORD_VERIFIER':
      return passwordVerifier(ctx, client, responses);
    case 'NEW_PASSWORD_REQUIRED':
      return newPassword(ctx, input, client, responses);
    case 'SOFTWARE_TOKEN_MFA':
    case 'SMS_MFA':
      return mfa(ctx, input, client, challenge, responses);
    case 'EMAIL_OTP':
      if (isFirstFactorSession(ctx, input)) return answerSignInCode(ctx, input, client, 'EMAIL_OTP', responses);
      return answerEmailOtp(ctx, input, client, responses);
    case 'SMS_OTP':
      return answerSignInCode(ctx, input, client, 'SMS_OTP', responses);
    case 'WEB_AUTHN':
      return answerWebAuthn(ctx, input, client, responses);
    case 'SELECT_CHALLENGE':
      return answerSelectChallenge(ctx, input, client, responses);
    case 'MFA_SETUP':
      return answerMfaSetup(ctx, input, client, responses);
    case 'SELECT_MFA_TYPE':
      return answerSelectMfaType(ctx, input, client, responses);
    case 'DEVICE_SRP_AUTH':
      return answerDeviceSrpAuth(ctx, input, client, responses);
    case 'DEVICE_PASSWORD_VERIFIER':
      return answerDevicePasswordVerifier(ctx, input, client, responses);
    default:
      throw new p.CognitoError('InvalidParameterException', `The emulator does not implement the ${challenge} challenge`);
  }
};

function newPassword(ctx: EmulatorContext, input: p.JsonObject, client: AppClient, responses: Record<string, string>): p.JsonObject {
  const username = check.requireParam(responses, 'USERNAME');
  const password = check.requireParam(responses, 'NEW_PASSWORD');
  check.verifySecretHash(client, responses.SECRET_HASH, [username]);
  const { id, session, user } = pendingSession(ctx, input, client, 'NEW_PASSWORD_REQUIRED', username);
  ctx.sessions.delete(id);
  for (const [key, value] of Object.entries(responses)) {
    const name = key.startsWith('userAttributes.') ? key.slice('userAttributes.'.length) : '';
    if (name !== '' && name !== 'sub') user.attributes.set(name, value);
  }
  ctx.store.setPassword(user, password, true);
  return afterPassword(ctx, client, user, session.deviceKey); // tokens, or the user's MFA challenge
}

function mfa(ctx: EmulatorContext, input: p.JsonObject, client: AppClient, challenge: 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA', responses: Record<string, string>): p.JsonObject {
  const username = check.requireParam(responses, 'USERNAME');
  const code = check.requireParam(responses, `${challenge}_CODE`);
  check.verifySecretHash(client, responses.SECRET_HASH, [username]);
  const { id, session, user } = pendingSession(ctx, input, client, challenge, username);
  const right = challenge === 'SMS_MFA' ? code === session.smsCode : user.mfa.totpSecret !== undefined && totpMatches(user.mfa.totpSecret, ctx.now(), code);
  // A wrong code leaves the session open, so the user can try again within its 3 minutes.
  if (!right) throw new p.CognitoError('CodeMismatchException', 'Invalid code received for user');
  ctx.sessions.delete(id);
  return signInResult(ctx, client, user, session.deviceKey);
}
