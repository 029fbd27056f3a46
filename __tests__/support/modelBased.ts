// Model-based testing support: paths generated from the statecharts by xstate/graph, and the
// coverage of what the REAL actors (createAuth → SDK → HTTP → emulator) did, read from XState's
// inspection stream (every microstep names the transition definitions it took).
import type { AnyEventObject, AnyStateMachine, InspectionEvent } from 'xstate';
import { getAdjacencyMap, getShortestPaths, getStateNodes, type StatePath } from 'xstate/graph';
import { transitionKey } from './transitions';

type AnyStateNode = ReturnType<typeof getStateNodes>[number];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPath = StatePath<any, AnyEventObject>;

interface Snap {
  value: unknown;
  status?: string;
  machine?: { id: string };
  _nodes?: AnyStateNode[];
}

/** What the real actors did: states entered and transitions taken, per machine id. */
export class CoverageRecorder {
  readonly states = new Map<string, Set<string>>();
  readonly transitions = new Map<string, Set<string>>();

  private add(map: Map<string, Set<string>>, machine: string, key: string): void {
    let set = map.get(machine);
    if (!set) map.set(machine, (set = new Set()));
    set.add(key);
  }

  /** An inspection observer that also returns the state sequence of the root actor of one run. */
  observer(): { inspect: (event: InspectionEvent) => void; sequence: (machineId: string) => unknown[] } {
    const seqs = new Map<string, unknown[]>();
    const push = (id: string, value: unknown) => {
      let seq = seqs.get(id);
      if (!seq) seqs.set(id, (seq = []));
      seq.push(value);
    };
    const inspect = (event: InspectionEvent) => {
      const snap = (event as { snapshot?: Snap }).snapshot;
      const id = snap?.machine?.id;
      if (!snap || !id) return;
      for (const node of snap._nodes ?? []) if (node.parent) this.add(this.states, id, node.id);
      if (event.type === '@xstate.snapshot' && !seqs.has(id)) push(id, snap.value);
      if (event.type === '@xstate.microstep') {
        for (const t of event._transitions) {
          this.add(this.transitions, id, transitionKey(t));
          if ((t.source as AnyStateNode).parent) this.add(this.states, id, (t.source as AnyStateNode).id);
        }
        // Only after the actor's first snapshot: the eventless steps of the initial state are part of it.
        if (seqs.has(id) && snap.status !== 'stopped' && event.event.type !== 'xstate.stop') push(id, snap.value);
      }
    };
    return { inspect, sequence: (machineId) => seqs.get(machineId) ?? [] };
  }
}

export interface PathOptions {
  input?: unknown;
  events: (snapshot: ModelSnapshot) => AnyEventObject[];
  serializeState?: (snapshot: ModelSnapshot) => string;
  /** A state where nothing is in flight: every generated path ends in one. */
  isStable: (snapshot: ModelSnapshot) => boolean;
}

export interface ModelSnapshot {
  value: unknown;
  context: Record<string, unknown>;
  status: string;
  _nodes: AnyStateNode[];
}

/**
 * Paths that together take every edge of the model's state graph (xstate/graph's adjacency map):
 * for each edge, the shortest path to its source, the edge, then the shortest way on to a
 * stable state. Paths that are a prefix of another are dropped.
 */
export function edgeCoveringPaths(machine: AnyStateMachine, options: PathOptions): AnyPath[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const traversal: any = {
    ...(options.input !== undefined && { input: options.input }),
    events: options.events,
    ...(options.serializeState && { serializeState: options.serializeState }),
  };
  const serialize = (s: ModelSnapshot) => (options.serializeState ? options.serializeState(s) : JSON.stringify({ value: s.value, context: s.context }));
  const toVertex = new Map<string, AnyPath>();
  for (const path of getShortestPaths(machine, traversal) as AnyPath[]) toVertex.set(serialize(path.state as ModelSnapshot), path);
  const onward = (from: ModelSnapshot): AnyPath['steps'] => {
    if (options.isStable(from) || from.status !== 'active') return [];
    const candidates = (getShortestPaths(machine, { ...traversal, fromState: from }) as AnyPath[])
      .filter((p) => options.isStable(p.state as ModelSnapshot) || (p.state as ModelSnapshot).status !== 'active')
      .sort((a, b) => a.steps.length - b.steps.length);
    const best = candidates[0];
    if (!best) throw new Error(`no way from ${JSON.stringify(from.value)} to a stable state`);
    return best.steps.slice(1); // steps[0] is the start state itself
  };
  const adjacency = getAdjacencyMap(machine, traversal);
  const paths: AnyPath[] = [];
  for (const [vertex, { transitions }] of Object.entries(adjacency)) {
    const head = toVertex.get(vertex);
    if (!head) continue;
    for (const { event, state } of Object.values(transitions) as Array<{ event: AnyEventObject; state: unknown }>) {
      const steps = [...head.steps, { event, state }, ...onward(state as ModelSnapshot)];
      paths.push({ state: steps[steps.length - 1]!.state, steps, weight: steps.length });
    }
  }
  const sig = (p: AnyPath) => p.steps.map((s) => `${JSON.stringify(s.event)}>${serialize(s.state as ModelSnapshot)}`);
  const sigs = paths.map(sig);
  const kept = paths.filter((_, i) => {
    const mine = sigs[i]!;
    return !sigs.some((other, j) => j !== i && other.length >= mine.length && mine.every((x, k) => other[k] === x) && (other.length > mine.length || j < i));
  });
  return kept;
}

/** A short, readable name for a path: its events after the initial state. */
export function describePath(path: AnyPath): string {
  return path.steps
    .slice(1)
    .map((s) => {
      const e = s.event as AnyEventObject & { output?: unknown; error?: unknown };
      const type = e.type.replace(/^xstate\.(done|error)\.actor\.(0\.)?/, '$1:').replace(/^xstate\.after\.networkDeadline\..*/, 'deadline');
      const detail = e.output !== undefined ? `(${shortOutput(e.output)})` : e.error !== undefined ? `(${(e.error as { name?: string }).name})` : '';
      return `${type}${detail}`;
    })
    .join(' → ');
}

function shortOutput(output: unknown): string {
  if (output === null) return 'null';
  const o = output as { kind?: string; challenge?: { name: string }; type?: string; username?: string };
  if (o.kind === 'challenge') return o.challenge!.name;
  if (o.kind) return o.kind;
  if (o.type) return o.type;
  if (o.username) return 'session';
  return '?';
}

export function percent(n: number, d: number): string {
  return d === 0 ? '100%' : `${((100 * n) / d).toFixed(1)}%`;
}
