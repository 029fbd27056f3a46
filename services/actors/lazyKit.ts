// What the chunks loaded on first use (the sign-in flow, the hosted UI's flows) take from the
// up-front load: handed to them with their services, never imported by them. esbuild puts a module
// that the entry and a lazy chunk both import into a chunk of its own, which the page fetches up
// front as one more file, gzipped apart; handed in, these modules stay in the entry's file
// (docs/performance.md, "Files up front"). Types may still be imported: they leave no code.
import { CognitoExceptions, ErrorNames } from '../../machines/errors/registry.js';
import { abortedCallError, CognitoCallError, FieldError, redirectRefusedError } from '../cognito/errors.js';
import { withDeadline } from '../cognito/deadline.js';
import { onFirstUse } from '../cognito/onFirstUse.js';
import { trimDomain } from '../cognito/logoutUrl.js';
import { parseJsonObject } from '../encoding/json.js';
import { redact } from '../encoding/redact.js';
import { storageKeys } from '../storage/keys.js';
import { createStorageQueue } from '../storage/queue.js';
import { summarizeSession, UnstoredError } from '../storage/tokenStore.js';

export const lazyKit = {
  ErrorNames,
  CognitoExceptions,
  CognitoCallError,
  FieldError,
  abortedCallError,
  redirectRefusedError,
  withDeadline,
  onFirstUse,
  trimDomain,
  parseJsonObject,
  redact,
  storageKeys,
  createStorageQueue,
  summarizeSession,
  UnstoredError,
};

/** The up-front helpers a lazy chunk is handed (see lazyKit). */
export type LazyKit = typeof lazyKit;
