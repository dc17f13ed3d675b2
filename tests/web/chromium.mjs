// The one way the test scripts start a browser: Debian's /usr/bin/chromium (or $CHROMIUM),
// headless, through playwright-core (no browser download), without network side traffic.
import { chromium } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--mute-audio', ...extraArgs],
  });
}

const contentTypes = { '.m3u8': 'application/vnd.apple.mpegurl', '.m4s': 'video/iso.segment',
                       '.mp4': 'video/mp4', '.ts': 'video/mp2t', '.html': 'text/html',
                       '.vtt': 'text/vtt', '.js': 'text/javascript', '.css': 'text/css',
                       '.jpg': 'image/jpeg', '.json': 'application/json' };

// Serves the ladder folder `dir` at `origin` to every page of `context` by request interception
// (no server, nothing else reachable); `pages` maps a path ('/') to an HTML body of its own.
export async function serveFolder(context, { dir, origin, pages = {} }) {
  await context.route('**/*', async (route) => {
    const u = new URL(route.request().url());
    if (u.origin !== origin) return route.abort('blockedbyclient');
    if (pages[u.pathname] !== undefined) {
      return route.fulfill({ contentType: 'text/html', body: pages[u.pathname] });
    }
    const file = path.join(dir, decodeURIComponent(u.pathname));
    if (!file.startsWith(path.resolve(dir))) return route.abort('accessdenied');
    try {
      const body = await readFile(file);
      return route.fulfill({ status: 200, body,
                             contentType: contentTypes[path.extname(file)] || 'application/octet-stream' });
    } catch {
      return route.fulfill({ status: 404, body: 'not found' });
    }
  });
}
