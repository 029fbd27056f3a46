// Redacted inspection (authchart/inspect). Jest runs in CJS mode, where @statelyai/inspect (ESM-only)
// cannot load; so the redactor and the observer wrapper are tested here through XState's own
// `inspect` option, and the Stately WebSocket wiring runs in a child Node process (ESM loads fine
// there), whose received events are searched here. See docs/inspector.md.
import { build } from 'esbuild';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createActor, fromPromise, setup, waitFor, type InspectionEvent } from 'xstate';
import { redactDeep, redactString, REDACTED } from '../src/inspect/redact';
import { redactingInspector } from '../src/inspect/observer';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';
import { findLeaks, runInspectorScenario, serializeObserved, type ScenarioRun } from './support/inspectorScenario';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';
const JWE = 'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.a2V5.aXY.Y2lwaGVy.dGFn';

describe('redactDeep', () => {
  test('redacts by key, case- and separator-insensitively, at any depth', () => {
    const out = redactDeep({
      accessToken: 'a', IdToken: 'b', refresh_token: 'c', PASSWORD: 'd', NEW_PASSWORD: 'e', clientSecret: 'f', SECRET_HASH: 'g',
      challengeResponse: '123456', ChallengeResponses: { USERNAME: 'u', SOFTWARE_TOKEN_MFA_CODE: '1' }, Session: 'opaque',
      nested: [{ AuthParameters: { USERNAME: 'alice', SRP_A: 'abc', REFRESH_TOKEN: 'r' } }],
      session: { username: 'alice', expiresAt: 1 }, // authchart's token-free summary: walked, not dropped
    });
    expect(out).toEqual({
      accessToken: REDACTED, IdToken: REDACTED, refresh_token: REDACTED, PASSWORD: REDACTED, NEW_PASSWORD: REDACTED, clientSecret: REDACTED, SECRET_HASH: REDACTED,
      challengeResponse: REDACTED, ChallengeResponses: REDACTED, Session: REDACTED,
      nested: [{ AuthParameters: { USERNAME: 'alice', SRP_A: REDACTED, REFRESH_TOKEN: REDACTED } }],
      session: { username: 'alice', expiresAt: 1 },
    });
  });

  test('redacts by value: JWTs, JWEs (whole or inside text) and known secrets', () => {
    const out = redactDeep({ a: JWT, b: `bad token ${JWE} here`, c: 'Hunter2-Secret!', d: 'said Hunter2-Secret! twice', e: '654321', f: 'keep me' }, { secrets: ['Hunter2-Secret!', '654321'] });
    expect(out).toEqual({ a: REDACTED, b: `bad token ${REDACTED} here`, c: REDACTED, d: `said ${REDACTED} twice`, e: REDACTED, f: 'keep me' });
  });

  test('known secrets of any length, inside text, in raw, JSON-escaped and URL-encoded form (the same rule as error messages)', () => {
    const password = 'p"w\\ 7!';
    const text = `sent {"PASSWORD":"${JSON.stringify(password).slice(1, -1)}"} and ?p=${encodeURIComponent(password)} and ${new URLSearchParams({ p: password })} code 123456 x`;
    expect(redactString(text, [password, '123456'])).toBe(`sent {"PASSWORD":"${REDACTED}"} and ?p=${REDACTED} and p=${REDACTED} code ${REDACTED} x`);
    expect(redactString(`said ${password} and a 6-digit code 654321x`, [password, '654321'])).toBe(`said ${REDACTED} and a 6-digit code ${REDACTED}x`);
    expect(redactString('a bc in abcd, bc', ['bc'])).toBe(`a ${REDACTED} in abcd, ${REDACTED}`);
    expect(redactDeep({ m: `echo ${encodeURIComponent(password)}` }, { secrets: [password] })).toEqual({ m: `echo ${REDACTED}` });
  });

  test('handles cycles, errors, maps, sets, dates, functions, throwing getters and actor refs without throwing', () => {
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    const error = Object.assign(new Error(`refused ${JWT}`), { $metadata: { httpStatusCode: 400 }, refreshToken: 'r' });
    const hostile = Object.defineProperty({}, 'boom', { enumerable: true, get: () => { throw new Error('no'); } });
    const actor = createActor(setup({}).createMachine({ id: 'm' })).start();
    const out = redactDeep({ cyclic, error, map: new Map([['idToken', JWT]]), set: new Set([JWT]), at: new Date(0), fn: () => 1, hostile, actor }) as Record<string, unknown>;
    actor.stop();
    expect(out.cyclic).toEqual({ name: 'x', self: '[circular]' });
    expect(out.error).toMatchObject({ name: 'Error', message: `refused ${REDACTED}`, $metadata: { httpStatusCode: 400 }, refreshToken: REDACTED });
    expect(out.map).toEqual({ idToken: REDACTED });
    expect(out.set).toEqual([REDACTED]);
    expect(out.at).toBe('1970-01-01T00:00:00.000Z');
    expect('fn' in out).toBe(false);
    expect(out.hostile).toBe('[unreadable]');
    expect(out.actor).toBe(actor.sessionId);
    expect(JSON.stringify(out)).not.toContain('eyJ');
  });
});

