// The namespace end of lib/netns.js's port forwarding. Runs INSIDE a network namespace
// (`ip netns exec NS node ns-forward.js`) and relays TCP connections byte for byte (so WebSocket
// upgrades and keep-alive just work) over unix sockets (paths in the filesystem, which every network
// namespace shares) to and from the test process:
//   - root -> namespace ("forward"): it listens on 127.0.0.1:<port> in the namespace; every
//     connection goes over the unix socket to the test process, which connects to 127.0.0.1:<port>
//     in the root namespace (loopback services of the root namespace answer on the same URLs here);
//   - namespace -> root ("serve", the reverse): it listens on the unix socket; every connection
//     the test process makes there (for a client on 127.0.0.1:<port> of the root namespace) goes to
//     127.0.0.1:<port> in the namespace (a service inside the namespace answers in the root one).
//
// Protocol: one JSON object per stdin line, answered by one stdout line carrying the same `id`:
//   {"id": 1, "port": 18080, "socket": "/tmp/.../fwd-18080.sock"}            -> {"id", "port", "listening": true}
//   {"id": 2, "port": 18089, "socket": "/tmp/.../rev-18089.sock", "serve": true} -> {"id", "port", "serving": true}
//   {"id": 3, "close": "/tmp/.../rev-18089.sock"}                            -> {"id", "closed": true}
// or {"id", "port", "error": "..."}. (A request without an id is answered with its port as id.)
// It exits when stdin closes: when the test process ends (even when killed) nothing stays behind.

import { rmSync } from 'node:fs';
import net from 'node:net';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const connections = new Set();
const servers = new Map(); // socket path or "tcp:<port>" -> net.Server

/** Relays a and b both ways; half-closes are passed on, an error or a close tears down both. */
export function splice(a, b) {
  for (const s of [a, b]) {
    connections.add(s);
    s.on('close', () => connections.delete(s));
  }
  a.pipe(b);
  b.pipe(a);
  const destroyBoth = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', destroyBoth);
  b.on('error', destroyBoth);
  a.on('close', () => b.destroy());
  b.on('close', () => a.destroy());
}

const reply = (msg) => process.stdout.write(`${JSON.stringify(msg)}\n`);

function handle({ id, port, socket, serve = false, close, host = '127.0.0.1' }) {
  id ??= port;
  if (typeof close === 'string') {
    const server = servers.get(close);
    servers.delete(close);
    if (!server) return reply({ id, closed: true });
    server.close(() => reply({ id, closed: true }));
    return;
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535 || typeof socket !== 'string') {
    reply({ id, port, error: `bad request ${JSON.stringify({ port, socket })}` });
    return;
  }
  let server;
  if (serve) {
    // Unix socket -> 127.0.0.1:port here.
    server = net.createServer({ allowHalfOpen: true }, (client) => {
      splice(client, net.createConnection({ host, port, allowHalfOpen: true }));
    });
    servers.set(socket, server);
    server.once('error', (e) => {
      servers.delete(socket);
      reply({ id, port, error: e.message });
    });
    server.listen(socket, () => reply({ id, port, serving: true }));
  } else {
    // 127.0.0.1:port here -> unix socket.
    server = net.createServer({ allowHalfOpen: true }, (client) => {
      splice(client, net.createConnection({ path: socket, allowHalfOpen: true }));
    });
    servers.set(`tcp:${port}`, server);
    server.once('error', (e) => {
      servers.delete(`tcp:${port}`);
      reply({ id, port, error: e.message });
    });
    server.listen({ port, host, exclusive: true }, () => reply({ id, port, listening: true }));
  }
}

// Run as a script (lib/netns.js imports `splice` for the root end).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    let request;
    try {
      request = JSON.parse(line);
    } catch {
      reply({ error: `not JSON: ${line}` });
      return;
    }
    handle(request);
  });
  const quit = () => {
    for (const s of connections) s.destroy();
    // node unlinks a unix socket path when its server closes; exiting at once does not.
    for (const key of servers.keys()) if (!key.startsWith('tcp:')) rmSync(key, { force: true });
    process.exit(0);
  };
  lines.on('close', quit);
  process.on('SIGTERM', quit);
  process.on('SIGINT', quit);
}
