// Renders docs/calls.md: for every state of the auth and outbox machines, what each public call
// does there, read from the machine definitions (their `on` maps, guards, targets and actions).
// Pure and deterministic; __tests__/diagrams.test.ts fails when the committed file drifts.
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { REFUSALS, type Refusal } from '../../machines/refusals.js';
import { ACCOUNT_FLOWS, ACCOUNT_REFUSALS, type AccountRefusal } from '../../machines/account/index.js';
import { DOCS_COMMAND } from './render.js';

/** Where the table lives, relative to the repository root. */
export const CALL_TABLE_PATH = 'docs/calls.md';

/** The public methods, and the event each sends. */
export const CALLS = [
  ['signIn', 'SIGN_IN'],
  ['confirmSignIn', 'CONFIRM_SIGN_IN'],
  ['getSession', 'GET_SESSION'],
  ['signOut', 'SIGN_OUT'],
  ['signInWithRedirect', 'SIGN_IN_WITH_REDIRECT'],
  ['handleRedirect', 'HANDLE_REDIRECT'],
  ['retrySignOut', 'RETRY_SIGN_OUT'],
  ['flushRevocations', 'FLUSH_REVOCATIONS'],
] as const;

/** The calls the auth machine answers itself; the rest, the outbox machine. */
export const AUTH_CALLS = CALLS.slice(0, 6);
export const OUTBOX_CALLS = CALLS.slice(6);

export type CallEventType = (typeof CALLS)[number][1];

interface TransitionLike {
  readonly target?: readonly AnyStateNode[];
  readonly guard?: { readonly type?: string } | string | ((...args: never[]) => boolean);
  readonly actions: ReadonlyArray<{ readonly type?: string; readonly params?: unknown } | string | ((...args: never[]) => void)>;
}

/** The states a call can find the machine in: every atomic state, by dotted path. */
export function atomicStates(machine: AnyStateMachine): AnyStateNode[] {
  const walk = (node: AnyStateNode): AnyStateNode[] => {
    const children = Object.values(node.states) as AnyStateNode[];
    return children.length === 0 ? [node] : children.flatMap(walk);
  };
  return walk(machine.root as AnyStateNode);
}

export const pathOf = (node: AnyStateNode): string => node.path.join('.');

/** The transitions that answer `eventType` in `node`: its own, or the nearest ancestor's. */
export function handlersOf(node: AnyStateNode, eventType: string): TransitionLike[] {
  for (let at: AnyStateNode | undefined = node; at; at = at.parent) {
    const transitions = (at.on as Record<string, TransitionLike[] | undefined>)[eventType];
    if (transitions?.length) return transitions;
  }
  return [];
}

const actionTypes = (transition: TransitionLike): string[] =>
  transition.actions.map((action) => (typeof action === 'string' ? action : typeof action === 'function' ? 'inline' : (action.type ?? 'inline')));

const refusalOf = (transition: TransitionLike): Refusal | undefined => {
  for (const action of transition.actions) {
    if (typeof action === 'object' && action.type === 'refuse') return (action.params as { refusal: Refusal }).refusal;
  }
  return undefined;
};

/** One transition in words. */
export function describe(node: AnyStateNode, transition: TransitionLike): string {
  const actions = actionTypes(transition);
  const target = transition.target?.[0];
  const goes = target && target !== node ? ` → \`${pathOf(target)}\`` : '';
  const refusal = refusalOf(transition);
  if (refusal) return `refuses: \`${REFUSALS[refusal].name}\``;
  if (actions.includes('defer')) return 'waits (deferred)';
  if (actions.includes('forwardToOutbox')) return 'the outbox machine answers (table below)';
  if (actions.includes('joinSignOut')) return goes ? `starts a sign-out${goes}` : 'joins the running flow: one result for every caller';
  if (actions.includes('joinRefresh')) return goes ? `refreshes${goes}` : 'joins the running refresh';
  if (actions.includes('joinDrain')) return goes ? `drains every intent${goes}` : 'joins the running drain';
  if (actions.includes('answerSession')) return 'answers the session (`{}` when none)';
  if (actions.includes('answerNoRedirect')) return 'answers `{ type: \'none\' }`: nothing to finish';
  if (actions.includes('rememberRedirectUrl')) return `finishes the return from the hosted UI${goes}`;
  if (actions.includes('answer')) {
    const cancels = actions.includes('cancelChallenge') ? ', cancelling the challenge for good' : actions.includes('answerSignInCaller') ? ', cancelling the sign-in with the hosted UI' : '';
    return `answers \`complete\`${cancels}${goes}`;
  }
  if (actions.includes('startRetry')) return `runs the sign-out chart over the result's tokens${goes}`;
  if (actions.includes('cancelChallenge')) return `starts over, cancelling the challenge${goes}`;
  return goes ? `acts${goes}` : 'answers at once';
}

