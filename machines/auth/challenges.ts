// What a challenge, at its stage, takes and is to the app: pure functions over ChallengeSummary and
// the CHALLENGES table. Only the challenges' chunk of the sign-in flow imports them
// (services/actors/challengeFlow.ts), so they load with the first challenge, never up front.
import { CHALLENGES, type AnswerField, type ChallengeName, type ChallengeSummary, type FirstFactor, type MfaType } from './signInTypes.js';

/** Amplify's factor names (confirmSignIn's `mfaType`, `allowedMFATypes`), and Cognito's for each. */
export const MFA_TYPES = { TOTP: 'SOFTWARE_TOKEN_MFA', SMS: 'SMS_MFA', EMAIL: 'EMAIL_OTP' } as const satisfies Record<MfaType, string>;

/**
 * Cognito's factors (MFAS_CAN_CHOOSE or MFAS_CAN_SETUP, a JSON list) in Amplify's names, in
 * Cognito's order; names it does not know are left out. `settingUp`: only what can be set up during
 * a sign-in, TOTP and EMAIL (SMS is set up outside it, with a phone number). Pure.
 */
export function mfaTypesOf(json: string | undefined, settingUp: boolean): MfaType[] {
  let listed: unknown;
  try {
    listed = JSON.parse(json ?? '[]');
  } catch {
    return [];
  }
  const known = Object.keys(MFA_TYPES) as MfaType[];
  const types = Array.isArray(listed) ? listed.map((name) => known.find((type) => MFA_TYPES[type] === name)) : [];
  return types.filter((type): type is MfaType => type !== undefined && !(settingUp && type === 'SMS'));
}

/** USER_AUTH's first factors, in the order Cognito lists them. */
const FIRST_FACTORS: readonly FirstFactor[] = ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'];

/** Cognito's AvailableChallenges (SELECT_CHALLENGE) as first factors, in Cognito's order; anything else it lists is left out. Pure. */
export const firstFactorsOf = (available: unknown): FirstFactor[] =>
  Array.isArray(available) ? available.filter((name): name is FirstFactor => (FIRST_FACTORS as readonly unknown[]).includes(name)) : [];

/** A first factor whose answer is the password (PASSWORD, PASSWORD_SRP): chosen, it waits for the password, and nothing is sent yet. Pure. */
export const isPasswordFactor = (factor: string): factor is 'PASSWORD' | 'PASSWORD_SRP' => factor === 'PASSWORD' || factor === 'PASSWORD_SRP';

/**
 * Whether authchart can answer challenge `name` with the factors `offered`: a name of CHALLENGES,
 * and a choice (SELECT_MFA_TYPE, SELECT_CHALLENGE) or a setup (MFA_SETUP) with at least one factor
 * it can take. Pure.
 */
export const isAnswerable = (name: string, offered: readonly string[]): name is ChallengeName =>
  Object.prototype.hasOwnProperty.call(CHALLENGES, name) && ((CHALLENGES[name as ChallengeName].answer !== 'mfaType' && name !== 'SELECT_CHALLENGE') || offered.length > 0);

/** MFA_SETUP with one factor that can be set up: that one, at once (no choice to make); with several, the user chooses first. Pure. */
export const setupOf = (name: ChallengeName, mfaTypes: readonly MfaType[]): 'TOTP' | 'EMAIL' | undefined =>
  name === 'MFA_SETUP' && mfaTypes.length === 1 ? (mfaTypes[0] as 'TOTP' | 'EMAIL') : undefined;

/** Which of confirmSignIn()'s fields answers the challenge at its stage: MFA_SETUP takes a factor, then a TOTP code or an address. Pure. */
export const answerFieldOf = (challenge: ChallengeSummary): AnswerField =>
  challenge.setup === 'TOTP' ? 'challengeResponse' : challenge.setup === 'EMAIL' ? 'email' : CHALLENGES[challenge.name].answer;

/** The public step of the challenge at its stage (`nextStep.signInStep`). Pure. */
export const signInStepOf = (challenge: ChallengeSummary) =>
  challenge.setup === 'TOTP'
    ? 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP'
    : challenge.setup === 'EMAIL'
      ? 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP'
      : challenge.firstFactor
        ? 'CONFIRM_SIGN_IN_WITH_PASSWORD'
        : CHALLENGES[challenge.name].step;

/**
 * Why an answer cannot be sent for this challenge, as [the field to name, what is wrong with it],
 * or null when it fits. `fields`: every field the answer came with, comma-separated (one is due). An answer in another field than the stage takes (a factor where a code is
 * due, a code where a choice is, a field confirmSignIn() does not know) never goes to Cognito as a
 * guess; a factor (an MFA factor, or a first factor at SELECT_CHALLENGE's choice) must be one the
 * challenge offers. Pure; the answer itself is never echoed.
 */
export function misfitOf(challenge: ChallengeSummary, fields: string, answer: string): readonly [string, string] | null {
  const [field = '', second] = fields.split(',');
  if (second !== undefined) return [second, `is a second answer beside ${field}: give one`];
  const takes = answerFieldOf(challenge);
  if (field !== takes) return [field, `does not answer ${signInStepOf(challenge)}, which takes ${takes}`];
  const offered: readonly string[] | undefined = takes === 'mfaType' ? challenge.mfaTypes : challenge.firstFactor ? undefined : challenge.availableChallenges;
  if (offered && !offered.includes(answer)) return [field, `must be one of ${offered.join(', ')}`];
  return null;
}
