// The next step a challenge means to an app, in Amplify's shape (src/results.ts, SignInResult). It
// lives in the sign-in flow's chunk (signInFlow.ts re-exports it): a challenge answer only ever
// follows a sign-in step, which loaded that chunk, so a page that never signs in never carries it.
import type { ChallengeSummary } from '../../machines/authTypes.js';

/** The next step for a challenge Cognito asked for: what signIn() and confirmSignIn() resolve. */
export function challengeStep(challenge: ChallengeSummary) {
  switch (challenge.name) {
    case 'NEW_PASSWORD_REQUIRED':
      return { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', ...(challenge.missingAttributes?.length && { missingAttributes: challenge.missingAttributes }) } } as const;
    case 'SOFTWARE_TOKEN_MFA':
      return { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } } as const;
    case 'SMS_MFA':
      return {
        isSignedIn: false,
        nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDeliveryDetails: { deliveryMedium: 'SMS', ...(challenge.codeDeliveryDestination && { destination: challenge.codeDeliveryDestination }) } },
      } as const;
  }
}
