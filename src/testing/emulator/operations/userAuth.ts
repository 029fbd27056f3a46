// Choice-based sign-in: InitiateAuth USER_AUTH without a Session, and the answers to its
// challenges: SELECT_CHALLENGE (a first factor chosen from AvailableChallenges), and EMAIL_OTP /
// SMS_OTP as first factors, whose codes go to the user's inbox with purpose 'signIn'. PASSWORD goes
// on as a password sign-in (afterPassword: MFA, tokens), PASSWORD_SRP as USER_SRP_AUTH
// (PASSWORD_VERIFIER), WEB_AUTHN (a passkey) as operations/webauthn.ts's challenge. USER_AUTH with
// ConfirmSignUp's Session is signUp.ts's. What Cognito leaves undocumented is chosen in docs/emulator.md.
import type { ChallengeSession, EmulatorContext } from '../context.js';
import { smsCode } from '../mfa.js';
import type { PoolSettings } from '../poolSettings.js';
import * as p from '../protocol.js';
import type { AppClient, User } from '../state.js';
import { simulatedDelivery } from './account.js';
import { afterPassword, challenge, invalidSession, userAuthSession } from './challenges.js';
import * as check from './checks.js';
import { signInResult } from '../devices.js';
import { srpAOf, srpChallenge } from './srp-auth.js';
import { hasPasskey, webAuthnChallenge } from './webauthn.js';

/** The first factors the emulator offers, in the order AvailableChallenges lists them. */
export type FirstFactor = 'PASSWORD' | 'PASSWORD_SRP' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN';
const FIRST_FACTORS: readonly FirstFactor[] = ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'];
/** Every value Cognito takes as PREFERRED_CHALLENGE or a SELECT_CHALLENGE ANSWER. */
const CHALLENGE_NAMES: readonly string[] = FIRST_FACTORS;

/** Wrong codes a sign-in code's session takes; the last one uses the session up. */
export const MAX_WRONG_CODES = 3;

/** The parameter each factor needs besides USERNAME, when it is started (InitiateAuth or SELECT_CHALLENGE). */
const NEEDS: Partial<Record<FirstFactor, string>> = { PASSWORD: 'PASSWORD', PASSWORD_SRP: 'SRP_A' };

const isFirstFactor = (name: string): name is FirstFactor => (FIRST_FACTORS as readonly string[]).includes(name);

const incorrect = (): p.CognitoError => new p.CognitoError('NotAuthorizedException', 'Incorrect username or password.');

/**
 * The first factors this user can use now: the pool's AllowedFirstAuthFactors, narrowed to what the
 * user has (a password: PASSWORD and PASSWORD_SRP; a verified email: EMAIL_OTP; a verified phone
 * number: SMS_OTP; a passkey of the pool's relying party: WEB_AUTHN). Codes are offered only to CONFIRMED users and not in a pool whose MFA is ON.
 * `user` undefined (a simulated sign-in) gets everything the pool allows.
 */
export function availableFirstFactors(settings: PoolSettings, user: User | undefined): FirstFactor[] {
  const allowed = settings.allowedFirstAuthFactors;
  const verified = (attribute: string) => user === undefined || (user.attributes.has(attribute) && user.attributes.get(`${attribute}_verified`) === 'true');
  const codes = settings.mfaConfiguration !== 'ON' && (user === undefined || user.status === 'CONFIRMED');
  const usable: Record<FirstFactor, boolean> = {
    PASSWORD: allowed.includes('PASSWORD') && user?.status !== 'EXTERNAL_PROVIDER',
    PASSWORD_SRP: allowed.includes('PASSWORD') && user?.status !== 'EXTERNAL_PROVIDER',
    EMAIL_OTP: codes && allowed.includes('EMAIL_OTP') && verified('email'),
    SMS_OTP: codes && allowed.includes('SMS_OTP') && verified('phone_number'),
    WEB_AUTHN: allowed.includes('WEB_AUTHN') && settings.webAuthnRelyingPartyId !== undefined && (user === undefined || hasPasskey(user, settings.webAuthnRelyingPartyId)),
  };
  return FIRST_FACTORS.filter((factor) => usable[factor]);
}

/**
 * InitiateAuth USER_AUTH `{USERNAME, SECRET_HASH?, PREFERRED_CHALLENGE?, PASSWORD?, SRP_A?}`: a
 * preferred factor this user can use starts at once; otherwise SELECT_CHALLENGE with
 * AvailableChallenges and a Session.
 */
export function initiateUserAuth(ctx: EmulatorContext, client: AppClient, params: Record<string, string>): p.JsonObject {
  if (!check.flowEnabled(client, 'USER_AUTH')) throw new p.CognitoError('InvalidParameterException', 'USER_AUTH flow not enabled for this client');
  const username = check.requireParam(params, 'USERNAME');
  check.verifySecretHash(client, params.SECRET_HASH, [username]);
  const preferred = params.PREFERRED_CHALLENGE ?? '';
  if (preferred !== '' && !CHALLENGE_NAMES.includes(preferred)) {
    throw p.validationError('authParameters.PREFERRED_CHALLENGE', `Member must satisfy enum value set: [${CHALLENGE_NAMES.join(', ')}]`, preferred);
  }
  const user = ctx.store.findUser(client.userPoolId, username);
  if (!user && !client.preventUserExistenceErrors) throw new p.CognitoError('UserNotFoundException', 'User does not exist.');
  if (user && !user.enabled) throw new p.CognitoError('NotAuthorizedException', 'User is disabled.');
  const available = availableFirstFactors(ctx.store.pool(client.userPoolId).settings, user);
  if (isFirstFactor(preferred) && available.includes(preferred)) {
    const needed = NEEDS[preferred];
    if (needed !== undefined) check.requireParam(params, needed);
    return startFactor(ctx, client, user, username, preferred, params);
  }
  const who = { poolId: client.userPoolId, username: user?.username ?? username };
  const answer = challenge(ctx, client, who, 'SELECT_CHALLENGE', {}, { choices: available, ...(user ? {} : { simulated: true }) });
  return { ...answer, AvailableChallenges: [...available] };
}

