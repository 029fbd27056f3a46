// The account calls of issue 21 over an account wire (accountWire.ts: fetch or the SDK), written
// once for both transports: Cognito's members in, typed facts out (what Cognito answered; what it
// means is decided by the account flows' charts). SecretHash is added for clients with a secret.
// Passwords, codes, sessions, secrets and tokens pass through and are redacted from every error.
import { ErrorNames } from '../../machines/types.js';
import { isJsonObject } from '../encoding/json.js';
import { CognitoCallError } from './errors.js';
import { secretHash } from '../crypto/secretHash.js';
import type { LoadOnFirstUse } from '../crypto/hashes.js';
import type { Json } from './fetchTransport.js';
import type { AccountWire } from './accountWire.js';
import { toAuthStep } from './authParameters.js';
import type { AuthStep } from './types.js';
import type { CodeDelivery } from '../../machines/account/shared.js';
import type { PasskeyFacts } from '../../machines/account/passkeysMachine.js';
import type { WebAuthnJson } from '../webauthn/types.js';

export type { CodeDelivery } from '../../machines/account/shared.js';

/** A user's MFA factor, by Cognito's name. */
export type MfaFactor = 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA' | 'EMAIL_OTP';

/** What authorises an MFA-setup call: a signed-in user's access token, or a sign-in's MFA_SETUP session. */
export type SetupAuthority = { readonly accessToken: string } | { readonly session: string };

/** A factor's setting for SetUserMFAPreference: enabled or not, and whether preferred. */
export interface MfaSetting {
  readonly enabled: boolean;
  readonly preferred?: boolean;
}

