// node:http for the Fetch-API handlers of authchart/server: toNodeListener mounts any of them. A
// handler may come with a listener of its own that answers without building Fetch objects (the
// backend-for-frontend's GET requests: a Request and a Response cost more than its whole answer);
// toNodeListener then mounts that one, and the handler stays what a Fetch-API host calls.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { BffErrorNames } from '../../machines/errors/registry.js';

/** A Fetch-API handler: a Request in, a Response out. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** A node:http request listener. */
export type NodeListener = (request: IncomingMessage, response: ServerResponse) => void;

/** The listeners handlers came with (withNodeListener): toNodeListener mounts them instead. */
const ownListeners = new WeakMap<FetchHandler, NodeListener>();

/** Gives `handler` a listener of its own, answering as the handler would: toNodeListener(handler) returns it. */
export function withNodeListener(handler: FetchHandler, listener: NodeListener): FetchHandler {
  ownListeners.set(handler, listener);
  return handler;
}

/** A Host header this adapter builds a URL from: a name or address, and a port. */
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The request's absolute URL, from its Host header (https when the socket is TLS); null, answered 400 here, when it has no usable Host or its target is not a path. */
export function urlOf(req: IncomingMessage, res: ServerResponse): string | null {
  const host = req.headers.host ?? '';
  const target = req.url ?? '';
  if (!HOST.test(host) || !target.startsWith('/') || target.startsWith('//')) {
    res.writeHead(400, { 'content-type': 'application/json', connection: 'close' });
    res.end(JSON.stringify({ error: 'invalid_request', message: 'The request needs a Host header and a path' }));
    req.resume();
    return null;
  }
  return `${(req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'}://${host}${target}`;
}

/** Writes a handler's Response: each Set-Cookie as a header of its own; a body the handler left unread is dropped and the connection closed. */
export async function writeResponse(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
  const cookies = response.headers.getSetCookie();
  const outHeaders: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') outHeaders[name] = value;
  });
  if (cookies.length > 0) outHeaders['set-cookie'] = cookies;
  if (!req.readableEnded && req.method !== 'GET' && req.method !== 'HEAD') outHeaders['connection'] = 'close';
  res.writeHead(response.status, outHeaders);
  res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
  // What the handler did not read is dropped, not buffered.
  if (!req.readableEnded) req.resume();
}

/** Answers 500 once a listener failed (a fault of ours, never a message of it). */
export function failed(res: ServerResponse): void {
  if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: 'internal', message: 'The handler failed' }));
}

/**
 * An adapter for node:http: `http.createServer(toNodeListener(handler))`, or a route of an existing
 * server. The request's URL is built from its Host header (https when the socket is TLS), so a
 * handler can compare the request's own origin with its `Origin`; a request without a usable Host,
 * or whose target is not a path, is answered 400 without reaching the handler. The body is
 * streamed to the handler, which reads no more than its bound; what it leaves unread is discarded
 * and the connection closed. Each Set-Cookie of the response is sent as a header of its own.
 * Headers over node:http's `maxHeaderSize` never reach it: node:http answers 431 itself. A handler
 * that came with a listener of its own (createServerAuth's) is mounted through that listener.
 */
export function toNodeListener(handler: FetchHandler): NodeListener {
  const own = ownListeners.get(handler);
  if (own) return own;
  return (req, res) => {
    void (async () => {
      const url = urlOf(req, res);
      if (url === null) return;
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const init: RequestInit & { duplex?: 'half' } = { method: req.method ?? 'GET', headers, ...(hasBody && { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' }) };
      let request: Request;
      try {
        request = new Request(url, init);
      } catch {
        // A method the Fetch API forbids (TRACE, TRACK): no handler can be asked.
        res.writeHead(405, { 'content-type': 'application/json', connection: 'close' });
        res.end(JSON.stringify({ error: { name: BffErrorNames.methodNotAllowed, message: 'This method is not served' } }));
        req.resume();
        return;
      }
      await writeResponse(req, res, await handler(request));
    })().catch(() => failed(res));
  };
}
