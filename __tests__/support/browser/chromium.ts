// Debian's Chromium (/usr/bin/chromium, installed with apt-get by .ci/run), driven by
// playwright-core. Nothing here downloads a browser: playwright-core never does, and we always
// pass executablePath. See docs/testing.md, "Tests in a real browser".
import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Flags for a closed network: without the background-networking ones Chromium's own connections
 * (updates, sync, safe browsing, QUIC probes) fail noisily. --no-sandbox because CI runs as root.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Is Debian's Chromium installed (an executable file at CHROMIUM_PATH)? */
export function chromiumAvailable(): boolean {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts one headless Chromium. playwright-core's launch() gives every browser a fresh, empty
 * user-data dir of its own (a new temporary profile, deleted on close()), so no state carries
 * over between launches; use one browser per test file and a new context per test.
 */
export async function launchChromium(options: { timeoutMs?: number } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
    timeout: options.timeoutMs ?? 30_000,
    chromiumSandbox: false, // root on CI: Chromium's sandbox cannot start (same as --no-sandbox)
  });
}

const onCi = (): boolean => process.env.CI === 'true';

/**
 * `describe` for a file of browser tests. With Chromium: a plain describe. Without it: on CI
 * (CI=true) one failing test that says what is missing; elsewhere describe.skip and a loud warning.
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (chromiumAvailable()) {
    describe(name, body);
    return;
  }
  const why = `${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does it)`;
  if (onCi()) {
    describe(name, () => {
      it('needs Chromium on CI', () => {
        throw new Error(`Browser tests cannot run on CI: ${why}.`);
      });
    });
    return;
  }
  console.warn(
    [
      '',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      `!!! SKIPPED browser tests "${name}": ${why}.`,
      '!!! On CI (CI=true) this is a failure, not a skip.',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '',
    ].join('\n'),
  );
  describe.skip(name, body);
}
