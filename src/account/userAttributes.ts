// The attribute calls: the façade over the attributes chart (machines/account/userAttributesMachine.ts).
// Each validates its argument, sends one event (a code only as a vault receipt), and maps the
// chart's answer to Amplify JS v6's result.
import type { PendingAttributeChange, PendingAttributeChanges } from '../../machines/account/pendingAttributes.js';
import { userAttributesMachine, type UserAttributesAnswer, type UserAttributesEvent } from '../../machines/account/userAttributesMachine.js';
import { createUserAttributesActors } from '../../services/actors/account/userAttributes.js';
import { AuthInternalError, AuthValidationError } from '../errors.js';
import { objectOrUndefined, text } from '../validate.js';
import type { AccountKit } from './kit.js';
import type { CodeDeliveryDetails } from './results.js';

export type { PendingAttributeChange, PendingAttributeChanges };

/** Cognito's bounds: an attribute's name is at most 32 characters, its value at most 2048. */
const NAME_MAX = 32;
const VALUE_MAX = 2048;

/** updateUserAttributes()'s argument. */
export interface UpdateUserAttributesInput {
  /** The attributes to set, by name (`email`, `given_name`, `custom:team`): at least one; names of 1 to 32 characters, values strings of at most 2048. */
  readonly userAttributes: Readonly<Record<string, string>>;
}

/** What updateUserAttributes() did to one attribute, as in Amplify JS v6. */
export interface UpdateUserAttributeResult {
  /** True when the attribute is set and nothing waits; false when a code went out for it (see nextStep). */
  readonly isUpdated: boolean;
  /** What the app does next for this attribute. */
  readonly nextStep: {
    /** CONFIRM_ATTRIBUTE_WITH_CODE: a code was sent (codeDeliveryDetails); call confirmUserAttribute() with it. DONE: nothing waits. */
    readonly updateAttributeStep: 'CONFIRM_ATTRIBUTE_WITH_CODE' | 'DONE';
    /** Where Cognito sent the code, masked. */
    readonly codeDeliveryDetails?: CodeDeliveryDetails;
  };
}

/** updateUserAttributes()'s result: one entry for each attribute it was given. */
export type UpdateUserAttributesOutput = Readonly<Record<string, UpdateUserAttributeResult>>;

/** confirmUserAttribute()'s argument. */
export interface ConfirmUserAttributeInput {
  /** The attribute the code was sent for: `email` or `phone_number`. */
  readonly userAttributeKey: string;
  /** The code Cognito sent: 1 to 2048 characters. Never stored, never in the statechart or an error. */
  readonly confirmationCode: string;
}

/** sendUserAttributeVerificationCode()'s argument. */
export interface SendUserAttributeVerificationCodeInput {
  /** The attribute to send a code for: `email` or `phone_number`. */
  readonly userAttributeKey: string;
}

/** deleteUserAttributes()'s argument. */
export interface DeleteUserAttributesInput {
  /** The attributes to delete, by name: at least one. */
  readonly userAttributeKeys: readonly string[];
}

