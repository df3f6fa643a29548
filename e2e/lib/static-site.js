// A tiny static HTTP server for test sites (e2e/sites/*): each site on its own origin
// (127.0.0.1 and a free port), files only from its folder, GET and HEAD only, no caching.
// `staticHandler` is the same for a server that answers more (lib/webrtc-site.js adds a WebSocket).

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
  const server = createServer(staticHandler(dir));
  const url = await listen(server, { host, port });
  return {
    url,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/**
 * The request handler of `serveStatic`, for a server that also answers other things: the files of
 * `dir` only, GET and HEAD only, `cache-control: no-store`, an `index.html` for a folder.
 *
 * @param {string} dir the site's folder
 * @returns {(request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => void}
 */
export function staticHandler(dir) {
  const root = resolve(dir);
  return (request, response) => {
    answer(root, request, response).catch((e) => {
      if (!response.headersSent) send(response, 500, 'internal error');
      else response.destroy(e);
    });
  };
}

/** Starts `server` listening; resolves to its `http://address:port` (no trailing slash). */
export async function listen(server, { host = '127.0.0.1', port = 0 } = {}) {
  await new Promise((ready, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      ready();
    });
  });
  const address = server.address();
  return `http://${address.address}:${address.port}`;
}

/** A plain-text answer that is never cached. */
export function send(response, status, text) {
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
