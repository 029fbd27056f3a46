// The account wire (accountWire.ts) over `@aws-sdk/client-cognito-identity-provider`: each
// operation is its SDK command, sent with the SDK's own retries under one deadline, its errors
// made CognitoCallError as the SDK transport's are. Loaded only where the account calls run over
// the SDK.
import {
  AssociateSoftwareTokenCommand,
  ChangePasswordCommand,
  ConfirmDeviceCommand,
  ForgetDeviceCommand,
  ListDevicesCommand,
  UpdateDeviceStatusCommand,
  CompleteWebAuthnRegistrationCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  DeleteUserAttributesCommand,
  DeleteUserCommand,
  DeleteWebAuthnCredentialCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListWebAuthnCredentialsCommand,
  ResendConfirmationCodeCommand,
  SetUserMFAPreferenceCommand,
  SignUpCommand,
  StartWebAuthnRegistrationCommand,
  UpdateUserAttributesCommand,
  VerifySoftwareTokenCommand,
  VerifyUserAttributeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { withDeadline } from './deadline.js';
import { toCognitoCallError } from './errors.js';
import type { AccountOperation, AccountWire } from './accountWire.js';
import type { Json } from './fetchTransport.js';

/** An SDK command class, as the wire builds it from Cognito's JSON. */
type CommandOf = new (input: never) => object;

const COMMANDS: Readonly<Record<AccountOperation, CommandOf>> = {
  SignUp: SignUpCommand,
  ConfirmSignUp: ConfirmSignUpCommand,
  ResendConfirmationCode: ResendConfirmationCodeCommand,
  ForgotPassword: ForgotPasswordCommand,
  ConfirmForgotPassword: ConfirmForgotPasswordCommand,
  ChangePassword: ChangePasswordCommand,
  GetUser: GetUserCommand,
  UpdateUserAttributes: UpdateUserAttributesCommand,
  VerifyUserAttribute: VerifyUserAttributeCommand,
  GetUserAttributeVerificationCode: GetUserAttributeVerificationCodeCommand,
  DeleteUserAttributes: DeleteUserAttributesCommand,
  DeleteUser: DeleteUserCommand,
  AssociateSoftwareToken: AssociateSoftwareTokenCommand,
  VerifySoftwareToken: VerifySoftwareTokenCommand,
  SetUserMFAPreference: SetUserMFAPreferenceCommand,
  InitiateAuth: InitiateAuthCommand,
  ConfirmDevice: ConfirmDeviceCommand,
  UpdateDeviceStatus: UpdateDeviceStatusCommand,
  ForgetDevice: ForgetDeviceCommand,
  ListDevices: ListDevicesCommand,
  StartWebAuthnRegistration: StartWebAuthnRegistrationCommand,
  CompleteWebAuthnRegistration: CompleteWebAuthnRegistrationCommand,
  ListWebAuthnCredentials: ListWebAuthnCredentialsCommand,
  DeleteWebAuthnCredential: DeleteWebAuthnCredentialCommand,
};

/** sdkAccountWire()'s options: the SDK client, and what the SDK transport takes. */
export interface SdkAccountWireOptions {
  readonly client: CognitoIdentityProviderClient;
  /** Only for app clients with a secret: redacted from every error message. */
  readonly clientSecret?: string;
  /** Every call (the SDK's retries included) ends with TimeoutError after this. Default 3000. */
  readonly callTimeoutMs?: number;
}

/** The account wire over the AWS SDK. */
export function sdkAccountWire({ client, clientSecret, callTimeoutMs = 3000 }: SdkAccountWireOptions): AccountWire {
  return async (operation, payload, secrets, signal) => {
    const deadline = withDeadline(signal, callTimeoutMs);
    try {
      const Command = COMMANDS[operation];
      const { $metadata: _metadata, ...answer } = (await client.send(new Command(payload as never) as Parameters<CognitoIdentityProviderClient['send']>[0], { abortSignal: deadline.signal })) as Json & { $metadata?: unknown };
      return answer;
    } catch (error) {
      throw toCognitoCallError(error, operation, [...secrets, clientSecret], deadline.signal);
    } finally {
      deadline.done();
    }
  };
}
