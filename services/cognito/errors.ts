import { ErrorNames, PlatformErrorNames } from '../../machines/errors/registry.js';
import { MAX_SERVER_MESSAGE_LENGTH, redact } from '../encoding/redact.js';


/**
 * A failed Cognito call, as every service reports it: a name and a message free of secrets.
 *
 * Text that came from the server (Cognito's error message, a socket error) has every secret sent
 * in the call removed, in raw, JSON-escaped and URL-encoded form, whatever its length (see
 * services/encoding/redact.ts), and anything shaped like a JWT; it is then cut to MAX_SERVER_MESSAGE_LENGTH
 * (512) characters, with '…' appended when cut. A 3xx answer is refused, never followed:
 * `UnexpectedRedirect`, whose message names the status only ('HTTP 307 redirect refused').
 */
export class CognitoCallError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * A config (AuthConfigError) or argument (AuthValidationError) a service cannot work with: `field`
 * names it ('oauth', 'transport', 'result'), and `message` says what is wrong with it, as a
 * predicate ('is needed for …'). The field reaches the app's error (toErrorInfo keeps it).
 */
export class FieldError extends CognitoCallError {
  constructor(
    name: typeof ErrorNames.config | typeof ErrorNames.validation,
    readonly field: string,
    message: string,
  ) {
    super(name, message);
  }
}

const NETWORK_CODES = ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNABORTED'];
/** Built at first use: a module-level `new RegExp` would stay in bundles that never call this. */
let networkCodeInText: RegExp | undefined;

/**
 * The socket error code, from `code` or else from the message: when the socket error comes from
 * another JS realm (jest's VM, some bundlers) the SDK wraps it as "AWS SDK error wrapper for
 * Error: connect ECONNREFUSED …" and only the text survives.
 */
function networkCode(code: unknown, message: string): string | undefined {
  if (typeof code === 'string' && NETWORK_CODES.includes(code)) return code;
  networkCodeInText ??= new RegExp(`\\b(${NETWORK_CODES.join('|')})\\b`);
  return networkCodeInText.exec(message)?.[1];
}

/** A call that `signal` ended: TimeoutError when it was a deadline, else AbortError (the caller's). */
export function abortedCallError(operation: string, signal: AbortSignal | undefined): CognitoCallError {
  const reason: unknown = signal?.reason;
  const timedOut = typeof reason === 'object' && reason !== null && (reason as { name?: unknown }).name === ErrorNames.timeout;
  return timedOut
    ? new CognitoCallError(ErrorNames.timeout, `${operation} did not answer in time; the request was aborted`)
    : new CognitoCallError(ErrorNames.aborted, `${operation} was aborted`);
}

/**
 * A 3xx answer, refused: a redirect is never followed, so nothing (a password, a refresh token) is
 * sent again to where it points. The message names the status only: the Location may carry secrets.
 */
export function redirectRefusedError(operation: string, status: number | undefined): CognitoCallError {
  const what = status !== undefined && status >= 300 && status < 400 ? `HTTP ${status} redirect` : 'HTTP redirect';
  return new CognitoCallError(ErrorNames.redirect, `${operation}: ${what} refused`);
}

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Turns whatever a call threw into a CognitoCallError:
 * - Cognito's own exceptions keep their name (NotAuthorizedException, TooManyRequestsException, …);
 * - a socket that failed is NetworkError (the SDK itself calls a reset "TimeoutError");
 * - an abort for a deadline is TimeoutError;
 * - a 3xx answer (the SDK does not follow redirects) is UnexpectedRedirect;
 * - a body that is not Cognito JSON (an HTML 503 page, a cut-off response) is UnexpectedResponse.
 * `secrets` are the values sent in the call; they are removed from any message that echoes them,
 * which is then cut to MAX_SERVER_MESSAGE_LENGTH characters.
 */
export function toCognitoCallError(error: unknown, operation: string, secrets: ReadonlyArray<string | undefined>, signal?: AbortSignal): CognitoCallError {
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
  const name = typeof shape.name === 'string' ? shape.name : ErrorNames.unnamed;
  const message = typeof shape.message === 'string' ? shape.message : String(error);
  const status = shape.$metadata?.httpStatusCode;

  if (signal?.aborted || name === ErrorNames.aborted) return abortedCallError(operation, signal);
  const code = networkCode(shape.code, message);
  if (code) return new CognitoCallError(ErrorNames.network, `${operation} could not reach Cognito (${code})`);
  if (name === PlatformErrorNames.typeError && /fetch failed|network/i.test(message)) {
    return new CognitoCallError(ErrorNames.network, `${operation} could not reach Cognito (${redact(message, secrets)})`);
  }
  if (status !== undefined && status >= 300 && status < 400) return redirectRefusedError(operation, status);
  if (shape.$fault === 'client' || shape.$fault === 'server') {
    if (name !== PlatformErrorNames.syntaxError && !/Deserialization error/.test(message)) return new CognitoCallError(name, redact(message, secrets));
  }
  if (status !== undefined && (name === PlatformErrorNames.syntaxError || /Deserialization error/.test(message))) {
    return new CognitoCallError(ErrorNames.unexpectedResponse, `${operation}: Cognito answered HTTP ${status} with a body that is not Cognito's JSON`);
  }
  if (name === ErrorNames.timeout) return new CognitoCallError(ErrorNames.timeout, `${operation} timed out`);
  return new CognitoCallError(name, redact(message, secrets));
}
