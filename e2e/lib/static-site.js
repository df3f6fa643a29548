// A tiny static HTTP server for test sites (e2e/sites/*): each site on its own origin
// (127.0.0.1 and a free port), files only from its folder, GET and HEAD only, no caching.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves the files of `dir`.
 *
 * @param {string} dir the site's folder
 * @param {{host?: string, port?: number}} [options] port 0 (default) picks a free port
 * @returns {Promise<{url: string, close: () => Promise<void>}>} url without a trailing slash
 */
export async function serveStatic(dir, { host = '127.0.0.1', port = 0 } = {}) {
  const root = resolve(dir);
  const server = createServer((request, response) => {
    answer(root, request, response).catch((e) => {
      if (!response.headersSent) send(response, 500, 'internal error');
      else response.destroy(e);
    });
  });
  await new Promise((ready, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      ready();
    });
  });
  const address = server.address();
  return {
    url: `http://${address.address}:${address.port}`,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

function send(response, status, text) {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  response.end(text);
}

async function answer(root, request, response) {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    return send(response, 405, 'method not allowed');
  }
  let path;
  try {
    path = decodeURIComponent(new URL(request.url, 'http://site').pathname);
  } catch {
    return send(response, 400, 'bad path');
  }
  let file = resolve(join(root, path));
  if (file !== root && !file.startsWith(root + sep)) return send(response, 403, 'outside the site');
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) return send(response, 404, 'not found');
  response.writeHead(200, {
    'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': 'no-store',
  });
  if (request.method === 'HEAD') return response.end();
  createReadStream(file).pipe(response);
}
