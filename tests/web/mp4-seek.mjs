// A plain <video> element in headless Chromium seeks to the middle of a progressive MP4:
// it must get there (readyState >= HAVE_CURRENT_DATA at ~50 %) by Range requests, without
// downloading the file. Prints one JSON line with what the element reported.
// Usage: node mp4-seek.mjs PAGE_URL
import { launchChromium } from './chromium.mjs';

const url = process.argv[2];
const browser = await launchChromium();
let exitCode = 0;
try {
  const page = await browser.newPage();
  await page.goto(url);
  const result = await page.evaluate(async () => {
    const v = document.querySelector('video');
    const once = (name) => new Promise((resolve, reject) => {
      v.addEventListener(name, resolve, { once: true });
      v.addEventListener('error', () => reject(new Error('video error ' + (v.error && v.error.code))), { once: true });
    });
    if (v.readyState < 1)
      await once('loadedmetadata');
    const target = v.duration / 2;
    const seeked = once('seeked');
    v.currentTime = target;
    await seeked;
    const start = performance.now();
    while (v.readyState < 2 && performance.now() - start < 15000)
      await new Promise((r) => setTimeout(r, 50));
    return { duration: v.duration, currentTime: v.currentTime, target, readyState: v.readyState,
             width: v.videoWidth, height: v.videoHeight };
  });
  console.log(JSON.stringify(result));
  if (!(result.readyState >= 2 && Math.abs(result.currentTime - result.target) < 1))
    exitCode = 1;
} catch (e) {
  console.log(JSON.stringify({ error: String(e) }));
  exitCode = 1;
} finally {
  await browser.close();
}
process.exit(exitCode);
