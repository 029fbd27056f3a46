// Run by __tests__/inspector.test.ts in a child process (node runs the ESM-only @statelyai/inspect
// fine; jest in CJS mode cannot): the leak scenario with createRedactedWebSocketInspector, and a
// Stately WebSocket receiver recording everything the relay hands to a browser. Prints one JSON line.
import { connect } from 'node:net';
import { createActor, setup } from 'xstate';
import { networkInterfaces } from 'node:os';
import { createRedactedWebSocketInspector } from '../../src/inspect/node';
import { startCognitoEmulator } from '../../src/testing/index';
import { runInspectorScenario } from './inspectorScenario';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 }, () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => (socket.destroy(), resolve(false)));
  });
}

async function main(): Promise<void> {
  const emu = await startCognitoEmulator();
  const known: string[] = []; // the caller's known secrets, read at every event
  const inspector = await createRedactedWebSocketInspector({ secrets: () => known });
  const { createWebSocketReceiver } = await import('@statelyai/inspect');
  const received: unknown[] = [];
  createWebSocketReceiver({ server: inspector.webSocketUrl }).subscribe((event) => void received.push(event));
  try {
    const page = await fetch(inspector.pageUrl).then((r) => r.text());
    const other = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    const nonLoopback = other ? ((await reachable(other.address, inspector.port)) ? 'reachable' : 'refused') : 'no other interface';
    await pause(300); // the receiver connects
    const run = await runInspectorScenario(emu, () => inspector.inspect);
    // A canary that does carry secrets: proves the relayed events went through the redactor.
    const canary = { password: 'Canary-Passw0rd!', token: 'eyJjYW5hcnkiOjF9.eyJzdWIiOiJjYW5hcnkifQ.c2ln' };
    known.push(canary.password);
    createActor(setup({}).createMachine({ id: 'canary', context: { ...canary, note: `pw=${canary.password}` } }), { inspect: inspector.inspect }).start();
    run.secrets.push(canary.password, canary.token);
    await pause(1000); // the inspector sends on a timer; the relay forwards
    console.log(JSON.stringify({ host: inspector.host, boundTo: inspector.host, pageOk: page.includes('stately.ai/inspect'), nonLoopback, received, canary: received.some((e) => JSON.stringify(e).includes('canary')), secrets: run.secrets, codes: run.codes }));
  } finally {
    await inspector.stop();
    await emu.close();
  }
  // The receiver's socket has no close(), so exit, but only once the report is flushed: a pipe
  // write is asynchronous, and exiting at once cut long reports short.
  process.stdout.write('', () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
