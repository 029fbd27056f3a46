// `authchart/account`: the account flows (sign-up, password reset and change, attributes, deletion,
// MFA setup, passkeys) of a createAuth instance, from either entry. createAuth's bundles carry none of it.
export { createAccount, type Account } from './createAccount.js';
export type { AccountOptions } from './kit.js';
export type { CodeDeliveryDetails } from './results.js';
export type { ConfirmSignUpInput, PendingAutoSignIn, ResendSignUpCodeInput, SignUpInput, SignUpOutput } from './signUp.js';
export type { FetchMFAPreferenceOutput, MfaMethod, MfaPreferenceValue, SetUpTotpOptions, TOTPSetupDetails, UpdateMFAPreferenceInput, VerifyTotpSetupInput } from './mfaSetup.js';
export type { ConfirmResetPasswordInput, ResetPasswordInput, ResetPasswordOutput } from './resetPassword.js';
export type { UpdatePasswordInput, UpdatePasswordOutput } from './updatePassword.js';
export type { ConfirmUserAttributeInput, DeleteUserAttributesInput, PendingAttributeChange, PendingAttributeChanges, SendUserAttributeVerificationCodeInput, UpdateUserAttributeResult, UpdateUserAttributesInput, UpdateUserAttributesOutput } from './userAttributes.js';
export type { DeleteUserResult } from './deleteUser.js';
export type { AuthDevice, ForgetDeviceInput } from './devices.js';
export type { AssociateWebAuthnCredentialOptions, AssociateWebAuthnCredentialOutput, AuthWebAuthnCredential, DeleteWebAuthnCredentialInput, ListWebAuthnCredentialsInput, ListWebAuthnCredentialsOutput } from './passkeys.js';
export type { CeremonyOptions, WebAuthnClient, WebAuthnJson } from '../../services/webauthn/types.js';
export { WebAuthnCeremonyError, type CeremonyFailure } from '../../services/webauthn/types.js';
export { fetchAccountWire, type AccountWire } from '../../services/cognito/accountWire.js';
export { AccountCognitoExceptions, AccountErrorNames, type AccountErrorName } from '../../machines/errors/accountNames.js';
export { PasskeyErrorNames, type PasskeyErrorName } from '../../machines/errors/passkeyNames.js';
