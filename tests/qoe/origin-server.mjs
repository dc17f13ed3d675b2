// A plain static web server standing in for a CDN in `hlsforge-cli qoe URL` tests: serves the
// folder given as argv[2] on 127.0.0.1 (any free port), whole files only, and prints one JSON
// line per file served ({"path","count"}) after a first line {"port": N}. Node's own http and
// fs modules only, so it is independent of our server.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const root = path.resolve(process.argv[2]);
const counts = new Map();
const server = http.createServer((req, res) => {
  const relative = decodeURIComponent(new URL(req.url, 'http://origin').pathname).replace(/^\/+/, '');
  if (relative.split('/').includes('..')) {
    res.writeHead(403).end();
    return;
  }
  fs.readFile(path.join(root, relative), (err, data) => {
    if (err) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    counts.set(relative, (counts.get(relative) ?? 0) + 1);
    process.stdout.write(JSON.stringify({ path: relative, count: counts.get(relative) }) + '\n');
    res.writeHead(200, { 'Content-Length': data.length }).end(data);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});
