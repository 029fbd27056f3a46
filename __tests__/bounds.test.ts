// Every public call is bounded, and the bound is in the charts: each state that waits on I/O has
// a deadline (`after`) of its own or from an ancestor, so no storage or network call, however
// slow, can hold a flow past it. States that run a child chart inherit that chart's deadlines.
// Read from the machine definitions, so a new waiting state without a deadline fails here.
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { authMachine } from '../machines/authMachine';
import { outboxMachine } from '../machines/outboxMachine';
import { signOutMachine } from '../machines/signOutMachine';

/** Actors that are charts themselves (their own deadlines apply), or watchers that wait on purpose. */
const NOT_I_O = new Set(['signOut', 'outbox', 'watchBackoff']);
/**
 * States that wait on the user, not on I/O: no deadline on purpose. In openingHostedUi every call
 * but the one that opened it is answered at once (docs/calls.md), and a sign-out cancels it; in
 * openingLogout every call but signOut() (which joins the sign-out) is. A browser navigates at
 * once; their storage calls are bounded by storageTimeoutMs in the stores.
 */
const WAITS_ON_THE_USER = new Set(['openingHostedUi', 'openingLogout']);

function statesOf(node: AnyStateNode): AnyStateNode[] {
  return (Object.values(node.states) as AnyStateNode[]).flatMap((child) => [child, ...statesOf(child)]);
}
/** A delayed transition on the node or an ancestor that leaves the node: it ends the wait whatever happens inside. */
const hasDeadline = (node: AnyStateNode): boolean => {
  const inside = (target: AnyStateNode) => target === node || target.path.join('.').startsWith(`${node.path.join('.')}.`);
  for (let at: AnyStateNode | undefined = node; at; at = at.parent) {
    if (at.after.some((delayed) => (delayed.target ?? []).some((target: AnyStateNode) => !inside(target)))) return true;
  }
  return false;
};
const sources = (node: AnyStateNode): string[] => node.invoke.map((invoke) => String(invoke.src));

describe.each<[string, AnyStateMachine]>([
  ['auth', authMachine],
  ['signOut', signOutMachine],
  ['outbox', outboxMachine],
])('%s machine', (_, machine) => {
  const waiting = statesOf(machine.root as AnyStateNode).filter((node) => sources(node).some((src) => !NOT_I_O.has(src)) && !WAITS_ON_THE_USER.has(node.path.join('.')));

  test('has states that wait on I/O (the check checks something)', () => {
    expect(waiting.length).toBeGreaterThan(0);
  });

  test.each(waiting.map((node): [string, AnyStateNode] => [node.path.join('.'), node]))('%s has a deadline', (_path, node) => {
    expect(hasDeadline(node)).toBe(true);
  });
});

test('a state that waits on the user answers every other call at once: nothing is deferred there', () => {
  for (const path of WAITS_ON_THE_USER) {
    const node = statesOf(authMachine.root as AnyStateNode).find((state) => state.path.join('.') === path)!;
    const deferring = Object.entries(node.on as Record<string, Array<{ actions: ReadonlyArray<{ type?: string } | string> }>>).filter(([, transitions]) =>
      transitions.some((transition) => transition.actions.some((action) => (typeof action === 'string' ? action : action.type) === 'defer')),
    );
    expect([path, deferring.map(([type]) => type)]).toEqual([path, []]);
  }
});
