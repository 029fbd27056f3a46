// docs/machines.md cannot drift from the machines: its actor, delay and bounds tables are read
// here and compared with the machines' definitions (setup() implementations, invoke `src`s, the
// `after` transitions), and its statements on how a rejection is read are run against the sign-out chart.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createActor, fromPromise, toPromise, type AnyStateMachine, type AnyStateNode } from 'xstate';
import { authMachine, outboxMachine, signOutMachine, type RecordedIntent, type SignOutInput } from '../machines/index';
import { endsSession, RETRYABLE_FAILURES } from '../machines/errorInfo';

const DOC = readFileSync(join(__dirname, '..', 'docs', 'machines.md'), 'utf8');
const N = 300;
const S = 100;

/** The lines of `## \`name\`` up to the next `## `. */
function sectionOf(name: string): string[] {
  const lines = DOC.split('\n');
  const start = lines.indexOf(`## \`${name}\``);
  if (start < 0) throw new Error(`docs/machines.md has no section ## \`${name}\``);
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The rows (cells, trimmed) of the table under `### heading` in `section`, header and rule left out. */
function tableOf(section: string[], heading: string): string[][] {
  const at = section.indexOf(`### ${heading}`);
  if (at < 0) throw new Error(`no ### ${heading}`);
  const after = section.slice(at + 1);
  const first = after.findIndex((line) => line.startsWith('|'));
  const end = after.findIndex((line, i) => i > first && !line.startsWith('|'));
  // An escaped pipe (`a \| b`) is part of its cell.
  return after.slice(first + 2, end < 0 ? undefined : end).map((line) => line.replace(/\\\|/g, '¦').split('|').slice(1, -1).map((cell) => cell.trim()));
}

const ticked = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/** 'N + 3 × S' for N and S. */
function evaluate(expression: string): number {
  return expression
    .split('+')
    .map((term) => term.split('×').map((factor) => ({ N, S })[factor.trim() as 'N' | 'S'] ?? Number(factor.trim())).reduce((a, b) => a * b, 1))
    .reduce((a, b) => a + b, 0);
}

function statesOf(node: AnyStateNode): AnyStateNode[] {
  return (Object.values(node.states) as AnyStateNode[]).flatMap((child) => [child, ...statesOf(child)]);
}
const nodeAt = (machine: AnyStateMachine, path: string): AnyStateNode =>
  path === '(root)' ? (machine.root as AnyStateNode) : statesOf(machine.root as AnyStateNode).find((node) => node.path.join('.') === path)!;
const srcsOf = (node: AnyStateNode): string[] => node.invoke.map((invoke) => String(invoke.src));

/** The delay of the nearest `after` (on the node or an ancestor) that leaves the node; null when none does. */
function deadlineOf(node: AnyStateNode): string | null {
  const inside = (target: AnyStateNode) => target === node || target.path.join('.').startsWith(`${node.path.join('.')}.`);
  for (let at: AnyStateNode | undefined = node; at; at = at.parent) {
    const leaving = at.after.find((delayed) => (delayed.target ?? []).some((target: AnyStateNode) => !inside(target)));
    if (leaving) return String(leaving.delay);
  }
  return null;
}

describe.each<[string, AnyStateMachine]>([
  ['authMachine', authMachine],
  ['signOutMachine', signOutMachine],
  ['outboxMachine', outboxMachine],
])('docs/machines.md, %s', (name, machine) => {
  const section = sectionOf(name);
  const delays = machine.implementations.delays as Record<string, (args: { context: { networkTimeoutMs: number; storageTimeoutMs: number } }) => number>;
  const invoking = [machine.root as AnyStateNode, ...statesOf(machine.root as AnyStateNode)].filter((node) => node.invoke.length > 0);

  test('the Actors table names every actor of setup(), which are the actors the states invoke', () => {
    const documented = tableOf(section, 'Actors').map((row) => ticked(row[0]!)[0]);
    const declared = Object.keys(machine.implementations.actors);
    const invoked = [...new Set(invoking.flatMap(srcsOf))];
    expect([...documented].sort()).toEqual([...declared].sort());
    expect([...invoked].sort()).toEqual([...declared].sort());
  });

  test('the Delays table names every delay, with its value', () => {
    const rows = tableOf(section, 'Delays');
    expect(rows.map((row) => ticked(row[0]!)[0]).sort()).toEqual(Object.keys(delays).sort());
    for (const [delay, value] of rows) {
      const key = ticked(delay!)[0]!;
      expect([key, delays[key]!({ context: { networkTimeoutMs: N, storageTimeoutMs: S } })]).toEqual([key, evaluate(value!)]);
    }
  });

  test('the Bounds table has every invoking state, what it invokes, and the deadline that ends its wait', () => {
    const rows = tableOf(section, 'Bounds');
    expect(rows.map((row) => ticked(row[0]!)[0] ?? row[0]).sort()).toEqual(invoking.map((node) => (node.parent ? node.path.join('.') : '(root)')).sort());
    for (const [state, invokes, leavesBy, bound] of rows) {
      const path = ticked(state!)[0] ?? state!;
      const node = nodeAt(machine, path);
      expect([path, ticked(invokes!).sort()]).toEqual([path, srcsOf(node).sort()]);
      const named = ticked(leavesBy!)[0];
      const deadline = deadlineOf(node);
      if (named !== undefined && named in delays) {
        // A delay of its own or of an ancestor, with the bound the table gives.
        expect([path, deadline]).toEqual([path, named]);
        expect([path, delays[named]!({ context: { networkTimeoutMs: N, storageTimeoutMs: S } })]).toEqual([path, evaluate(bound!)]);
      } else if (named === 'signOut') {
        // A child chart: its own deadlines end it (__tests__/bareMachines.test.ts measures them).
        expect([path, srcsOf(node)]).toEqual([path, ['signOut']]);
        expect([path, deadline]).toEqual([path, null]);
      } else {
        // Waits on the user, rests, or lives as long as the machine: nothing ends it on a timer.
        expect([path, leavesBy!.startsWith('none'), bound]).toEqual([path, true, 'none']);
        expect([path, deadline]).toEqual([path, null]);
      }
    }
  });
});

describe('docs/machines.md, how a rejection is read', () => {
  const line = (prefix: string) => ticked(DOC.split('\n').find((l) => l.startsWith(prefix)) ?? '');

  test('the retryable names are the machines\' RETRYABLE_FAILURES', () => {
    expect(line('**Retryable names**').sort()).toEqual([...RETRYABLE_FAILURES].sort());
  });

  test('the session-ending names are the ones that end a session', () => {
    const names = line('**Session-ending names**');
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect([name, endsSession(name)]).toEqual([name, true]);
    for (const name of ['NetworkError', 'TimeoutError', 'RefreshTokenReuseException', 'Error']) expect([name, endsSession(name)]).toEqual([name, false]);
  });

  /** A local sign-out whose RevokeToken rejects with `error`: the outcome. */
  function revokeRejecting(error: unknown) {
    const input: SignOutInput = { global: false, revocable: true, scope: 'admin', source: { kind: 'session' }, queueing: false, networkTimeoutMs: N, storageTimeoutMs: S };
    const machine = signOutMachine.provide({
      actors: {
        recordIntent: fromPromise(async (): Promise<RecordedIntent> => ({ intentId: 'i1', revocable: true, scope: 'admin' })),
        revokeToken: fromPromise(() => Promise.reject(error)),
        clearTokens: fromPromise<void>(async () => {}),
        settleIntent: fromPromise(async (): Promise<{ queued: boolean }> => ({ queued: false })),
      },
    });
    return toPromise(createActor(machine, { input }).start());
  }

  test.each(line('**Retryable names**'))('%s is kept for a later try (finishedBy retrySignOut)', async (name) => {
    await expect(revokeRejecting({ name, message: 'm' })).resolves.toMatchObject({ type: 'partial', revokeTokenError: { name }, finishedBy: 'retrySignOut' });
  });

  test('a name not listed is final (finishedBy nothing)', async () => {
    await expect(revokeRejecting({ name: 'UnsupportedTokenTypeException', message: 'm' })).resolves.toMatchObject({ finishedBy: 'nothing' });
  });

  test('an Error subclass is read by its name; every other property is dropped', async () => {
    class NetworkError extends Error {
      override readonly name = 'NetworkError';
      readonly token = 'eyJ.secret';
    }
    const outcome = await revokeRejecting(new NetworkError('offline'));
    expect(outcome).toMatchObject({ revokeTokenError: { name: 'NetworkError', message: 'offline' }, finishedBy: 'retrySignOut' });
    expect(outcome.type === 'partial' && outcome.revokeTokenError).toEqual({ name: 'NetworkError', message: 'offline' });
  });

  test('a plain Error is named Error; anything without a string name and message gets a generic ErrorInfo', async () => {
    await expect(revokeRejecting(new Error('boom'))).resolves.toMatchObject({ revokeTokenError: { name: 'Error', message: 'boom' }, finishedBy: 'nothing' });
    const generic = { name: 'Error', message: 'The service failed without an error name' };
    for (const error of ['NetworkError', undefined, { name: 'NetworkError' }, { name: 1, message: 'm' }]) {
      await expect(revokeRejecting(error)).resolves.toMatchObject({ revokeTokenError: generic, finishedBy: 'nothing' });
    }
  });
});
