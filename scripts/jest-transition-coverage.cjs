// Jest reporter: whole-suite transition coverage (docs/transition-coverage.md says what and why).
//
// onRunStart: makes a temporary directory and names it in AUTHCHART_TRANSITIONS_DIR before jest
//   starts its workers, so that they inherit it; __tests__/support/transitionRecorder.ts, loaded
//   in every test file, writes the transitions that file's actors took there.
// onRunComplete: only for a full run (no path, name or changed-files filter): lists every transition of every chart in machines/ (bundled with esbuild, as
//   scripts/run-ts.mjs does), judges (__tests__/support/transitionCoverage.ts), writes
//   docs/transition-coverage.md when it changed, and prints a summary. When the gate is enforced,
//   a problem makes getLastError() return an error, and jest then exits with a failure.
// A run of some test files only records nothing to judge and says nothing.
const { buildSync } = require('esbuild');
const { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, relative } = require('node:path');

const VARIABLE = 'AUTHCHART_TRANSITIONS_DIR';

/** Every .ts module under machines/ (any depth): each chart is found among their exports. */
function machineModules(root) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
    }
  };
  walk(join(root, 'machines'));
  return out.sort();
}

/** The judge and every chart, bundled into one CommonJS file and loaded (dependencies stay external). */
function loadJudge(root) {
  const modules = machineModules(root);
  const rel = (path) => `./${relative(root, path).split('\\').join('/')}`;
  const contents = [
    ...modules.map((m, i) => `import * as m${i} from ${JSON.stringify(rel(m))};`),
    `export const modules = [${modules.map((_, i) => `m${i}`).join(', ')}];`,
    "export { machinesAmong } from './__tests__/support/transitions.ts';",
    "export { judgeTransitionCoverage, ENFORCE_TRANSITION_COVERAGE } from './__tests__/support/transitionCoverage.ts';",
    "export { UNREACHABLE } from './__tests__/support/unreachableTransitions.ts';",
  ].join('\n');
  const outfile = join(root, '.cache', 'transition-coverage.cjs');
  mkdirSync(join(root, '.cache'), { recursive: true });
  buildSync({ stdin: { contents, resolveDir: root, loader: 'ts', sourcefile: 'transition-coverage-entry.ts' }, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', outfile, logLevel: 'silent' });
  delete require.cache[outfile];
  return require(outfile);
}

function readRecords(dir) {
  const records = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.jsonl')) continue;
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) if (line) records.push(JSON.parse(line));
  }
  return records;
}

/** A run of every test file: nothing named on the command line, no filter of files or tests. */
function isFullRun(config) {
  return (
    config.testPathPattern === '' &&
    !config.testNamePattern &&
    !config.onlyChanged &&
    !config.onlyFailures &&
    !config.findRelatedTests &&
    !config.lastCommit &&
    !config.changedSince &&
    !config.shard &&
    !config.listTests &&
    !config.watch &&
    !config.watchAll
  );
}

class TransitionCoverageReporter {
  constructor(globalConfig) {
    this.config = globalConfig;
    this.error = undefined;
    this.dir = undefined;
  }

  onRunStart() {
    if (process.env[VARIABLE]) return; // given from outside: kept, and not removed afterwards
    this.dir = mkdtempSync(join(tmpdir(), 'authchart-transitions-'));
    process.env[VARIABLE] = this.dir;
  }

  onRunComplete(_contexts, results) {
    const dir = process.env[VARIABLE];
    try {
      if (!dir || !isFullRun(this.config)) return;
      const root = this.config.rootDir;
      const judge = loadJudge(root);
      const machines = judge.machinesAmong(judge.modules.flatMap((m) => Object.values(m)));
      // A failing test file is judged too (the run fails anyway); the report names it.
      const failed = results.testResults.filter((r) => r.numFailingTests > 0 || r.testExecError).map((r) => relative(root, r.testFilePath).split('\\').join('/'));
      const verdict = judge.judgeTransitionCoverage(machines, readRecords(dir), judge.UNREACHABLE, judge.ENFORCE_TRANSITION_COVERAGE, failed);
      const doc = join(root, 'docs', 'transition-coverage.md');
      if (!existsSync(doc) || readFileSync(doc, 'utf8') !== verdict.markdown) writeFileSync(doc, verdict.markdown);
      process.stderr.write(`\n${verdict.summary.join('\n')}\n`);
      if (judge.ENFORCE_TRANSITION_COVERAGE && verdict.problems.length) {
        this.error = new Error(`transition coverage: ${verdict.problems.length} problem(s), listed above and in docs/transition-coverage.md`);
      }
    } catch (error) {
      this.error = error instanceof Error ? error : new Error(String(error));
      process.stderr.write(`\ntransition coverage failed: ${this.error.stack}\n`);
    } finally {
      if (this.dir) {
        rmSync(this.dir, { recursive: true, force: true });
        delete process.env[VARIABLE];
        this.dir = undefined;
      }
    }
  }

  getLastError() {
    return this.error;
  }
}

module.exports = TransitionCoverageReporter;
