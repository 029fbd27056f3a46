// Run by __tests__/inspector.test.ts in a child process (@statelyai/inspect is ESM-only): the leak
// scenario through createRedactedBrowserInspector, with a stand-in for the browser window whose
// window.open() returns an inspector window that records every postMessage. Prints one JSON line.
import { createActor, setup } from 'xstate';
import { createRedactedBrowserInspector } from '../../src/inspect/index';
import { startCognitoEmulator } from '../../src/testing/index';
import { runInspectorScenario } from './inspectorScenario';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const posted: unknown[] = [];
  const opened: string[] = [];
  const listeners: Array<(event: { data: unknown }) => void> = [];
  const inspectorWindow = { postMessage: (message: unknown) => void posted.push(message) };
  const appWindow = {
    open: (url: string) => (opened.push(url), inspectorWindow),
    addEventListener: (type: string, listener: (event: { data: unknown }) => void) => void (type === 'message' && listeners.push(listener)),
  } as unknown as Window;

  const emu = await startCognitoEmulator();
  const known: string[] = [];
  const inspector = await createRedactedBrowserInspector({ window: appWindow, url: 'http://127.0.0.1:1/inspect', secrets: () => known });
  try {
    const run = await runInspectorScenario(emu, () => inspector.inspect);
    // The inspector window says it is ready: the deferred events are flushed to it, serialized.
    for (const listener of listeners) listener({ data: { type: '@statelyai.connected' } });
    const canary = { password: 'Canary-Passw0rd!', token: 'eyJjYW5hcnkiOjF9.eyJzdWIiOiJjYW5hcnkifQ.c2ln' };
    known.push(canary.password);
    createActor(setup({}).createMachine({ id: 'canary', context: { ...canary, note: `pw=${canary.password}` } }), { inspect: inspector.inspect }).start();
    run.secrets.push(canary.password, canary.token);
    await pause(300); // the inspector sends on an idle callback
    inspector.stop();
    console.log(JSON.stringify({ opened, received: posted, canary: posted.some((e) => JSON.stringify(e).includes('canary')), secrets: run.secrets, codes: run.codes }));
  } finally {
    await emu.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
