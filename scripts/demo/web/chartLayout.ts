// Lays a chart model out with elkjs (the Eclipse Layout Kernel, the layout library of Stately's
// visualizer): its layered algorithm places the states, nested inside their parents
// (hierarchyHandling INCLUDE_CHILDREN, so arrows may cross a compound state's border), routes the
// arrows orthogonally and places their labels. Nothing is placed by hand. A compound state's first
// child is a small dot with an arrow to its initial state. Every coordinate comes back absolute
// (elk.json.shapeCoords / edgeCoords ROOT), so the SVG needs no nesting arithmetic.
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode, LayoutOptions } from 'elkjs/lib/elk-api';
import type { ChartModel, ChartState } from './chartModel';

export interface Size {
  readonly width: number;
  readonly height: number;
}
/** Measures one line of text as the SVG will draw it. */
export type Measure = (text: string, kind: 'state' | 'label') => Size;

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}
export interface PlacedState extends Box {
  readonly state: ChartState;
  readonly depth: number;
}
export interface PlacedArrow {
  readonly id: string;
  /** The route: start, bends, end. */
  readonly points: ReadonlyArray<{ readonly x: number; readonly y: number }>;
  /** The label's box and its lines (one per event); none for an initial-state arrow. */
  readonly label?: Box & { readonly lines: readonly string[] };
  /** An initial-state arrow (from the dot), not a transition. */
  readonly initial: boolean;
}
export interface ChartLayout extends Size {
  readonly states: readonly PlacedState[];
  /** The initial dots' centres. */
  readonly dots: ReadonlyArray<{ readonly x: number; readonly y: number }>;
  readonly arrows: readonly PlacedArrow[];
}

const DOT = 8;
const PAD_X = 10;
const PAD_Y = 5;

/** The layered algorithm's options; ELK reads them from each node that has children, so every compound state gets them. */
const OPTIONS: LayoutOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.mergeEdges': 'true', // the arrows into a state share their last stretch: far fewer parallel lines
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX', // much narrower than the default here
  'elk.layered.spacing.nodeNodeBetweenLayers': '16',
  'elk.layered.spacing.edgeNodeBetweenLayers': '8',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '5',
  'elk.spacing.nodeNode': '12',
  'elk.spacing.edgeNode': '8',
  'elk.spacing.edgeEdge': '5',
  'elk.spacing.edgeLabel': '2',
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
};

const initialDotId = (parent: ChartState) => `${parent.id}#initial`;

function elkNode(state: ChartState, measure: Measure, options: LayoutOptions): ElkNode {
  const name = measure(state.name, 'state');
  if (state.children.length === 0) return { id: state.id, width: name.width + 2 * PAD_X, height: name.height + 2 * PAD_Y };
  const initial = state.children.find((child) => child.initial);
  return {
    id: state.id,
    labels: [{ text: state.name, width: name.width, height: name.height }],
    layoutOptions: {
      ...options,
      'elk.nodeLabels.placement': '[H_LEFT, V_TOP, INSIDE]',
      'elk.padding': `[top=${name.height + 2 * PAD_Y + 4},left=${PAD_X},bottom=${PAD_X},right=${PAD_X}]`,
    },
    children: [...(initial ? [{ id: initialDotId(state), width: DOT, height: DOT }] : []), ...state.children.map((child) => elkNode(child, measure, options))],
  };
}

function initialEdges(state: ChartState): ElkExtendedEdge[] {
  const initial = state.children.find((child) => child.initial);
  return [...(initial ? [{ id: initialDotId(state), sources: [initialDotId(state)], targets: [initial.id] }] : []), ...state.children.flatMap(initialEdges)];
}

function placedStates(node: ElkNode, states: ReadonlyMap<string, ChartState>, depth: number): PlacedState[] {
  const state = states.get(node.id);
  const own = state ? [{ state, depth, x: node.x ?? 0, y: node.y ?? 0, width: node.width ?? 0, height: node.height ?? 0 }] : [];
  return [...own, ...(node.children ?? []).flatMap((child) => placedStates(child, states, state ? depth + 1 : depth))];
}

/** One ELK label for all of an arrow's lines, stacked: ELK keeps the whole box clear. */
function labelBox(lines: readonly string[], measure: Measure): { text: string; width: number; height: number } {
  const sizes = lines.map((line) => measure(line, 'label'));
  return { text: lines.join('\n'), width: Math.max(0, ...sizes.map((size) => size.width)) + 4, height: sizes.reduce((sum, size) => sum + size.height, 0) + 2 };
}

function placedLabel(edge: ElkExtendedEdge): Pick<PlacedArrow, 'label'> {
  const label = edge.labels?.[0];
  if (!label?.text) return {};
  return { label: { lines: label.text.split('\n'), x: label.x ?? 0, y: label.y ?? 0, width: label.width ?? 0, height: label.height ?? 0 } };
}

const allStates = (state: ChartState): ChartState[] => [state, ...state.children.flatMap(allStates)];

/** Lays `model` out; `measure` sizes its texts. */
export async function layoutChart(model: ChartModel, measure: Measure, extra: LayoutOptions = {}): Promise<ChartLayout> {
  const edges: ElkExtendedEdge[] = [
    ...initialEdges(model.root),
    ...model.arrows.map((arrow) => ({
      id: arrow.id,
      sources: [arrow.source],
      targets: [arrow.target],
      labels: [labelBox(arrow.labels, measure)],
    })),
  ];
  const options = { ...OPTIONS, ...extra };
  const graph: ElkNode = { id: '(graph)', layoutOptions: options, children: [elkNode(model.root, measure, options)], edges };
  const laid = await new ELK().layout(graph);
  const dots: Array<{ x: number; y: number }> = [];
  const collectDots = (node: ElkNode): void => {
    if (node.id.endsWith('#initial')) dots.push({ x: (node.x ?? 0) + DOT / 2, y: (node.y ?? 0) + DOT / 2 });
    (node.children ?? []).forEach(collectDots);
  };
  collectDots(laid);
  const initialIds = new Set(allStates(model.root).map(initialDotId));
  return {
    width: laid.width ?? 0,
    height: laid.height ?? 0,
    states: placedStates(laid, new Map(allStates(model.root).map((state) => [state.id, state])), 0),
    dots,
    arrows: ((laid.edges ?? []) as ElkExtendedEdge[]).map((edge) => ({
      id: edge.id,
      initial: initialIds.has(edge.id),
      points: (edge.sections ?? []).flatMap((section) => [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]),
      ...placedLabel(edge),
    })),
  };
}
