// Subtitles of a ladder in headless Chromium (Debian's /usr/bin/chromium via playwright-core),
// the files served from the folder by request interception:
//  - hls.js (the npm package, as most sites embed it): the subtitle tracks it lists (language,
//    name, default, forced) and, with French chosen, the text of the cue the <video> element
//    shows (video.textTracks, activeCues) while playing inside the first French cue;
//    its audio tracks, and the rendition it switches to and loads when German is chosen;
//  - the ladder's own player page (Video.js + VHS): the entries of its subtitles menu and the
//    track shown by default.
// Prints one JSON object; exit 1 when something could not be read at all (the C++ test asserts).
// Usage: node subtitles-browser.mjs --dir LADDER_DIR [--cue-at SECONDS]
import { launchChromium, serveFolder } from './chromium.mjs';
import { createRequire } from 'node:module';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const dir = arg('--dir');
const cueAt = Number(arg('--cue-at', '2.5'));
const hlsScript = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');
const origin = 'http://ladder.test';

function serve(context) {
  return serveFolder(context, { dir, origin, pages: { '/hlsjs.html': '<!doctype html><title>hls.js</title><video muted playsinline></video>' } });
}

async function withHlsJs(browser) {
  const context = await browser.newContext();
  await serve(context);
  const page = await context.newPage();
  await page.goto(origin + '/hlsjs.html');
  await page.addScriptTag({ path: hlsScript });
  return page.evaluate(async ({ src, cueAt }) => {
    const out = { hlsVersion: Hls.version, subtitleTracks: [], audioTracks: [], fatal: null,
                  shownAt: null, shownText: null, trackLanguage: null, audioSwitchedTo: null,
                  audioFragments: [] };
    const video = document.querySelector('video');
    const hls = new Hls({ debug: false, subtitleDisplay: true });
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 30000);
      const finish = () => { clearTimeout(timer); resolve(); };
      // hls.js lists the renditions once the media is attached (SUBTITLE_TRACKS_UPDATED).
      hls.on(Hls.Events.SUBTITLE_TRACKS_UPDATED, (_e, data) => {
        out.subtitleTracks = data.subtitleTracks.map((t) => ({
          lang: t.lang, name: t.name, default: !!t.default, forced: !!t.forced }));
        hls.subtitleTrack = data.subtitleTracks.findIndex((t) => t.lang === 'fr');
      });
      hls.on(Hls.Events.AUDIO_TRACKS_UPDATED, (_e, data) => {
        out.audioTracks = data.audioTracks.map((t) => ({ lang: t.lang, name: t.name }));
        // A viewer picks German: hls.js must switch to the German rendition and load it.
        const german = data.audioTracks.findIndex((t) => t.lang === 'de');
        if (german >= 0 && hls.audioTrack !== german) hls.audioTrack = german;
      });
      hls.on(Hls.Events.AUDIO_TRACK_SWITCHED, (_e, data) => {
        out.audioSwitchedTo = hls.audioTracks[data.id] ? hls.audioTracks[data.id].lang : null;
        // Seen with hls.js 1.6.19: after the audio switch it showed the DEFAULT (German)
        // subtitles again, so French is chosen once the audio is, as a viewer would redo it.
        hls.subtitleTrack = hls.subtitleTracks.findIndex((t) => t.lang === 'fr');
      });
      hls.on(Hls.Events.FRAG_LOADED, (_e, data) => {
        if (data.frag.type === 'audio') out.audioFragments.push(data.frag.url.replace(/^.*?\/\/[^/]+/, ''));
      });
      hls.on(Hls.Events.MANIFEST_PARSED, () => {
        video.play().catch((e) => { out.fatal = 'play(): ' + e; finish(); });
      });
      hls.on(Hls.Events.ERROR, (_e, data) => {
        if (data.fatal) { out.fatal = `${data.type}: ${data.details}`; finish(); }
      });
      // What the element shows: the active cues of the showing text track.
      video.addEventListener('timeupdate', () => {
        if (video.currentTime < cueAt || out.shownText !== null) return;
        for (const track of video.textTracks) {
          if (track.mode !== 'showing' || !track.activeCues || !track.activeCues.length) continue;
          out.shownAt = video.currentTime;
          out.trackLanguage = track.language;
          out.shownText = Array.from(track.activeCues).map((c) => c.text).join('\n');
          finish();
        }
        if (video.currentTime > cueAt + 1.5) finish();
      });
      hls.loadSource(src);
      hls.attachMedia(video);
    });
    hls.destroy();
    return out;
  }, { src: origin + '/master.m3u8', cueAt });
}

async function withPlayerPage(browser) {
  const context = await browser.newContext();
  await serve(context);
  const page = await context.newPage();
  await page.goto(origin + '/index.html');
  // VHS adds the subtitle renditions as text tracks once the master is read.
  await page.waitForFunction(() => {
    const p = window.videojs && window.videojs.getPlayers().player;
    return p && p.textTracks().length > 0 &&
      Array.from(p.textTracks()).some((t) => t.kind === 'subtitles');
  }, null, { timeout: 20000 });
  await page.waitForTimeout(300);
  return page.evaluate(() => {
    const p = window.videojs.getPlayers().player;
    const button = document.querySelector('.vjs-subs-caps-button');
    const items = button ? Array.from(button.querySelectorAll('.vjs-menu-item'))
      .map((li) => li.querySelector('.vjs-menu-item-text').textContent.trim()) : null;
    const tracks = Array.from(p.textTracks()).filter((t) => t.kind === 'subtitles')
      .map((t) => ({ label: t.label, language: t.language, mode: t.mode }));
    return { menuItems: items, buttonHidden: button ? button.classList.contains('vjs-hidden') : null,
             tracks };
  });
}

const browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
let exitCode = 0;
try {
  const hlsjs = await withHlsJs(browser);
  const playerPage = await withPlayerPage(browser);
  console.log(JSON.stringify({ hlsjs, playerPage }));
} catch (e) {
  console.log(JSON.stringify({ error: String(e) }));
  exitCode = 1;
} finally {
  await browser.close();
}
process.exit(exitCode);
