// A statechart drawn as SVG from its machine definition at runtime: chartModel() reads the states
// and transitions, layoutChart() (elkjs) places them, and this file draws the boxes (a compound
// state contains its children), the arrows with their event labels, and the initial dots.
// `show(value)` highlights a snapshot's active states; `took(transitions)` highlights the arrows
// of the last step that moved the chart (from the inspection stream's microsteps).
import type { AnyStateMachine } from 'xstate';
import { statePath } from '../print';
import { arrowsTaken, chartModel, type ChartModel, type ChartState, type TransitionLike } from './chartModel';
import { layoutChart, type Measure, type PlacedArrow, type PlacedState } from './chartLayout';

export interface DrawnChart {
  readonly element: HTMLElement;
  /** Resolves once the layout is drawn (or rejects with elkjs's error). */
  readonly ready: Promise<void>;
  /** Highlights the states of `value`; `note` is shown beside the chart's name (e.g. "finished"). */
  show(value: unknown, note?: string): void;
  /**
   * Highlights the arrows of `transitions` (one microstep's) as taken, after the others of the same
   * step (an eventless transition continues it); the newest is the `last`. A transition with no
   * drawn arrow (one that stays in its state) changes nothing.
   */
  took(transitions: readonly TransitionLike[]): void;
  /** A new step begins (an event reached the machine's actor, or a new actor started): its first arrow replaces the last step's. */
  newStep(): void;
}

/** The dotted paths a state value makes active: { signedIn: 'active' } → signedIn, signedIn.active. */
export function activePaths(value: unknown, prefix: readonly string[] = []): string[] {
  if (typeof value === 'string') return [[...prefix, value].join('.')];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => [[...prefix, key].join('.'), ...activePaths(child, [...prefix, key])]);
}

/** An event type as people read it: 'xstate.done.actor.0.signOut.revoking' → 'done: signOut.revoking'. */
export const eventLabel = (type: string): string => type.replace(/^xstate\.(done|error)\.actor\.(\d+\.)?/, '$1: ').replace(/^xstate\.after\./, 'after ');

const SVG = 'http://www.w3.org/2000/svg';
const FONT = { state: '12px ui-monospace, monospace', label: '11px ui-monospace, monospace' } as const;
const LINE = { state: 14, label: 13 } as const;
/** The smallest scale at which a chart is shown whole at first: below it, labels are too small to read. */
const FIT_SCALE = 0.8;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, ...children: Array<Node | string>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  element.append(...children);
  return element;
}

/** Sizes text with a canvas in the fonts page.css gives the SVG's text. */
function canvasMeasure(): Measure {
  const context = document.createElement('canvas').getContext('2d');
  return (text, kind) => {
    if (context) context.font = FONT[kind];
    return { width: Math.ceil(context?.measureText(text).width ?? text.length * 7), height: LINE[kind] };
  };
}

/** The tooltip of a state: what it answers without leaving. Its arrows show where the rest go. */
const tooltip = (state: ChartState): string => (state.stays.length > 0 ? `${state.path || state.name} answers in place: ${state.stays.join(', ')}` : state.path || state.name);

function drawState({ state, x, y, width, height }: PlacedState): SVGGElement {
  const compound = state.children.length > 0;
  const classes = ['state', state.type, state.initial ? 'initial' : '', state.path === '' ? 'root' : ''].filter(Boolean).join(' ');
  const group = svg('g', { class: classes, 'data-state': state.path }, svg('title', {}, tooltip(state)), svg('rect', { x, y, width, height, rx: 6 }));
  if (state.type === 'final') group.append(svg('rect', { class: 'inner', x: x + 3, y: y + 3, width: width - 6, height: height - 6, rx: 4 }));
  const nameY = compound ? y + 6 + LINE.state / 2 : y + height / 2;
  group.append(svg('text', { class: 'name', x: compound ? x + 10 : x + width / 2, y: nameY, 'text-anchor': compound ? 'start' : 'middle', 'dominant-baseline': 'central' }, state.name));
  return group;
}

const pathOf = (points: PlacedArrow['points']): string => points.map((point, i) => `${i === 0 ? 'M' : 'L'}${point.x},${point.y}`).join(' ');

function drawArrow(arrow: PlacedArrow, model: ChartModel, paths: ReadonlyMap<string, string>, marker: string): SVGGElement {
  const drawn = model.arrows.find((candidate) => candidate.id === arrow.id);
  const attributes: Record<string, string> = drawn
    ? { class: 'arrow', 'data-source': paths.get(drawn.source) ?? '', 'data-target': paths.get(drawn.target) ?? '', 'data-arrow': arrow.id }
    : { class: 'arrow initial-arrow' };
  const group = svg('g', attributes, svg('path', { d: pathOf(arrow.points), 'marker-end': `url(#${marker})` }));
  if (drawn) group.prepend(svg('title', {}, `${paths.get(drawn.source) || model.machineId} → ${paths.get(drawn.target) || model.machineId}: ${drawn.labels.join(', ')}`));
  if (arrow.label) {
    const { x, y, width, height, lines } = arrow.label;
    const text = svg('text', { class: 'label', x: x + 2, y: y + 1 }, ...lines.map((line, i) => svg('tspan', { x: x + 2, dy: i === 0 ? LINE.label - 3 : LINE.label }, line)));
    group.append(svg('rect', { class: 'label-bg', x, y, width, height, rx: 2 }), text);
  }
  return group;
}