export interface AccountCalls {
  signUp(input: { readonly username: string; readonly password: string; readonly userAttributes?: Readonly<Record<string, string>> }, signal?: AbortSignal): Promise<{ readonly userConfirmed: boolean; readonly userSub?: string; readonly codeDelivery?: CodeDelivery; readonly session?: string }>;
  confirmSignUp(input: { readonly username: string; readonly confirmationCode: string; readonly session?: string }, signal?: AbortSignal): Promise<{ readonly session?: string }>;
  resendSignUpCode(input: { readonly username: string }, signal?: AbortSignal): Promise<{ readonly codeDelivery?: CodeDelivery }>;
  /** InitiateAuth USER_AUTH with a Session ConfirmSignUp (or SignUp) answered: tokens, or the challenge Cognito asks for. */
  signInWithSession(input: { readonly username: string; readonly session: string }, signal?: AbortSignal): Promise<AuthStep>;
  forgotPassword(input: { readonly username: string }, signal?: AbortSignal): Promise<{ readonly codeDelivery?: CodeDelivery }>;
  confirmForgotPassword(input: { readonly username: string; readonly confirmationCode: string; readonly newPassword: string }, signal?: AbortSignal): Promise<void>;
  changePassword(input: { readonly accessToken: string; readonly oldPassword: string; readonly newPassword: string }, signal?: AbortSignal): Promise<void>;
  getUser(accessToken: string, signal?: AbortSignal): Promise<{ readonly username: string; readonly attributes: Readonly<Record<string, string>>; readonly mfaFactors: readonly string[]; readonly preferredMfa?: string }>;
  updateUserAttributes(accessToken: string, attributes: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<{ readonly codeDeliveries: readonly CodeDelivery[] }>;
  verifyUserAttribute(accessToken: string, attributeName: string, code: string, signal?: AbortSignal): Promise<void>;
  sendUserAttributeVerificationCode(accessToken: string, attributeName: string, signal?: AbortSignal): Promise<{ readonly codeDelivery?: CodeDelivery }>;
  deleteUserAttributes(accessToken: string, attributeNames: readonly string[], signal?: AbortSignal): Promise<void>;
  deleteUser(accessToken: string, signal?: AbortSignal): Promise<void>;
  associateSoftwareToken(authority: SetupAuthority, signal?: AbortSignal): Promise<{ readonly sharedSecret: string; readonly session?: string }>;
  verifySoftwareToken(authority: SetupAuthority, code: string, friendlyDeviceName?: string, signal?: AbortSignal): Promise<{ readonly verified: boolean; readonly session?: string }>;
  setMfaPreference(accessToken: string, settings: Partial<Readonly<Record<MfaFactor, MfaSetting>>>, signal?: AbortSignal): Promise<void>;
  /** StartWebAuthnRegistration: the options for the authenticator's `create` (WebAuthn's JSON form; their challenge is a secret). */
  startWebAuthnRegistration(accessToken: string, signal?: AbortSignal): Promise<{ readonly options: WebAuthnJson }>;
  /** CompleteWebAuthnRegistration with the authenticator's new credential (WebAuthn's JSON form). */
  completeWebAuthnRegistration(accessToken: string, credential: WebAuthnJson, signal?: AbortSignal): Promise<void>;
  /** ListWebAuthnCredentials: one page of the user's passkeys, oldest first. */
  listWebAuthnCredentials(accessToken: string, page: { readonly maxResults?: number; readonly nextToken?: string }, signal?: AbortSignal): Promise<{ readonly credentials: readonly PasskeyFacts[]; readonly nextToken?: string }>;
  /** DeleteWebAuthnCredential: one of the user's passkeys removed. */
  deleteWebAuthnCredential(accessToken: string, credentialId: string, signal?: AbortSignal): Promise<void>;
  /** UpdateDeviceStatus: the device `deviceKey` of the signed-in user remembered, or not. */
  updateDeviceStatus(accessToken: string, deviceKey: string, remembered: boolean, signal?: AbortSignal): Promise<void>;
  /** ForgetDevice: the device is gone at Cognito (refresh tokens bound to it stop working). */
  forgetDevice(accessToken: string, deviceKey: string, signal?: AbortSignal): Promise<void>;
  /** ListDevices: one page of the signed-in user's devices (up to 60), and the token of the next page if there is one. */
  listDevices(accessToken: string, paginationToken: string | undefined, signal?: AbortSignal): Promise<{ readonly devices: readonly DeviceFacts[]; readonly paginationToken?: string }>;
}

/** A device as ListDevices describes it (DeviceType). */
export interface DeviceFacts {
  /** DeviceKey. */
  readonly key: string;
  /** DeviceAttributes, by name (device_name, dev:device_remembered_status, last_ip_used, …). */
  readonly attributes: Readonly<Record<string, string>>;
  /** DeviceCreateDate, DeviceLastAuthenticatedDate, DeviceLastModifiedDate: epoch ms, when Cognito sent them. */
  readonly createdAt?: number;
  readonly lastAuthenticatedAt?: number;
  readonly lastModifiedAt?: number;
}

/** Attributes from Cognito's [{ Name, Value }] list (a user's, a device's). */
function attributesOf(list: unknown): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const entry of Array.isArray(list) ? list : []) {
    if (isJsonObject(entry) && typeof entry.Name === 'string' && typeof entry.Value === 'string') attributes[entry.Name] = entry.Value;
  }
  return attributes;
}

/** A Cognito date (epoch seconds over JSON, a Date from the SDK: a device's, a passkey's CreatedAt) in epoch ms. */
function epochMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value * 1000);
  return value instanceof Date && Number.isFinite(value.getTime()) ? value.getTime() : undefined;
}