describe('redactingInspector with XState inspect', () => {
  test('input, child input/output, done.actor output and promise data are redacted; the machine still runs', async () => {
    const machine = setup({
      actors: { fetchTokens: fromPromise(async ({ input }: { input: { refreshToken: string } }) => ({ accessToken: JWT, echoed: input.refreshToken })) },
    }).createMachine({
      id: 'leaky',
      context: ({ input }: { input: { password: string } }) => ({ password: input.password, note: 'fine' }),
      initial: 'fetching',
      states: {
        fetching: { invoke: { src: 'fetchTokens', input: () => ({ refreshToken: JWE }), onDone: { target: 'done' } } },
        done: { type: 'final' },
      },
      output: ({ event }) => (event as { output?: unknown }).output,
    });
    const captured: unknown[] = [];
    const raw: InspectionEvent[] = [];
    const actor = createActor(machine, { input: { password: 'Plain-Passw0rd!' }, inspect: { next: (e) => raw.push(e) } });
    const redactedActor = createActor(machine, { input: { password: 'Plain-Passw0rd!' }, inspect: redactingInspector((e) => captured.push(e)) });
    for (const a of [actor, redactedActor]) a.start();
    await Promise.all([actor, redactedActor].map((a) => waitFor(a, (snapshot) => snapshot.status === 'done')));
    // The raw stream does carry them: this is what the wrapper is for.
    expect(serializeObserved(raw.map((e) => ('event' in e ? e.event : null)))).toContain(JWT);
    const text = JSON.stringify(captured);
    expect(text).toContain('xstate.done.actor');
    expect(text).toContain('xstate.init');
    expect(text).not.toContain('Plain-Passw0rd!');
    expect(text).not.toContain('eyJ');
    expect(captured.length).toBeGreaterThan(5);
  });
});

describe('nothing secret reaches an inspector (emulator, every branch)', () => {
  let emu: CognitoEmulator;
  beforeAll(async () => (emu = await startCognitoEmulator()));
  afterAll(() => emu.close());

  const modes: Array<[string, boolean]> = [
    ['redacted capture (redactingInspector)', true],
    ['raw capture: the statechart itself leaks nothing (defence in depth)', false],
  ];
  test.each(modes)('%s', async (_title, redacting) => {
    const logged: unknown[] = [];
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args)));
    let run: ScenarioRun;
    try {
      run = await runInspectorScenario(emu, (capture) =>
        redacting
          ? redactingInspector(capture)
          : (event: InspectionEvent) => {
              capture(event);
              if (event.type === '@xstate.actor') capture(event.actorRef.getSnapshot()); // what Stately sends for an actor
            },
      );
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
    const text = serializeObserved([...run.observed, ...logged]);
    expect(findLeaks(text, run)).toEqual([]);
    // The run went everywhere it should have, and the checker had something to find.
    expect(run.states.join()).toContain('awaitingChallengeAnswer');
    expect(run.secrets.filter((s) => s.startsWith('eyJ')).length).toBeGreaterThanOrEqual(3 * 7);
    expect(run.codes).toHaveLength(2);
    expect(text).toContain('xstate.done.actor');
    expect(text).toContain('CodeMismatchException');
    expect(run.observed.length).toBeGreaterThan(200);
  }, 60_000);

  test('the checker fails when a token or code is planted in a captured event', () => {
    const run = { secrets: ['Some-Password-1!', JWT], codes: ['123456'] };
    expect(findLeaks(serializeObserved([{ type: '@xstate.event', event: { type: 'X', value: 'ok', at: 1123456789 } }]), run)).toEqual([]);
    expect(findLeaks(serializeObserved([{ type: '@xstate.event', event: { type: 'X', accessToken: JWT } }]), run)).not.toEqual([]);
    expect(findLeaks(serializeObserved([{ type: '@xstate.event', event: { type: 'X', code: '123456' } }]), run)).not.toEqual([]);
    expect(findLeaks(serializeObserved([new Error('pw Some-Password-1! rejected')]), run)).not.toEqual([]);
    expect(findLeaks(serializeObserved([{ t: 'eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.sig' }]), run)).not.toEqual([]); // any JWT shape
  });
});

