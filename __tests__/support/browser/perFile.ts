// One Chromium, the test-page server and an emulator for a file of browser tests: started together
// before its tests, closed after them (as emulatorPerFile in ../harness.ts does for Node tests).
import type { Browser } from 'playwright-core';
import { startCognitoEmulator, type CognitoEmulator } from '../../../src/testing/index.js';
import { launchChromium } from './chromium.js';
import { servePages, type PageServer } from './pages.js';

export interface BrowserFile {
  readonly browser: Browser;
  readonly pages: PageServer;
  readonly emu: CognitoEmulator;
}

/** Registers the file's beforeAll and afterAll; `onStart` gets the three once they are up. */
export function browserPerFile(onStart: (started: BrowserFile) => void): void {
  let started: Partial<BrowserFile> = {};
  beforeAll(async () => {
    const [browser, pages, emu] = await Promise.all([launchChromium(), servePages(), startCognitoEmulator()]);
    started = { browser, pages, emu };
    onStart({ browser, pages, emu });
  }, 45_000);
  afterAll(async () => {
    await Promise.allSettled([started.browser?.close(), started.pages?.close(), started.emu?.close()]);
  }, 20_000);
}
