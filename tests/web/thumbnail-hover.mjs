// Seek-bar hover thumbnails of the player page in headless Chromium (playwright-core). Run by
// tst_player_browser, which makes the ladder (with thumbnails), serves it and afterwards compares
// each saved picture with the source's frame at the hovered cue's start (ffmpeg).
//
//   node thumbnail-hover.mjs --url http://127.0.0.1:PORT/index.html --shots DIR [--fractions 0.1,0.5,0.9]
//        [--page-shot FILE]
//
// For each fraction of the seek bar: the pointer moves there; the thumbnail must appear above the
// bar, inside the player, sized as its cue's #xywh; its picture is saved as DIR/hover-N.png.
// Moving the pointer away hides it. Prints one JSON line {"hovers": [{fraction, seconds,
// cueStart, file}]}; exit 1 on any failure.
import { launchChromium } from './chromium.mjs';
import { join } from 'node:path';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const fractions = (args.fractions || '0.1,0.5,0.9').split(',').map(Number);
const failures = [];
const fail = (msg) => { failures.push(msg); console.log('FAIL: ' + msg); };

const browser = await launchChromium();
const summary = { hovers: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  page.on('pageerror', (e) => fail('page error: ' + e.message));
  await page.goto(args.url);
  // The duration is known once the player has the media playlist.
  await page.waitForFunction(() => {
    const v = document.querySelector('video');
    return v && isFinite(v.duration) && v.duration > 0;
  }, null, { timeout: 30000 });
  await page.waitForSelector('.hlsforge-thumbnail', { state: 'attached', timeout: 10000 });
  // Video.js shows its control bar once playback has started, as a viewer would have it.
  await page.click('.vjs-big-play-button');
  await page.waitForFunction(() => document.querySelector('video').currentTime > 0.5, null, { timeout: 30000 });
  await page.evaluate(() => document.querySelector('video').pause());
  const player = await page.locator('#player').boundingBox();
  await page.mouse.move(player.x + player.width / 2, player.y + player.height / 2);
  const bar = await page.locator('.vjs-progress-control .vjs-progress-holder').boundingBox();
  for (let i = 0; i < fractions.length; ++i) {
    await page.mouse.move(bar.x + bar.width * fractions[i], bar.y + bar.height / 2, { steps: 4 });
    const box = page.locator('.hlsforge-thumbnail');
    await box.waitFor({ state: 'visible', timeout: 5000 });
    // The sheet is fetched up front; wait until the browser has it decoded.
    await page.waitForFunction(() => {
      const el = document.querySelector('.hlsforge-thumbnail');
      const url = /url\("?(.*?)"?\)/.exec(el.style.backgroundImage);
      if (!url) return false;
      const img = new Image();
      img.src = url[1];
      return img.complete && img.naturalWidth > 0;
    }, null, { timeout: 5000 });
    const info = await box.evaluate((el) => ({
      seconds: +el.dataset.seconds, cueStart: +el.dataset.cueStart,
      width: el.clientWidth, height: el.clientHeight,
    }));
    const rect = await box.boundingBox();
    if (!(info.width > 0 && info.height > 0)) fail(`hover ${i}: empty thumbnail`);
    if (rect.y + rect.height > bar.y) fail(`hover ${i}: thumbnail overlaps the seek bar`);
    if (rect.x < player.x - 1 || rect.x + rect.width > player.x + player.width + 1)
      fail(`hover ${i}: thumbnail leaves the player`);
    const file = join(args.shots, `hover-${i}.png`);
    // The picture only, without the border: the element's content box.
    await page.screenshot({ path: file, clip: { x: rect.x + 2, y: rect.y + 2, width: info.width, height: info.height } });
    if (args['page-shot'] && i === Math.floor(fractions.length / 2))
      await page.screenshot({ path: args['page-shot'] }); // the whole page, to look at
    summary.hovers.push({ fraction: fractions[i], seconds: info.seconds, cueStart: info.cueStart, file });
  }
  await page.mouse.move(player.x + player.width / 2, player.y + 10);
  if (await page.locator('.hlsforge-thumbnail').isVisible()) fail('thumbnail still shown after the pointer left the bar');
} catch (e) {
  fail(String(e && e.stack || e));
} finally {
  await browser.close();
}
console.log(JSON.stringify(summary));
process.exit(failures.length ? 1 : 0);
