// The AWS SDK's Node-version warning is silenced in every test file and in every child process a
// test spawns (jest.config.cjs + scripts/jest-setup.cjs; docs/guides/node.md says so). This file
// deliberately does not set the variable itself.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

const root = join(__dirname, '..');

test('a test file sees AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true, and an SDK client warns about nothing', () => {
  expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
  const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => {});
  try {
    new CognitoIdentityProviderClient({ region: 'us-east-1' }).destroy();
    expect(emitWarning.mock.calls.map(([warning]) => String(warning)).filter((text) => text.includes('node >='))).toEqual([]);
  } finally {
    emitWarning.mockRestore();
  }
});

test('a child process spawned by a test inherits it: building an SDK client prints no NodeVersionSupportWarning', () => {
  const script = "const { CognitoIdentityProviderClient } = require('@aws-sdk/client-cognito-identity-provider'); new CognitoIdentityProviderClient({ region: 'us-east-1' }).destroy(); process.stdout.write(String(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED));";
  // No `env` option: the child gets what jest's own process has, as any spawn in a test does.
  const child = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
  const out = `${child.stdout}${child.stderr}`;
  expect(out).not.toContain('upgrade to node');
  expect(out).not.toContain('NodeVersionSupportWarning');
  expect(out).toBe('true');
});
