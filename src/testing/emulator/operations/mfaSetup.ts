// MFA setup and choice: SetUserPoolMfaConfig, GetUserPoolMfaConfig, AssociateSoftwareToken,
// VerifySoftwareToken, SetUserMFAPreference, and the answers to the sign-in steps MFA_SETUP,
// SELECT_MFA_TYPE and EMAIL_OTP. The user's model is userMfa.ts; which step a sign-in takes,
// challenges.ts (mfaChallenge).
import { randomBytes } from 'node:crypto';
import type { ChallengeSession, EmulatorContext, OperationHandler } from '../context.js';
import { signInResult } from '../devices.js';
import { totpMatches } from '../mfa.js';
import type { PoolSettings } from '../poolSettings.js';
import * as p from '../protocol.js';
import type { AppClient, User } from '../state.js';
import { base32, MFA_FACTORS, type MfaFactor } from '../userMfa.js';
import { challenge, factorChallenge, invalidSession, pendingSession } from './challenges.js';
import * as check from './checks.js';

const MFA_CONFIGURATIONS = ['OFF', 'ON', 'OPTIONAL'] as const;
const CODE_PLACEHOLDER = '{####}';

function structure(input: p.JsonObject, member: string): p.JsonObject | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (!p.isJsonObject(value)) throw p.validationError(member.charAt(0).toLowerCase() + member.slice(1), 'Member must be a structure');
  return value;
}

/** A message template, when given, must hold the code's placeholder. */
function checkTemplate(config: p.JsonObject | undefined, member: string): void {
  const template = config === undefined ? undefined : p.optionalString(config, member);
  if (template !== undefined && !template.includes(CODE_PLACEHOLDER)) throw new p.CognitoError('InvalidParameterException', `${member} must contain the ${CODE_PLACEHOLDER} placeholder.`);
}

/** GetUserPoolMfaConfig's answer (and SetUserPoolMfaConfig's). Message templates are not kept. */
function describeMfaConfig(settings: PoolSettings): p.JsonObject {
  const rpId = settings.webAuthnRelyingPartyId;
  return {
    WebAuthnConfiguration: { ...(rpId === undefined ? {} : { RelyingPartyId: rpId }), UserVerification: settings.webAuthnUserVerification ?? 'preferred' },
    MfaConfiguration: settings.mfaConfiguration,
    SoftwareTokenMfaConfiguration: { Enabled: settings.softwareTokenMfaEnabled },
    ...(settings.smsMfaEnabled ? { SmsMfaConfiguration: {} } : {}),
    ...(settings.emailMfaEnabled ? { EmailMfaConfiguration: {} } : {}),
  };
}

/**
 * SetUserPoolMfaConfig: the factors a pool offers and MfaConfiguration (kept when left out). A factor
 * left out is turned off, as the call sets the whole configuration. MFA OFF with a factor on →
 * InvalidParameterException, as Cognito answers.
 */
export const setUserPoolMfaConfig: OperationHandler = (ctx, input) => {
  const pool = ctx.store.pool(p.requireString(input, 'UserPoolId'));
  const mfa = p.optionalString(input, 'MfaConfiguration') ?? pool.settings.mfaConfiguration;
  const mfaConfiguration = MFA_CONFIGURATIONS.find((value) => value === mfa);
  if (mfaConfiguration === undefined) throw p.validationError('mfaConfiguration', 'Member must satisfy enum value set: [OFF, ON, OPTIONAL]', mfa);
  const totp = structure(input, 'SoftwareTokenMfaConfiguration');
  const sms = structure(input, 'SmsMfaConfiguration');
  const email = structure(input, 'EmailMfaConfiguration');
  checkTemplate(sms, 'SmsAuthenticationMessage');
  checkTemplate(email, 'Message');
  const softwareTokenMfaEnabled = totp !== undefined && (p.optionalBoolean(totp, 'Enabled') ?? false);
  const smsMfaEnabled = sms !== undefined;
  const emailMfaEnabled = email !== undefined;
  if (mfaConfiguration === 'OFF' && (softwareTokenMfaEnabled || smsMfaEnabled || emailMfaEnabled)) {
    throw new p.CognitoError('InvalidParameterException', "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.");
  }
  pool.settings = { ...pool.settings, mfaConfiguration, softwareTokenMfaEnabled, smsMfaEnabled, emailMfaEnabled, ...webAuthnConfiguration(input) };
  pool.updatedAt = ctx.now();
  return describeMfaConfig(pool.settings);
};

