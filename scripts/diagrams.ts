// `npm run docs`: writes docs/diagrams/<machineId>.md, a Mermaid stateDiagram-v2 generated from each
// machine definition in machines/ (no SVG: GitHub renders Mermaid in markdown). Stale diagrams of
// machines that no longer exist are removed. __tests__/diagrams.test.ts fails when a file drifts.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { allMachines } from './diagrams/machines.js';
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
for (const file of readdirSync(dir)) {
  const path = `${dir}/${file}`;
  if (file.endsWith('.md') && !written.has(path)) {
    rmSync(path);
    console.log(`removed stale ${path}`);
  }
}
