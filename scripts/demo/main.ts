// npm run demo: real sign-ins and sign-outs over HTTP against the embedded Cognito emulator
// (no AWS account). Exits 0 only when every scenario behaves as specified.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { startCognitoEmulator } from '../../src/testing/index';
import { startDemoInspector, type DemoInspector } from './inspect';
import { apiTitle, runApiScenario } from './apiScenario';
import { hostedUiTitle, runHostedUiScenario } from './hostedUiScenario';
import { runSignInTour } from './signInTour';
import { accountTitle, runAccountTour } from './accountTour';
import { passkeyTitle, runPasskeyTour } from './passkeyTour';
import { runServerScenario, serverTitle } from './serverScenario';
import { runSignOutScenario, signOutScenarios } from './signOutScenarios';
import { runWebDemo } from './web/cli';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'; // pinned SDK; Node 20 is fine for it

async function main(): Promise<void> {
  // --web [--port=N]: the live statechart page instead of the scenarios (scripts/demo/web/, docs/live-page.md).
  if (process.argv.includes('--web')) return runWebDemo();
  // --inspect [--inspect-port=N]: relay every (redacted) statechart event to the Stately inspector.
  const inspectPort = process.argv.find((arg) => arg.startsWith('--inspect-port='))?.split('=')[1];
  const inspecting: DemoInspector | undefined = process.argv.includes('--inspect') ? await startDemoInspector(inspectPort ? Number(inspectPort) : undefined) : undefined;
  const emu = await startCognitoEmulator();
  const checker = new CognitoIdentityProviderClient({ region: emu.region, endpoint: emu.endpoint, maxAttempts: 1 });
  console.log(`Cognito emulator listening at ${emu.endpoint}\n`);
  const runs: Array<[string, () => Promise<string[]>]> = [
    ['Sign-in with SRP and a TOTP code, a token refresh, a sign-out', () => runSignInTour(emu)],
    ...signOutScenarios.map((scenario): [string, () => Promise<string[]>] => [scenario.title, () => runSignOutScenario(emu, scenario, checker)]),
    [hostedUiTitle, () => runHostedUiScenario(emu, checker)],
    [accountTitle, () => runAccountTour(emu)],
    [passkeyTitle, () => runPasskeyTour(emu)],
    [apiTitle, () => runApiScenario()],
    [serverTitle, () => runServerScenario()],
  ];
  let failures = 0;
  try {
    for (const [index, [title, run]] of runs.entries()) {
      console.log(`${index + 1}. ${title}`);
      const problems = await run();
      console.log(problems.length === 0 ? '  ✔ as specified\n' : `  ✘ ${problems.join('; ')}\n`);
      failures += problems.length > 0 ? 1 : 0;
    }
  } finally {
    checker.destroy();
    await emu.close();
    if (inspecting) {
      await new Promise((resolve) => setTimeout(resolve, 500)); // the last events reach the relay
      await inspecting.stop();
    }
  }
  console.log(failures === 0 ? `All ${runs.length} scenarios behaved as specified.` : `${failures} of ${runs.length} scenarios did not behave as specified.`);
  process.exitCode = failures === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
