// A user pool's settings, as CreateUserPool and UpdateUserPool take them (Cognito's own member
// names), and their defaults. The account-flow operations read them: the password policy, MFA,
// which attributes are verified automatically or only once verified, the first factors USER_AUTH
// offers. UpdateUserPool takes the whole configuration: a member left out gets its default, as the
// API reference warns.
import * as p from './protocol.js';

/** Policies.PasswordPolicy. */
export interface PasswordPolicy {
  readonly minimumLength: number;
  readonly requireUppercase: boolean;
  readonly requireLowercase: boolean;
  readonly requireNumbers: boolean;
  readonly requireSymbols: boolean;
  /** TemporaryPasswordValidityDays. */
  readonly temporaryPasswordValidityDays: number;
}

export interface PoolSettings {
  readonly passwordPolicy: PasswordPolicy;
  /** MfaConfiguration. */
  readonly mfaConfiguration: 'OFF' | 'ON' | 'OPTIONAL';
  /** AutoVerifiedAttributes: 'email' and/or 'phone_number', where sign-up codes go. */
  readonly autoVerifiedAttributes: readonly string[];
  /** UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate: the old value stays until the new one is verified. */
  readonly attributesRequireVerificationBeforeUpdate: readonly string[];
  /** Policies.SignInPolicy.AllowedFirstAuthFactors (USER_AUTH). */
  readonly allowedFirstAuthFactors: readonly string[];
  /** SetUserPoolMfaConfig's SoftwareTokenMfaConfiguration.Enabled. */
  readonly softwareTokenMfaEnabled: boolean;
  /** SetUserPoolMfaConfig's EmailMfaConfiguration (present: enabled). */
  readonly emailMfaEnabled: boolean;
  /** SetUserPoolMfaConfig's SmsMfaConfiguration (present: enabled). */
  readonly smsMfaEnabled: boolean;
  /** DeviceConfiguration: undefined when the pool does not track devices (devices.ts). */
  readonly deviceConfiguration?: DeviceConfiguration;
  /** SetUserPoolMfaConfig's WebAuthnConfiguration.RelyingPartyId: passkeys' relying party (webauthn.ts). */
  readonly webAuthnRelyingPartyId?: string;
  /** SetUserPoolMfaConfig's WebAuthnConfiguration.UserVerification ('preferred' when not set). */
  readonly webAuthnUserVerification?: 'required' | 'preferred';
}

/** DeviceConfiguration: giving any member turns device tracking on. */
export interface DeviceConfiguration {
  /** ChallengeRequiredOnNewDevice: a remembered device answers device SRP instead of MFA. */
  readonly challengeRequiredOnNewDevice: boolean;
  /** DeviceOnlyRememberedOnUserPrompt: ConfirmDevice leaves the device not_remembered until UpdateDeviceStatus. */
  readonly deviceOnlyRememberedOnUserPrompt: boolean;
}

/** Cognito's defaults for a pool created without them. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minimumLength: 8, requireUppercase: true, requireLowercase: true, requireNumbers: true, requireSymbols: true, temporaryPasswordValidityDays: 7 };

export const DEFAULT_POOL_SETTINGS: PoolSettings = {
  passwordPolicy: DEFAULT_PASSWORD_POLICY,
  mfaConfiguration: 'OFF',
  autoVerifiedAttributes: [],
  attributesRequireVerificationBeforeUpdate: [],
  allowedFirstAuthFactors: ['PASSWORD'],
  softwareTokenMfaEnabled: false,
  emailMfaEnabled: false,
  smsMfaEnabled: false,
};

const member = (input: p.JsonObject, name: string): p.JsonObject => {
  const value = input[name];
  if (value === undefined || value === null) return {};
  if (!p.isJsonObject(value)) throw p.validationError(name, 'Member must be a structure');
  return value;
};

/**
 * The settings of CreateUserPool or UpdateUserPool's `input` (members left out get their defaults;
 * the MFA factors SetUserPoolMfaConfig sets are kept from `current`). InvalidParameterException for
 * a value Cognito refuses.
 */