function deviceOf(value: unknown): DeviceFacts | undefined {
  if (!isJsonObject(value) || typeof value.DeviceKey !== 'string') return undefined;
  const createdAt = epochMs(value.DeviceCreateDate);
  const lastAuthenticatedAt = epochMs(value.DeviceLastAuthenticatedDate);
  const lastModifiedAt = epochMs(value.DeviceLastModifiedDate);
  return {
    key: value.DeviceKey,
    attributes: attributesOf(value.DeviceAttributes),
    ...(createdAt !== undefined && { createdAt }),
    ...(lastAuthenticatedAt !== undefined && { lastAuthenticatedAt }),
    ...(lastModifiedAt !== undefined && { lastModifiedAt }),
  };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function codeDeliveryOf(value: unknown): CodeDelivery | undefined {
  if (!isJsonObject(value)) return undefined;
  const destination = text(value.Destination);
  const medium = value.DeliveryMedium;
  if (destination === undefined || (medium !== 'EMAIL' && medium !== 'SMS')) return undefined;
  return { destination, deliveryMedium: medium, attributeName: text(value.AttributeName) ?? (medium === 'EMAIL' ? 'email' : 'phone_number') };
}

const attributeList = (attributes: Readonly<Record<string, string>>) => Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
const authorityMember = (authority: SetupAuthority): Json => ('accessToken' in authority ? { AccessToken: authority.accessToken } : { Session: authority.session });
const authoritySecret = (authority: SetupAuthority): string => ('accessToken' in authority ? authority.accessToken : authority.session);

/** One WebAuthnCredentialDescription as facts; a member Cognito left out (or not as a string) is left out. */
function passkeyOf(value: unknown): PasskeyFacts | undefined {
  if (!isJsonObject(value)) return undefined;
  const credentialId = text(value.CredentialId);
  if (credentialId === undefined) return undefined;
  const friendlyName = text(value.FriendlyCredentialName);
  const relyingPartyId = text(value.RelyingPartyId);
  const attachment = text(value.AuthenticatorAttachment);
  const transports = Array.isArray(value.AuthenticatorTransports) ? value.AuthenticatorTransports.filter((t): t is string => typeof t === 'string') : undefined;
  const createdAt = epochMs(value.CreatedAt);
  return {
    credentialId,
    ...(friendlyName !== undefined && { friendlyName }),
    ...(relyingPartyId !== undefined && { relyingPartyId }),
    ...(attachment !== undefined && { attachment }),
    ...(transports !== undefined && { transports }),
    ...(createdAt !== undefined && { createdAt }),
  };
}

/** The parts of a credential (JSON) that are the ceremony's proof: redacted from any error message Cognito sends back. */
function credentialParts(credential: WebAuthnJson): string[] {
  const response = credential.response;
  if (!isJsonObject(response)) return [];
  return Object.values(response).filter((v): v is string => typeof v === 'string' && v.length > 16);
}

const SETTING_MEMBERS: Readonly<Record<MfaFactor, string>> = { SOFTWARE_TOKEN_MFA: 'SoftwareTokenMfaSettings', SMS_MFA: 'SMSMfaSettings', EMAIL_OTP: 'EmailMfaSettings' };

/** The account calls over `wire` for the app client `clientId` (with its `clientSecret`, if any); `load` brings @noble/hashes where Web Crypto is missing. */
export function createAccountCalls(options: { readonly wire: AccountWire; readonly clientId: string; readonly clientSecret?: string; readonly load: LoadOnFirstUse }): AccountCalls {
  const { wire, clientId, clientSecret, load } = options;
  /** ClientId, Username and, for a client with a secret, SecretHash. */
  const client = async (username: string): Promise<Json> => ({ ClientId: clientId, Username: username, ...(clientSecret && { SecretHash: await secretHash(clientSecret, username, clientId, load) }) });

  return {
    async signUp({ username, password, userAttributes = {} }, signal) {
      const answer = await wire('SignUp', { ...(await client(username)), Password: password, UserAttributes: attributeList(userAttributes) }, [password], signal);
      const codeDelivery = codeDeliveryOf(answer.CodeDeliveryDetails);
      const session = text(answer.Session);
      const userSub = text(answer.UserSub);
      return { userConfirmed: answer.UserConfirmed === true, ...(userSub && { userSub }), ...(codeDelivery && { codeDelivery }), ...(session && { session }) };
    },
    async confirmSignUp({ username, confirmationCode, session }, signal) {
      const answer = await wire('ConfirmSignUp', { ...(await client(username)), ConfirmationCode: confirmationCode, ...(session && { Session: session }) }, [confirmationCode, session], signal);
      const next = text(answer.Session);
      return next ? { session: next } : {};
    },
    async resendSignUpCode({ username }, signal) {
      const codeDelivery = codeDeliveryOf((await wire('ResendConfirmationCode', await client(username), [], signal)).CodeDeliveryDetails);
      return codeDelivery ? { codeDelivery } : {};
    },
    async signInWithSession({ username, session }, signal) {
      const { SecretHash, ...rest } = await client(username);
      const parameters = { USERNAME: username, ...(typeof SecretHash === 'string' && { SECRET_HASH: SecretHash }) };
      const answer = await wire('InitiateAuth', { ClientId: rest.ClientId, AuthFlow: 'USER_AUTH', AuthParameters: parameters, Session: session }, [session], signal);
      return toAuthStep(answer);
    },
    async forgotPassword({ username }, signal) {
      const codeDelivery = codeDeliveryOf((await wire('ForgotPassword', await client(username), [], signal)).CodeDeliveryDetails);
      return codeDelivery ? { codeDelivery } : {};
    },
    async confirmForgotPassword({ username, confirmationCode, newPassword }, signal) {
      await wire('ConfirmForgotPassword', { ...(await client(username)), ConfirmationCode: confirmationCode, Password: newPassword }, [confirmationCode, newPassword], signal);
    },
    async changePassword({ accessToken, oldPassword, newPassword }, signal) {
      await wire('ChangePassword', { AccessToken: accessToken, PreviousPassword: oldPassword, ProposedPassword: newPassword }, [accessToken, oldPassword, newPassword], signal);
    },
    async getUser(accessToken, signal) {
      const answer = await wire('GetUser', { AccessToken: accessToken }, [accessToken], signal);
      const attributes = attributesOf(answer.UserAttributes);
      const mfaFactors = Array.isArray(answer.UserMFASettingList) ? answer.UserMFASettingList.filter((name): name is string => typeof name === 'string') : [];
      const preferredMfa = text(answer.PreferredMfaSetting);
      return { username: text(answer.Username) ?? '', attributes, mfaFactors, ...(preferredMfa && { preferredMfa }) };
    },
    async updateUserAttributes(accessToken, attributes, signal) {
      const answer = await wire('UpdateUserAttributes', { AccessToken: accessToken, UserAttributes: attributeList(attributes) }, [accessToken], signal);
      const list = Array.isArray(answer.CodeDeliveryDetailsList) ? answer.CodeDeliveryDetailsList : [];
      return { codeDeliveries: list.map(codeDeliveryOf).filter((delivery): delivery is CodeDelivery => delivery !== undefined) };
    },
    async verifyUserAttribute(accessToken, attributeName, code, signal) {
      await wire('VerifyUserAttribute', { AccessToken: accessToken, AttributeName: attributeName, Code: code }, [accessToken, code], signal);
    },
    async sendUserAttributeVerificationCode(accessToken, attributeName, signal) {
      const codeDelivery = codeDeliveryOf((await wire('GetUserAttributeVerificationCode', { AccessToken: accessToken, AttributeName: attributeName }, [accessToken], signal)).CodeDeliveryDetails);
      return codeDelivery ? { codeDelivery } : {};
    },
    async deleteUserAttributes(accessToken, attributeNames, signal) {
      await wire('DeleteUserAttributes', { AccessToken: accessToken, UserAttributeNames: [...attributeNames] }, [accessToken], signal);
    },
    async deleteUser(accessToken, signal) {
      await wire('DeleteUser', { AccessToken: accessToken }, [accessToken], signal);
    },
    async associateSoftwareToken(authority, signal) {
      const answer = await wire('AssociateSoftwareToken', authorityMember(authority), [authoritySecret(authority)], signal);
      const sharedSecret = text(answer.SecretCode);
      if (sharedSecret === undefined) throw new CognitoCallError(ErrorNames.unexpectedResponse, 'AssociateSoftwareToken answered without a SecretCode');
      const session = text(answer.Session);
      return { sharedSecret, ...(session && { session }) };
    },
    async verifySoftwareToken(authority, code, friendlyDeviceName, signal) {
      const payload = { ...authorityMember(authority), UserCode: code, ...(friendlyDeviceName !== undefined && { FriendlyDeviceName: friendlyDeviceName }) };
      const answer = await wire('VerifySoftwareToken', payload, [authoritySecret(authority), code], signal);
      const session = text(answer.Session);
      return { verified: answer.Status === 'SUCCESS', ...(session && { session }) };
    },
    async setMfaPreference(accessToken, settings, signal) {
      const payload: Record<string, unknown> = { AccessToken: accessToken };
      for (const [factor, setting] of Object.entries(settings) as Array<[MfaFactor, MfaSetting]>) {
        payload[SETTING_MEMBERS[factor]] = { Enabled: setting.enabled, PreferredMfa: setting.preferred === true };
      }
      await wire('SetUserMFAPreference', payload, [accessToken], signal);
    },
    async updateDeviceStatus(accessToken, deviceKey, remembered, signal) {
      await wire('UpdateDeviceStatus', { AccessToken: accessToken, DeviceKey: deviceKey, DeviceRememberedStatus: remembered ? 'remembered' : 'not_remembered' }, [accessToken], signal);
    },
    async forgetDevice(accessToken, deviceKey, signal) {
      await wire('ForgetDevice', { AccessToken: accessToken, DeviceKey: deviceKey }, [accessToken], signal);
    },
    async listDevices(accessToken, paginationToken, signal) {
      const answer = await wire('ListDevices', { AccessToken: accessToken, Limit: 60, ...(paginationToken && { PaginationToken: paginationToken }) }, [accessToken], signal);
      const devices = (Array.isArray(answer.Devices) ? answer.Devices : []).map(deviceOf).filter((device): device is DeviceFacts => device !== undefined);
      const next = text(answer.PaginationToken);
      return { devices, ...(next && { paginationToken: next }) };
    },
    async startWebAuthnRegistration(accessToken, signal) {
      const answer = await wire('StartWebAuthnRegistration', { AccessToken: accessToken }, [accessToken], signal);
      const options = answer.CredentialCreationOptions;
      if (!isJsonObject(options)) throw new CognitoCallError(ErrorNames.unexpectedResponse, 'StartWebAuthnRegistration answered without CredentialCreationOptions');
      return { options };
    },
    async completeWebAuthnRegistration(accessToken, credential, signal) {
      await wire('CompleteWebAuthnRegistration', { AccessToken: accessToken, Credential: credential as Json }, [accessToken, ...credentialParts(credential)], signal);
    },
    async listWebAuthnCredentials(accessToken, { maxResults, nextToken }, signal) {
      const payload = { AccessToken: accessToken, ...(maxResults !== undefined && { MaxResults: maxResults }), ...(nextToken !== undefined && { NextToken: nextToken }) };
      const answer = await wire('ListWebAuthnCredentials', payload, [accessToken], signal);
      const credentials = (Array.isArray(answer.Credentials) ? answer.Credentials : []).map(passkeyOf).filter((k): k is PasskeyFacts => k !== undefined);
      const next = text(answer.NextToken);
      return { credentials, ...(next !== undefined && { nextToken: next }) };
    },
    async deleteWebAuthnCredential(accessToken, credentialId, signal) {
      await wire('DeleteWebAuthnCredential', { AccessToken: accessToken, CredentialId: credentialId }, [accessToken], signal);
    },
  };
}
