// Plays a ladder's master.m3u8 with hls.js (the npm package, as most web players embed it) in
// headless Chromium (Debian's /usr/bin/chromium via playwright-core) and reports what a viewer
// got: the variants hls.js kept (it drops those whose CODECS MediaSource refuses), the codecs
// of every level it played, how far playback got, and any fatal error; with `--rate` (the
// video's playbackRate, up to 16) a long ladder plays through in a few seconds, and the report
// adds what shows a hole at a join: the non-fatal errors (hls.js names a seek over a hole or a
// stall), the `waiting` events and each SourceBuffer's buffered ranges at the end. The ladder's
// files are served from the folder by request interception (right content types, no server).
// Prints one JSON object; exit 1 on a fatal error or when playback did not reach `--seconds`.
// Usage: node hlsjs-play.mjs --dir LADDER_DIR [--seconds S] [--rate R]
import { launchChromium, serveFolder } from './chromium.mjs';
import { createRequire } from 'node:module';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const dir = arg('--dir');
const seconds = Number(arg('--seconds', '1.5'));
const rate = Number(arg('--rate', '1'));
const hlsScript = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');
const origin = 'http://ladder.test';

const browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
let exitCode = 0;
try {
  const context = await browser.newContext();
  await serveFolder(context, { dir, origin, pages: { '/': '<!doctype html><title>hls.js</title><video muted playsinline></video>' } });
  const page = await context.newPage();
  await page.goto(origin + '/');
  await page.addScriptTag({ path: hlsScript });
  const result = await page.evaluate(async ({ src, seconds, rate }) => {
    const out = { hlsVersion: Hls.version, supported: Hls.isSupported(), levels: [],
                  playedCodecs: [], fatal: null, currentTime: 0, ended: false, errors: [],
                  waiting: 0, buffered: {} };
    const ranges = (r) => Array.from({ length: r.length }, (_, i) => [r.start(i), r.end(i)]);
    if (!out.supported) return out;
    const video = document.querySelector('video');
    const hls = new Hls({ debug: false });
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 60000);
      const finish = () => { clearTimeout(timer); resolve(); };
      hls.on(Hls.Events.MANIFEST_PARSED, (_e, data) => {
        out.levels = data.levels.map((l) => ({ height: l.height, codecs: l.attrs.CODECS,
                                                videoCodec: l.videoCodec }));
        video.playbackRate = rate;
        video.play().catch((e) => { out.fatal = 'play(): ' + e; finish(); });
      });
      hls.on(Hls.Events.LEVEL_SWITCHED, (_e, data) => {
        const codec = hls.levels[data.level].videoCodec;
        if (!out.playedCodecs.includes(codec)) out.playedCodecs.push(codec);
      });
      hls.on(Hls.Events.ERROR, (_e, data) => {
        if (data.fatal) { out.fatal = `${data.type}: ${data.details}`; finish(); }
        else out.errors.push(data.details);
      });
      hls.on(Hls.Events.BUFFER_APPENDED, (_e, data) => {
        for (const [type, r] of Object.entries(data.timeRanges || {})) out.buffered[type] = ranges(r);
      });
      video.addEventListener('waiting', () => { if (video.currentTime > 0) out.waiting++; });
      video.addEventListener('timeupdate', () => {
        out.currentTime = video.currentTime;
        if (video.currentTime >= seconds) finish();
      });
      video.addEventListener('ended', () => { out.ended = true; finish(); });
      hls.loadSource(src);
      hls.attachMedia(video);
    });
    out.currentTime = video.currentTime;
    hls.destroy();
    return out;
  }, { src: origin + '/master.m3u8', seconds, rate });
  console.log(JSON.stringify(result));
  if (!result.supported || result.fatal || result.currentTime < seconds) exitCode = 1;
} catch (e) {
  console.log(JSON.stringify({ error: String(e) }));
  exitCode = 1;
} finally {
  await browser.close();
}
process.exit(exitCode);
