// authchart/inspect as an app uses it, compiled with skipLibCheck false with and without the
// optional @statelyai/inspect installed (the test copies this file into each project).
import { createActor, createMachine } from 'xstate';
import { createRedactedBrowserInspector, REDACTED, redactDeep, redactingInspector, redactingSerializer, type RedactedInspectionEvent, type StatelyEventLike } from 'authchart/inspect';

const SECRET = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2VjcmV0';

export interface InspectReport {
  readonly events: number;
  readonly leaked: boolean;
  readonly redactedKey: boolean;
  readonly serializerRedacts: boolean;
  /** 'no-op' when @statelyai/inspect was loaded (Node has no window), 'skipped' when not asked. */
  readonly browserInspector: 'no-op' | 'skipped';
}

export async function inspectReport(withStately: boolean): Promise<InspectReport> {
  const events: RedactedInspectionEvent[] = [];
  const machine = createMachine({ context: { accessToken: SECRET }, initial: 'idle', states: { idle: { on: { GO: 'done' } }, done: {} } });
  const actor = createActor(machine, { inspect: redactingInspector((event) => void events.push(event)) }).start();
  actor.send({ type: 'GO' });
  actor.stop();
  const event: StatelyEventLike & { readonly snapshot: unknown } = { type: '@xstate.snapshot', rootId: undefined, sessionId: 'x:0', createdAt: '0', id: '1', _version: '0', snapshot: { note: 'pw is hunter2hunter2' } };
  const serialized = redactingSerializer({ secrets: () => ['hunter2hunter2'] })(event);
  let browserInspector: InspectReport['browserInspector'] = 'skipped';
  if (withStately) {
    const inspector = await createRedactedBrowserInspector({ autoStart: false });
    inspector.inspect.next?.({ type: '@xstate.event' } as never);
    browserInspector = 'no-op';
  }
  return {
    events: events.length,
    leaked: JSON.stringify(events).includes(SECRET),
    redactedKey: JSON.stringify(redactDeep({ refreshToken: 'r' })) === JSON.stringify({ refreshToken: REDACTED }),
    serializerRedacts: !JSON.stringify(serialized).includes('hunter2hunter2'),
    browserInspector,
  };
}
