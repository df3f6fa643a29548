// The namespace end of lib/netns.js's port forwarding. Runs INSIDE a network namespace
// (`ip netns exec NS node ns-forward.js`) and makes loopback services of the root namespace answer
// on the same 127.0.0.1 URLs there: it listens on 127.0.0.1:<port> in the namespace and relays every
// TCP connection, byte for byte (so WebSocket upgrades and keep-alive just work), over a unix socket
// (a path in the filesystem, which every network namespace shares) to the test process, which
// connects to 127.0.0.1:<port> in the root namespace.
//
// Protocol: one JSON object per stdin line, {"port": 18080, "socket": "/tmp/.../fwd-18080.sock"};
// it answers one stdout line per request, {"port": 18080, "listening": true} or {"port", "error"}.
// It exits when stdin closes: when the test process ends (even when killed) nothing stays behind.

import net from 'node:net';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const connections = new Set();

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

function listen({ port, socket, host = '127.0.0.1' }) {
  if (!Number.isInteger(port) || typeof socket !== 'string') {
    reply({ port, error: `bad request ${JSON.stringify({ port, socket })}` });
    return;
  }
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    splice(client, net.createConnection({ path: socket, allowHalfOpen: true }));
  });
  server.once('error', (e) => reply({ port, error: e.message }));
  server.listen({ port, host, exclusive: true }, () => reply({ port, listening: true }));
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
    listen(request);
  });
  const quit = () => {
    for (const s of connections) s.destroy();
    process.exit(0);
  };
  lines.on('close', quit);
  process.on('SIGTERM', quit);
  process.on('SIGINT', quit);
}