const RP_ID = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * WebAuthnConfiguration `{RelyingPartyId?, UserVerification?}` (passkeys' relying party, a domain
 * name; 'required' or 'preferred'). Left out, the pool's WebAuthn settings stay as they are.
 */
function webAuthnConfiguration(input: p.JsonObject): Pick<PoolSettings, 'webAuthnRelyingPartyId' | 'webAuthnUserVerification'> {
  const config = structure(input, 'WebAuthnConfiguration');
  if (config === undefined) return {};
  const id = p.optionalString(config, 'RelyingPartyId');
  if (id !== undefined && !RP_ID.test(id)) throw new p.CognitoError('InvalidParameterException', 'WebAuthnConfiguration.RelyingPartyId must be a domain name.');
  const verification = p.optionalString(config, 'UserVerification') ?? 'preferred';
  if (verification !== 'required' && verification !== 'preferred') throw p.validationError('webAuthnConfiguration.userVerification', 'Member must satisfy enum value set: [required, preferred]', verification);
  return { ...(id === undefined ? {} : { webAuthnRelyingPartyId: id }), webAuthnUserVerification: verification };
}

export const getUserPoolMfaConfig: OperationHandler = (ctx, input) => describeMfaConfig(ctx.store.pool(p.requireString(input, 'UserPoolId')).settings);

/** The user an AccessToken or an MFA_SETUP Session stands for (exactly one of the two). */
function caller(ctx: EmulatorContext, input: p.JsonObject): { user: User; setup?: { id: string; session: ChallengeSession } } {
  const token = p.optionalString(input, 'AccessToken');
  const id = p.optionalString(input, 'Session');
  if ((token === undefined) === (id === undefined)) throw new p.CognitoError('InvalidParameterException', 'Exactly one of AccessToken and Session is required.');
  if (token !== undefined) return { user: check.signedInUser(ctx, token) };
  const session = ctx.sessions.get(id ?? '');
  if (!session || session.challenge !== 'MFA_SETUP' || session.expiresAt <= ctx.now()) throw invalidSession();
  const user = ctx.store.findUser(session.poolId, session.username);
  if (!user) throw invalidSession();
  return { user, setup: { id: id ?? '', session } };
}

/** The MFA_SETUP step goes on with a new Session (the old one is used up), marked as given. */
function renew(ctx: EmulatorContext, user: User, setup: { id: string; session: ChallengeSession }, totpVerified: boolean): string {
  ctx.sessions.delete(setup.id);
  const client = ctx.store.client(setup.session.clientId);
  const next = challenge(ctx, client, user, 'MFA_SETUP', {}, { ...(setup.session.choices ? { choices: setup.session.choices } : {}), totpVerified, deviceKey: setup.session.deviceKey });
  return String(next.Session);
}

function requireTotpPool(ctx: EmulatorContext, user: User): void {
  if (!ctx.store.pool(user.poolId).settings.softwareTokenMfaEnabled) throw new p.CognitoError('SoftwareTokenMFANotFoundException', 'Software Token MFA has not been enabled by the userPool.');
}

/**
 * AssociateSoftwareToken: a new secret, pending until VerifySoftwareToken. As in Cognito
 * (amplify-js #1226), it replaces a verified secret too: a working TOTP stops being asked for at
 * sign-in until the new secret is verified, while GetUser still lists it.
 */
export const associateSoftwareToken: OperationHandler = (ctx, input) => {
  const { user, setup } = caller(ctx, input);
  requireTotpPool(ctx, user);
  const secret = randomBytes(20);
  user.mfa.pendingTotpSecret = secret;
  user.mfa.totpSecret = undefined;
  const SecretCode = base32(secret);
  const answer: p.JsonObject = { SecretCode };
  if (setup) answer.Session = renew(ctx, user, setup, false);
  return answer;
};

