#!/usr/bin/env node
// Throughput and latency of POST /api/turn/credentials with concurrent, authenticated clients.
// A benchmark, not a test: it needs running services (bench/run.sh starts them) and prints figures.
//
//   node bench/turn-credentials.mjs [--url URL] [--concurrency 1,8,32,64] [--duration 10]
//                                   [--warmup 2] [--max-requests 500000] [--timeout 10]
//                                   [--prime 0] [--server-pid PID] [--endpoint 'GET /api/me']
//                                   [--body '{"origin":"https://meet.example.com"}']
//
// Every option may also come from the environment: BENCH_URL (default VCLICK_URL),
// BENCH_CONCURRENCY, BENCH_DURATION, BENCH_WARMUP, BENCH_MAX_REQUESTS, BENCH_TIMEOUT, BENCH_PRIME,
// BENCH_SERVER_PID, BENCH_ENDPOINT, BENCH_BODY. KEYCLOAK_URL is needed for the logins. Only
// 127.0.0.1 is ever contacted. --endpoint measures another authenticated endpoint of the API the
// same way, for comparison (default POST /api/turn/credentials); --body is the JSON a POST sends
// (default none), e.g. for POST /api/edge/decision.
//
// For each concurrency level C: C virtual clients, each with the access token of one demo user
// (alice..frank, round-robin) and its own keep-alive connection, send requests back to back. The
// first `warmup` seconds are not recorded; then every request that completes within the next
// `duration` seconds is. --prime N first loads the server for N seconds, unrecorded, at the highest
// level, so that the JVM's JIT compilers are done before the first level (a fresh JVM is several
// times slower for a minute or more). Exit status: 0 when every recorded and warm-up request answered 200,
// 1 when any did not, 2 on a usage or setup error.

import http from 'node:http';
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { USERS } from '../e2e/lib/env.js';
import { login, jwtClaims } from '../e2e/lib/keycloak.js';

const DEMO_USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
const TURN = { method: 'POST', path: '/api/turn/credentials' };

// --- options ----------------------------------------------------------------------------------

const OPTIONS = {
  url: { env: 'BENCH_URL', fallback: () => process.env.VCLICK_URL },
  concurrency: { env: 'BENCH_CONCURRENCY', fallback: () => '1,8,32,64' },
  duration: { env: 'BENCH_DURATION', fallback: () => '10' },
  warmup: { env: 'BENCH_WARMUP', fallback: () => '2' },
  prime: { env: 'BENCH_PRIME', fallback: () => '0' },
  'max-requests': { env: 'BENCH_MAX_REQUESTS', fallback: () => '500000' },
  timeout: { env: 'BENCH_TIMEOUT', fallback: () => '10' },
  'server-pid': { env: 'BENCH_SERVER_PID', fallback: () => '' },
  endpoint: { env: 'BENCH_ENDPOINT', fallback: () => `${TURN.method} ${TURN.path}` },
  body: { env: 'BENCH_BODY', fallback: () => '' },
};

function usage(message) {
  if (message) {
    console.error(`error: ${message} (see --help)`);
    process.exit(2);
  }
  const lines = readFileSync(new URL(import.meta.url), 'utf8')
    .split('\n')
    .slice(1);
  const text = lines.slice(
    0,
    lines.findIndex((l) => !l.startsWith('//')),
  );
  console.log(text.join('\n').replace(/^\/\/ ?/gm, ''));
  process.exit(0);
}