export function poolSettingsFromWire(input: p.JsonObject, current: PoolSettings = DEFAULT_POOL_SETTINGS): PoolSettings {
  const policy = member(member(input, 'Policies'), 'PasswordPolicy');
  const minimumLength = p.optionalNumber(policy, 'MinimumLength') ?? DEFAULT_PASSWORD_POLICY.minimumLength;
  if (!Number.isInteger(minimumLength) || minimumLength < 6 || minimumLength > 99) throw new p.CognitoError('InvalidParameterException', 'MinimumLength must be between 6 and 99.');
  const passwordPolicy: PasswordPolicy = {
    minimumLength,
    requireUppercase: p.optionalBoolean(policy, 'RequireUppercase') ?? (Object.keys(policy).length === 0 ? DEFAULT_PASSWORD_POLICY.requireUppercase : false),
    requireLowercase: p.optionalBoolean(policy, 'RequireLowercase') ?? (Object.keys(policy).length === 0 ? DEFAULT_PASSWORD_POLICY.requireLowercase : false),
    requireNumbers: p.optionalBoolean(policy, 'RequireNumbers') ?? (Object.keys(policy).length === 0 ? DEFAULT_PASSWORD_POLICY.requireNumbers : false),
    requireSymbols: p.optionalBoolean(policy, 'RequireSymbols') ?? (Object.keys(policy).length === 0 ? DEFAULT_PASSWORD_POLICY.requireSymbols : false),
    temporaryPasswordValidityDays: p.optionalNumber(policy, 'TemporaryPasswordValidityDays') ?? DEFAULT_PASSWORD_POLICY.temporaryPasswordValidityDays,
  };
  const mfa = p.optionalString(input, 'MfaConfiguration') ?? 'OFF';
  if (mfa !== 'OFF' && mfa !== 'ON' && mfa !== 'OPTIONAL') throw p.validationError('mfaConfiguration', 'Member must satisfy enum value set: [OFF, ON, OPTIONAL]', mfa);
  const autoVerifiedAttributes = p.optionalStringList(input, 'AutoVerifiedAttributes') ?? [];
  for (const name of autoVerifiedAttributes) if (name !== 'email' && name !== 'phone_number') throw p.validationError('autoVerifiedAttributes', 'Member must satisfy enum value set: [phone_number, email]', name);
  const attributesRequireVerificationBeforeUpdate = p.optionalStringList(member(input, 'UserAttributeUpdateSettings'), 'AttributesRequireVerificationBeforeUpdate') ?? [];
  const allowedFirstAuthFactors = p.optionalStringList(member(member(input, 'Policies'), 'SignInPolicy'), 'AllowedFirstAuthFactors') ?? ['PASSWORD'];
  if (!allowedFirstAuthFactors.includes('PASSWORD')) throw new p.CognitoError('InvalidParameterException', 'AllowedFirstAuthFactors must include PASSWORD.');
  const deviceConfiguration = deviceConfigurationFromWire(input);
  return { ...current, passwordPolicy, mfaConfiguration: mfa, autoVerifiedAttributes, attributesRequireVerificationBeforeUpdate, allowedFirstAuthFactors, deviceConfiguration };
}

/** DeviceConfiguration, or undefined when it is left out or empty (device tracking off). */
function deviceConfigurationFromWire(input: p.JsonObject): DeviceConfiguration | undefined {
  const config = member(input, 'DeviceConfiguration');
  const challengeRequiredOnNewDevice = p.optionalBoolean(config, 'ChallengeRequiredOnNewDevice');
  const deviceOnlyRememberedOnUserPrompt = p.optionalBoolean(config, 'DeviceOnlyRememberedOnUserPrompt');
  if (challengeRequiredOnNewDevice === undefined && deviceOnlyRememberedOnUserPrompt === undefined) return undefined;
  return { challengeRequiredOnNewDevice: challengeRequiredOnNewDevice ?? false, deviceOnlyRememberedOnUserPrompt: deviceOnlyRememberedOnUserPrompt ?? false };
}

/** The settings as DescribeUserPool answers them (Cognito's member names). */
export function describePoolSettings(settings: PoolSettings): p.JsonObject {
  const policy = settings.passwordPolicy;
  return {
    Policies: {
      PasswordPolicy: {
        MinimumLength: policy.minimumLength,
        RequireUppercase: policy.requireUppercase,
        RequireLowercase: policy.requireLowercase,
        RequireNumbers: policy.requireNumbers,
        RequireSymbols: policy.requireSymbols,
        TemporaryPasswordValidityDays: policy.temporaryPasswordValidityDays,
      },
      SignInPolicy: { AllowedFirstAuthFactors: [...settings.allowedFirstAuthFactors] },
    },
    MfaConfiguration: settings.mfaConfiguration,
    AutoVerifiedAttributes: [...settings.autoVerifiedAttributes],
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: [...settings.attributesRequireVerificationBeforeUpdate] },
    ...(settings.deviceConfiguration
      ? { DeviceConfiguration: { ChallengeRequiredOnNewDevice: settings.deviceConfiguration.challengeRequiredOnNewDevice, DeviceOnlyRememberedOnUserPrompt: settings.deviceConfiguration.deviceOnlyRememberedOnUserPrompt } }
      : {}),
  };
}

const SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/;

/** InvalidPasswordException when `password` breaks the pool's policy, naming what it lacks, as Cognito does. */
export function checkPassword(policy: PasswordPolicy, password: string): void {
  const fail = (what: string) => {
    throw new p.CognitoError('InvalidPasswordException', `Password did not conform with policy: ${what}`);
  };
  if (password.length < policy.minimumLength) fail('Password not long enough');
  if (policy.requireLowercase && !/[a-z]/.test(password)) fail('Password must have lowercase characters');
  if (policy.requireUppercase && !/[A-Z]/.test(password)) fail('Password must have uppercase characters');
  if (policy.requireNumbers && !/[0-9]/.test(password)) fail('Password must have numeric characters');
  if (policy.requireSymbols && !SYMBOLS.test(password)) fail('Password must have symbol characters');
}
