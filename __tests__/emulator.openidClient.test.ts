// An independent, maintained OIDC client (openid-client 6) against the emulator: discovery and the
// authorization-code flow, as an app team's own code would run them. It must take the same branch
// as with Cognito's discovery document (issue 19, item 6): Cognito does not publish
// code_challenge_methods_supported, so openid-client sends a state besides PKCE; and a flow without
// PKCE, which Cognito documents as optional, must work too. openid-client is ESM-only, so the
// scenario runs in a child process (__tests__/support/openidClientChild.ts); this file judges its report.
import { spawnSync } from 'node:child_process';

interface Report {
  issuer: string;
  supportsPKCE: boolean;
  cognitoSupportsPKCE: boolean;
  sentState: boolean;
  idToken: { iss: string; aud: string; sub: string };
  userInfo: { sub: string; username: string };
  hasRefreshToken: boolean;
  withoutPkce: { hasAccessToken: boolean; iss: string };
  expected: { issuer: string; clientId: string; username: string };
}

test('openid-client: discovery, the code flow with PKCE and state, userInfo, and a flow without PKCE', () => {
  const child = spawnSync(process.execPath, ['scripts/run-ts.mjs', '__tests__/support/openidClientChild.ts'], { encoding: 'utf8', timeout: 60_000 });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  const report = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as Report;
  const { expected } = report;
  // The same branch as against Cognito's document: PKCE is not advertised, so a state is sent too.
  expect({ emulator: report.supportsPKCE, cognito: report.cognitoSupportsPKCE, sentState: report.sentState }).toEqual({ emulator: false, cognito: false, sentState: true });
  expect(report.issuer).toBe(expected.issuer);
  expect(report.idToken).toEqual({ iss: expected.issuer, aud: expected.clientId, sub: report.userInfo.sub });
  expect(report.userInfo.username).toBe(expected.username);
  expect(report.hasRefreshToken).toBe(true);
  expect(report.withoutPkce).toEqual({ hasAccessToken: true, iss: expected.issuer });
}, 90_000);
