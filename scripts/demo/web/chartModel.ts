// What the live page draws of a statechart, read from its definition (`machine.root`) alone: the
// state nodes as a tree (a compound or parallel state holds its children) and one arrow per pair
// of states that a transition links, labelled with its events (`on`, `always`, `after`, an
// invoke's onDone / onError, a state's onDone) and their guards. No state or event is named here,
// so the drawing follows the machines as they change. Pure: no DOM, so Node can test it.
import type { AnyStateMachine, AnyStateNode } from 'xstate';

export interface ChartState {
  /** The state node's id (unique in its machine): the layout's id. */
  readonly id: string;
  /** The dotted path from the root, '' for the root itself: what a snapshot's value makes active. */
  readonly path: string;
  /** The name drawn: the key, or the machine's id for the root. */
  readonly name: string;
  readonly type: 'atomic' | 'compound' | 'parallel' | 'final';
  /** The state's parent starts in it. */
  readonly initial: boolean;
  readonly children: readonly ChartState[];
  /** The events it answers without leaving (the call answered in place, a deferral): its tooltip. */
  readonly stays: readonly string[];
}

export interface ChartArrow {
  readonly id: string;
  /** ChartState ids. The source is the state that declares the transitions; equal ids make a loop. */
  readonly source: string;
  readonly target: string;
  /** One line per event (and guard) that takes it: 'SIGN_IN', 'done [hasSession]', 'after loadDeadline'. */
  readonly labels: readonly string[];
  /** The raw event types ('' for always), to find the arrow a microstep took. */
  readonly events: readonly string[];
}

export interface ChartModel {
  readonly machineId: string;
  readonly root: ChartState;
  readonly arrows: readonly ChartArrow[];
}

/** The parts of a transition definition the chart reads (an `@xstate.microstep`'s `_transitions` have them). */
export interface TransitionLike {
  readonly eventType: string;
  readonly source: AnyStateNode;
  readonly target?: ReadonlyArray<AnyStateNode> | undefined;
  readonly guard?: unknown;
}

const drawnChildren = (node: AnyStateNode): AnyStateNode[] => (Object.values(node.states) as AnyStateNode[]).filter((child) => child.type !== 'history');

/** A history pseudo-state is not drawn: an arrow to it ends at the state it remembers for. */
const drawnTarget = (node: AnyStateNode): AnyStateNode => (node.type === 'history' && node.parent ? node.parent : node);

/** A guard as written: 'hasSession', 'not(isNavigating)', 'and(a, b)'; undefined for an inline function. */
export function guardName(guard: unknown): string | undefined {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && typeof (guard as { type?: unknown }).type === 'string') return (guard as { type: string }).type;
  if (typeof guard === 'function') {
    const inner = (guard as { guards?: unknown }).guards;
    if (Array.isArray(inner) && guard.name) return `${guard.name}(${inner.map((g) => guardName(g) ?? '…').join(', ')})`;
    return undefined;
  }
  return undefined;
}

/**
 * An event type as drawn on an arrow leaving `source`: 'done' and 'error' for its own invoke (with the
 * actor's name when it has several), 'after <delay>' for a delayed transition, 'always', 'onDone'.
 */
export function arrowEvent(eventType: string, source: AnyStateNode): string {
  if (eventType === '') return 'always';
  const actor = /^xstate\.(done|error)\.actor\.(.+)$/.exec(eventType);
  if (actor) {
    const invokes = (source.invoke ?? []) as ReadonlyArray<{ id: string; src: unknown }>;
    const own = invokes.find((invoke) => invoke.id === actor[2]);
    if (own && invokes.length === 1) return actor[1]!;
    return `${actor[1]}: ${own && typeof own.src === 'string' ? own.src : actor[2]}`;
  }
  if (eventType.startsWith('xstate.done.state.')) return 'onDone';
  const delayed = /^xstate\.after\.([^.]+)\./.exec(eventType);
  if (delayed) return /^\d+$/.test(delayed[1]!) ? `after ${delayed[1]} ms` : `after ${delayed[1]}`;
  return eventType;
}

function transitionsOf(node: AnyStateNode): TransitionLike[] {
  const on = [...(node.transitions as Map<string, ReadonlyArray<TransitionLike>>).values()].flat();
  return [...on, ...((node.always ?? []) as ReadonlyArray<TransitionLike>)];
}

function stateOf(node: AnyStateNode, machineId: string, initial: boolean, stays: Map<string, string[]>): ChartState {
  const children = drawnChildren(node);
  const initialTargets = new Set((node.initial?.target ?? []) as AnyStateNode[]);
  return {
    id: node.id,
    path: node.path.join('.'),
    name: node.path.length === 0 ? machineId : node.key,
    type: node.type === 'history' ? 'atomic' : node.type,
    initial,
    children: children.map((child) => stateOf(child, machineId, initialTargets.has(child), stays)),
    stays: stays.get(node.id) ?? [],
  };
}

/** Reads `machine`'s states and transitions; a transition with no target is listed in its state's `stays`. */
export function chartModel(machine: AnyStateMachine): ChartModel {
  const arrows = new Map<string, { source: string; target: string; labels: string[]; events: string[] }>();
  const stays = new Map<string, string[]>();
  const visit = (node: AnyStateNode): void => {
    for (const transition of transitionsOf(node)) {
      const label = arrowEvent(transition.eventType, node) + (guardName(transition.guard) ? ` [${guardName(transition.guard)}]` : '');
      const targets = (transition.target ?? []).map(drawnTarget);
      if (targets.length === 0) {
        const list = stays.get(node.id) ?? [];
        if (!list.includes(label)) list.push(label);
        stays.set(node.id, list);
      }
      for (const target of targets) {
        const key = `${node.id}->${target.id}`;
        const arrow = arrows.get(key) ?? { source: node.id, target: target.id, labels: [], events: [] };
        if (!arrow.labels.includes(label)) arrow.labels.push(label);
        if (!arrow.events.includes(transition.eventType)) arrow.events.push(transition.eventType);
        arrows.set(key, arrow);
      }
    }
    drawnChildren(node).forEach(visit);
  };
  const root = machine.root as AnyStateNode;
  visit(root);
  return {
    machineId: machine.id,
    root: stateOf(root, machine.id, false, stays),
    arrows: [...arrows.entries()].map(([id, arrow]) => ({ id, ...arrow })),
  };
}

/** The arrows a transition definition (from an `@xstate.microstep` inspection event) took: none when it has no target. */
export function arrowsTaken(model: ChartModel, transition: TransitionLike): ChartArrow[] {
  const targets = new Set((transition.target ?? []).map((target) => drawnTarget(target).id));
  return model.arrows.filter((arrow) => arrow.source === transition.source.id && targets.has(arrow.target) && arrow.events.includes(transition.eventType));
}