/** Draws `machine` into a new <figure data-machine="<id>">; the SVG appears when elkjs has laid it out. */
export function drawChart(machine: AnyStateMachine): DrawnChart {
  const model = chartModel(machine);
  const figure = document.createElement('figure');
  figure.className = 'chart';
  figure.dataset['machine'] = machine.id;
  const caption = document.createElement('figcaption');
  const title = document.createElement('span');
  // At 100% the chart scrolls inside its frame and follows the current state; "Fit" shows it whole.
  const zoom = document.createElement('button');
  zoom.type = 'button';
  zoom.className = 'zoom';
  zoom.textContent = 'Fit';
  zoom.setAttribute('aria-pressed', 'false');
  const toggleFit = (fit?: boolean) => {
    zoom.setAttribute('aria-pressed', String(figure.classList.toggle('fit', fit)));
    follow();
  };
  zoom.addEventListener('click', () => toggleFit());
  caption.append(title, zoom);
  const canvas = document.createElement('div');
  canvas.className = 'canvas';
  figure.append(caption, canvas);

  const marker = `arrowhead-${machine.id}`;
  let active = new Set<string>();
  let taken: string[] = []; // arrow ids of the last step that moved the chart, in order
  let stepEnded = false;
  const paint = () => {
    for (const box of Array.from(canvas.querySelectorAll<SVGGElement>('g.state'))) box.classList.toggle('active', active.has(box.dataset['state'] ?? ''));
    for (const arrow of Array.from(canvas.querySelectorAll<SVGGElement>('g.arrow[data-arrow]'))) {
      const id = arrow.dataset['arrow'] ?? '';
      arrow.classList.toggle('taken', taken.includes(id));
      arrow.classList.toggle('last', taken[taken.length - 1] === id);
      arrow.querySelector('path')?.setAttribute('marker-end', `url(#${marker}${taken.includes(id) ? '-taken' : ''})`);
    }
    // The step's arrows are drawn on top of the others, in the order taken.
    for (const id of taken) {
      const arrow = canvas.querySelector(`g.arrow[data-arrow="${CSS.escape(id)}"]`);
      arrow?.parentNode?.append(arrow);
    }
    follow();
  };
  /**
   * Scrolls the frame (at 100%; at "Fit" there is nothing to scroll) to the innermost current state
   * and the last arrow taken, or to the state alone when both do not fit.
   */
  const follow = () => {
    const states = Array.from(canvas.querySelectorAll<SVGRectElement>('g.state.active > rect'));
    const innermost = states[states.length - 1];
    if (!innermost || figure.classList.contains('fit')) return;
    const state = innermost.getBBox();
    const last = canvas.querySelector<SVGPathElement>('g.arrow.last > path')?.getBBox();
    const both = last && {
      x: Math.min(state.x, last.x),
      y: Math.min(state.y, last.y),
      width: Math.max(state.x + state.width, last.x + last.width) - Math.min(state.x, last.x),
      height: Math.max(state.y + state.height, last.y + last.height) - Math.min(state.y, last.y),
    };
    const box = both && both.width <= canvas.clientWidth && both.height <= canvas.clientHeight ? both : state;
    canvas.scrollTo({ left: box.x + box.width / 2 - canvas.clientWidth / 2, top: box.y + box.height / 2 - canvas.clientHeight / 2 });
  };

  const ready = layoutChart(model, canvasMeasure()).then((layout) => {
    const head = (id: string) => svg('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M0,0 L10,5 L0,10 z' }));
    const paths = new Map(layout.states.map((placed) => [placed.state.id, placed.state.path]));
    const image = svg(
      'svg',
      { viewBox: `0 0 ${Math.ceil(layout.width)} ${Math.ceil(layout.height)}`, width: Math.ceil(layout.width), height: Math.ceil(layout.height), role: 'img', 'aria-label': `the ${machine.id} statechart` },
      svg('defs', {}, head(marker), head(`${marker}-taken`)),
      svg('g', { class: 'states' }, ...[...layout.states].sort((a, b) => a.depth - b.depth).map(drawState)),
      svg('g', { class: 'dots' }, ...layout.dots.map((dot) => svg('circle', { class: 'initial-dot', cx: dot.x, cy: dot.y, r: 4 }))),
      svg('g', { class: 'arrows' }, ...layout.arrows.map((arrow) => drawArrow(arrow, model, paths, marker))),
    );
    canvas.replaceChildren(image);
    // A chart that fits at a readable scale is shown whole; a larger one at 100%, following its current state.
    if (canvas.clientWidth >= layout.width * FIT_SCALE) toggleFit(true);
    paint();
  });

  const show = (value: unknown, note?: string) => {
    active = new Set(activePaths(value));
    title.textContent = `${machine.id}: ${value === undefined ? '(not running)' : statePath(value)}${note ? ` (${note})` : ''}`;
    paint();
  };
  const took = (transitions: readonly TransitionLike[]) => {
    const ids = transitions.flatMap((transition) => arrowsTaken(model, transition).map((arrow) => arrow.id));
    if (ids.length === 0) return;
    taken = stepEnded ? ids : [...taken, ...ids];
    stepEnded = false;
    paint();
  };
  show(undefined);
  return { element: figure, ready, show, took, newStep: () => void (stepEnded = true) };
}
