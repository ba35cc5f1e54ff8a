// Chromium from Debian, driven by playwright-core. The suite never downloads
// a browser: without /usr/bin/chromium it fails, loudly.

import fs from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why Chromium cannot be used at `executablePath`, or null when it can. */
export function chromiumProblem(executablePath = CHROMIUM_PATH) {
  try {
    fs.accessSync(executablePath, fs.constants.X_OK);
    return null;
  } catch {
    return (
      `Chromium is missing: ${executablePath} does not exist or is not executable. ` +
      'The browser suite needs Debian\'s Chromium: run `apt-get update && apt-get install -y chromium` ' +
      '(never `npx playwright install`). No browser check was run.'
    );
  }
}

/**
 * Launches headless Chromium. Playwright gives every launch a fresh,
 * temporary user data dir (profile) and deletes it on close.
 * Throws the chromiumProblem() message when the browser is missing.
 */
export async function launchChromium(executablePath = CHROMIUM_PATH) {
  const problem = chromiumProblem(executablePath);
  if (problem) throw new Error(problem);
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}
