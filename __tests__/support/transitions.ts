// What a "transition" is, for every coverage count of the project: the model-based test
// (__tests__/modelBased.test.ts) and the whole-suite transition coverage (scripts/jest-transition-
// coverage.cjs, docs/transition-coverage.md) both name transitions with transitionKey() and list a
// machine's transitions with universe(). One definition, so the two reports cannot disagree.
//
// No runtime import of xstate here: the whole-suite recorder (transitionRecorder.ts) loads this
// file in every test file, before the test's own `xstate`.
import type { AnyStateMachine, AnyTransitionDefinition } from 'xstate';

/** The parts of a state node this module reads (xstate's StateNode, structurally). */
interface StateNodeLike {
  id: string;
  parent?: StateNodeLike;
  states: Record<string, StateNodeLike>;
  always?: AnyTransitionDefinition[];
  transitions: Map<string, AnyTransitionDefinition[]>;
}

const keys = new WeakMap<AnyTransitionDefinition, string>();

/**
 * A readable, stable name for one transition definition (one candidate of one state node):
 * `source --event[candidateIndex]--> targets`, `(none)` for a targetless one, `always` for an
 * eventless one. Stable as long as the chart's structure is: renaming a state, adding a candidate
 * before another, or moving a transition to another node changes it.
 */
export function transitionKey(t: AnyTransitionDefinition): string {
  const cached = keys.get(t);
  if (cached !== undefined) return cached;
  const source = t.source as unknown as StateNodeLike;
  const always = source.always ?? [];
  const isAlways = always.includes(t);
  const list = isAlways ? always : source.transitions.get(t.eventType) ?? [];
  const event = isAlways ? 'always' : t.eventType;
  const targets = ((t.target ?? []) as unknown as StateNodeLike[]).map((n) => n.id).join(',') || '(none)';
  const key = `${source.id} --${event}[${list.indexOf(t)}]--> ${targets}`;
  keys.set(t, key);
  return key;
}

/** Every state node of a machine, the root first, then depth-first in definition order. */
function stateNodes(machine: AnyStateMachine): StateNodeLike[] {
  const out: StateNodeLike[] = [];
  const walk = (node: StateNodeLike) => {
    out.push(node);
    for (const child of Object.values(node.states)) walk(child);
  };
  walk(machine.root as unknown as StateNodeLike);
  return out;
}

/**
 * Every state node (the root excluded) and every transition definition (the root's included:
 * its `on` answers calls in every state) of a machine.
 */
export function universe(machine: AnyStateMachine): { states: string[]; transitions: string[] } {
  const states: string[] = [];
  const transitions: string[] = [];
  for (const node of stateNodes(machine)) {
    if (node.parent) states.push(node.id);
    for (const t of node.always ?? []) transitions.push(transitionKey(t));
    for (const list of node.transitions.values()) for (const t of list) transitions.push(transitionKey(t));
  }
  return { states, transitions };
}

const isMachine = (value: unknown): value is AnyStateMachine =>
  typeof value === 'object' && value !== null && 'root' in value && 'implementations' in value && typeof (value as { transition?: unknown }).transition === 'function';

/**
 * The state machines among some values (a module's exports), and every machine they invoke or
 * spawn through `setup({ actors })`, however deep: a child chart that no module exports is found
 * through its parent. One entry per machine id; two different charts with one id are an error.
 */
export function machinesAmong(values: Iterable<unknown>): AnyStateMachine[] {
  const byId = new Map<string, AnyStateMachine>();
  const visit = (value: unknown) => {
    if (!isMachine(value)) return;
    const known = byId.get(value.id);
    if (known) {
      if (known.root.config !== value.root.config && JSON.stringify(universe(known)) !== JSON.stringify(universe(value)))
        throw new Error(`two different state machines have the id '${value.id}': give each chart its own id`);
      return;
    }
    byId.set(value.id, value);
    for (const actor of Object.values((value.implementations.actors ?? {}) as Record<string, unknown>)) visit(actor);
  };
  for (const value of values) visit(value);
  return [...byId.values()];
}
