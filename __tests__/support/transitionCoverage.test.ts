// The whole-suite transition coverage's own parts (docs/transition-coverage.md): the names of
// transitions, the charts found, the verdicts, and the recorder in this very file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createActor, setup, type InspectionEvent } from 'xstate';
import { judgeTransitionCoverage } from './transitionCoverage';
import { RECORD_DIR_VARIABLE, type TransitionRecord } from './transitionRecorder';
import { machinesAmong, universe } from './transitions';

const child = setup({}).createMachine({ id: 'child', initial: 'idle', states: { idle: { on: { STOP: 'stopped' } }, stopped: { type: 'final' } } });
const parent = setup({ actors: { child }, guards: { yes: () => true, no: () => false } }).createMachine({
  id: 'toy',
  initial: 'a',
  on: { PING: {} },
  states: {
    a: { on: { GO: [{ guard: 'no', target: 'c' }, { target: 'b' }] } },
    b: { always: [{ guard: 'yes', target: 'c' }] },
    c: { invoke: { src: 'child' } },
  },
});

test('a transition is named source --event[candidate]--> target; the root, eventless and targetless ones included', () => {
  expect(universe(parent)).toEqual({
    states: ['toy.a', 'toy.b', 'toy.c'],
    transitions: ['toy --PING[0]--> (none)', 'toy.a --GO[0]--> toy.c', 'toy.a --GO[1]--> toy.b', 'toy.b --always[0]--> toy.c'],
  });
});

test('a chart that only another chart invokes is found through it, once', () => {
  expect(machinesAmong([parent, 'not a machine', parent, child]).map((m) => m.id)).toEqual(['toy', 'child']);
});

test('the verdict: a gap, an allow-listed one taken, a stale allow-list entry; the rest is fine', () => {
  const taken = (transition: string, file = '__tests__/x.test.ts'): TransitionRecord => ({ file, machine: transition.startsWith('child') ? 'child' : 'toy', transition });
  const records = [taken('toy --PING[0]--> (none)'), taken('toy.a --GO[1]--> toy.b'), taken('toy.b --always[0]--> toy.c'), taken('child.idle --STOP[0]--> child.stopped', '__tests__/y.test.ts')];
  const unreachable = { 'toy.a --GO[0]--> toy.c': 'the guard says no', 'toy.b --always[0]--> toy.c': 'wrongly listed', 'toy.gone --X[0]--> toy.a': 'stale' };
  expect(judgeTransitionCoverage(machinesAmong([parent]), records, unreachable, true).problems.sort()).toEqual([
    'allow-listed as unreachable but taken (by __tests__/x.test.ts): toy.b --always[0]--> toy.c',
    'allow-listed but no longer a transition of any chart: toy.gone --X[0]--> toy.a',
  ]);
  const { problems, markdown } = judgeTransitionCoverage(machinesAmong([parent]), records.slice(1), { 'toy.a --GO[0]--> toy.c': 'the guard says no' }, true);
  expect(problems).toEqual(['never taken and not allow-listed: toy --PING[0]--> (none)']);
  expect(markdown).toContain('| `toy.a --GO[0]--> toy.c` | unreachable: the guard says no |');
  expect(markdown).toContain('| `child.idle --STOP[0]--> child.stopped` | y.test.ts |');
});

test("this file's actors are recorded, and the caller's own inspect still sees everything", () => {
  const dir = process.env[RECORD_DIR_VARIABLE];
  const seen: InspectionEvent[] = [];
  const actor = createActor(parent, { inspect: (event) => seen.push(event) }).start();
  actor.send({ type: 'GO' });
  expect(actor.getSnapshot().value).toBe('c');
  expect(seen.some((e) => e.type === '@xstate.microstep')).toBe(true);
  actor.stop();
  // Without the reporter (jest run with other reporters) nothing is recorded, and that is all.
  if (!dir) return;
  const mine = readdirSync(dir)
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n'))
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TransitionRecord)
    .filter((r) => r.file === '__tests__/support/transitionCoverage.test.ts');
  expect(mine.map((r) => `${r.machine}: ${r.transition}`).sort()).toEqual(['toy: toy.a --GO[1]--> toy.b', 'toy: toy.b --always[0]--> toy.c']);
});
