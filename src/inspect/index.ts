// authchart/inspect: redacted inspection. The redactor and the observer wrapper have no
// dependencies; the Stately helpers load @statelyai/inspect (ESM-only) only when called.
export { REDACTED, SECRET_KEYS, containsJose, isSecretKey, redactDeep, redactString, type RedactOptions } from './redact.js';
export { redactingInspector, type RedactedInspectionEvent, type RedactedObserver, type RedactingInspectorOptions } from './observer.js';
export {
  createRedactedBrowserInspector,
  createRedactedWebSocketInspector,
  redactingSerializer,
  type RedactedBrowserInspectorOptions,
  type RedactedInspectorOptions,
  type RedactedWebSocketInspector,
  type RedactedWebSocketInspectorOptions,
} from './stately.js';
