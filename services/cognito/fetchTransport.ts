// The CognitoService over `fetch`: unsigned AWS JSON 1.1, no AWS SDK. Same SECRET_HASH rules, same
// AuthStep mapping, same deadline and the same error names as createSdkCognito (services/cognito/sdkTransport.ts),
// which __tests__/transportContract.test.ts checks against the emulator. See docs/transport.md.
import { ErrorNames } from '../../machines/types.js';
import type { AccountOperation, AuthFlow, AuthStep, CognitoService } from './types.js';
import { createParameterSigner, toAuthStep, toRefreshedTokens } from './authParameters.js';
import { abortedCallError, CognitoCallError, redirectRefusedError } from './errors.js';
import { withDeadline } from './deadline.js';
import { backoffMs, endpointUrl, errorNameOf, isRetryableSocketCode, JSON_CONTENT_TYPE, MAX_ATTEMPTS, parseJsonObject, RETRYABLE_STATUSES, sleep, TARGET_PREFIX, THROTTLING_NAMES } from './fetchWire.js';
import { isJsonObject as isObject } from '../encoding/json.js';
import { redact } from '../encoding/redact.js';
import type { SessionTokens } from '../storage/tokenStore.js';


/** The part of `fetch` authchart calls: a URL string and an init, resolving a Response. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** createFetchCognito()'s options. */
export interface FetchCognitoOptions {
  /** The user pool's region: the endpoint is https://cognito-idp.<region>.amazonaws.com/. */
  readonly region: string;
  /** Another endpoint, e.g. the local emulator's `http://127.0.0.1:PORT`. */
  readonly endpoint?: string;
  /** The app client's id. */
  readonly clientId: string;
  /** Only for app clients created with a secret (server-side apps). */
  readonly clientSecret?: string;
  /** Every call (its retries and their backoff included) ends with TimeoutError after this. Default 3000. */
  readonly callTimeoutMs?: number;
  /** The fetch to use. Default: globalThis.fetch, looked up at each call. */
  readonly fetch?: FetchLike;
}

/** The operations sent over this transport (GetUser only by an API server's revocation list), and the account calls' (accountWire.ts). */
export type Operation = 'RevokeToken' | 'GlobalSignOut' | 'InitiateAuth' | 'RespondToAuthChallenge' | 'GetTokensFromRefreshToken' | AccountOperation;
/** A JSON object, as sent and received. */
export type Json = Record<string, unknown>;

/** How one attempt ended when it did not answer with Cognito's JSON. */
interface Failure {
  readonly error: CognitoCallError;
  readonly retryable: boolean;
  readonly throttled: boolean;
}

/** One bounded Cognito call over fetch, with the retries and error names below: what createFetchCognito's methods (and an API server's GetUser) send. The same checks of `options` as createFetchCognito. */
export function createFetchCall(options: FetchCognitoOptions): (operation: Operation, payload: Json, secrets: Array<string | undefined>, signal: AbortSignal | undefined) => Promise<Json> {
  const { region, endpoint, clientId, clientSecret, callTimeoutMs = 3000 } = options;
  if (!endpoint && (typeof region !== 'string' || region === '')) throw new TypeError('createFetchCognito: region is required (or an endpoint)');
  if (typeof clientId !== 'string' || clientId === '') throw new TypeError('createFetchCognito: clientId is required');
  const url = endpointUrl(region, endpoint);
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  /** One attempt: Cognito's JSON, or a Failure saying whether another attempt may help. */
  async function attempt(operation: Operation, body: string, signal: AbortSignal, secrets: ReadonlyArray<string | undefined>): Promise<Json | Failure> {
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amz-target': `${TARGET_PREFIX}${operation}` },
        body,
        signal,
        cache: 'no-store',
        // Never follow a redirect: fetch would send the body (a password, a refresh token) again
        // to wherever the Location points. A 3xx is refused below, as the SDK transport does.
        redirect: 'manual',
      });
    } catch (error) {
      if (signal.aborted) throw error; // a deadline or the caller: never retried
      const code = socketCode(error);
      const detail = code ?? redact(messageOf(error), secrets);
      return { error: new CognitoCallError(ErrorNames.network, `${operation} could not reach Cognito (${detail})`), retryable: isRetryableSocketCode(code), throttled: false };
    }
    const status = response.status;
    // Node's fetch hands back the 3xx itself; a browser's, an opaque redirect (status 0); a custom
    // fetch that followed it anyway, a response marked `redirected`. Not retried within the call.
    if (response.type === 'opaqueredirect' || (status >= 300 && status < 400) || response.redirected) {
      void response.body?.cancel().catch(() => {});
      return { error: redirectRefusedError(operation, response.redirected ? undefined : status), retryable: false, throttled: false };
    }
    const retryableStatus = RETRYABLE_STATUSES.has(status);
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw error;
      return { error: unexpected(operation, status, 'a body that was cut off'), retryable: retryableStatus, throttled: false };
    }
    const json = parseJsonObject(text);
    if (response.ok) return json ?? { error: unexpected(operation, status), retryable: false, throttled: false };
    const name = json && errorNameOf(json, response.headers.get('x-amzn-errortype'));
    if (!json || !name) return { error: unexpected(operation, status), retryable: retryableStatus, throttled: false };
    const raw = json.message ?? json.Message;
    const message = typeof raw === 'string' ? raw : name;
    const throttled = THROTTLING_NAMES.has(name) || status === 429;
    return { error: new CognitoCallError(name, redact(message, secrets)), retryable: retryableStatus || throttled, throttled };
  }

  /** One bounded call, up to MAX_ATTEMPTS attempts: a silent server can never hang a sign-in. */
  async function call(operation: Operation, payload: Json, secrets: Array<string | undefined>, signal: AbortSignal | undefined): Promise<Json> {
    const deadline = withDeadline(signal, callTimeoutMs);
    const redacted = [...secrets, clientSecret];
    const body = JSON.stringify(payload);
    try {
      for (let n = 1; ; n++) {
        const outcome = await attempt(operation, body, deadline.signal, redacted);
        if (!isFailure(outcome)) return outcome;
        if (!outcome.retryable || n >= MAX_ATTEMPTS) throw outcome.error;
        await sleep(backoffMs(n, outcome.throttled), deadline.signal);
      }
    } catch (error) {
      if (error instanceof CognitoCallError) throw error;
      if (deadline.signal.aborted) throw abortedCallError(operation, deadline.signal); // TimeoutError or AbortError
      // Nothing else is thrown in here; should it be, it is still a CognitoCallError without secrets.
      throw new CognitoCallError(ErrorNames.unexpectedResponse, `${operation} failed: ${redact(messageOf(error), redacted)}`);
    } finally {
      deadline.done();
    }
  }

  return call;
}