/** VerifySoftwareToken: the pending secret becomes the verified one if UserCode is its TOTP code now. */
export const verifySoftwareToken: OperationHandler = (ctx, input) => {
  const code = p.requireString(input, 'UserCode');
  if (!/^[0-9]{6}$/.test(code)) throw p.validationError('userCode', 'Member must satisfy regular expression pattern: [0-9]+ and have length 6');
  p.optionalString(input, 'FriendlyDeviceName');
  const { user, setup } = caller(ctx, input);
  requireTotpPool(ctx, user);
  const pending = user.mfa.pendingTotpSecret;
  if (pending === undefined) throw new p.CognitoError('SoftwareTokenMFANotFoundException', 'No software token is associated with the user: call AssociateSoftwareToken first.');
  // Cognito's answer to a wrong code here; the secret stays pending for another try.
  if (!totpMatches(pending, ctx.now(), code)) throw new p.CognitoError('EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA');
  user.mfa.totpSecret = pending;
  user.mfa.pendingTotpSecret = undefined;
  const answer: p.JsonObject = { Status: 'SUCCESS' };
  if (setup) answer.Session = renew(ctx, user, setup, true);
  return answer;
};

interface FactorSetting {
  readonly factor: MfaFactor;
  readonly enabled: boolean | undefined;
  readonly preferred: boolean | undefined;
}

const SETTINGS_MEMBERS: Record<MfaFactor, string> = { SOFTWARE_TOKEN_MFA: 'SoftwareTokenMfaSettings', SMS_MFA: 'SMSMfaSettings', EMAIL_OTP: 'EmailMfaSettings' };
const DELIVERY_ATTRIBUTES: Record<'SMS_MFA' | 'EMAIL_OTP', string> = { SMS_MFA: 'phone_number', EMAIL_OTP: 'email' };

/** InvalidParameterException when `user` cannot have `setting` (each factor's own wording). */
function checkSetting(user: User, setting: FactorSetting): void {
  const refuse = (message: string): never => {
    throw new p.CognitoError('InvalidParameterException', message);
  };
  if (setting.factor === 'SOFTWARE_TOKEN_MFA') {
    // A TOTP replaced by AssociateSoftwareToken and not verified yet: Cognito refuses any change (amplify-js #3844).
    if (user.mfa.enabled.has('SOFTWARE_TOKEN_MFA') && user.mfa.totpSecret === undefined) refuse('User has not set up software token mfa');
    if (setting.enabled === true && user.mfa.totpSecret === undefined) refuse('User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA');
  } else if (setting.enabled === true && !user.attributes.has(DELIVERY_ATTRIBUTES[setting.factor])) {
    refuse(`User does not have delivery config set to turn on ${setting.factor}`);
  }
  if (setting.preferred === true && setting.enabled !== true) refuse(`${SETTINGS_MEMBERS[setting.factor]}: a preferred MFA must be enabled.`);
}

/**
 * SetUserMFAPreference: each factor given is enabled or disabled, and preferred or not; the others
 * are left as they are. Everything is checked before anything changes.
 */
export const setUserMfaPreference: OperationHandler = (ctx, input) => {
  const user = check.signedInUser(ctx, p.requireString(input, 'AccessToken'));
  const settings: FactorSetting[] = [];
  for (const factor of MFA_FACTORS) {
    const given = structure(input, SETTINGS_MEMBERS[factor]);
    if (given) settings.push({ factor, enabled: p.optionalBoolean(given, 'Enabled'), preferred: p.optionalBoolean(given, 'PreferredMfa') });
  }
  if (settings.filter((s) => s.preferred === true).length > 1) throw new p.CognitoError('InvalidParameterException', 'Only one MFA method can be preferred.');
  for (const setting of settings) checkSetting(user, setting);
  for (const { factor, enabled, preferred } of settings) {
    if (enabled === true) user.mfa.enabled.add(factor);
    else user.mfa.enabled.delete(factor);
    if (preferred === true) user.mfa.preferred = factor;
    else if (user.mfa.preferred === factor && (enabled !== true || preferred === false)) user.mfa.preferred = undefined;
  }
  user.updatedAt = ctx.now();
  return {};
};

const tokens = (ctx: EmulatorContext, client: AppClient, user: User, deviceKey: string | undefined): p.JsonObject => signInResult(ctx, client, user, deviceKey);

/** A factor set up during sign-in is enabled, and preferred unless another already is. */
function enable(user: User, factor: MfaFactor): void {
  user.mfa.enabled.add(factor);
  user.mfa.preferred ??= factor;
}

