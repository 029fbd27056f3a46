/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: { '\\.ts$': '<rootDir>/scripts/jest-transform.cjs' },
  moduleFileExtensions: ['ts', 'js', 'cjs', 'json'],
  testTimeout: 20000,
};
