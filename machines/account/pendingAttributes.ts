// The record of email and phone changes that wait for their code (the attributes flow,
// machines/account/userAttributesMachine.ts), and the pure rule that updates it: what a code sent
// adds, what a confirmation or a deletion removes. Kept in the app's storage per username, so that a
// change begun before a reload is still shown, and finished, after it. Never a code.
import type { CodeDelivery } from './shared.js';

/** One attribute's change waiting for its code. */
export interface PendingAttributeChange {
  /** Where the newest code went, masked as Cognito shows it (`n***@e***`). */
  readonly deliveredTo: string;
  /** How the newest code went: EMAIL or SMS. */
  readonly deliveryMedium: CodeDelivery['deliveryMedium'];
  /** When the newest code was sent (epoch ms, the library's clock). */
  readonly since: number;
}

/** A user's waiting changes, by attribute name (`email`, `phone_number`). */
export type PendingAttributeChanges = Readonly<Record<string, PendingAttributeChange>>;

/** The whole record: each username's waiting changes. */
export type PendingAttributeRecord = Readonly<Record<string, PendingAttributeChanges>>;

/** What a step did to the record: codes sent (added, or the newest replacing the older), attributes settled (removed). */
export interface PendingChange {
  readonly sent: readonly CodeDelivery[];
  readonly settled: readonly string[];
}

/** The attributes whose change waits for a code: the ones Cognito verifies by a code it sends. */
export const VERIFIED_BY_CODE: readonly string[] = ['email', 'phone_number'];

/** The record after `change` for `username` at `at`; a user left with nothing waiting is dropped. */
export function pendingAfter(record: PendingAttributeRecord, username: string, change: PendingChange, at: number): PendingAttributeRecord {
  const mine: Record<string, PendingAttributeChange> = { ...record[username] };
  for (const name of change.settled) delete mine[name];
  for (const { attributeName, destination, deliveryMedium } of change.sent) {
    if (VERIFIED_BY_CODE.includes(attributeName)) mine[attributeName] = { deliveredTo: destination, deliveryMedium, since: at };
  }
  const { [username]: _dropped, ...others } = record;
  return Object.keys(mine).length > 0 ? { ...others, [username]: mine } : others;
}
