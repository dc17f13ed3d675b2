// The player page's audio-track menu in headless Chromium (playwright-core), on a ladder with two
// audio renditions. Run by tst_player_browser.
//
//   node audio-menu.mjs --url http://127.0.0.1:PORT/index.html --select German
//
// Video.js's own audio button (audioTrackButton) must be shown with one item per EXT-X-MEDIA
// rendition (its NAME); choosing --select makes that track the enabled one, and the player then
// fetches that rendition's segments. Prints one JSON line {"items": [...], "enabled": label,
// "fetched": [paths after the switch]}; exit 1 on any failure.
import { launchChromium } from './chromium.mjs';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const failures = [];
const fail = (msg) => { failures.push(msg); console.log('FAIL: ' + msg); };

const browser = await launchChromium();
const summary = { items: [], enabled: null, fetched: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  page.on('pageerror', (e) => fail('page error: ' + e.message));
  let switched = false;
  page.on('request', (r) => { if (switched) summary.fetched.push(new URL(r.url()).pathname); });
  await page.goto(args.url);
  await page.click('.vjs-big-play-button');
  await page.waitForFunction(() => document.querySelector('video').currentTime > 0.5, null, { timeout: 30000 });
  const button = page.locator('div.vjs-audio-button');
  await button.waitFor({ state: 'visible', timeout: 10000 });
  summary.items = await page.$$eval('div.vjs-audio-button .vjs-menu-item .vjs-menu-item-text',
    (els) => els.map((e) => e.textContent.trim()));
  if (summary.items.length !== 2) fail(`expected 2 audio menu items, got ${summary.items.length}`);
  switched = true;
  await page.locator('button.vjs-audio-button').click();
  await page.locator('div.vjs-audio-button .vjs-menu-item', { hasText: args.select }).click();
  await page.waitForFunction((label) => {
    const tracks = window.videojs.getPlayers().player.audioTracks();
    for (let i = 0; i < tracks.length; ++i) if (tracks[i].enabled) return tracks[i].label === label;
    return false;
  }, args.select, { timeout: 10000 });
  summary.enabled = args.select;
  await page.waitForFunction(() => document.querySelector('video').currentTime > 0, null, { timeout: 10000 });
  await page.waitForTimeout(3000);
} catch (e) {
  fail(String(e));
} finally {
  await browser.close();
}
console.log(JSON.stringify(summary));
process.exit(failures.length ? 1 : 0);
