// associateWebAuthnCredential(), listWebAuthnCredentials() and deleteWebAuthnCredential(): the
// façade over the passkeys chart (machines/account/passkeysMachine.ts). Each validates its
// argument, sends one event, and maps the chart's answer to Amplify JS v6's result. The
// authenticator is createAccount()'s `webAuthn` option, or the browser's (loaded on first use).
import { passkeysMachine, type PasskeysAnswer, type PasskeysEvent } from '../../machines/account/passkeysMachine.js';
import { createPasskeysActors } from '../../services/actors/account/passkeys.js';
import { AuthInternalError, AuthValidationError } from '../errors.js';
import { objectOrUndefined, text } from '../validate.js';
import type { AccountKit } from './kit.js';

/** associateWebAuthnCredential()'s options (Amplify JS v6's takes none). */
export interface AssociateWebAuthnCredentialOptions {
  /**
   * A step-up rule of the app's: register only if the user signed in (the access token's
   * auth_time; a refresh keeps it) at most this many seconds ago, else reject with
   * RecentSignInRequired before anything is sent. Cognito has no such rule: it registers a passkey
   * for any valid access token. A whole number from 1 to 86 400 (a day). Default: no rule.
   */
  readonly maxSignInAgeSeconds?: number;
}

/** associateWebAuthnCredential()'s result (Amplify JS v6's AssociateWebAuthnCredentialOutput). */
export interface AssociateWebAuthnCredentialOutput {
  /** The new passkey's id (base64url), as listWebAuthnCredentials() lists it. */
  readonly credentialId: string;
}

/** listWebAuthnCredentials()'s argument, as in Amplify JS v6. */
export interface ListWebAuthnCredentialsInput {
  /** At most this many passkeys in the page: 1 to 20 (Cognito's limit). Default: Cognito's (20). */
  readonly pageSize?: number;
  /** The `nextToken` of the page before. */
  readonly nextToken?: string;
}

/** One passkey, as Amplify JS v6's AuthWebAuthnCredential (a member Cognito did not send is undefined). */
export interface AuthWebAuthnCredential {
  /** The credential's id (base64url): deleteWebAuthnCredential() takes it. */
  readonly credentialId: string | undefined;
  /** The name Cognito gave it. */
  readonly friendlyCredentialName: string | undefined;
  /** The relying party (the user pool's WebAuthnConfiguration.RelyingPartyId when it was made). */
  readonly relyingPartyId: string | undefined;
  /** 'platform' (built into the device) or 'cross-platform' (a security key, a phone). */
  readonly authenticatorAttachment?: string;
  /** How the authenticator is reached: 'internal', 'usb', 'hybrid', … */
  readonly authenticatorTransports: string[] | undefined;
  /** When it was registered. */
  readonly createdAt: Date | undefined;
}

/** listWebAuthnCredentials()'s result, as in Amplify JS v6. */
export interface ListWebAuthnCredentialsOutput {
  /** The passkeys of this page, oldest first. */
  readonly credentials: AuthWebAuthnCredential[];
  /** Present when there is a next page: pass it back as `nextToken`. */
  readonly nextToken?: string;
}

/** deleteWebAuthnCredential()'s argument, as in Amplify JS v6. */
export interface DeleteWebAuthnCredentialInput {
  /** The passkey's id, as listWebAuthnCredentials() gives it. */
  readonly credentialId: string;
}

