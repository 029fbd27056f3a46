// The live page's chart model (scripts/demo/web/chartModel.ts) reads any machine's definition:
// one arrow per pair of states a transition links, labelled with its events and guards, for every
// kind of transition (on, always, after, an invoke's onDone / onError, a compound state's onDone);
// a transition without a target is listed as answered in place, not drawn. No state name is known
// to it, so the drawing follows the auth chart as its regions and states change.
import { fromPromise, not, setup } from 'xstate';
import { arrowsTaken, chartModel } from '../scripts/demo/web/chartModel.js';

const machine = setup({
  actors: { work: fromPromise(async () => 1) },
  guards: { ready: () => true, stale: () => false },
  delays: { deadline: 10 },
}).createMachine({
  id: 'demo',
  initial: 'idle',
  on: { RESET: '.idle' },
  states: {
    idle: { on: { GO: 'busy', PING: {}, ASK: { actions: [] } }, always: { guard: 'ready', target: 'busy' } },
    busy: {
      invoke: { src: 'work', onDone: [{ guard: not('stale'), target: 'done' }, { target: 'idle' }], onError: 'idle' },
      after: { deadline: 'idle', 500: 'idle' },
    },
    group: {
      initial: 'a',
      onDone: 'done',
      states: { a: { on: { NEXT: 'b', AGAIN: { target: 'a', reenter: true } } }, b: { type: 'final' }, memory: { type: 'history' } },
      on: { BACK: '.memory' },
    },
    done: { type: 'final' },
  },
});

describe('the live page reads a chart from its definition', () => {
  const model = chartModel(machine);
  const arrow = (source: string, target: string) => model.arrows.find((candidate) => candidate.source === source && candidate.target === target);

  it('nests the states, marks the initial ones and the kinds', () => {
    expect(model.root).toMatchObject({ id: 'demo', path: '', name: 'demo', type: 'compound' });
    expect(model.root.children.map((child) => [child.path, child.type, child.initial])).toEqual([
      ['idle', 'atomic', true],
      ['busy', 'atomic', false],
      ['group', 'compound', false],
      ['done', 'final', false],
    ]);
    expect(model.root.children[2]?.children.map((child) => child.path)).toEqual(['group.a', 'group.b']); // no history box
  });

  it('draws one arrow per pair of states, labelled with each event and guard that takes it', () => {
    expect(arrow('demo', 'demo.idle')?.labels).toEqual(['RESET']);
    expect(arrow('demo.idle', 'demo.busy')?.labels).toEqual(['GO', 'always [ready]']);
    expect(arrow('demo.busy', 'demo.done')?.labels).toEqual(['done [not(stale)]']);
    expect(arrow('demo.busy', 'demo.idle')?.labels).toEqual(['done', 'error', 'after 500 ms', 'after deadline']); // a number key comes first
    expect(arrow('demo.group', 'demo.done')?.labels).toEqual(['onDone']);
    expect(arrow('demo.group.a', 'demo.group.b')?.labels).toEqual(['NEXT']);
    expect(arrow('demo.group.a', 'demo.group.a')?.labels).toEqual(['AGAIN']); // a re-entry is a loop
    expect(arrow('demo.group', 'demo.group')?.labels).toEqual(['BACK']); // to its history: the state it remembers for
    expect(model.arrows).toHaveLength(8);
  });

  it('lists a transition with no target as answered in place, and draws no arrow for it', () => {
    expect(model.root.children[0]?.stays).toEqual(['PING', 'ASK']);
    const idle = machine.root.states['idle']!;
    const [ping] = idle.transitions.get('PING')!;
    expect(arrowsTaken(model, ping!)).toEqual([]);
    const [go] = idle.transitions.get('GO')!;
    expect(arrowsTaken(model, go!).map((taken) => taken.id)).toEqual(['demo.idle->demo.busy']);
  });
});
