// A statechart drawn from its machine definition at runtime: every state node of `machine.root`,
// nested as boxes (a compound state holds its children), in the definition's order. No state list
// is kept by hand. `show(value)` highlights the active states of a snapshot's value.
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { statePath } from '../print';

export interface DrawnChart {
  readonly element: HTMLElement;
  /** Highlights the states of `value`; `note` is shown beside the chart's name (e.g. "finished"). */
  show(value: unknown, note?: string): void;
}

/** The dotted paths a state value makes active: { signedIn: 'active' } → signedIn, signedIn.active. */
export function activePaths(value: unknown, prefix: readonly string[] = []): string[] {
  if (typeof value === 'string') return [[...prefix, value].join('.')];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => [[...prefix, key].join('.'), ...activePaths(child, [...prefix, key])]);
}

/** An event type as people read it: 'xstate.done.actor.0.signOut.revoking' → 'done: signOut.revoking'. */
export const eventLabel = (type: string): string => type.replace(/^xstate\.(done|error)\.actor\.(\d+\.)?/, '$1: ').replace(/^xstate\.after\./, 'after ');

const childrenOf = (node: AnyStateNode): AnyStateNode[] => (Object.values(node.states) as AnyStateNode[]).filter((child) => child.type !== 'history');

/** The tooltip of a state: the events that leave it, and where they go. */
function leaving(node: AnyStateNode): string {
  const lines: string[] = [];
  for (const [eventType, candidates] of node.transitions as Map<string, ReadonlyArray<{ target?: ReadonlyArray<AnyStateNode> }>>) {
    const targets = [...new Set(candidates.flatMap((t) => (t.target ?? []).map((target) => target.path.join('.'))))];
    lines.push(`${eventLabel(eventType)} → ${targets.join(' | ') || '(stays)'}`);
  }
  if ((node.always ?? []).length > 0) lines.push('[always] → ' + (node.always ?? []).flatMap((t) => (t.target ?? []).map((n) => n.path.join('.'))).join(' | '));
  return lines.length > 0 ? lines.join('\n') : 'no transitions';
}

function drawNode(node: AnyStateNode, initial: boolean): HTMLElement {
  const box = document.createElement('div');
  box.className = ['state', node.type, initial ? 'initial' : ''].filter(Boolean).join(' ');
  box.dataset['state'] = node.path.join('.');
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = node.key;
  name.title = leaving(node);
  box.append(name);
  const children = childrenOf(node);
  if (children.length > 0) box.append(drawChildren(node, children));
  return box;
}

function drawChildren(parent: AnyStateNode, children: AnyStateNode[]): HTMLElement {
  const initialTargets = new Set((parent.initial?.target ?? []) as AnyStateNode[]);
  const list = document.createElement('div');
  list.className = 'children';
  list.append(...children.map((child) => drawNode(child, initialTargets.has(child))));
  return list;
}

/** Draws `machine` into a new <figure data-machine="<id>">. */
export function drawChart(machine: AnyStateMachine): DrawnChart {
  const root = machine.root as AnyStateNode;
  const figure = document.createElement('figure');
  figure.className = 'chart';
  figure.dataset['machine'] = machine.id;
  const caption = document.createElement('figcaption');
  figure.append(caption, drawChildren(root, childrenOf(root)));
  const boxes = Array.from(figure.querySelectorAll<HTMLElement>('.state'));
  const show = (value: unknown, note?: string) => {
    const active = new Set(activePaths(value));
    for (const box of boxes) box.classList.toggle('active', active.has(box.dataset['state'] ?? ''));
    caption.textContent = `${machine.id}: ${value === undefined ? '(not running)' : statePath(value)}${note ? ` (${note})` : ''}`;
  };
  show(undefined);
  return { element: figure, show };
}
