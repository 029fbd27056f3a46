// `npm run demo -- --inspect`: the demo's statecharts in the Stately inspector, redacted.
// Starts the relay on 127.0.0.1 (authchart/inspect's createRedactedWebSocketInspector) and
// feeds it every inspection event the demo's scenarios print from.
import { createRedactedWebSocketInspector, type RedactedWebSocketInspector } from '../../src/inspect/node';
import { forwardInspectionTo } from './print';

export interface DemoInspector {
  readonly inspector: RedactedWebSocketInspector;
  stop(): Promise<void>;
}

export async function startDemoInspector(port?: number): Promise<DemoInspector> {
  const inspector = await createRedactedWebSocketInspector(port === undefined ? {} : { port });
  let sent = 0;
  // Every scenario's printing observer forwards to this one too (scripts/demo/print.ts).
  forwardInspectionTo((event) => {
    sent += 1;
    inspector.inspect.next?.(event);
  });
  console.log(`Stately inspector (redacted) relay on ${inspector.webSocketUrl}, bound to ${inspector.host} only.`);
  console.log(`  Open ${inspector.pageUrl} in a browser on this machine: it embeds https://stately.ai/inspect`);
  console.log('  and relays the events to it. Tokens, passwords, codes and secrets are replaced by [redacted].\n');
  return {
    inspector,
    async stop() {
      forwardInspectionTo(undefined);
      await inspector.stop();
      console.log(`Inspector relay closed after ${sent} inspection events.`);
    },
  };
}
