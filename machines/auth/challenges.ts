// What a challenge, at its stage, takes and is to the app: pure functions over ChallengeSummary and
// the CHALLENGES table. Only the challenges' chunk of the sign-in flow imports them
// (services/actors/challengeFlow.ts), so they load with the first challenge, never up front.
import { CHALLENGES, type AnswerField, type ChallengeName, type ChallengeSummary, type MfaType } from './signInTypes.js';

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

/**
 * Whether authchart can answer challenge `name` with these factors: a name of CHALLENGES, and a
 * choice (SELECT_MFA_TYPE) or a setup (MFA_SETUP) with at least one factor it can take. Pure.
 */
export const isAnswerable = (name: string, mfaTypes: readonly MfaType[]): name is ChallengeName =>
  Object.prototype.hasOwnProperty.call(CHALLENGES, name) && (CHALLENGES[name as ChallengeName].answer !== 'mfaType' || mfaTypes.length > 0);

/** MFA_SETUP with one factor that can be set up: that one, at once (no choice to make); with several, the user chooses first. Pure. */
export const setupOf = (name: ChallengeName, mfaTypes: readonly MfaType[]): 'TOTP' | 'EMAIL' | undefined =>
  name === 'MFA_SETUP' && mfaTypes.length === 1 ? (mfaTypes[0] as 'TOTP' | 'EMAIL') : undefined;

/** Which of confirmSignIn()'s fields answers the challenge at its stage: MFA_SETUP takes a factor, then a TOTP code or an address. Pure. */
export const answerFieldOf = (challenge: ChallengeSummary): AnswerField =>
  challenge.setup === 'TOTP' ? 'challengeResponse' : challenge.setup === 'EMAIL' ? 'email' : CHALLENGES[challenge.name].answer;

/** The public step of the challenge at its stage (`nextStep.signInStep`). Pure. */
export const signInStepOf = (challenge: ChallengeSummary) =>
  challenge.setup === 'TOTP' ? 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP' : challenge.setup === 'EMAIL' ? 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP' : CHALLENGES[challenge.name].step;

/**
 * Why an answer cannot be sent for this challenge, as [the field to name, what is wrong with it],
 * or null when it fits. `fields`: every field the answer came with, comma-separated (one is due). An answer in another field than the stage takes (a factor where a code is
 * due, a code where a choice is, a field confirmSignIn() does not know) never goes to Cognito as a
 * guess; a factor must be one the challenge offers. Pure; the answer itself is never echoed.
 */
export function misfitOf(challenge: ChallengeSummary, fields: string, answer: string): readonly [string, string] | null {
  const [field = '', second] = fields.split(',');
  if (second !== undefined) return [second, `is a second answer beside ${field}: give one`];
  const takes = answerFieldOf(challenge);
  if (field !== takes) return [field, `does not answer ${signInStepOf(challenge)}, which takes ${takes}`];
  if (takes === 'mfaType' && !challenge.mfaTypes?.includes(answer as MfaType)) return [field, `must be one of ${challenge.mfaTypes?.join(', ')}`];
  return null;
}
