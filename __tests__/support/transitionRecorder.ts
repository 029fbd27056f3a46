// Whole-suite transition coverage, the recording half (jest.config.cjs `setupFilesAfterEnv`; the
// judging half is scripts/jest-transition-coverage.cjs, the report docs/transition-coverage.md).
//
// Every actor any test creates goes through xstate's `createActor`: the ones createAuth makes
// (src/authRuntime.ts), the ones a test makes itself, the ones @xstate/react makes. This module
// gives each test file an `xstate` whose `createActor` adds one more inspection observer, next to
// the caller's own `inspect` if it has one. XState reports every microstep of every actor in the
// system (the sign-out and outbox children too) with the transition definitions it took; each one
// is named with transitionKey() and written once per test file, as a JSON line, to a file of this
// process in the directory the reporter gives in AUTHCHART_TRANSITIONS_DIR. Nothing in the library
// knows about it. Without that variable (jest run some other way) this module does nothing.
//
// Not recorded: actors in processes that jest does not load, i.e. the Node children a test spawns
// and the pages of the Chromium tests (docs/transition-coverage.md says so).
import { appendFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { InspectionEvent, Observer } from 'xstate';
import { transitionKey } from './transitions';

/** One line of a record file. */
export interface TransitionRecord {
  /** The test file, relative to the project root, with '/' separators. */
  file: string;
  /** The id of the machine whose actor took the transition. */
  machine: string;
  transition: string;
}

export const RECORD_DIR_VARIABLE = 'AUTHCHART_TRANSITIONS_DIR';

const dir = process.env[RECORD_DIR_VARIABLE];
if (dir) {
  const file = relative(join(__dirname, '..', '..'), expect.getState().testPath ?? 'unknown').split('\\').join('/');
  const out = join(dir, `${process.pid}.jsonl`);
  const seen = new Set<string>();

  const record = (event: InspectionEvent): void => {
    if (event.type !== '@xstate.microstep') return;
    const machine = (event.snapshot as { machine?: { id?: string } }).machine?.id;
    if (machine === undefined) return;
    for (const t of event._transitions) {
      const transition = transitionKey(t);
      const id = `${machine}\n${transition}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const line: TransitionRecord = { file, machine, transition };
      try {
        appendFileSync(out, `${JSON.stringify(line)}\n`);
      } catch (error) {
        // An actor a test left running (a timer) may step after the run was judged and its record
        // folder removed: that record can change nothing, and must not crash the process (exit 1).
        if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
      }
    }
  };

  type Inspect = ((event: InspectionEvent) => void) | Observer<InspectionEvent>;
  const withRecorder = (theirs: Inspect | undefined) =>
    theirs === undefined
      ? record
      : (event: InspectionEvent) => {
          record(event);
          if (typeof theirs === 'function') theirs(event);
          else theirs.next?.(event);
        };

  jest.mock('xstate', () => {
    const actual = jest.requireActual<typeof import('xstate')>('xstate');
    const createActor = ((logic: Parameters<typeof actual.createActor>[0], options?: { inspect?: Inspect }) =>
      actual.createActor(logic, { ...options, inspect: withRecorder(options?.inspect) })) as typeof actual.createActor;
    return { __esModule: true, ...actual, createActor };
  });
}
