// The AWS SDK's Node-version warning is silenced for the whole run: here for jest's own process,
// so that its workers and every child process a test spawns inherit it (scripts/jest-setup.cjs
// sets it in each test file's process.env copy). See docs/guides/node.md.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: { '\\.tsx?$': '<rootDir>/scripts/jest-transform.cjs' },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'cjs', 'json'],
  // Sources import siblings as './x.js' (NodeNext ESM rules); jest resolves them to the .ts files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  setupFiles: ['<rootDir>/scripts/jest-setup.cjs'],
  // Whole-suite transition coverage (docs/transition-coverage.md): every test file records the
  // transitions its actors take; after a full run the reporter judges them against the charts.
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/transitionRecorder.ts'],
  reporters: ['default', '<rootDir>/scripts/jest-transition-coverage.cjs'],
  testTimeout: 20000,
};