function parseOptions(argv) {
  const given = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') usage();
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m || !(m[1] in OPTIONS)) usage(`unknown argument '${arg}'`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) usage(`--${m[1]} needs a value`);
    given[m[1]] = value;
  }
  const raw = {};
  for (const [name, { env, fallback }] of Object.entries(OPTIONS)) {
    raw[name] = (given[name] ?? process.env[env] ?? fallback() ?? '').trim();
  }
  const number = (name, min, max) => {
    const n = Number(raw[name]);
    if (!Number.isFinite(n) || n < min || n > max) usage(`--${name} must be a number in [${min}, ${max}], not '${raw[name]}'`);
    return n;
  };
  if (!raw.url) usage('no base URL: pass --url or set VCLICK_URL (or BENCH_URL)');
  const levels = raw.concurrency.split(',').map((s) => Number(s.trim()));
  if (!levels.length || levels.some((n) => !Number.isInteger(n) || n < 1 || n > 1024)) {
    usage(`--concurrency must be a comma-separated list of integers in [1, 1024], not '${raw.concurrency}'`);
  }
  const endpoint = /^(GET|POST) (\/api\/[A-Za-z0-9/_-]*)$/.exec(raw.endpoint);
  if (!endpoint) usage(`--endpoint must be 'GET /api/...' or 'POST /api/...', not '${raw.endpoint}'`);
  if (raw.body) {
    if (endpoint[1] !== 'POST') usage('--body goes with a POST endpoint');
    try {
      JSON.parse(raw.body);
    } catch {
      usage(`--body must be JSON, not '${raw.body}'`);
    }
  }
  const opts = {
    method: endpoint[1],
    path: endpoint[2],
    body: raw.body ? Buffer.from(raw.body) : null,
    url: loopbackUrl('base URL', raw.url),
    keycloakUrl: loopbackUrl('KEYCLOAK_URL', process.env.KEYCLOAK_URL ?? ''),
    levels,
    duration: number('duration', 1, 240),
    warmup: number('warmup', 0, 60),
    prime: number('prime', 0, 240),
    maxRequests: number('max-requests', 1, 10_000_000),
    timeout: number('timeout', 0.1, 60),
    serverPid: raw['server-pid'] ? number('server-pid', 1, 2 ** 31) : null,
  };
  // Access tokens live 300 s; tokens are renewed before a level that would outlive them.
  if (opts.warmup + opts.duration > 240) usage('warm-up + duration must stay under 240 s (tokens live 300 s)');
  return opts;
}

/** The URL, without a trailing slash, if it points at 127.0.0.1 over http; exits otherwise. */
function loopbackUrl(what, value) {
  let url;
  try {
    url = new URL(value.replace(/\/+$/, ''));
  } catch {
    usage(`${what} is not a URL: '${value}'`);
  }
  if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1') {
    usage(`${what} must be http://127.0.0.1:PORT (this benchmark talks to 127.0.0.1 only), not '${value}'`);
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

// --- machine and CPU accounting ---------------------------------------------------------------

function machine() {
  const cpus = os.cpus();
  return {
    cpus: os.availableParallelism?.() ?? cpus.length,
    model: cpus[0]?.model?.trim() ?? 'unknown',
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

/** Jiffies of the whole machine (busy, total) from /proc/stat, or null off Linux. */
function machineJiffies() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = fields[3] + (fields[4] ?? 0); // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** utime + stime of a process in jiffies, or null. */
function processJiffies(pid) {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // fields 14 and 15 of proc(5)
  } catch {
    return null;
  }
}

/** Starts a CPU measurement; the returned function gives percentages of ONE core (200% = 2 cores). */
function cpuMeter(serverPid) {
  const m0 = machineJiffies();
  const s0 = processJiffies(serverPid);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const m1 = machineJiffies();
    const s1 = processJiffies(serverPid);
    const c = process.cpuUsage(c0);
    const wallMs = performance.now() - t0;
    const ncpu = os.availableParallelism?.() ?? os.cpus().length;
    const totalDelta = m1 && m0 ? m1.total - m0.total : 0;
    const pct = (jiffies) => (totalDelta > 0 ? (100 * ncpu * jiffies) / totalDelta : null);
    return {
      machine: m1 && m0 ? pct(m1.busy - m0.busy) : null,
      server: s1 !== null && s0 !== null ? pct(s1 - s0) : null,
      client: (100 * (c.user + c.system)) / 1000 / wallMs,
    };
  };
}

// --- tokens -----------------------------------------------------------------------------------

async function loginAll() {
  const tokens = await Promise.all(DEMO_USERS.map((u) => login(u, USERS[u].password)));
  const expiresAt = Math.min(...tokens.map((t) => jwtClaims(t).exp)) * 1000;
  return { tokens, expiresAt };
}

// --- one request ------------------------------------------------------------------------------

function send(agent, opts, token, timeoutMs) {
  return new Promise((resolve) => {
    const started = performance.now();
    const done = (status, error, body) => resolve({ status, error, body, ms: performance.now() - started, end: performance.now() });
    const req = http.request(
      `${opts.url}${opts.path}`,
      {
        method: opts.method,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(opts.body
            ? { 'content-type': 'application/json', 'content-length': String(opts.body.length) }
            : opts.method === 'POST'
              ? { 'content-length': '0' }
              : {}),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => done(res.statusCode, null, Buffer.concat(chunks)));
        res.on('error', (e) => done(0, e.message));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e) => done(0, e.code ?? e.message));
    req.end(opts.body ?? undefined);
  });
}

