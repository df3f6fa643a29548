#!/usr/bin/env node
// A socket flood against the signaling WebSocket, and what a normal user sees meanwhile.
// A benchmark, not a test: it needs running services and prints figures (BENCHMARKS.md).
//
//   node bench/socket-flood.mjs [--url URL] [--phase 15] [--sockets 4000] [--addresses 100]
//                               [--open-concurrency 200] [--server-pid PID]
//
// Environment: BENCH_URL (default VCLICK_URL), KEYCLOAK_URL (logins of alice and bob). Only
// 127.0.0.1 is contacted; the attacker's sockets come from 127.0.2.1, 127.0.2.2, … (the loopback
// range is all this machine's), --addresses of them.
//
// Three phases of --phase seconds each:
//   baseline   nothing but the normal user;
//   silent     --sockets sockets that never say hello, from --addresses addresses, opened as fast
//              as --open-concurrency allows and opened again whenever the server closes one
//              (the attacker keeps the pressure up: auth timeout, or 4429 when refused);
//   one-user   bob (a valid account) opens sockets with hello in a loop from the same addresses,
//              re-opening every refused or closed one, --sockets at most at a time.
// Throughout, the normal user (alice) measures: GET /api/me back to back (one keep-alive
// connection), a ping -> pong round trip on her open socket every 50 ms, and a fresh sign-in (new
// socket, hello -> welcome) every 500 ms. Per phase it prints their p50/p99/max and failures, the
// attacker's sockets opened / refused with 4429 / closed otherwise / held at the end, and the
// server's RSS and heap (jcmd GC.heap_info) at the end of the phase.
// Exit status 1 when a normal request failed, 2 on a usage or setup error.

import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { USERS } from '../e2e/lib/env.js';
import { login } from '../e2e/lib/keycloak.js';

// --- options ----------------------------------------------------------------------------------

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  const lines = readFileSync(new URL(import.meta.url), 'utf8')
    .split('\n')
    .slice(1);
  console.log(
    lines
      .slice(
        0,
        lines.findIndex((l) => !l.startsWith('//')),
      )
      .join('\n')
      .replace(/^\/\/ ?/gm, ''),
  );
  process.exit(0);
}
const base = new URL(option('url', process.env.BENCH_URL ?? process.env.VCLICK_URL ?? ''));
if (base.protocol !== 'http:' || base.hostname !== '127.0.0.1') {
  console.error('--url must be http://127.0.0.1:PORT (this benchmark talks to 127.0.0.1 only)');
  process.exit(2);
}
const PHASE_S = Number(option('phase', '15'));
const SOCKETS = Number(option('sockets', '4000'));
const ADDRESSES = Number(option('addresses', '100'));
const OPEN_CONCURRENCY = Number(option('open-concurrency', '200'));
const SERVER_PID = option('server-pid', process.env.BENCH_SERVER_PID ?? '');
if (!(PHASE_S > 0 && SOCKETS > 0 && ADDRESSES > 0 && ADDRESSES <= 250 && OPEN_CONCURRENCY > 0)) {
  console.error('bad --phase, --sockets, --addresses (1-250) or --open-concurrency');
  process.exit(2);
}

// --- a minimal WebSocket client on net (so that thousands cost the benchmark little) ----------

