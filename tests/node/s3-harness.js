#!/usr/bin/env node
// Test harness for publishing: s3rver (an S3 REST API on loopback) behind a checking proxy.
//
// s3rver 3.7.1 verifies neither SigV4 signatures nor Content-MD5, so every request first
// goes through this proxy, which recomputes the signature with the reference signer
// @smithy/signature-v4, checks x-amz-content-sha256 and Content-MD5 against the body it
// received, and answers a mismatch with S3's error XML. It also fills the gaps of s3rver
// that publishing relies on (ListMultipartUploads, AbortMultipartUpload, the real multipart
// ETag MD5(part MD5s)-N), injects faults on a schedule and counts requests.
//
// Usage: node s3-harness.js --bucket NAME --access-key ID --secret KEY [--region R] [--dir D]
// Prints one JSON line {"proxyPort":N,"s3Port":M} once ready; exits when stdin closes.
// Presigned GET URLs (query-string SigV4) are verified with the reference signer's presign().
// Control (on the proxy port, not signed):
//   GET  /__hlsforge/stats   counters and the keys written
//   GET  /__hlsforge/credentials  a container credentials endpoint answering the keys above
//                            (Authorization: test-container-token)
//   POST /__hlsforge/config  {"faults":{"3":"slowdown","5":"500","9":"drop"},"denyWritesAfter":N,
//                            "denyPartsAfter":M,"dropCompleteAnswers":K}: faults are keyed by
//                            the ordinal of PUT requests
//                            (1-based); after N stored objects every write, after M parts every
//                            part, is refused with 403 AccessDenied; the first K
//                            CompleteMultipartUpload answers are lost after the upload completed
//   POST /__hlsforge/reset   zero the counters and clear the config
'use strict';

const http = require('http');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const S3rver = require('s3rver');
const { SignatureV4 } = require('@smithy/signature-v4');
const { Hash } = require('@smithy/hash-node');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const bucket = arg('--bucket', 'test-bucket');
const accessKeyId = arg('--access-key');
const secretAccessKey = arg('--secret');
const region = arg('--region', 'us-east-1');
const dataDir = arg('--dir', fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-')));
if (!accessKeyId || !secretAccessKey) {
  console.error('s3-harness: --access-key and --secret are required');
  process.exit(2);
}

const signer = new SignatureV4({
  credentials: { accessKeyId, secretAccessKey },
  region,
  service: 's3',
  sha256: Hash.bind(null, 'sha256'),
  uriEscapePath: false, // S3: the path is not normalised; we pass it already canonical
  applyChecksum: false,
});

let config = {};
let stats;
function resetStats() {
  stats = {
    requests: 0, puts: 0, objectPuts: 0, partPuts: 0, creates: 0, completes: 0, aborts: 0,
    writesOk: 0, rejected: { signature: 0, sha256: 0, md5: 0, denied: 0, other: 0 },
    faultsInjected: 0, putKeys: [], deleteKeys: [], openUploads: 0, presignedReads: 0, credentialReads: 0,
  };
}
resetStats();
const uploads = new Map(); // uploadId -> { key, parts: Map<partNumber, md5 hex> }

function s3Error(res, status, code, message) {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

// AWS URI encoding: everything but A-Z a-z 0-9 - _ . ~ as %XX.
function awsEncode(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function parseQuery(raw) {
  const query = {};
  if (!raw) return query;
  for (const pair of raw.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1));
    if (name in query) query[name] = [].concat(query[name], value);
    else query[name] = value;
  }
  return query;
}

function amzDateToDate(s) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s || '');
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : null;
}