export interface PasskeysCalls {
  /**
   * Registers a new passkey for the signed-in user: StartWebAuthnRegistration, the authenticator's
   * `create` with its options (the browser's passkey prompt), CompleteWebAuthnRegistration. Ends
   * by 2N plus the time the user takes at the prompt (the options' timeout bounds it), plus a
   * refresh of the tokens if they are about to expire. Rejects, with nothing stored, with
   * AuthValidationError; AuthStateError UserUnAuthenticatedException (nobody signed in; nothing
   * sent), AccountStepInProgress (another passkey call runs), RecentSignInRequired (with
   * `maxSignInAgeSeconds`; nothing sent), or, for the ceremony (nothing sent after it):
   * PasskeyCancelled (declined or timed out), PasskeyRelyingPartyNotThisOrigin (the pool's
   * relying party is not this page's domain), PasskeyAlreadyRegistered (this authenticator holds
   * one of the user's passkeys already), PasskeyNotSupported (no WebAuthn with its JSON methods
   * here: pass `webAuthn`), PasskeyCeremonyFailed; CognitoServiceError (WebAuthnNotEnabledException,
   * WebAuthnConfigurationMissingException, LimitExceededException: 20 passkeys already,
   * NotAuthorizedException; for the credential: WebAuthnOriginNotAllowedException,
   * WebAuthnRelyingPartyMismatchException, WebAuthnChallengeNotFoundException,
   * WebAuthnCredentialNotSupportedException, WebAuthnClientMismatchException; docs/passkeys.md);
   * or CognitoUnreachableError.
   */
  associateWebAuthnCredential(options?: AssociateWebAuthnCredentialOptions): Promise<AssociateWebAuthnCredentialOutput>;
  /**
   * One page of the signed-in user's passkeys (ListWebAuthnCredentials), oldest first. Ends by N.
   * Rejects with AuthValidationError, AuthStateError UserUnAuthenticatedException or
   * AccountStepInProgress, CognitoServiceError (InvalidParameterException: a `nextToken` Cognito
   * did not give; NotAuthorizedException, …), or CognitoUnreachableError.
   */
  listWebAuthnCredentials(input?: ListWebAuthnCredentialsInput): Promise<ListWebAuthnCredentialsOutput>;
  /**
   * Removes one of the signed-in user's passkeys (DeleteWebAuthnCredential). Ends by N. The
   * authenticator keeps its key: the user removes it there. Rejects with AuthValidationError,
   * AuthStateError UserUnAuthenticatedException or AccountStepInProgress, CognitoServiceError
   * (ResourceNotFoundException: no passkey of the user has this id; NotAuthorizedException, …), or
   * CognitoUnreachableError.
   */
  deleteWebAuthnCredential(input: DeleteWebAuthnCredentialInput): Promise<void>;
}

function answerOf<K extends PasskeysAnswer['kind']>(answer: PasskeysAnswer, kind: K): Extract<PasskeysAnswer, { readonly kind: K }> {
  if (answer.kind !== kind) throw new AuthInternalError(new Error(`the passkeys flow answered ${answer.kind} for ${kind}`));
  return answer as Extract<PasskeysAnswer, { readonly kind: K }>;
}

/** A whole number within bounds, or AuthValidationError naming the field. */
function wholeNumber(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new AuthValidationError(field, `must be a whole number from ${min} to ${max}`);
  return value;
}

export function passkeysCalls(kit: AccountKit): PasskeysCalls {
  const ask = kit.flow<PasskeysEvent, PasskeysAnswer>(passkeysMachine.provide({ actors: createPasskeysActors(kit.services, () => kit.webAuthn()) }));
  return {
    associateWebAuthnCredential: async (options) => {
      kit.live('associateWebAuthnCredential');
      const { maxSignInAgeSeconds } = objectOrUndefined(options, 'associateWebAuthnCredential options', '{ maxSignInAgeSeconds: 300 }');
      const maxSignInAgeMs = maxSignInAgeSeconds === undefined ? undefined : wholeNumber('maxSignInAgeSeconds', maxSignInAgeSeconds, 1, 86_400) * 1000;
      const at = kit.services.now();
      const { credentialId } = answerOf(await ask('associateWebAuthnCredential', { type: 'ASSOCIATE_WEBAUTHN_CREDENTIAL', at, ...(maxSignInAgeMs !== undefined && { maxSignInAgeMs }) }), 'credentialAssociated');
      return { credentialId };
    },
    listWebAuthnCredentials: async (input) => {
      kit.live('listWebAuthnCredentials');
      const given = objectOrUndefined(input, 'listWebAuthnCredentials input', '{ pageSize: 10 }');
      const pageSize = given.pageSize === undefined ? undefined : wholeNumber('pageSize', given.pageSize, 1, 20);
      const { nextToken } = given;
      if (nextToken !== undefined) text('nextToken', nextToken, 2048, true);
      const page = answerOf(await ask('listWebAuthnCredentials', { type: 'LIST_WEBAUTHN_CREDENTIALS', ...(pageSize !== undefined && { pageSize }), ...(nextToken !== undefined && { nextToken }) }), 'credentials');
      const credentials = page.credentials.map((k) => ({
        credentialId: k.credentialId,
        friendlyCredentialName: k.friendlyName,
        relyingPartyId: k.relyingPartyId,
        ...(k.attachment !== undefined && { authenticatorAttachment: k.attachment }),
        authenticatorTransports: k.transports && [...k.transports],
        createdAt: k.createdAt === undefined ? undefined : new Date(k.createdAt),
      }));
      return { credentials, ...(page.nextToken !== undefined && { nextToken: page.nextToken }) };
    },
    deleteWebAuthnCredential: async (input) => {
      kit.live('deleteWebAuthnCredential');
      const { credentialId } = objectOrUndefined(input ?? null, 'deleteWebAuthnCredential input', '{ credentialId }');
      text('credentialId', credentialId, 1024, true);
      answerOf(await ask('deleteWebAuthnCredential', { type: 'DELETE_WEBAUTHN_CREDENTIAL', credentialId }), 'credentialDeleted');
    },
  };
}