/** Opens ws://base/ws from localAddress; resolves once upgraded, with helpers. */
function openSocket(localAddress) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: base.hostname, port: Number(base.port), localAddress });
    let buffer = Buffer.alloc(0);
    let upgraded = false;
    const ws = {
      socket,
      closeCode: null,
      onText: () => {},
      onClose: () => {},
      send(text) {
        const payload = Buffer.from(text);
        const mask = randomBytes(4);
        const header =
          payload.length < 126
            ? Buffer.from([0x81, 0x80 | payload.length])
            : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
        const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
        socket.write(Buffer.concat([header, mask, body]));
      },
      close() {
        socket.destroy();
      },
    };
    const closed = (code) => {
      if (ws.closeCode === null) {
        ws.closeCode = code;
        ws.onClose(code);
      }
    };
    socket.setNoDelay(true);
    socket.on('connect', () => {
      socket.write(
        `GET /ws HTTP/1.1\r\nHost: ${base.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const status = buffer.subarray(0, buffer.indexOf('\r\n')).toString();
        buffer = buffer.subarray(end + 4);
        if (!status.startsWith('HTTP/1.1 101')) {
          socket.destroy();
          reject(new Error(status));
          return;
        }
        upgraded = true;
        resolve(ws);
      }
      while (buffer.length >= 2) {
        let length = buffer[1] & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffer.length < 4) return;
          length = buffer.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffer.length < 10) return;
          length = Number(buffer.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffer.length < offset + length) return;
        const opcode = buffer[0] & 0x0f;
        const payload = buffer.subarray(offset, offset + length);
        buffer = buffer.subarray(offset + length);
        if (opcode === 0x1) ws.onText(payload.toString());
        if (opcode === 0x8) {
          closed(payload.length >= 2 ? payload.readUInt16BE(0) : 1005);
          socket.destroy();
        }
      }
    });
    socket.on('error', (e) => (upgraded ? closed(1006) : reject(e)));
    socket.on('close', () => (upgraded ? closed(1006) : reject(new Error('closed during the upgrade'))));
  });
}

const hello = (token) => JSON.stringify({ type: 'hello', v: 1, token });

/** A signed-in socket: resolves with it once the welcome came. */
async function signIn(token, localAddress = '127.0.0.1') {
  const ws = await openSocket(localAddress);
  return new Promise((resolve, reject) => {
    ws.onText = (text) => {
      const message = JSON.parse(text);
      if (message.type === 'welcome') resolve(ws);
      else if (message.type === 'error') reject(new Error(message.code));
    };
    ws.onClose = (code) => reject(new Error(`closed ${code} before the welcome`));
    ws.send(hello(token));
  });
}

// --- measurements -----------------------------------------------------------------------------

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
  return { n: sorted.length, p50: at(50), p99: at(99), max: sorted.length ? sorted[sorted.length - 1] : NaN };
}

function getMe(agent, token) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.get(
      { host: base.hostname, port: base.port, path: '/api/me', agent, headers: { Authorization: `Bearer ${token}` }, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ ok: res.statusCode === 200, ms: performance.now() - t0 }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ ok: false, ms: performance.now() - t0 }));
  });
}

/** The normal user's three probes until stop(); returns their samples. */
function normalUser(token, socket) {
  const result = { me: [], meFailed: 0, ping: [], pingFailed: 0, signIn: [], signInFailed: 0 };
  let running = true;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const meLoop = (async () => {
    while (running) {
      const r = await getMe(agent, token);
      if (r.ok) result.me.push(r.ms);
      else result.meFailed++;
    }
  })();
  let pending = null;
  socket.onText = (text) => {
    if (JSON.parse(text).type === 'pong' && pending) {
      result.ping.push(performance.now() - pending);
      pending = null;
    }
  };
  const pingTimer = setInterval(() => {
    if (pending && performance.now() - pending > 5000) {
      result.pingFailed++;
      pending = null;
    }
    if (!pending && socket.closeCode === null) {
      pending = performance.now();
      socket.send(JSON.stringify({ type: 'ping', v: 1 }));
    }
  }, 50);
  const signInTimer = setInterval(async () => {
    const t0 = performance.now();
    try {
      const ws = await signIn(token);
      result.signIn.push(performance.now() - t0);
      ws.close();
    } catch {
      result.signInFailed++;
    }
  }, 500);
  return async () => {
    running = false;
    clearInterval(pingTimer);
    clearInterval(signInTimer);
    await meLoop;
    agent.destroy();
    if (socket.closeCode !== null) result.pingFailed++;
    return result;
  };
}

/** Attacker sockets kept at `target` open; `withToken` says hello with it (one account). */
function attacker(target, withToken) {
  const counts = { opened: 0, refused: 0, closedOtherwise: 0, failedUpgrade: 0, held: 0 };
  let running = true;
  let inFlight = 0;
  let next = 0;
  const live = new Set();
  const address = () => `127.0.2.${1 + (next++ % ADDRESSES)}`;
  const pump = () => {
    while (running && live.size + inFlight < target && inFlight < OPEN_CONCURRENCY) {
      inFlight++;
      openSocket(address()).then(
        (ws) => {
          inFlight--;
          counts.opened++;
          live.add(ws);
          ws.onClose = (code) => {
            live.delete(ws);
            if (code === 4429) counts.refused++;
            else counts.closedOtherwise++;
            setImmediate(pump);
          };
          if (withToken) ws.send(hello(withToken));
          pump();
        },
        () => {
          inFlight--;
          counts.failedUpgrade++;
          setTimeout(pump, 10);
        },
      );
    }
  };
  pump();
  return () => {
    running = false;
    const snapshot = { ...counts, held: live.size };
    for (const ws of live) {
      ws.onClose = () => {};
      ws.close();
    }
    return snapshot;
  };
}

/** Jiffies of the machine (busy, total) and of the server process, from /proc. */
function jiffies() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    let server = null;
    if (SERVER_PID) {
      const stat = readFileSync(`/proc/${SERVER_PID}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      server = Number(f[11]) + Number(f[12]);
    }
    return { busy: total - fields[3] - (fields[4] ?? 0), total, server };
  } catch {
    return null;
  }
}