// A presigned GET (SigV4 in the query string, as libavformat's HTTP reader sends it): the
// signature recomputed with the reference signer's presign(), only `host` signed, the payload
// UNSIGNED-PAYLOAD, refused once expired.
async function verifyPresigned(req, rawPath, query) {
  const m = /^([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request$/.exec(query['X-Amz-Credential'] || '');
  if (!m || query['X-Amz-Algorithm'] !== 'AWS4-HMAC-SHA256')
    return [403, 'AccessDenied', 'malformed presigned URL'];
  const [, key, , credRegion] = m;
  if (key !== accessKeyId) return [403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.'];
  if (credRegion !== region) return [400, 'AuthorizationQueryParametersError', `the region '${credRegion}' is wrong; expecting '${region}'`];
  if (req.method !== 'GET' && req.method !== 'HEAD') return [403, 'AccessDenied', 'presigned URLs here are for reading'];
  const date = amzDateToDate(query['X-Amz-Date']);
  const expires = Number(query['X-Amz-Expires']);
  if (!date || !(expires > 0) || expires > 604800) return [403, 'AccessDenied', 'bad X-Amz-Date or X-Amz-Expires'];
  if (Date.now() > date.getTime() + expires * 1000) return [403, 'AccessDenied', 'Request has expired'];
  if (query['X-Amz-SignedHeaders'] !== 'host') return [403, 'AccessDenied', 'only host is signed in these URLs'];
  const rest = {};
  for (const [name, value] of Object.entries(query)) if (!name.startsWith('X-Amz-')) rest[name] = value;
  const canonicalPath = rawPath.split('/').map(seg => awsEncode(decodeURIComponent(seg))).join('/');
  const unsigned = new Set(['x-amz-content-sha256']);
  const signed = await signer.presign(
    { method: req.method, protocol: 'http:', hostname: req.headers.host, path: canonicalPath, query: rest,
      headers: { host: req.headers.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
    { signingDate: date, expiresIn: expires, unhoistableHeaders: unsigned, unsignableHeaders: unsigned });
  if (signed.query['X-Amz-Signature'] !== query['X-Amz-Signature']) {
    stats.rejected.signature++;
    return [403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'];
  }
  stats.presignedReads++;
  return null;
}

// Returns null when the request is correctly signed, else [status, code, message].
async function verify(req, rawPath, rawQuery, body) {
  const query = parseQuery(rawQuery);
  if ('X-Amz-Signature' in query) return verifyPresigned(req, rawPath, query);
  const auth = req.headers['authorization'] || '';
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return [403, 'AccessDenied', 'missing or malformed SigV4 Authorization header'];
  const [, key, , credRegion, signedList, signature] = m;
  if (key !== accessKeyId) return [403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.'];
  if (credRegion !== region) return [400, 'AuthorizationHeaderMalformed', `the region '${credRegion}' is wrong; expecting '${region}'`];
  const signedNames = signedList.split(';');
  for (const required of ['host', 'x-amz-date', 'x-amz-content-sha256']) {
    if (!signedNames.includes(required)) return [403, 'AccessDenied', `${required} must be signed`];
  }
  const sha = crypto.createHash('sha256').update(body).digest('hex');
  if (req.headers['x-amz-content-sha256'] !== sha) {
    stats.rejected.sha256++;
    return [400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed."];
  }
  const date = amzDateToDate(req.headers['x-amz-date']);
  if (!date || Math.abs(Date.now() - date.getTime()) > 15 * 60 * 1000)
    return [403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.'];

  // Canonical S3 path: decode what came over the wire, encode each segment once.
  const canonicalPath = rawPath.split('/').map(seg => awsEncode(decodeURIComponent(seg))).join('/');
  const headers = {};
  for (const name of signedNames) {
    if (req.headers[name] === undefined) return [403, 'AccessDenied', `signed header ${name} is missing`];
    headers[name] = String(req.headers[name]);
  }
  const signed = await signer.sign(
    { method: req.method, protocol: 'http:', hostname: req.headers.host, path: canonicalPath, query: parseQuery(rawQuery), headers, body },
    { signingDate: date, signableHeaders: new Set(signedNames) });
  const expected = /Signature=([0-9a-f]{64})/.exec(signed.headers.authorization)[1];
  const expectedList = /SignedHeaders=([^,]+)/.exec(signed.headers.authorization)[1];
  if (expected !== signature || expectedList !== signedList) {
    stats.rejected.signature++;
    return [403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'];
  }
  if (req.method === 'PUT') {
    const md5 = req.headers['content-md5'];
    if (!md5) { stats.rejected.md5++; return [400, 'InvalidDigest', 'Content-MD5 is required by this test server']; }
    if (md5 !== crypto.createHash('md5').update(body).digest('base64')) {
      stats.rejected.md5++;
      return [400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.'];
    }
  }
  return null;
}

function forward(req, res, rawUrl, body, s3Port, onResponse) {
  const headers = { ...req.headers };
  delete headers['authorization']; // s3rver knows only its own keys; the proxy has checked ours
  delete headers['x-amz-security-token'];
  headers['content-length'] = body.length;
  const upstream = http.request({ host: '127.0.0.1', port: s3Port, method: req.method, path: rawUrl, headers }, up => {
    const chunks = [];
    up.on('data', c => chunks.push(c));
    up.on('end', () => {
      let out = Buffer.concat(chunks);
      const outHeaders = { ...up.headers };
      if (onResponse) out = onResponse(up.statusCode, out, outHeaders) || out;
      if (res.socket === null || res.socket.destroyed) return; // the answer was dropped on purpose
      if (req.method !== 'HEAD') outHeaders['content-length'] = out.length; // HEAD keeps the object's
      delete outHeaders['transfer-encoding'];
      res.writeHead(up.statusCode, outHeaders);
      res.end(req.method === 'HEAD' ? undefined : out);
    });
  });
  upstream.on('error', err => s3Error(res, 502, 'InternalError', 'upstream: ' + err.message));
  upstream.end(body);
}

async function main() {
  const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dataDir, vhostBuckets: false, configureBuckets: [{ name: bucket }] });
  const s3Address = await s3.run();
  let putOrdinal = 0;

  const proxy = http.createServer((req, res) => {
    const rawUrl = req.url;
    const q = rawUrl.indexOf('?');
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const rawQuery = q < 0 ? '' : rawUrl.slice(q + 1);

    if (rawPath.startsWith('/__hlsforge/')) {
      const chunks = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () => {
        if (rawPath === '/__hlsforge/credentials') {
          // A container credentials endpoint (AWS Batch / ECS job role, EKS Pod Identity).
          if (req.headers.authorization !== 'test-container-token') {
            res.writeHead(401, { 'Content-Type': 'application/json' });
            return res.end('{"message":"bad token"}');
          }
          stats.credentialReads++;
          res.writeHead(200, { 'Content-Type': 'application/json' });
          return res.end(JSON.stringify({ AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey, Token: '',
            Expiration: new Date(Date.now() + 3600e3).toISOString() }));
        }
        if (rawPath === '/__hlsforge/stats') {
          stats.openUploads = uploads.size;
        } else if (rawPath === '/__hlsforge/config') {
          config = JSON.parse(Buffer.concat(chunks).toString() || '{}');
        } else if (rawPath === '/__hlsforge/reset') {
          config = {};
          resetStats();
          putOrdinal = 0;
        }
        const body = JSON.stringify(stats);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(body);
      });
      return;
    }

    stats.requests++;
    let fault;
    if (req.method === 'PUT') {
      putOrdinal++;
      stats.puts++;
      fault = config.faults && config.faults[String(putOrdinal)];
    }
    if (fault === 'drop') {
      // Drop the connection in the middle of the body, as a flaky network would.
      stats.faultsInjected++;
      req.once('data', () => req.socket.destroy());
      req.on('end', () => req.socket.destroy());
      return;
    }
    const chunks = [];
    req.on('data', c => chunks.push(c));
    req.on('end', async () => {
      try {
        const body = Buffer.concat(chunks);
        if (fault === 'slowdown' || fault === '503') {
          stats.faultsInjected++;
          return s3Error(res, 503, 'SlowDown', 'Please reduce your request rate.');
        }
        if (fault === '500') {
          stats.faultsInjected++;
          return s3Error(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
        }
        const problem = await verify(req, rawPath, rawQuery, body);
        if (problem) {
          if (problem[1] !== 'SignatureDoesNotMatch' && problem[1] !== 'BadDigest' && problem[1] !== 'InvalidDigest' &&
              problem[1] !== 'XAmzContentSHA256Mismatch') stats.rejected.other++;
          return s3Error(res, ...problem);
        }
        const query = parseQuery(rawQuery);
        const isWrite = req.method === 'PUT' || req.method === 'POST';
        if (isWrite && config.denyWritesAfter !== undefined && stats.writesOk >= config.denyWritesAfter) {
          stats.rejected.denied++;
          return s3Error(res, 403, 'AccessDenied', 'Access Denied');
        }
        if (req.method === 'PUT' && 'uploadId' in query && config.denyPartsAfter !== undefined &&
            stats.partPuts >= config.denyPartsAfter) {
          stats.rejected.denied++;
          return s3Error(res, 403, 'AccessDenied', 'Access Denied');
        }
        const key = decodeURIComponent(rawPath.split('/').slice(2).join('/'));

        // Gaps of s3rver 3.7.1, answered here as S3 would.
        if (req.method === 'GET' && 'uploads' in query && rawPath.split('/').length === 2) {
          let xml = `<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult><Bucket>${bucket}</Bucket>`;
          for (const [id, u] of uploads) {
            if (!query.prefix || u.key.startsWith(query.prefix))
              xml += `<Upload><Key>${u.key.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</Key><UploadId>${id}</UploadId></Upload>`;
          }
          xml += '</ListMultipartUploadsResult>';
          res.writeHead(200, { 'Content-Type': 'application/xml' });
          return res.end(xml);
        }
        if (req.method === 'DELETE' && 'uploadId' in query) {
          if (!uploads.delete(query.uploadId)) return s3Error(res, 404, 'NoSuchUpload', 'The specified upload does not exist.');
          stats.aborts++;
          res.writeHead(204);
          return res.end();
        }

        // s3rver answers 500 for an unknown (completed or aborted) upload; S3 says 404.
        if ((req.method === 'POST' || req.method === 'PUT') && 'uploadId' in query && !uploads.has(query.uploadId))
          return s3Error(res, 404, 'NoSuchUpload', 'The specified upload does not exist.');
        // Complete the upload upstream but lose the answer, as a dropped connection would.
        const loseAnswer = req.method === 'POST' && 'uploadId' in query && (config.dropCompleteAnswers || 0) > 0;
        if (loseAnswer) {
          config.dropCompleteAnswers--;
          stats.faultsInjected++;
          return forward(req, res, rawUrl, body, s3Address.port, status => {
            if (status >= 200 && status < 300) {
              uploads.delete(query.uploadId);
              stats.completes++;
              stats.writesOk++;
              stats.putKeys.push(key);
            }
            req.socket.destroy();
          });
        }
        // s3rver would check a presigned URL against its own keys: the proxy has checked ours.
        const upstreamQuery = rawQuery.split('&').filter(p => p && !p.startsWith('X-Amz-')).join('&');
        const upstreamUrl = upstreamQuery ? `${rawPath}?${upstreamQuery}` : rawPath;
        forward(req, res, upstreamUrl, body, s3Address.port, (status, out) => {
          if (status < 200 || status >= 300) return out;
          if (req.method === 'DELETE' && !('uploadId' in query)) stats.deleteKeys.push(key);
          if (req.method === 'PUT' && 'uploadId' in query) {
            stats.partPuts++;
            const u = uploads.get(query.uploadId);
            if (u) u.parts.set(Number(query.partNumber), crypto.createHash('md5').update(body).digest());
          } else if (req.method === 'PUT') {
            stats.objectPuts++;
            stats.writesOk++;
            stats.putKeys.push(key);
          } else if (req.method === 'POST' && 'uploads' in query) {
            stats.creates++;
            const id = /<UploadId>([^<]+)<\/UploadId>/.exec(out.toString());
            if (id) uploads.set(id[1], { key, parts: new Map() });
          } else if (req.method === 'POST' && 'uploadId' in query) {
            const u = uploads.get(query.uploadId);
            uploads.delete(query.uploadId);
            stats.completes++;
            stats.writesOk++;
            stats.putKeys.push(key);
            if (u) {
              // Real S3's multipart ETag, which s3rver does not compute.
              const numbers = [...body.toString().matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map(x => Number(x[1]));
              const all = crypto.createHash('md5');
              for (const n of numbers) all.update(u.parts.get(n) || Buffer.alloc(0));
              const etag = `${all.digest('hex')}-${numbers.length}`;
              return Buffer.from(out.toString().replace(/<ETag>[^<]*<\/ETag>/, `<ETag>&quot;${etag}&quot;</ETag>`));
            }
          }
          return out;
        });
      } catch (err) {
        s3Error(res, 500, 'InternalError', 'proxy: ' + err.message);
      }
    });
  });
  // Keep-alive sockets must not hold the process open at exit.
  proxy.keepAliveTimeout = 5000;
  proxy.listen(0, '127.0.0.1', () => {
    process.stdout.write(JSON.stringify({ proxyPort: proxy.address().port, s3Port: s3Address.port }) + '\n');
  });

  const shutdown = async () => {
    proxy.close();
    proxy.closeAllConnections?.();
    try { await s3.close(); } catch (_) {}
    process.exit(0);
  };
  process.stdin.on('end', shutdown);
  process.stdin.on('close', shutdown);
  process.stdin.resume();
  process.on('SIGTERM', shutdown);
}

main().catch(err => {
  console.error('s3-harness:', err);
  process.exit(1);
});
