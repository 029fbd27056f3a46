// AWS JSON 1.1 for Cognito user pools, without the SDK: the request, the error name, the retry rule.
// Shared by services/cognito/fetchTransport.ts only; nothing here imports @aws-sdk.
import { isJsonObject } from '../encoding/json.js';

export const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** `endpoint`, or Cognito's regional endpoint. */
export function endpointUrl(region: string, endpoint?: string): string {
  return endpoint ?? `https://cognito-idp.${region}.amazonaws.com/`;
}

/**
 * An error name as the SDK normalises it: `aws.protocoltests#NotAuthorizedException:http://…`
 * becomes `NotAuthorizedException` (any `Prefix#` and `:suffix` stripped).
 */
export function sanitizeErrorName(raw: string): string {
  let name = raw;
  const colon = name.indexOf(':');
  if (colon >= 0) name = name.slice(0, colon);
  const hash = name.lastIndexOf('#');
  if (hash >= 0) name = name.slice(hash + 1);
  return name.trim();
}

/** The error name of a failed call: the body's `__type`, then its `code`, then `x-amzn-errortype`. */
export function errorNameOf(body: Record<string, unknown>, header: string | null): string | undefined {
  for (const candidate of [body.__type, body.code, header]) {
    if (typeof candidate === 'string') {
      const name = sanitizeErrorName(candidate);
      if (name) return name;
    }
  }
  return undefined;
}

/** A JSON object, `{}` for an empty body (as the SDK reads it), or undefined when the body is not JSON. It lives in json.ts, which the hosted UI's chunk imports too. */
export { parseJsonObject } from '../encoding/json.js';

/** HTTP statuses the SDK's standard retry strategy retries. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** Cognito's (and AWS's) throttling error names; they back off from a longer base. The error registry holds them. */
export { THROTTLING_NAMES } from '../../machines/errors/registry.js';

/**
 * Socket failures worth another attempt (the SDK's transient codes, plus undici's name for a socket
 * the server closed). An unknown code is not retried; no code at all (a browser's bare
 * "Failed to fetch") is, since it is usually the same kind of failure.
 */
const RETRYABLE_SOCKET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET']);
export function isRetryableSocketCode(code: string | undefined): boolean {
  return code === undefined || RETRYABLE_SOCKET_CODES.has(code);
}

export const MAX_ATTEMPTS = 3;
const BASE_DELAY_MS = 50;
const THROTTLING_BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 20_000;

/** Full jitter, as the SDK's standard mode: random in [0, min(cap, base·2^(attempt-1))). */
export function backoffMs(attempt: number, throttled: boolean, random: () => number = Math.random): number {
  const base = throttled ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS;
  return Math.floor(random() * Math.min(MAX_DELAY_MS, base * 2 ** (attempt - 1)));
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