const EMAIL = /^[^@\s]+@[^@\s]+$/;

/**
 * RespondToAuthChallenge MFA_SETUP. `{USERNAME}` after VerifySoftwareToken succeeded on this
 * Session: TOTP is enabled, and tokens. `{USERNAME, EMAIL}`: the address becomes the user's email
 * and an EMAIL_OTP challenge follows; its code enables email MFA.
 */
export function answerMfaSetup(ctx: EmulatorContext, input: p.JsonObject, client: AppClient, responses: Record<string, string>): p.JsonObject {
  const username = check.requireParam(responses, 'USERNAME');
  check.verifySecretHash(client, responses.SECRET_HASH, [username]);
  const { id, session, user } = pendingSession(ctx, input, client, 'MFA_SETUP', username);
  const email = responses.EMAIL;
  if (email !== undefined && email !== '') {
    if (!session.choices?.includes('EMAIL_OTP')) throw new p.CognitoError('InvalidParameterException', 'Email MFA is not enabled for this user pool.');
    if (!EMAIL.test(email)) throw new p.CognitoError('InvalidParameterException', 'Invalid email address format.');
    ctx.sessions.delete(id);
    if (user.attributes.get('email') !== email) {
      user.attributes.set('email', email);
      user.attributes.set('email_verified', 'false');
    }
    return factorChallenge(ctx, client, user, 'EMAIL_OTP', { emailSetup: true, deviceKey: session.deviceKey });
  }
  if (session.totpVerified !== true) throw new p.CognitoError('InvalidParameterException', 'MFA setup is not complete: verify a software token with this Session (VerifySoftwareToken), or send EMAIL.');
  ctx.sessions.delete(id);
  enable(user, 'SOFTWARE_TOKEN_MFA');
  return tokens(ctx, client, user, session.deviceKey);
}

/** RespondToAuthChallenge SELECT_MFA_TYPE `{USERNAME, ANSWER}`: one of MFAS_CAN_CHOOSE, then its challenge. */
export function answerSelectMfaType(ctx: EmulatorContext, input: p.JsonObject, client: AppClient, responses: Record<string, string>): p.JsonObject {
  const username = check.requireParam(responses, 'USERNAME');
  const answer = check.requireParam(responses, 'ANSWER');
  check.verifySecretHash(client, responses.SECRET_HASH, [username]);
  const { id, session, user } = pendingSession(ctx, input, client, 'SELECT_MFA_TYPE', username);
  // The API reference names email MFA EMAIL_MFA here; Amplify sends EMAIL_OTP, the challenge's name.
  const factor = MFA_FACTORS.find((f) => f === (answer === 'EMAIL_MFA' ? 'EMAIL_OTP' : answer));
  if (factor === undefined || !session.choices?.includes(factor)) throw new p.CognitoError('InvalidParameterException', 'ANSWER must be one of the MFA types in MFAS_CAN_CHOOSE.');
  ctx.sessions.delete(id);
  return factorChallenge(ctx, client, user, factor, { deviceKey: session.deviceKey });
}

/**
 * RespondToAuthChallenge EMAIL_OTP `{USERNAME, EMAIL_OTP_CODE}`: the newest MFA code in the inbox.
 * A wrong code leaves the session open. The right one marks the email verified (as Cognito does
 * after a first email MFA) and, after an MFA_SETUP, enables email MFA.
 */
export function answerEmailOtp(ctx: EmulatorContext, input: p.JsonObject, client: AppClient, responses: Record<string, string>): p.JsonObject {
  const username = check.requireParam(responses, 'USERNAME');
  const code = check.requireParam(responses, 'EMAIL_OTP_CODE');
  check.verifySecretHash(client, responses.SECRET_HASH, [username]);
  const { id, session, user } = pendingSession(ctx, input, client, 'EMAIL_OTP', username);
  ctx.inbox.check(user, 'mfa', code, client.authSessionValidityMinutes * 60_000);
  ctx.sessions.delete(id);
  user.attributes.set('email_verified', 'true');
  if (session.emailSetup === true) enable(user, 'EMAIL_OTP');
  return tokens(ctx, client, user, session.deviceKey);
}