export interface UserAttributesCalls {
  /**
   * The signed-in user's attributes (GetUser), by name, each a string as Cognito gives it
   * (`email_verified: 'true'`). With the pool's AttributesRequireVerificationBeforeUpdate on, an
   * email or phone waiting for its code is not among them: the old value is, until confirmed.
   * Ends by N + S. Rejects with AuthStateError UserUnAuthenticatedException (nobody signed in:
   * nothing is sent) or AccountStepInProgress (another attribute call runs), CognitoServiceError
   * (NotAuthorizedException, PasswordResetRequiredException, UserNotFoundException, …), or CognitoUnreachableError.
   */
  fetchUserAttributes(): Promise<Readonly<Record<string, string>>>;
  /**
   * Sets attributes (UpdateUserAttributes). For each, DONE, or CONFIRM_ATTRIBUTE_WITH_CODE when
   * Cognito sent a code for it (an email or phone the pool verifies): the change is then kept as
   * waiting (pendingAttributeChanges()) until confirmUserAttribute(). With the pool's
   * AttributesRequireVerificationBeforeUpdate on for it, the old value stays until then; off, the
   * new one replaces it at once, unverified (docs/account-flows.md). Ends by N + 3 S. Rejects as
   * fetchUserAttributes(), with AuthValidationError, and CognitoServiceError AliasExistsException,
   * CodeDeliveryFailureException, InvalidParameterException, InvalidLambdaResponseException, ….
   */
  updateUserAttributes(input: UpdateUserAttributesInput): Promise<UpdateUserAttributesOutput>;
  /**
   * Confirms an attribute with its code (VerifyUserAttribute); the waiting change ends. Works
   * after a reload: the code is what Cognito checks. Ends by N + 3 S. Rejects as
   * fetchUserAttributes(), with AuthValidationError, and CognitoServiceError CodeMismatchException
   * (try again), ExpiredCodeException (send a new one), AliasExistsException, LimitExceededException, ….
   */
  confirmUserAttribute(input: ConfirmUserAttributeInput): Promise<void>;
  /**
   * Sends a new code for an attribute (GetUserAttributeVerificationCode): to the waiting value
   * when a change waits, else to the current one. The newest code is the one that confirms.
   * Resolves where it went (undefined if Cognito did not say). Ends by N + 3 S. Rejects as
   * fetchUserAttributes(), with AuthValidationError, and CognitoServiceError
   * CodeDeliveryFailureException, LimitExceededException, InvalidParameterException, ….
   */
  sendUserAttributeVerificationCode(input: SendUserAttributeVerificationCodeInput): Promise<CodeDeliveryDetails | undefined>;
  /** Deletes attributes (DeleteUserAttributes); a waiting change of one of them ends. Ends by N + 3 S. Rejects as fetchUserAttributes(), with AuthValidationError, and CognitoServiceError InvalidParameterException (a required attribute). */
  deleteUserAttributes(input: DeleteUserAttributesInput): Promise<void>;
  /**
   * The signed-in user's email and phone changes waiting for their code, by attribute: where the
   * newest code went (masked) and since when. Kept in createAuth's `storage`, so it is there
   * after a reload; call confirmUserAttribute() with the code, or sendUserAttributeVerificationCode()
   * for a new one. A change confirmed elsewhere (another storage) stays listed until confirmed or
   * deleted here. No code is ever kept. Ends by 2 S. Rejects with AuthStateError
   * UserUnAuthenticatedException, AccountStepInProgress, or StorageError.
   */
  pendingAttributeChanges(): Promise<PendingAttributeChanges>;
}

function attributeName(field: string, value: unknown): string {
  text(field, value, NAME_MAX, true);
  return value;
}

/** Each attribute's result: CONFIRM_ATTRIBUTE_WITH_CODE where a code went for it, DONE elsewhere. */
function toOutput(names: readonly string[], deliveries: readonly CodeDeliveryDetails[]): UpdateUserAttributesOutput {
  return Object.fromEntries(
    names.map((name) => {
      const delivery = deliveries.find((sent) => sent.attributeName === name);
      return [name, delivery ? { isUpdated: false, nextStep: { updateAttributeStep: 'CONFIRM_ATTRIBUTE_WITH_CODE', codeDeliveryDetails: delivery } } : { isUpdated: true, nextStep: { updateAttributeStep: 'DONE' } }];
    }),
  );
}

/** The answer of the kind the call expects: the chart answers each call with its own kind, so another is the chart's bug. */
function answerOf<K extends UserAttributesAnswer['kind']>(answer: UserAttributesAnswer, kind: K): Extract<UserAttributesAnswer, { kind: K }> {
  if (answer.kind !== kind) throw new AuthInternalError(new TypeError(`answered ${answer.kind}, not ${kind}`));
  return answer as Extract<UserAttributesAnswer, { kind: K }>;
}

