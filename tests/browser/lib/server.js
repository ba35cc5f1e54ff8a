// A tiny static file server for the tests: node:http, bound to 127.0.0.1 on a
// free port, serving the files of one folder under one mount path ("/" or
// "/reports/sp-workforce/"). Anything outside the mount, any missing file and
// any path that would leave the folder is a 404.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
};

/** The file a request path names, or null (outside the mount or the folder). */
export function fileFor(root, mount, pathname) {
  if (!pathname.startsWith(mount)) return null;
  let rel;
  try {
    rel = decodeURIComponent(pathname.slice(mount.length));
  } catch {
    return null;
  }
  if (rel.includes('\0') || rel.includes('\\')) return null;
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  const file = path.resolve(root, rel);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return file;
}

/**
 * Serves `folder` at `mount` on 127.0.0.1 and a free port.
 * Resolves to { origin, base, port, requests, close() }; `base` is the URL of
 * the mount (origin + mount), `requests` lists every path asked for.
 */
export async function serve(folder, mount = '/') {
  if (!mount.startsWith('/') || !mount.endsWith('/')) {
    throw new Error(`mount must start and end with "/": ${mount}`);
  }
  const root = path.resolve(folder);
  const requests = [];
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    requests.push(pathname);
    const notFound = () => {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : `404 not found: ${pathname}\n`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      res.end();
      return;
    }
    const file = fileFor(root, mount, pathname);
    if (file === null) return notFound();
    fs.stat(file, (err, stat) => {
      if (err || !stat.isFile()) return notFound();
      const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      res.writeHead(200, {
        'content-type': type,
        'content-length': stat.size,
        'cache-control': 'no-store',
      });
      if (req.method === 'HEAD') return res.end();
      fs.createReadStream(file).pipe(res);
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    mount,
    base: origin + mount,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
