// The backend-for-frontend's answers: JSON, never cached, each refusal `{ error: { name, message } }`
// with the status machines/server/bffPolicy.ts decides. Only AuthError messages (written free of
// secrets) reach a response; anything else is a fault of ours, answered without its message.
import { statusOf } from '../../machines/server/bffPolicy.js';
import { BffErrorNames, ErrorNames } from '../../machines/errors/registry.js';
import { declaredOver, readBounded } from '../../services/server/httpBody.js';
import { AuthError } from '../errors.js';
import { ServerRequestError } from './errors.js';

/** What a route reads of a request: a Fetch-API Request is one; the node:http listener passes a lighter one for GET and HEAD. */
export interface BffRequest {
  readonly method: string;
  /** Absolute. */
  readonly url: string;
  readonly headers: { get(name: string): string | null; forEach(each: (value: string, name: string) => void): void };
  readonly body: ReadableStream<Uint8Array> | null;
}

/** A JSON answer, before it is a Response (toResponse) or written to node:http as it is. */
export interface JsonAnswer {
  readonly status: number;
  /** The JSON text. */
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Each a Set-Cookie header of its own. */
  readonly cookies: readonly string[];
}

/** What a route answers: JSON, or a Response (a redirect, the proxy's upstream answer). */
export type Answer = JsonAnswer | Response;

/** A JSON answer with `status`, never cached, with each of `cookies` as a Set-Cookie header of its own. */
export function json(status: number, body: unknown, cookies: readonly string[] = [], extra: Readonly<Record<string, string>> = {}): JsonAnswer {
  return { status, body: JSON.stringify(body), headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...extra }, cookies };
}

/** The answer as a Fetch-API Response. */
export function toResponse(answer: Answer): Response {
  if (answer instanceof Response) return answer;
  const headers = new Headers(answer.headers);
  for (const cookie of answer.cookies) headers.append('set-cookie', cookie);
  return new Response(answer.body, { status: answer.status, headers });
}

/** The name and message a response may carry for `error`. */
function publicError(error: unknown): { name: string; message: string } {
  if (error instanceof AuthError) return { name: error.name, message: error.message };
  return { name: ErrorNames.internal, message: 'The server could not handle the request' };
}

/** The refusal answering `error`: `{ error: { name, message } }` with the status its name calls for. */
export function refusal(error: unknown, cookies: readonly string[] = [], extra: Readonly<Record<string, string>> = {}): JsonAnswer {
  const { name, message } = publicError(error);
  return json(statusOf(name), { error: { name, message } }, cookies, extra);
}

/** The request's JSON body as an object (`{}` when it has none), read within `limit` bytes: else BodyTooLarge or BadRequestBody. */
export async function readJsonObject(request: BffRequest, limit: number): Promise<Record<string, unknown>> {
  const tooLarge = () => new ServerRequestError(BffErrorNames.bodyTooLarge, `The request body may be at most ${limit} bytes`);
  if (declaredOver(request.headers.get('content-length'), limit)) {
    void request.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  const text = await readBounded(request.body, limit);
  if (text === undefined) throw tooLarge();
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ServerRequestError(BffErrorNames.badRequestBody, 'The request body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ServerRequestError(BffErrorNames.badRequestBody, 'The request body must be a JSON object');
  return body as Record<string, unknown>;
}