/** Starts `factor` for `user` (undefined: simulated), with the request's PASSWORD or SRP_A. */
function startFactor(ctx: EmulatorContext, client: AppClient, user: User | undefined, username: string, factor: FirstFactor, params: Record<string, string>): p.JsonObject {
  switch (factor) {
    case 'PASSWORD': {
      if (!user || !check.passwordMatches(user, params.PASSWORD ?? '')) throw incorrect();
      return afterPassword(ctx, client, user, params.DEVICE_KEY); // NEW_PASSWORD_REQUIRED, MFA, or tokens
    }
    case 'PASSWORD_SRP':
      return srpChallenge(ctx, client, srpAOf(params.SRP_A ?? ''), user, username, params.DEVICE_KEY);
    case 'EMAIL_OTP':
    case 'SMS_OTP':
      return codeChallenge(ctx, client, user, username, factor);
    case 'WEB_AUTHN':
      return webAuthnChallenge(ctx, client, user, username);
  }
}

/** EMAIL_OTP / SMS_OTP: a new 'signIn' code to the verified email or phone, and its challenge. */
function codeChallenge(ctx: EmulatorContext, client: AppClient, user: User | undefined, username: string, factor: 'EMAIL_OTP' | 'SMS_OTP'): p.JsonObject {
  const channel = factor === 'EMAIL_OTP' ? 'EMAIL' : 'SMS';
  if (!user) {
    // Nothing is sent; the destination is masked like a real one and stable per username.
    const delivery = simulatedDelivery(ctx, client, username, channel);
    const who = { poolId: client.userPoolId, username };
    return challenge(ctx, client, who, factor, { CODE_DELIVERY_DELIVERY_MEDIUM: channel, CODE_DELIVERY_DESTINATION: delivery.Destination }, { firstFactor: true, simulated: true, code: smsCode() });
  }
  const { code, delivery } = ctx.inbox.send(user, 'signIn', factor === 'EMAIL_OTP' ? 'email' : 'phone_number');
  return challenge(ctx, client, user, factor, { CODE_DELIVERY_DELIVERY_MEDIUM: channel, CODE_DELIVERY_DESTINATION: delivery.Destination }, { firstFactor: true, code });
}

/** Whether the request's Session is a USER_AUTH first-factor code's (EMAIL_OTP is also an MFA challenge). */
export function isFirstFactorSession(ctx: EmulatorContext, input: p.JsonObject): boolean {
  return ctx.sessions.get(p.optionalString(input, 'Session') ?? '')?.firstFactor === true;
}

/**
 * RespondToAuthChallenge SELECT_CHALLENGE `{USERNAME, ANSWER, SECRET_HASH?}` (+ PASSWORD for
 * PASSWORD, SRP_A for PASSWORD_SRP): one of AvailableChallenges, started. The choice uses the
 * session up, whatever follows (a wrong password does not let the user choose again).
 */
export function answerSelectChallenge(ctx: EmulatorContext, input: p.JsonObject, client: AppClient, responses: Record<string, string>): p.JsonObject {
  const username = check.requireParam(responses, 'USERNAME');
  const answer = check.requireParam(responses, 'ANSWER');
  check.verifySecretHash(client, responses.SECRET_HASH, [username]);
  const { id, session, user } = userAuthSession(ctx, input, client, 'SELECT_CHALLENGE', username);
  if (!isFirstFactor(answer) || !session.choices?.includes(answer)) throw new p.CognitoError('InvalidParameterException', 'ANSWER must be one of the AvailableChallenges.');
  const needed = NEEDS[answer];
  if (needed !== undefined) check.requireParam(responses, needed);
  ctx.sessions.delete(id);
  return startFactor(ctx, client, user, session.username, answer, responses);
}

/**
 * RespondToAuthChallenge EMAIL_OTP `{USERNAME, EMAIL_OTP_CODE}` / SMS_OTP `{USERNAME, SMS_OTP_CODE}`
 * on a first-factor session: the code sent for it → tokens (the code is the sign-in; no MFA
 * follows). A wrong code → CodeMismatchException; the session takes MAX_WRONG_CODES of them, and
 * the last uses it up.
 */
export function answerSignInCode(ctx: EmulatorContext, input: p.JsonObject, client: AppClient, factor: 'EMAIL_OTP' | 'SMS_OTP', responses: Record<string, string>): p.JsonObject {
  const username = check.requireParam(responses, 'USERNAME');
  const code = check.requireParam(responses, `${factor}_CODE`);
  check.verifySecretHash(client, responses.SECRET_HASH, [username]);
  const { id, session, user } = userAuthSession(ctx, input, client, factor, username);
  if (session.firstFactor !== true) throw invalidSession();
  if (!user || session.simulated === true || code !== session.code) {
    const wrongCodes = (session.wrongCodes ?? 0) + 1;
    if (wrongCodes >= MAX_WRONG_CODES) ctx.sessions.delete(id);
    else ctx.sessions.set(id, { ...session, wrongCodes });
    throw new p.CognitoError('CodeMismatchException', 'Invalid code received for user');
  }
  ctx.sessions.delete(id);
  // Through the device tracking's end of a sign-in: NewDeviceMetadata and the tokens bound to a device, as for a password.
  return signInResult(ctx, client, user, responses.DEVICE_KEY ?? session.deviceKey);
}