/** One transition of an account flow's chart in words: a refusal, a step it starts, or an answer at once. */
export function describeAccount(node: AnyStateNode, transition: TransitionLike): string {
  for (const action of transition.actions) {
    if (typeof action === 'object' && action.type === 'refuse') return `refuses: \`${ACCOUNT_REFUSALS[(action.params as { refusal: AccountRefusal }).refusal].name}\``;
  }
  const target = transition.target?.[0];
  return target && target !== node ? `acts → \`${pathOf(target)}\`` : 'answers at once';
}

/** The cell for one call in one state: every candidate, guard first. */
export function cellOf(node: AnyStateNode, eventType: string, say: (node: AnyStateNode, transition: TransitionLike) => string = describe): string {
  const transitions = handlersOf(node, eventType);
  if (transitions.length === 0) return '**unhandled**';
  return transitions
    .map((transition) => {
      const guard = transition.guard;
      const name = typeof guard === 'string' ? guard : typeof guard === 'object' ? guard.type : undefined;
      const when = transitions.length > 1 ? (name ? `if ${name}: ` : 'else: ') : '';
      return when + say(node, transition);
    })
    .join('; ');
}

function table(machine: AnyStateMachine, calls: ReadonlyArray<readonly [string, string]>, say = describe): string[] {
  const lines = [`| state | ${calls.map(([method]) => `\`${method}()\``).join(' | ')} |`, `|---|${calls.map(() => '---|').join('')}`];
  for (const node of atomicStates(machine)) lines.push(`| \`${pathOf(node)}\` | ${calls.map(([, type]) => cellOf(node, type, say)).join(' | ')} |`);
  return lines;
}

export function renderCallTable(auth: AnyStateMachine, outbox: AnyStateMachine): string {
  return [
    `<!-- GENERATED by \`${DOCS_COMMAND}\` (scripts/diagrams/calls.ts) from machines/. Do not edit: run \`${DOCS_COMMAND}\`. -->`,
    '',
    '# What each call does in each state',
    '',
    'Every public method sends one event; every state of the auth machine answers it. "Waits (deferred)" means the',
    'call is kept, in order, and handled again when the machine settles in `signedOut`, `signedIn.active`,',
    '`awaitingChallengeAnswer` or `revokedButStored`; every state it can wait in ends within its own bound',
    '(docs/sign-out.md, *Bounds*). `retrySignOut()` and `flushRevocations()` are answered by the outbox',
    'machine, which runs beside the auth machine.',
    '',
    '## Auth machine',
    '',
    ...table(auth, AUTH_CALLS),
    '',
    '## Outbox machine',
    '',
    ...table(outbox, OUTBOX_CALLS),
    '',
    '## Account flows (authchart/account)',
    '',
    'Each flow of `createAccount(auth)` is its own chart; every state of it answers each of its calls. "Acts" starts',
    "the flow's step, which answers the call when Cognito has; a refusal is an `AuthStateError`, and nothing is sent.",
    '',
    ...ACCOUNT_FLOWS.flatMap(({ machine, calls }) => [`### \`${machine.id}\``, '', ...table(machine, calls, describeAccount), '']),
  ].join('\n');
}
