// authchart/inspect: redacted inspection, for Node and the browser. The redactor and the observer
// wrapper have no dependencies; the Stately helpers load @statelyai/inspect (ESM-only) only when
// called. The Node relay server is `authchart/inspect/node`.
export { REDACTED, SECRET_KEYS, containsJose, isSecretKey, redactDeep, redactString, type RedactOptions } from './redact.js';
export { redactingInspector, type RedactedInspectionEvent, type RedactedObserver, type RedactingInspectorOptions } from './observer.js';
export { createRedactedBrowserInspector, redactingSerializer, type RedactedBrowserInspectorOptions, type RedactedInspectorOptions, type StatelyEventLike } from './stately.js';