/**
 * The CognitoService over `fetch` (Node 20+, browsers, React Native, workers): no AWS SDK, up to 3
 * attempts per call with the SDK's retry rules (docs/transport.md). Throws TypeError, at once,
 * without a `region` (or `endpoint`) or a `clientId`. Its methods reject with CognitoCallError.
 */
export function createFetchCognito(options: FetchCognitoOptions): CognitoService {
  const { clientId, clientSecret } = options;
  const call = createFetchCall(options);
  const sign = createParameterSigner(clientId, clientSecret);

  return {
    async revokeToken(refreshToken, signal) {
      await call('RevokeToken', { Token: refreshToken, ClientId: clientId, ...(clientSecret && { ClientSecret: clientSecret }) }, [refreshToken], signal);
    },
    async globalSignOut(accessToken, signal) {
      await call('GlobalSignOut', { AccessToken: accessToken }, [accessToken], signal);
    },
    async initiateAuth(flow: AuthFlow, parameters, signal) {
      const [signed, secrets] = await sign(parameters);
      return toAuthStep(await call('InitiateAuth', { AuthFlow: flow, ClientId: clientId, AuthParameters: signed }, secrets, signal));
    },
    async refreshTokens(refreshToken, username, signal, deviceKey): Promise<SessionTokens> {
      const [signed, secrets] = await sign({ REFRESH_TOKEN: refreshToken, ...(deviceKey && { DEVICE_KEY: deviceKey }) }, username);
      return toRefreshedTokens(await call('InitiateAuth', { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: signed }, secrets, signal), refreshToken, 'REFRESH_TOKEN_AUTH');
    },
    async getTokensFromRefreshToken(refreshToken, signal, deviceKey): Promise<SessionTokens> {
      const payload = { RefreshToken: refreshToken, ClientId: clientId, ...(clientSecret && { ClientSecret: clientSecret }), ...(deviceKey && { DeviceKey: deviceKey }) };
      return toRefreshedTokens(await call('GetTokensFromRefreshToken', payload, [refreshToken], signal), refreshToken);
    },
    async respondToAuthChallenge(name, session, responses, signal) {
      const [signed, secrets] = await sign(responses);
      const payload = { ChallengeName: name, ClientId: clientId, ChallengeResponses: signed, ...(session && { Session: session }) };
      return toAuthStep(await call('RespondToAuthChallenge', payload, [...secrets, session], signal));
    },
    mfaSetup: call,
  };
}

function unexpected(operation: Operation, status: number, what = "a body that is not Cognito's JSON"): CognitoCallError {
  return new CognitoCallError(ErrorNames.unexpectedResponse, `${operation}: Cognito answered HTTP ${status} with ${what}`);
}

function isFailure(outcome: Json | Failure): outcome is Failure {
  return outcome.error instanceof CognitoCallError;
}

function messageOf(error: unknown): string {
  return isObject(error) && typeof error.message === 'string' ? error.message : String(error);
}

const CODE_IN_TEXT = /\b(E[A-Z]{3,}|UND_ERR_[A-Z_]+)\b/;

/** The socket error code of a failed fetch: undici puts it on `cause` (sometimes one level deeper). */
function socketCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; isObject(current) && depth < 4; current = current.cause, depth++) {
    if (typeof current.code === 'string' && current.code !== '') return current.code;
    const inText = typeof current.message === 'string' ? CODE_IN_TEXT.exec(current.message)?.[1] : undefined;
    if (inText) return inText;
  }
  return undefined;
}
