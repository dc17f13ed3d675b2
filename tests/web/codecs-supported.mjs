// Asks headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) whether
// MediaSource accepts each CODECS string: what hls.js and video.js do before they pick a
// variant. Prints one JSON object {"<type>": true|false, ...}; exit 1 when any is refused.
// Usage: node codecs-supported.mjs 'video/mp4; codecs="av01.0.04M.08,mp4a.40.2"' ...
import { launchChromium } from './chromium.mjs';

const types = process.argv.slice(2);
const browser = await launchChromium();
let exitCode = 0;
try {
  const page = await browser.newPage();
  await page.setContent('<!doctype html><title>codecs</title>');
  const result = await page.evaluate((list) => {
    const out = {};
    for (const t of list) out[t] = MediaSource.isTypeSupported(t);
    return out;
  }, types);
  console.log(JSON.stringify(result));
  if (types.length === 0 || Object.values(result).some((ok) => !ok))
    exitCode = 1;
} catch (e) {
  console.log(JSON.stringify({ error: String(e) }));
  exitCode = 1;
} finally {
  await browser.close();
}
process.exit(exitCode);
