// `npm run docs`: writes docs/diagrams/<machineId>.md, a Mermaid stateDiagram-v2 generated from each
// machine definition in machines/ (no SVG: GitHub renders Mermaid in markdown), and
// docs/diagrams/auth.<region>.md for each region of the auth chart (machines/auth/). Stale diagrams of
// machines that no longer exist are removed. __tests__/diagrams.test.ts fails when a file drifts.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { authMachine } from '../machines/authMachine.js';
import { outboxMachine } from '../machines/outboxMachine.js';
import { signOutMachine } from '../machines/signOutMachine.js';
import { CALL_TABLE_PATH, renderCallTable } from './diagrams/calls.js';
import { ERROR_TABLE_PATH, renderErrorTable } from './diagrams/errors.js';
import { withReadmeDiagram } from './diagrams/readme.js';
import { allMachines } from './diagrams/machines.js';
import { AUTH_REGIONS } from './diagrams/regions.js';
import { diagramPath, renderMermaid } from './diagrams/render.js';

const dir = 'docs/diagrams';
mkdirSync(dir, { recursive: true });
const written = new Set<string>();
for (const machine of allMachines()) {
  const path = diagramPath(machine);
  writeFileSync(path, renderMermaid(machine));
  written.add(path);
  console.log(`wrote ${path}`);
}
for (const region of AUTH_REGIONS) {
  const path = diagramPath(authMachine, region);
  writeFileSync(path, renderMermaid(authMachine, region));
  written.add(path);
  console.log(`wrote ${path}`);
}
for (const file of readdirSync(dir)) {
  const path = `${dir}/${file}`;
  if (file.endsWith('.md') && !written.has(path)) {
    rmSync(path);
    console.log(`removed stale ${path}`);
  }
}

// README.md shows the sign-out diagram itself, between its markers.
writeFileSync('README.md', withReadmeDiagram(readFileSync('README.md', 'utf8'), signOutMachine));
console.log('wrote the sign-out diagram into README.md');

// docs/calls.md: what each public call does in each state.
writeFileSync(CALL_TABLE_PATH, renderCallTable(authMachine, outboxMachine));
console.log(`wrote ${CALL_TABLE_PATH}`);

// docs/errors.md: every error name, its class and what it means, from the error registry.
writeFileSync(ERROR_TABLE_PATH, renderErrorTable());
console.log(`wrote ${ERROR_TABLE_PATH}`);
