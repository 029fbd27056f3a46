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

/** A GET or HEAD request over node's own headers (lowercase names, as Headers uses). */
function lightRequest(req: IncomingMessage, url: string): BffRequest {
  const { headers } = req;
  return {
    method: req.method!,
    url,
    headers: {
      get: (name) => joined(headers[name.toLowerCase()]),
      forEach(each) {
        for (const [name, value] of Object.entries(headers)) if (value !== undefined) each(joined(value)!, name);
      },
    },
    body: null,
  };
}

function write(req: IncomingMessage, res: ServerResponse, answer: Answer): void | Promise<void> {
  if (answer instanceof Response) return writeResponse(req, res, answer);
  // With its length, the answer goes out in one write, not chunked.
  const headers: Record<string, string | string[] | number> = { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) };
  if (answer.cookies.length > 0) headers['set-cookie'] = [...answer.cookies];
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
    answer(lightRequest(req, url))
      .then((answered) => write(req, res, answered))
      .catch(() => failed(res));
  };
}
