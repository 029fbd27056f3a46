// The auth chart's regions, one file each (machines/auth/): `npm run docs` draws each on its own,
// beside the whole chart. Read from the region modules, so a state moved between files moves here.
import { sessionStates } from '../../machines/auth/session.js';
import { signInStates } from '../../machines/auth/signIn.js';
import { signOutStates } from '../../machines/auth/signOut.js';
import type { Region } from './render.js';

export const AUTH_REGIONS: readonly Region[] = [
  { name: 'signIn', title: 'the sign-in region', file: 'machines/auth/signIn.ts', states: Object.keys(signInStates) },
  { name: 'session', title: 'the session region', file: 'machines/auth/session.ts', states: Object.keys(sessionStates) },
  { name: 'signOut', title: 'the sign-out region', file: 'machines/auth/signOut.ts', states: Object.keys(signOutStates) },
];
