// The codes the emulator "sends": every email or SMS Cognito would send a user (a sign-up code, a
// password-reset code, an attribute's verification code, an MFA or sign-in code) is kept per user,
// oldest first, so that tests read it (emulator.inbox()) instead of a mail server. Codes live in
// the emulator's memory only, and are never logged or recorded with the requests.
import { randomInt } from 'node:crypto';
import { maskPhone } from './mfa.js';
import { CognitoError } from './protocol.js';
import type { User } from './state.js';

/** What a code is for: Cognito sends each from its own operation. */
export type InboxPurpose = 'signUp' | 'resetPassword' | 'attribute' | 'mfa' | 'signIn';

/** How a code was sent. */
export type InboxChannel = 'EMAIL' | 'SMS';

/** One message "sent" to a user. */
export interface InboxMessage {
  readonly purpose: InboxPurpose;
  readonly channel: InboxChannel;
  /** The address or number it went to, in full (the answer to the app carries it masked). */
  readonly destination: string;
  /** The code, 6 digits. */
  readonly code: string;
  /** The emulator's clock when it was sent (epoch ms). */
  readonly sentAt: number;
}

/** Cognito's CodeDeliveryDetails, as its answers carry them. */
export interface CodeDeliveryDetails {
  readonly Destination: string;
  readonly DeliveryMedium: InboxChannel;
  readonly AttributeName: 'email' | 'phone_number';
}

/** 'jane@example.com' → 'j***@e***', as Cognito shows an email destination. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  return `${email.slice(0, 1)}***@${email.slice(at + 1, at + 2)}***`;
}

/**
 * Where a code for `user` can go: the attribute asked for if the user has it, else email, else
 * phone_number; undefined when the user has neither. `verifiedOnly` (a reset, an MFA code) counts
 * only attributes whose `<name>_verified` is 'true'.
 */
export function deliveryAttribute(user: User, options: { readonly prefer?: 'email' | 'phone_number'; readonly verifiedOnly?: boolean } = {}): 'email' | 'phone_number' | undefined {
  const usable = (name: 'email' | 'phone_number') => user.attributes.has(name) && (!options.verifiedOnly || user.attributes.get(`${name}_verified`) === 'true');
  const order: Array<'email' | 'phone_number'> = options.prefer === 'phone_number' ? ['phone_number', 'email'] : ['email', 'phone_number'];
  return order.find(usable);
}

const keyOf = (poolId: string, username: string) => `${poolId}\u0000${username}`;

export class Inbox {
  private readonly messages = new Map<string, InboxMessage[]>();
  /** Messages whose code was used by an operation that takes a code once. */
  private readonly used = new WeakSet<InboxMessage>();

  /** Marks `message`'s code used: each operation says what presenting it again answers. */
  markUsed(message: InboxMessage): void {
    this.used.add(message);
  }

  /** Whether `message`'s code was used. */
  wasUsed(message: InboxMessage): boolean {
    return this.used.has(message);
  }

  constructor(private readonly now: () => number) {}

  /**
   * Sends a new 6-digit code for `purpose` to the user's `attribute` (email: EMAIL, phone_number:
   * SMS), and answers Cognito's CodeDeliveryDetails for it. `to` overrides the attribute's value (a
   * pending email or phone number, not yet the user's). InvalidParameterException when the user
   * has no such attribute.
   */
  send(user: User, purpose: InboxPurpose, attribute: 'email' | 'phone_number', to?: string): { readonly code: string; readonly delivery: CodeDeliveryDetails } {
    const destination = to ?? user.attributes.get(attribute);
    if (destination === undefined) throw new CognitoError('InvalidParameterException', `The user has no ${attribute} to send a code to.`);
    const code = String(randomInt(1_000_000)).padStart(6, '0');
    const channel: InboxChannel = attribute === 'email' ? 'EMAIL' : 'SMS';
    const key = keyOf(user.poolId, user.username);
    const list = this.messages.get(key) ?? [];
    list.push({ purpose, channel, destination, code, sentAt: this.now() });
    this.messages.set(key, list);
    const Destination = attribute === 'email' ? maskEmail(destination) : maskPhone(destination);
    return { code, delivery: { Destination, DeliveryMedium: channel, AttributeName: attribute } };
  }

  /** Drops every message of the user (DeleteUser: a user signed up again under the name is another user). */
  forget(poolId: string, username: string): void {
    this.messages.delete(keyOf(poolId, username));
  }

  /** Every message sent to the user, oldest first. */
  of(poolId: string, username: string): readonly InboxMessage[] {
    return [...(this.messages.get(keyOf(poolId, username)) ?? [])];
  }

  /** The newest message for `purpose` (an attribute's: for that destination, when given), or undefined. */
  latest(poolId: string, username: string, purpose: InboxPurpose, destination?: string): InboxMessage | undefined {
    const list = this.messages.get(keyOf(poolId, username)) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const message = list[i]!;
      if (message.purpose === purpose && (destination === undefined || message.destination === destination)) return message;
    }
    return undefined;
  }

  /**
   * Checks `code` against the newest message for `purpose` (the newest code always confirms; an
   * older one never does), sent at most `validForMs` ago: CodeMismatchException for another code
   * or none sent, ExpiredCodeException past its validity.
   */
  check(user: User, purpose: InboxPurpose, code: unknown, validForMs: number, destination?: string): void {
    const sent = this.latest(user.poolId, user.username, purpose, destination);
    if (!sent || typeof code !== 'string' || code !== sent.code) throw new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
    if (this.now() - sent.sentAt > validForMs) throw new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
  }
}
