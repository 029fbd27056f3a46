// The backend-for-frontend in node:http (what toNodeListener(server.handle) mounts). GET and HEAD
// requests (the session, the proxy's reads, the hosted UI's two) reach the routes as a light
// request over node's own headers, and a JSON answer is written as it is: no Request, Headers or
// Response is built, which cost more than the rest of a GET /auth/session. Any other method goes
// through the Fetch-API handler (its body is a stream the routes read within their bound).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toResponse, type Answer, type BffRequest } from './bffHttp.js';
import { failed, toNodeListener, urlOf, writeResponse, type NodeListener } from './nodeHttp.js';

/** Node's header as the Fetch API's Headers.get gives it (several values joined), or null. */
const joined = (value: string | string[] | undefined): string | null => (value === undefined ? null : Array.isArray(value) ? value.join(', ') : value);

/** Headers.get and forEach over node's own headers (lowercase names, as Headers uses), on the prototype: nothing is built per request but the object. */
class NodeHeaders {
  readonly #of: IncomingMessage['headers'];
  constructor(of: IncomingMessage['headers']) {
    this.#of = of;
  }
  get(name: string): string | null {
    return joined(this.#of[name.toLowerCase()]);
  }
  forEach(each: (value: string, name: string) => void): void {
    for (const [name, value] of Object.entries(this.#of)) if (value !== undefined) each(joined(value)!, name);
  }
}

/** A GET or HEAD request over node's own headers. */
const lightRequest = (req: IncomingMessage, url: string): BffRequest => ({ method: req.method!, url, headers: new NodeHeaders(req.headers), body: null });

function write(req: IncomingMessage, res: ServerResponse, answer: Answer): void | Promise<void> {
  if (answer instanceof Response) return writeResponse(req, res, answer);
  // With its length, the answer goes out in one write, not chunked. Its own headers, then the length
  // and the cookies: one object built once, not spread.
  const headers: Record<string, string | string[] | number> = {};
  for (const name in answer.headers) headers[name] = answer.headers[name]!;
  headers['content-length'] = Buffer.byteLength(answer.body);
  if (answer.cookies.length > 0) headers['set-cookie'] = answer.cookies as string[];
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

/** The node:http listener of a BFF whose routes answer `answer`. */
export function nodeListener(answer: (request: BffRequest) => Promise<Answer>): NodeListener {
  const withFetch = toNodeListener((request) => answer(request).then(toResponse));
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return withFetch(req, res);
    const url = urlOf(req, res);
    if (url === null) return;
    // One reaction per request: the answer, or its failure (a write that fails answers 500 too).
    answer(lightRequest(req, url)).then(
      (answered) => {
        try {
          const written = write(req, res, answered);
          if (written) written.catch(() => failed(res));
        } catch {
          failed(res);
        }
      },
      () => failed(res),
    );
  };
}