describe('@statelyai/inspect WebSocket wiring (child process: the package is ESM-only)', () => {
  test('the relay binds 127.0.0.1, and every event it relays is redacted', () => {
    const child = spawnSync(process.execPath, ['scripts/run-ts.mjs', '__tests__/support/inspectorStatelyChild.ts'], { encoding: 'utf8', timeout: 60_000 });
    expect(child.stderr).not.toMatch(/Error/);
    expect(child.status).toBe(0);
    const report = JSON.parse(child.stdout.trim().split('\n').pop()!) as { host: string; boundTo: string; pageOk: boolean; canary: boolean; nonLoopback: string; received: unknown[]; secrets: string[]; codes: string[] };
    expect(report.host).toBe('127.0.0.1');
    expect(report.boundTo).toBe('127.0.0.1');
    expect(report.pageOk).toBe(true);
    expect(report.canary).toBe(true); // the canary machine's events were relayed (redacted)
    expect(['refused', 'no other interface']).toContain(report.nonLoopback);
    const text = JSON.stringify(report.received);
    expect(findLeaks(text, report)).toEqual([]);
    expect(report.received.length).toBeGreaterThan(50);
    expect(text).toContain('"@xstate.snapshot"');
    expect(text).toContain('awaitingChallengeAnswer');
    expect(report.secrets.filter((s) => s.startsWith('eyJ')).length).toBeGreaterThanOrEqual(3);
  }, 90_000);
});

describe('@statelyai/inspect browser wiring (child process; a stand-in window, no browser)', () => {
  test('createRedactedBrowserInspector opens the given URL and everything it posts to the inspector window is redacted', () => {
    const child = spawnSync(process.execPath, ['scripts/run-ts.mjs', '__tests__/support/inspectorBrowserChild.ts'], { encoding: 'utf8', timeout: 60_000 });
    expect(child.stderr).not.toMatch(/Error/);
    expect(child.status).toBe(0);
    const report = JSON.parse(child.stdout.trim().split('\n').pop()!) as { opened: string[]; canary: boolean; received: unknown[]; secrets: string[]; codes: string[] };
    expect(report.opened).toEqual(['http://127.0.0.1:1/inspect']);
    expect(report.canary).toBe(true); // posted after the connection: live events go through the redactor too
    const text = JSON.stringify(report.received);
    expect(findLeaks(text, report)).toEqual([]);
    expect(report.received.length).toBeGreaterThan(50);
    expect(text).toContain('"@xstate.snapshot"');
    expect(text).toContain('awaitingChallengeAnswer');
    expect(text).toContain('"@statelyai.disconnected"');
    expect(report.secrets.filter((s) => s.startsWith('eyJ')).length).toBeGreaterThanOrEqual(3);
  }, 90_000);
});

describe('authchart/inspect bundles for a browser; the Node relay is authchart/inspect/node', () => {
  const bundle = (entry: string) =>
    build({ stdin: { contents: `export * from '${entry}';`, resolveDir: join(__dirname, '..'), loader: 'ts' }, bundle: true, format: 'esm', platform: 'browser', write: false, metafile: true, splitting: true, outdir: join(__dirname, '..', '.bundle-out'), logLevel: 'silent' });

  test('authchart/inspect: esbuild --platform=browser bundles it (@statelyai/inspect included), with no node: module anywhere', async () => {
    const result = await bundle('./src/inspect/index');
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((file) => file.includes('@statelyai/inspect'))).toBe(true);
    expect(inputs.filter((file) => file.startsWith('node:') || file.includes('/server'))).toEqual([]);
    expect(result.outputFiles.map((file) => file.text).join('\n')).not.toMatch(/["']node:/);
  });

  test('authchart/inspect/node is the relay, and it needs node:http (so it cannot be bundled for a browser)', async () => {
    await expect(bundle('./src/inspect/node')).rejects.toThrow(/node:http|Could not resolve/);
  });
});
