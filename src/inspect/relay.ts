// `authchart/inspect/node`: @statelyai/inspect's relay server (HTTP page + WebSocket) bound to
// 127.0.0.1, for inspecting an app that runs in Node. Its own entry, so that authchart/inspect
// bundles for a browser without node:http.
import type { InspectionEvent, Observer } from 'xstate';
import { redactingSerializer, type RedactedInspectorOptions } from './stately.js';

export type { RedactedInspectorOptions } from './stately.js';

/** createRedactedWebSocketInspector()'s options: the redaction options, and where the relay listens. */
export interface RedactedWebSocketInspectorOptions extends RedactedInspectorOptions {
  /** Port of the relay server (HTTP page + WebSocket). Default: a free port. */
  readonly port?: number;
  /** Interface to bind. Default '127.0.0.1': the relay serves anyone who can reach it. */
  readonly host?: string;
  /** The inspector UI the relay page embeds. Default 'https://stately.ai/inspect'. */
  readonly inspectorUrl?: string;
}

/** A running relay and its redacting inspector, as createRedactedWebSocketInspector() resolves them. */
export interface RedactedWebSocketInspector {
  /** The XState inspection observer: `createAuth({ inspect: inspector.inspect })`. */
  readonly inspect: Observer<InspectionEvent>;
  /** The interface the relay is bound to (options.host, default '127.0.0.1'). */
  readonly host: string;
  /** The port the relay listens on. */
  readonly port: number;
  /** Open this in a browser: the relay page, which embeds the Stately inspector. */
  readonly pageUrl: string;
  /** Where the WebSocket relay listens (what createWebSocketInspector connects to). */
  readonly webSocketUrl: string;
  /** Stops the WebSocket client and the relay server. */
  stop(): Promise<void>;
}

/**
 * Starts @statelyai/inspect's relay server (createInspectorServer) bound to `host` (127.0.0.1 by
 * default; the package itself binds every interface and has no host option) and a
 * createWebSocketInspector whose `serialize` redacts every event. Never opens a browser.
 * Node only. Rejects when @statelyai/inspect (an optional peer) is not installed, or with the
 * server's error when it cannot listen (e.g. the port is taken).
 */
export async function createRedactedWebSocketInspector(options: RedactedWebSocketInspectorOptions = {}): Promise<RedactedWebSocketInspector> {
  const host = options.host ?? '127.0.0.1';
  const http = await import('node:http');
  const { createInspectorServer } = await import('@statelyai/inspect/server');
  const { createWebSocketInspector } = await import('@statelyai/inspect');
  const port = options.port ?? (await freePort(http, host));

  // createInspectorServer calls http.Server#listen(port, cb) synchronously, with no host.
  // Pin the host for that one synchronous call, and keep the server to await and close it.
  let server: import('node:http').Server | undefined;
  const listen = http.Server.prototype.listen;
  http.Server.prototype.listen = function (this: import('node:http').Server, ...args: unknown[]) {
    server ??= this;
    if (this === server && typeof args[0] === 'number') args.splice(1, 0, host);
    return (listen as (...a: unknown[]) => import('node:http').Server).apply(this, args);
  } as typeof listen;
  let relay: { stop(): void };
  try {
    relay = createInspectorServer({ port, autoOpen: false, ...(options.inspectorUrl && { url: options.inspectorUrl }) });
  } finally {
    http.Server.prototype.listen = listen;
  }
  const bound = server;
  if (!bound) throw new Error('createInspectorServer did not start an HTTP server');
  await new Promise<void>((resolve, reject) => {
    if (bound.listening) return resolve();
    bound.once('listening', () => resolve());
    bound.once('error', (error) => {
      relay.stop();
      reject(error);
    });
  });
  const address = bound.address();
  if (address === null || typeof address === 'string' || address.address !== host) {
    relay.stop();
    throw new Error(`inspector relay is not bound to ${host}`);
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const webSocketUrl = `ws://${urlHost}:${port}`;
  const inspector = createWebSocketInspector({
    url: webSocketUrl,
    serialize: redactingSerializer(options),
    ...(options.filter && { filter: options.filter }),
  });
  let stopped: Promise<void> | undefined;
  return {
    inspect: inspector.inspect,
    host,
    port,
    pageUrl: `http://${urlHost}:${port}`,
    webSocketUrl,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        inspector.stop();
        relay.stop();
        bound.closeAllConnections();
        if (!bound.listening) return resolve();
        bound.once('close', () => resolve());
      });
      return stopped;
    },
  };
}

async function freePort(http: typeof import('node:http'), host: string): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, host, () => resolve());
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}