/** Fails unless one answer is 200 (and looks like TURN credentials), so that the figures measure the real thing. */
async function checkOnce(opts, token) {
  const agent = new http.Agent({ keepAlive: false });
  const r = await send(agent, opts, token, opts.timeout * 1000);
  agent.destroy();
  const what = `${opts.method} ${opts.path}`;
  if (r.status !== 200) throw new Error(`${what} answered ${r.status || r.error}: ${r.body?.toString('utf8').slice(0, 200) ?? ''}`);
  if (opts.path !== TURN.path) return;
  const json = JSON.parse(r.body.toString('utf8'));
  for (const field of ['username', 'credential', 'ttlSeconds', 'uris']) {
    if (!(field in json)) throw new Error(`the answer of ${what} has no '${field}'`);
  }
}

// --- one concurrency level --------------------------------------------------------------------

async function runLevel(concurrency, opts, tokens) {
  // One socket per virtual client, kept alive for the whole level.
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  const timeoutMs = opts.timeout * 1000;
  const latencies = new Float64Array(opts.maxRequests);
  const errors = new Map();
  let recorded = 0;
  let failed = 0;
  let warmupRequests = 0;

  const t0 = performance.now();
  const measureFrom = t0 + opts.warmup * 1000;
  const measureUntil = measureFrom + opts.duration * 1000;
  let meter = null;
  const startMeter = setTimeout(() => (meter = cpuMeter(opts.serverPid)), Math.max(0, measureFrom - performance.now()));
  let cpu = null;
  const stopMeter = setTimeout(() => (cpu = meter?.()), Math.max(0, measureUntil - performance.now()));

  const client = async (index) => {
    const token = tokens[index % tokens.length];
    while (performance.now() < measureUntil && recorded + failed < opts.maxRequests) {
      const r = await send(agent, opts, token, timeoutMs);
      const ok = r.status === 200;
      if (r.end < measureFrom) {
        warmupRequests++;
      } else if (r.end <= measureUntil && recorded + failed < opts.maxRequests) {
        if (ok) latencies[recorded++] = r.ms;
        else failed++;
      }
      if (!ok) {
        const key = r.status ? `HTTP ${r.status}` : r.error;
        errors.set(key, (errors.get(key) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => client(i)));
  const finished = performance.now();
  clearTimeout(startMeter);
  clearTimeout(stopMeter);
  cpu ??= meter?.() ?? null;
  agent.destroy();

  // If the count bound stopped the level early, the window is shorter than `duration`.
  const windowS = (Math.min(finished, measureUntil) - measureFrom) / 1000;
  const sorted = latencies.subarray(0, recorded).sort();
  const pct = (p) => (recorded ? sorted[Math.max(0, Math.ceil((p / 100) * recorded) - 1)] : NaN);
  return {
    concurrency,
    requests: recorded + failed,
    errors: failed,
    rps: (recorded + failed) / windowS,
    p50: pct(50),
    p90: pct(90),
    p99: pct(99),
    max: recorded ? sorted[recorded - 1] : NaN,
    windowS,
    warmupRequests,
    errorKinds: errors,
    cpu,
  };
}

// --- output -----------------------------------------------------------------------------------

const f1 = (n) => (Number.isFinite(n) ? n.toFixed(1) : '-');
const f0 = (n) => (Number.isFinite(n) ? n.toFixed(0) : '-');
const pctCell = (n) => (n === null || n === undefined ? '-' : `${f0(n)}%`);

function header() {
  const cols = ['clients', 'requests', 'errors', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'CPU machine', 'CPU server', 'CPU bench'];
  console.log(`| ${cols.join(' | ')} |`);
  console.log(`|${cols.map(() => '---:').join('|')}|`);
}

function row(r) {
  const cells = [
    r.concurrency,
    r.requests,
    r.errors,
    f0(r.rps),
    f1(r.p50),
    f1(r.p90),
    f1(r.p99),
    f1(r.max),
    pctCell(r.cpu?.machine),
    pctCell(r.cpu?.server),
    pctCell(r.cpu?.client),
  ];
  console.log(`| ${cells.join(' | ')} |`);
}

// --- main -------------------------------------------------------------------------------------

async function main() {
  const opts = parseOptions(process.argv.slice(2));
  // e2e/lib/keycloak.js reads these two.
  process.env.VCLICK_URL = opts.url;
  process.env.KEYCLOAK_URL = opts.keycloakUrl;

  const m = machine();
  console.log(`# ${opts.method} ${opts.path} benchmark`);
  console.log('');
  console.log(
    `- target: ${opts.method} ${opts.url}${opts.path} (Keycloak ${opts.keycloakUrl}), users ${DEMO_USERS.join(', ')} round-robin`,
  );
  if (opts.body) console.log(`- body: ${opts.body.toString('utf8')}`);
  console.log(`- machine: ${m.cpus} CPUs (nproc), ${m.model}, ${m.memory} RAM, ${m.kernel}; node ${m.node}`);
  console.log(
    `- per level: ${opts.warmup} s warm-up (not recorded) + ${opts.duration} s measured; keep-alive, one connection per client; ` +
      `at most ${opts.maxRequests} requests, ${opts.timeout} s timeout per request`,
  );
  console.log(
    `- CPU columns: % of one core over the measured window (${m.cpus * 100}% = every core): whole machine, ` +
      `the server process${opts.serverPid ? ` (pid ${opts.serverPid})` : ' (not given: --server-pid)'}, this benchmark`,
  );
  console.log('');

  let session;
  try {
    session = await loginAll();
    await checkOnce(opts, session.tokens[0]);
  } catch (e) {
    console.error(`setup failed: ${e.message}`);
    process.exit(2);
  }

  const results = [];
  let primed = 0;
  const renewTokens = async (seconds) => {
    if (session.expiresAt - Date.now() < (seconds + opts.timeout + 30) * 1000) session = await loginAll();
  };
  if (opts.prime > 0) {
    const top = Math.max(...opts.levels);
    console.log(`priming: ${opts.prime} s at ${top} clients, not recorded`);
    console.log('');
    await renewTokens(opts.prime);
    const r = await runLevel(top, { ...opts, warmup: opts.prime, duration: 0 }, session.tokens);
    primed = r.warmupRequests;
    if (r.errorKinds.size) results.push({ ...r, concurrency: `${top} (priming)`, requests: 0, warmupRequests: 0 });
  }
  header();
  for (const level of opts.levels) {
    await renewTokens(opts.warmup + opts.duration);
    const r = await runLevel(level, opts, session.tokens);
    results.push(r);
    row(r);
  }

  // Any non-200, also during the warm-up or after the window, fails the run.
  const failures = results.filter((r) => r.errorKinds.size > 0);
  console.log('');
  for (const r of failures) {
    const kinds = [...r.errorKinds].map(([k, n]) => `${k} x${n}`).join(', ');
    console.log(`non-200 answers at ${r.concurrency} clients (warm-up included): ${kinds}`);
  }
  const total = results.reduce((a, r) => a + r.requests + r.warmupRequests, primed);
  console.log(`${total} requests in all (priming and warm-up included); ${failures.length ? 'SOME FAILED' : 'all answered 200'}`);
  process.exit(failures.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e.stack ?? e);
  process.exit(2);
});
