import type { AuthRuntime } from './authRuntime.js';
import { AuthError } from './errors.js';
import { SIGNED_IN, challengeStep, type SignInResult } from './results.js';
import type { SignInOptions } from './validate.js';
import { whenEmitted } from './whenEmitted.js';

export const CHALLENGE_STATES = ['awaitingNewPassword', 'awaitingTotpCode', 'awaitingSmsCode'] as const;

/** signIn(): one user at a time; the password goes into the vault, never into the statechart. */
export async function runSignIn(rt: AuthRuntime, { username, password, authFlow }: Required<SignInOptions>): Promise<SignInResult> {
  await rt.whenNotIn('loadingSession', 'signIn');
  if (rt.inState('signedIn')) throw new AuthError('UserAlreadyAuthenticatedException', 'There is already a signed in user: sign out first');
  abandonChallenge(rt);
  const credential = rt.vault.deposit(password);
  return step(rt, 'signIn', () => rt.actor.send({ type: 'SIGN_IN', username, authFlow, credential })).finally(() => rt.vault.discard(credential));
}

/** confirmSignIn(): answers the pending challenge; a wrong code keeps it open. */
export async function runConfirmSignIn(rt: AuthRuntime, challengeResponse: string, userAttributes: Record<string, string>): Promise<SignInResult> {
  if (!rt.inState(...CHALLENGE_STATES)) throw new AuthError('NoPendingChallengeException', 'confirmSignIn() needs a pending challenge: call signIn() first');
  const credential = rt.vault.deposit(challengeResponse);
  return step(rt, 'confirmSignIn', () => rt.actor.send({ type: 'CONFIRM_SIGN_IN', credential, userAttributes })).finally(() => rt.vault.discard(credential));
}

/** Drops a challenge nobody will answer, with Cognito's session for it. */
export function abandonChallenge(rt: AuthRuntime): void {
  const challenge = rt.actor.getSnapshot().context.challenge;
  if (challenge) rt.vault.discard(challenge.sessionRef);
}

/** Sends one sign-in step and resolves with where the sign-in now stands. */
async function step(rt: AuthRuntime, method: string, send: () => void): Promise<SignInResult> {
  const settled = whenEmitted(rt.actor, ['signedIn', 'signInFailed', 'challengeRequired', 'challengeAnswerRejected'], rt.stopped, method);
  send();
  const event = await settled;
  if (event.type === 'signedIn') return SIGNED_IN;
  if (event.type === 'challengeRequired') return challengeStep(event.challenge);
  throw new AuthError(event.error.name, event.error.message);
}