/** CPU over a window in % of one core (200% = both cores): machine, server. */
function cpuSince(j0) {
  const j1 = jiffies();
  if (!j0 || !j1 || j1.total === j0.total) return {};
  const ncpu = os.availableParallelism?.() ?? os.cpus().length;
  const pct = (d) => Math.round((100 * ncpu * d) / (j1.total - j0.total));
  return { machine: pct(j1.busy - j0.busy), server: j0.server === null ? null : pct(j1.server - j0.server) };
}

function serverMemory() {
  if (!SERVER_PID) return {};
  const out = {};
  try {
    const status = readFileSync(`/proc/${SERVER_PID}/status`, 'utf8');
    out.rssMiB = Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024);
  } catch {
    /* not on Linux */
  }
  try {
    const heap = execFileSync('jcmd', [SERVER_PID, 'GC.heap_info'], { encoding: 'utf8', timeout: 20_000 });
    const m = /total (\d+)K, used (\d+)K/.exec(heap);
    if (m) out.heapUsedMiB = Math.round(Number(m[2]) / 1024);
  } catch {
    /* no jcmd */
  }
  return out;
}

// --- run --------------------------------------------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const alice = await login('alice', USERS.alice.password);
const bob = await login('bob', USERS.bob.password);
const aliceSocket = await signIn(alice);

const cpus = os.cpus();
console.log(
  `machine: ${os.availableParallelism?.() ?? cpus.length} CPUs, ${cpus[0]?.model?.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
);
console.log(`flood: ${SOCKETS} sockets, ${ADDRESSES} source addresses, ${OPEN_CONCURRENCY} handshakes at a time, ${PHASE_S} s a phase\n`);

const rows = [];
let failed = false;
for (const phase of ['baseline', 'silent', 'one-user']) {
  const stopAttack = phase === 'baseline' ? () => null : attacker(SOCKETS, phase === 'one-user' ? bob : null);
  const stopNormal = normalUser(alice, aliceSocket);
  const j0 = jiffies();
  await sleep(PHASE_S * 1000);
  const cpu = cpuSince(j0);
  const memory = serverMemory();
  const attack = stopAttack();
  const normal = await stopNormal();
  failed ||= normal.meFailed + normal.pingFailed + normal.signInFailed > 0;
  rows.push({ phase, attack, normal, memory, cpu });
  await sleep(2000); // the server closes what is left before the next phase
}
aliceSocket.close();

const f = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');
console.log(
  '| phase | attacker sockets opened | refused 4429 | closed otherwise | held at end | GET /api/me n | p50 ms | p99 ms | max ms | failed | ping p50 / p99 ms | sign-in p50 / p99 ms | sign-ins failed | server RSS MiB | heap used MiB | CPU machine / server |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const { phase, attack, normal, memory, cpu } of rows) {
  const me = stats(normal.me);
  const ping = stats(normal.ping);
  const signIns = stats(normal.signIn);
  console.log(
    `| ${phase} | ${attack?.opened ?? 0} | ${attack?.refused ?? 0} | ${attack?.closedOtherwise ?? 0} | ${attack?.held ?? 0} | ` +
      `${me.n} | ${f(me.p50)} | ${f(me.p99)} | ${f(me.max)} | ${normal.meFailed} | ${f(ping.p50)} / ${f(ping.p99)} | ` +
      `${f(signIns.p50)} / ${f(signIns.p99)} | ${normal.signInFailed} | ${memory.rssMiB ?? '–'} | ${memory.heapUsedMiB ?? '–'} | ${cpu.machine ?? '–'}% / ${cpu.server ?? '–'}% |`,
  );
}
process.exit(failed ? 1 : 0);