export function userAttributesCalls(kit: AccountKit): UserAttributesCalls {
  const { services, vault, runtime } = kit;
  const { storage, clientId, storageTimeoutMs } = runtime.settings;
  const actors = createUserAttributesActors(services, { storage, clientId, timeoutMs: storageTimeoutMs, username: () => kit.auth.getSession().then((session) => session.username) });
  const ask = kit.flow<UserAttributesEvent, UserAttributesAnswer>(userAttributesMachine.provide({ actors }));
  return {
    fetchUserAttributes: async () => {
      kit.live('fetchUserAttributes');
      return answerOf(await ask('fetchUserAttributes', { type: 'FETCH_USER_ATTRIBUTES' }), 'attributes').attributes;
    },
    updateUserAttributes: async (input) => {
      kit.live('updateUserAttributes');
      const { userAttributes } = objectOrUndefined(input ?? null, 'updateUserAttributes input', "{ userAttributes: { email: 'a@example.com' } }");
      const attributes = objectOrUndefined(userAttributes ?? null, 'userAttributes', "{ email: 'a@example.com' }");
      const names = Object.keys(attributes);
      if (names.length === 0) throw new AuthValidationError('userAttributes', 'must name at least one attribute');
      for (const name of names) {
        attributeName('userAttributes', name);
        if (typeof attributes[name] !== 'string' || (attributes[name] as string).length > VALUE_MAX) throw new AuthValidationError(`userAttributes.${name}`, `must be a string of at most ${VALUE_MAX} characters`);
      }
      const answer = answerOf(await ask('updateUserAttributes', { type: 'UPDATE_USER_ATTRIBUTES', attributes: attributes as Record<string, string> }), 'updated');
      return toOutput(names, answer.codeDeliveries);
    },
    confirmUserAttribute: async (input) => {
      kit.live('confirmUserAttribute');
      const { userAttributeKey, confirmationCode } = objectOrUndefined(input ?? null, 'confirmUserAttribute input', '{ userAttributeKey, confirmationCode }');
      const name = attributeName('userAttributeKey', userAttributeKey);
      text('confirmationCode', confirmationCode, 2048, true);
      const code = vault.deposit(confirmationCode);
      await ask('confirmUserAttribute', { type: 'CONFIRM_USER_ATTRIBUTE', attributeName: name, code }).finally(() => vault.discard(code));
    },
    sendUserAttributeVerificationCode: async (input) => {
      kit.live('sendUserAttributeVerificationCode');
      const { userAttributeKey } = objectOrUndefined(input ?? null, 'sendUserAttributeVerificationCode input', "{ userAttributeKey: 'email' }");
      const name = attributeName('userAttributeKey', userAttributeKey);
      return answerOf(await ask('sendUserAttributeVerificationCode', { type: 'SEND_USER_ATTRIBUTE_VERIFICATION_CODE', attributeName: name }), 'codeSent').codeDelivery;
    },
    deleteUserAttributes: async (input) => {
      kit.live('deleteUserAttributes');
      const { userAttributeKeys } = objectOrUndefined(input ?? null, 'deleteUserAttributes input', "{ userAttributeKeys: ['custom:team'] }");
      if (!Array.isArray(userAttributeKeys) || userAttributeKeys.length === 0) throw new AuthValidationError('userAttributeKeys', 'must be a non-empty array of attribute names');
      const attributeNames = userAttributeKeys.map((name: unknown) => attributeName('userAttributeKeys', name));
      await ask('deleteUserAttributes', { type: 'DELETE_USER_ATTRIBUTES', attributeNames });
    },
    pendingAttributeChanges: async () => {
      kit.live('pendingAttributeChanges');
      return answerOf(await ask('pendingAttributeChanges', { type: 'PENDING_ATTRIBUTE_CHANGES' }), 'pending').changes;
    },
  };
}
