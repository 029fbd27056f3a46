// The account operations of issue 21 (sign-up, passwords, attributes, MFA setup, DeleteUser) as one
// wire that both transports give: an operation and Cognito's JSON in, its JSON out, bounded and
// retried as the sign-in's calls are, every secret redacted from error messages (CognitoCallError).
// The typed calls over it (accountCalls.ts) are written once for both. createAuth's bundles never
// hold this module: only what imports the account calls does.
import { createFetchCall, type FetchCognitoOptions, type Json } from './fetchTransport.js';
import type { AccountOperation } from './types.js';

export type { AccountOperation } from './types.js';


/**
 * One bounded call: `operation` with `payload` (Cognito's member names), resolving Cognito's JSON
 * answer; rejects with CognitoCallError, whose message holds none of `secrets`.
 */
export type AccountWire = (operation: AccountOperation, payload: Json, secrets: ReadonlyArray<string | undefined>, signal?: AbortSignal) => Promise<Json>;

/** The account wire over fetch (unsigned AWS JSON 1.1, no SDK), with the fetch transport's retries and deadline. */
export function fetchAccountWire(options: FetchCognitoOptions): AccountWire {
  const call = createFetchCall(options);
  return (operation, payload, secrets, signal) => call(operation, payload, [...secrets], signal);
}
