// The one way the test scripts start a browser: Debian's /usr/bin/chromium (or $CHROMIUM),
// headless, through playwright-core (no browser download), without network side traffic.
import { chromium } from 'playwright-core';

export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--mute-audio', ...extraArgs],
  });
}
