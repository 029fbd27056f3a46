// Every machine exported from machines/index.ts, ordered by id: the machines `npm run docs` draws.
import * as exported from '../../machines/index.js';
import type { AnyStateMachine } from 'xstate';
import { isMachine } from './render.js';

export function allMachines(): AnyStateMachine[] {
  return Object.values(exported as Record<string, unknown>)
    .filter(isMachine)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
