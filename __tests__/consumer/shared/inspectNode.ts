// authchart/inspect/node (needs @statelyai/inspect): its types, and that the entry loads.
import { createRedactedWebSocketInspector, type RedactedWebSocketInspector, type RedactedWebSocketInspectorOptions } from 'authchart/inspect/node';

const options: RedactedWebSocketInspectorOptions = { host: '127.0.0.1', secrets: () => [] };
export const relayTypes: string = typeof createRedactedWebSocketInspector;
export type Relay = Promise<RedactedWebSocketInspector>;
export const start = (): Relay => createRedactedWebSocketInspector(options);
