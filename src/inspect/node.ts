// authchart/inspect/node: the redacted Stately relay for apps that run in Node (it starts an HTTP and
// WebSocket server on 127.0.0.1). Everything browser-safe is in authchart/inspect.
export { createRedactedWebSocketInspector, type RedactedInspectorOptions, type RedactedWebSocketInspector, type RedactedWebSocketInspectorOptions } from './relay.js';
