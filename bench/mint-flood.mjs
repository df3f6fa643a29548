#!/usr/bin/env node
// A reviewer's audited request, timed while other users flood POST /api/turn/credentials.
// A benchmark, not a test: it needs a running server and Keycloak, and prints figures.
//
//   node bench/mint-flood.mjs [--url URL] [--flooders 32] [--duration 15] [--warmup 3]
//                             [--pause-ms 20] [--timeout 10]
//
// Environment: BENCH_URL (default VCLICK_URL), KEYCLOAK_URL; every option also as BENCH_<NAME>
// (BENCH_FLOODERS...). Only 127.0.0.1 is ever contacted.
//
// The reviewer is frank (edge-admin): he re-saves the Secure Edge policy (GET it once, then
// PUT /api/edge/policy with the version he holds, one after the other, --pause-ms apart): every save
// appends to the audit trail, so it waits for the audit chain's head like every audited action (a
// recording played, a legal hold set). Two phases of --duration seconds each (after --warmup s
// unrecorded): the reviewer alone, then the reviewer while --flooders clients (alice, bob, carol,
// dave, erin round-robin, one keep-alive connection each) send POST /api/turn/credentials back to
// back. Printed: the reviewer's p50/p90/p99/max in both phases, and the flood's requests a second
// by status (429 once the per-user limit, vclick.turn.mint-*, refuses).
// Exit status: 0 when every reviewer request answered 200, 1 otherwise, 2 on a usage error.

import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { USERS } from '../e2e/lib/env.js';
import { login } from '../e2e/lib/keycloak.js';

const FLOODERS = ['alice', 'bob', 'carol', 'dave', 'erin'];
const REVIEWER = 'frank';

function usage(message) {
  console.error(`error: ${message} (see the header of bench/mint-flood.mjs)`);
  process.exit(2);
}

function options(argv) {
  const names = ['url', 'flooders', 'duration', 'warmup', 'pause-ms', 'timeout'];
  const given = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m || !names.includes(m[1])) usage(`unknown argument '${argv[i]}'`);
    given[m[1]] = m[2] ?? argv[++i];
  }
  const env = (name) => process.env[`BENCH_${name.toUpperCase().replace('-', '_')}`];
  const raw = (name, fallback) => String(given[name] ?? env(name) ?? fallback);
  const number = (name, fallback, min, max) => {
    const n = Number(raw(name, fallback));
    if (!Number.isFinite(n) || n < min || n > max) usage(`--${name} must be in [${min}, ${max}]`);
    return n;
  };
  return {
    url: loopback('base URL', raw('url', process.env.VCLICK_URL ?? '')),
    keycloak: loopback('KEYCLOAK_URL', process.env.KEYCLOAK_URL ?? ''),
    flooders: number('flooders', 32, 1, 512),
    duration: number('duration', 15, 1, 100),
    warmup: number('warmup', 3, 0, 30),
    pauseMs: number('pause-ms', 20, 0, 10_000),
    timeoutMs: number('timeout', 10, 0.1, 60) * 1000,
  };
}

function loopback(what, value) {
  let url;
  try {
    url = new URL(value.replace(/\/+$/, ''));
  } catch {
    usage(`${what} is not a URL: '${value}'`);
  }
  if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1') usage(`${what} must be http://127.0.0.1:PORT`);
  return url.origin;
}

function send(agent, base, method, path, token, body, timeoutMs) {
  return new Promise((resolve) => {
    const started = performance.now();
    const payload = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const done = (status, text) => resolve({ status, text, ms: performance.now() - started });
    const req = http.request(
      `${base}${path}`,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(payload ? { 'content-type': 'application/json' } : {}),
          'content-length': String(payload ? payload.length : 0),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => done(res.statusCode, Buffer.concat(chunks).toString('utf8')));
        res.on('error', () => done(0, ''));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', () => done(0, ''));
    req.end(payload ?? undefined);
  });
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The reviewer: re-saves the policy until `until`, recording latencies after `from`. */
async function reviewer(opts, token, from, until) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const current = await send(agent, opts.url, 'GET', '/api/edge/policy', token, undefined, opts.timeoutMs);
  if (current.status !== 200) throw new Error(`GET /api/edge/policy answered ${current.status}`);
  let policy = JSON.parse(current.text);
  const latencies = [];
  let failed = 0;
  while (performance.now() < until) {
    const r = await send(agent, opts.url, 'PUT', '/api/edge/policy', token, policy, opts.timeoutMs);
    if (r.status === 200) {
      policy = JSON.parse(r.text);
    } else {
      failed++;
      const again = await send(agent, opts.url, 'GET', '/api/edge/policy', token, undefined, opts.timeoutMs);
      if (again.status === 200) policy = JSON.parse(again.text);
    }
    if (performance.now() - r.ms >= from) latencies.push(r.ms);
    if (opts.pauseMs) await sleep(opts.pauseMs);
  }
  agent.destroy();
  return { latencies: latencies.sort((a, b) => a - b), failed };
}

/** One flooding client: mints back to back until `until`, counting statuses after `from`. */
async function flooder(agent, opts, token, from, until, statuses) {
  while (performance.now() < until) {
    const r = await send(agent, opts.url, 'POST', '/api/turn/credentials', token, undefined, opts.timeoutMs);
    if (performance.now() >= from) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  }
}

async function phase(name, opts, tokens, flood) {
  const t0 = performance.now();
  const from = t0 + opts.warmup * 1000;
  const until = from + opts.duration * 1000;
  const statuses = new Map();
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.flooders });
  const floods = flood
    ? Array.from({ length: opts.flooders }, (_, i) =>
        flooder(agent, opts, tokens.flooders[i % tokens.flooders.length], from, until, statuses),
      )
    : [];
  const review = await reviewer(opts, tokens.reviewer, from, until);
  await Promise.all(floods);
  agent.destroy();
  const l = review.latencies;
  const mints = [...statuses.entries()].sort().map(([s, n]) => `${s || 'error'}: ${Math.round(n / opts.duration)}/s`);
  return {
    phase: name,
    reviewerRequests: l.length,
    reviewerFailed: review.failed,
    p50: percentile(l, 50),
    p90: percentile(l, 90),
    p99: percentile(l, 99),
    max: l[l.length - 1],
    flood: flood ? mints.join(', ') : '—',
  };
}

async function main() {
  const opts = options(process.argv.slice(2));
  const tokens = {
    flooders: await Promise.all(FLOODERS.map((u) => login(u, USERS[u].password))),
    reviewer: await login(REVIEWER, USERS[REVIEWER].password),
  };
  const rows = [
    await phase('reviewer alone', opts, tokens, false),
    await phase(`with ${opts.flooders} minting clients`, opts, tokens, true),
  ];
  const f = (ms) => (Number.isFinite(ms) ? ms.toFixed(1) : '—');
  console.log(`server ${opts.url}; ${opts.duration} s a phase after ${opts.warmup} s warm-up; reviewer pause ${opts.pauseMs} ms`);
  console.log('| phase | reviewer saves | failed | p50 ms | p90 ms | p99 ms | max ms | mints a second by status |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---|');
  for (const r of rows) {
    console.log(
      `| ${r.phase} | ${r.reviewerRequests} | ${r.reviewerFailed} | ${f(r.p50)} | ${f(r.p90)} | ${f(r.p99)} | ${f(r.max)} | ${r.flood} |`,
    );
  }
  process.exit(rows.some((r) => r.reviewerFailed > 0) ? 1 : 0);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(2);
});
