#!/usr/bin/env node
// What Secure Edge's MAIN-world wrapper costs a page that uses WebRTC: the same blank page (served
// from a temporary folder on its own origin, 127.0.0.1 and a free port: not Vclick's, so the
// wrapper asks the server for a decision) in two Debian Chromiums started for the run with the same
// switches: a plain one, and one with the built extension, configured and signed in as alice. The
// shipped policy is "relay" with the candidate filter "relay-only": the wrapper replaces the page's
// ICE servers by the enterprise relay (coturn) with minted credentials and forces relay only.
//
// Prints (one run; the variants take turns, so they share whatever else loads the machine):
//   (a) connection setup in the page: new RTCPeerConnection({iceServers: [stun:127.0.0.1:TURN_PORT]}),
//       createDataChannel, createOffer, setLocalDescription, timed (then close()): --runs times
//       after --warmup unrecorded ones, median / p95 / mean, and the differences; and the FIRST
//       such setup of a fresh page load (--loads new tabs per variant): with the extension that one
//       waits for the decision (page → bridge → worker → POST /api/edge/decision), measured once
//       with the worker's decision cache emptied before the load (vclickEdgeForget) and once right
//       after, from the cache (the worker keeps a decision 5 s); and, for comparison, the decision
//       request alone as the worker makes it (fetch with alice's token), --loads times;
//   (b) call setup: two connections a and b in the page, connected to each other with in-page
//       trickle signalling; from new RTCPeerConnection (a) to both 'connected' and the first
//       data-channel message at b, --calls times each: direct (host↔host over loopback) in the
//       plain browser, relay↔relay through coturn with the extension; the selected candidate
//       pairs (getStats(), as the page sees them) show which path each call took.
// With VCLICK_TURN_SECRET (coturn's static-auth-secret) set, a third variant: the plain browser
// with the configuration the wrapper would give it (the relay's turn: URIs, credentials minted here
// for the user "bench-edge-wrapper", relay only) set by the page itself: the relay without the wrapper.
//
// Needs the services the end-to-end tests use, already up, and the same variables: VCLICK_URL (the
// app), KEYCLOAK_URL (the demo realm: the extension signs alice in through Keycloak's login page),
// TURN_PORT (coturn on 127.0.0.1), optionally VCLICK_TURN_SECRET. E.g. the test profile (app
// 127.0.0.1:18080, Keycloak :18180, coturn :13478) or `./vclick start` (:8080, :8180, :3478); the
// Secure Edge policy in force must be the shipped one. The extension reports its connections to the
// server's connection log (user alice, origins http://127.0.0.1:<free port>).
//
//   node extension/build.mjs      # the benchmark loads extension/dist
//   VCLICK_URL=http://127.0.0.1:18080 KEYCLOAK_URL=http://127.0.0.1:18180 TURN_PORT=13478 \
//     node bench/edge-wrapper.mjs [--runs 200] [--warmup 20] [--loads 10] [--calls 20]  (from the repo root)

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CHROMIUM, closeAll, openContext } from '../e2e/lib/browser.js';
import { USERS, keycloakUrl, turnPort, vclickUrl } from '../e2e/lib/env.js';
import { EXTENSION_DIR, configure, openWithExtension, signInExtension, worker } from '../e2e/lib/extension.js';
import { serveStatic } from '../e2e/lib/static-site.js';
import { mintTurnCredential, turnUris } from '../e2e/lib/turn.js';
import { load, mean, median, percentile, sorted, tally, TICKS } from './figures.mjs';

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '20' },
    loads: { type: 'string', default: '10' },
    calls: { type: 'string', default: '20' },
    pause: { type: 'string', default: '2' },
    timeout: { type: 'string', default: '20' },
    help: { type: 'boolean', default: false },
  },
});
if (options.help) {
  console.log(`node bench/edge-wrapper.mjs [--runs N (200)] [--warmup N (20)] [--loads N (10)] [--calls N (20)]
                               [--pause SECONDS between rounds of calls (2)] [--timeout SECONDS a page load or call (20)]
Needs VCLICK_URL, KEYCLOAK_URL, TURN_PORT (services up, the shipped Secure Edge policy), optionally
VCLICK_TURN_SECRET (adds the relay set by the page itself), and extension/dist (node extension/build.mjs).`);
  process.exit(0);
}
const runs = Number(options.runs);
const warmup = Number(options.warmup);
const loads = Number(options.loads);
const calls = Number(options.calls);
const pauseMs = Number(options.pause) * 1000;
const timeoutMs = Number(options.timeout) * 1000;
if (![runs, loads, calls, timeoutMs].every((n) => Number.isInteger(n) && n > 0) || !(warmup >= 0) || !(pauseMs >= 0)) {
  console.error('--runs, --loads, --calls and --timeout must be positive integers, --warmup and --pause at least 0');
  process.exit(2);
}
let port;
try {
  vclickUrl();
  keycloakUrl();
  port = turnPort();
} catch (e) {
  console.error(e.message.replace(/: run the specs.*$/, ': export it (see the header of bench/edge-wrapper.mjs)'));
  process.exit(2);
}
if (!existsSync(join(EXTENSION_DIR, 'manifest.json')) || !existsSync(join(EXTENSION_DIR, 'edge-wrapper.js'))) {
  console.error(`no built extension in ${EXTENSION_DIR}: run node extension/build.mjs first`);
  process.exit(2);
}
/** The worker keeps a decision this long (extension/src/background/edge.js, DECISION_CACHE_MS). */
const DECISION_CACHE_MS = 5_000;
const stun = `stun:127.0.0.1:${port}`;
/** What the page asks for (in every variant but the relay set by the page). */
const PAGE_CONFIG = { iceServers: [{ urls: stun }] };
const secret = process.env.VCLICK_TURN_SECRET?.trim();
/**
 * The configuration the wrapper gives the browser (ice-config.js), for the page to set itself: one
 * credential a page (coturn's user-quota counts per TURN username), as the wrapper uses one
 * decision's for all connections of a page.
 */
const relayConfig = () => {
  const { username, credential } = mintTurnCredential({ secret, user: 'bench-edge-wrapper' });
  return { iceServers: [{ urls: turnUris(port), username, credential }], iceTransportPolicy: 'relay' };
};

// --- in the page --------------------------------------------------------------------------------

/**
 * (a) `count` connection setups back to back with the page's configuration `config`: the ms of
 * each, [total, constructor + createDataChannel, createOffer, setLocalDescription].
 */
const SETUP_TIMES = async ({ count, config }) => {
  const times = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const pc = new RTCPeerConnection(config);
    try {
      pc.createDataChannel('x');
      const t1 = performance.now();
      const offer = await pc.createOffer();
      const t2 = performance.now();
      await pc.setLocalDescription(offer);
      const t3 = performance.now();
      times.push([t3 - t0, t1 - t0, t2 - t1, t3 - t2]);
    } finally {
      pc.close();
    }
  }
  return times;
};

/**
 * (b) One call between two connections of the page (both with the page's configuration `config`),
 * trickle ICE through in-page signalling. Ms from the first constructor to: the first candidate,
 * both sides' ICE connected, both 'connected' (DTLS done), the first message at b, and all of it;
 * and the selected candidate pair of each side as getStats() shows it.
 */
const CALL = async ({ config, timeoutMs }) => {
  const deferred = () => {
    let resolve;
    const promise = new Promise((r) => (resolve = r));
    return { promise, resolve };
  };
  const t0 = performance.now();
  const a = new RTCPeerConnection(config);
  const b = new RTCPeerConnection(config);
  const times = { a: 0, b: 0, iceA: 0, iceB: 0, message: 0, candidate: 0 };
  const candidates = { a: 0, b: 0 };
  let stage = 'offer';
  let timer;
  try {
    const done = new Promise((resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `not set up within ${timeoutMs} ms (signalling: ${stage}; a ${a.connectionState}/` +
                `${a.iceGatheringState}, b ${b.connectionState}/${b.iceGatheringState}; candidates ` +
                `${candidates.a}+${candidates.b}; message ${times.message ? 'received' : 'not received'})`,
            ),
          ),
        timeoutMs,
      );
      const check = () => times.a && times.b && times.message && resolve();
      for (const [name, pc] of [
        ['a', a],
        ['b', b],
      ]) {
        const ice = name === 'a' ? 'iceA' : 'iceB';
        pc.addEventListener('iceconnectionstatechange', () => {
          if (['connected', 'completed'].includes(pc.iceConnectionState) && !times[ice]) {
            times[ice] = performance.now() - t0;
          }
        });
        pc.addEventListener('connectionstatechange', () => {
          if (pc.connectionState === 'connected' && !times[name]) times[name] = performance.now() - t0;
          if (pc.connectionState === 'failed') reject(new Error(`${name}: connection failed`));
          check();
        });
      }
      b.addEventListener('datachannel', (e) => {
        e.channel.onmessage = () => {
          times.message ||= performance.now() - t0;
          check();
        };
      });
      // Candidates go to the other side once it has the remote description.
      const remote = { a: deferred(), b: deferred() };
      for (const [from, to, name, other] of [
        [a, b, 'a', 'b'],
        [b, a, 'b', 'a'],
      ]) {
        from.addEventListener('icecandidate', (e) => {
          if (!e.candidate) return;
          candidates[name]++;
          times.candidate ||= performance.now() - t0;
          remote[other].promise.then(() => to.addIceCandidate(e.candidate)).catch(reject);
        });
      }
      const channel = a.createDataChannel('x');
      channel.onopen = () => channel.send('hello');
      (async () => {
        const offer = await a.createOffer();
        stage = 'a.setLocalDescription';
        await a.setLocalDescription(offer);
        stage = 'b.setRemoteDescription';
        await b.setRemoteDescription(a.localDescription);
        remote.b.resolve();
        stage = 'b.createAnswer';
        const answer = await b.createAnswer();
        stage = 'b.setLocalDescription';
        await b.setLocalDescription(answer);
        stage = 'a.setRemoteDescription';
        await a.setRemoteDescription(b.localDescription);
        remote.a.resolve();
        stage = 'done';
      })().catch(reject);
    });
    await done;
    const total = performance.now() - t0;
    const pairOf = async (pc) => {
      const all = [...(await pc.getStats()).values()];
      const byId = new Map(all.map((s) => [s.id, s]));
      const transport = all.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
      const pair = transport
        ? byId.get(transport.selectedCandidatePairId)
        : all.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
      if (!pair) return 'none';
      const local = byId.get(pair.localCandidateId);
      const remote = byId.get(pair.remoteCandidateId);
      const via = local?.relayProtocol ? `, ${local.relayProtocol} to the relay` : '';
      return `${local?.candidateType}/${remote?.candidateType} (${local?.protocol}${via})`;
    };
    return {
      total,
      candidate: times.candidate,
      ice: Math.max(times.iceA, times.iceB),
      connected: Math.max(times.a, times.b),
      message: times.message,
      pairs: [await pairOf(a), await pairOf(b)],
    };
  } finally {
    clearTimeout(timer);
    a.close();
    b.close();
  }
};

// --- figures ----------------------------------------------------------------------------------

const ms = (x) => (Number.isFinite(x) ? x.toFixed(Math.abs(x) < 10 ? 2 : 1) : 'n/a');
const signed = (x) => (Number.isFinite(x) ? `${x >= 0 ? '+' : '−'}${ms(Math.abs(x))}` : 'n/a');
/** coturn's relay ports (TURN_RELAY_MIN_PORT–TURN_RELAY_MAX_PORT, as ./vclick sets them; default the test profile's). */
const RELAY_PORTS = [process.env.TURN_RELAY_MIN_PORT || '49300', process.env.TURN_RELAY_MAX_PORT || '49399'];
/** UDP sockets bound to a relay port on this machine: the relay allocations coturn holds (all users). */
const relayPortsInUse = () => {
  try {
    const filter = `( sport >= :${RELAY_PORTS[0]} and sport <= :${RELAY_PORTS[1]} )`;
    const out = execFileSync('ss', ['-uanH', filter], { encoding: 'utf8' });
    return out.split('\n').filter(Boolean).length;
  } catch {
    return NaN;
  }
};
const ROLES = ['page', 'extension', 'browser', 'other'];
/**
 * CPU seconds so far of the Chromium this process started with (or without) --load-extension, by
 * role: its browser process, page renderers, the extension's renderer (the worker), the others
 * (GPU, network, storage, zygotes). null when it is not found (not Linux, another launcher).
 */
const browserCpu = (withExtension) => {
  let all;
  try {
    all = readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .map((pid) => {
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
          return {
            pid: Number(pid),
            ppid: Number(fields[1]),
            cpu: (Number(fields[11]) + Number(fields[12])) / TICKS,
            cmd,
          };
        } catch {
          return null; // gone meanwhile
        }
      })
      .filter(Boolean);
  } catch {
    return null;
  }
  const root = all.find(
    (p) =>
      p.ppid === process.pid &&
      /--user-data-dir=/.test(p.cmd) &&
      !/--type=/.test(p.cmd) &&
      /--load-extension=/.test(p.cmd) === withExtension,
  );
  if (!root) return null;
  const cpu = Object.fromEntries(ROLES.map((r) => [r, 0]));
  const walk = (p) => {
    const role =
      p === root ? 'browser' : /--type=renderer/.test(p.cmd) ? (/--extension-process/.test(p.cmd) ? 'extension' : 'page') : 'other';
    cpu[role] += p.cpu;
    for (const child of all.filter((c) => c.ppid === p.pid)) walk(child);
  };
  walk(root);
  return cpu;
};
/** b − a, role by role (null when either is). */
const cpuDelta = (a, b) => (a && b ? Object.fromEntries(ROLES.map((r) => [r, b[r] - a[r]])) : null);
const cpuSum = (a, b) => (a && b ? Object.fromEntries(ROLES.map((r) => [r, a[r] + b[r]])) : null);

// --- the run ------------------------------------------------------------------------------------

const folder = await mkdtemp(join(tmpdir(), 'vclick-bench-edge-'));
await writeFile(join(folder, 'index.html'), '<!doctype html>\n<meta charset="utf-8">\n<title>blank</title>\n');
// Two origins serving the same page, (b)'s apart: coturn counts relay allocations per TURN username
// (user-quota), the decision's is per user and origin, and (a)'s connections, closed while
// gathering, must not count against (b)'s calls.
const sites = [];
let exitCode = 0;
try {
  sites.push(await serveStatic(folder), await serveStatic(folder));
  const [setupUrl, callUrl] = sites.map((s) => `${s.url}/`);
  let version;
  try {
    version = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim();
  } catch (e) {
    version = `unknown (${e.message.split('\n')[0]})`;
  }
  const started = Date.now();
  const loadBefore = load();
  const portsBefore = relayPortsInUse();

  process.stderr.write('starting the browsers, signing alice in…\n');
  const plain = await openContext();
  const extended = await openWithExtension('bench');
  await configure(extended);
  await signInExtension(extended, USERS.alice);
  const forget = async () => (await worker(extended)).evaluate(() => globalThis.vclickEdgeForget());
  /** [key, label, browser, the page's configuration (a new one for each page)]. */
  const variants = [
    ['plain', 'plain', plain, () => PAGE_CONFIG],
    ...(secret ? [['forced', 'plain, relay set by the page (no wrapper)', plain, relayConfig]] : []),
    ['extension', 'with extension', extended, () => PAGE_CONFIG],
  ];
  const configs = {};

  const sleep = (t) => new Promise((r) => setTimeout(r, t));
  /** A new tab on `url`; its uncaught errors go to stderr. */
  const open = async (context, url) => {
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`[page] uncaught: ${e.message}`));
    await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
    return page;
  };

  // (a) Setups back to back, one page per variant: warm-up, then four rounds taking turns.
  process.stderr.write(`(a) ${warmup} + ${runs} setups per variant\n`);
  const setupPages = {};
  const setups = {};
  for (const [key, , context, config] of variants) {
    setups[key] = [];
    setupPages[key] = await open(context, setupUrl);
    configs[key] = config();
    await setupPages[key].evaluate(SETUP_TIMES, { count: warmup, config: configs[key] });
  }
  // CPU time of each browser's processes: the plain browser's by segment (two variants share it),
  // the extension browser's over all rounds and SETTLE_MS after (its worker is still busy then).
  const SETTLE_MS = 3_000;
  const cpu = {};
  const idleStart = [browserCpu(false), browserCpu(true)];
  await sleep(SETTLE_MS);
  const idle = [cpuDelta(idleStart[0], browserCpu(false)), cpuDelta(idleStart[1], browserCpu(true))];
  const extensionStart = browserCpu(true);
  const rounds = Math.min(4, runs);
  for (let r = 0; r < rounds; r++) {
    const count = Math.floor(runs / rounds) + (r < runs % rounds ? 1 : 0);
    for (const [key, , context] of variants) {
      const before = context === plain ? browserCpu(false) : null;
      setups[key].push(...(await setupPages[key].evaluate(SETUP_TIMES, { count, config: configs[key] })));
      if (context === plain) {
        const used = cpuDelta(before, browserCpu(false));
        cpu[key] = key in cpu ? cpuSum(cpu[key], used) : used;
      }
    }
  }
  await sleep(SETTLE_MS);
  cpu.extension = cpuDelta(extensionStart, browserCpu(true));
  for (const page of Object.values(setupPages)) await page.close();
  const portsAfterSetups = relayPortsInUse();

  // The first setup of fresh page loads: plain; extension without a cached decision; extension
  // with the decision the load before left in the worker's cache. One unrecorded round first.
  process.stderr.write(`(a) the first setup of ${loads} fresh page loads per variant:`);
  const firsts = { plain: [], uncached: [], cached: [] };
  const cacheAges = [];
  const firstSetup = async (context, record) => {
    const page = await open(context, setupUrl);
    try {
      const [[t]] = await page.evaluate(SETUP_TIMES, { count: 1, config: PAGE_CONFIG });
      record?.push(t);
    } finally {
      await page.close();
    }
  };
  for (let i = 0; i <= loads; i++) {
    const recording = i > 0;
    if (recording) process.stderr.write(` ${i}`);
    await firstSetup(plain, recording ? firsts.plain : null);
    await forget();
    const asked = Date.now();
    await firstSetup(extended, recording ? firsts.uncached : null);
    if (recording) cacheAges.push(Date.now() - asked);
    await firstSetup(extended, recording ? firsts.cached : null);
  }
  process.stderr.write('\n');
  const portsAfterLoads = relayPortsInUse();
  // The server's part of the uncached path: the decision request alone, made in the worker as it
  // makes it (fetch with the signed-in user's token), as many times as there were loads.
  const decisionRequests = await (
    await worker(extended)
  ).evaluate(
    async ({ server, origin, count }) => {
      const { auth } = await chrome.storage.session.get('auth');
      const times = [];
      for (let i = 0; i < count; i++) {
        const t0 = performance.now();
        const response = await fetch(`${server}/api/edge/decision`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${auth.accessToken}` },
          body: JSON.stringify({ origin }),
          cache: 'no-store',
          credentials: 'omit',
        });
        const answer = await response.json();
        times.push(performance.now() - t0);
        if (!response.ok || answer.decision !== 'relay') {
          throw new Error(`POST /api/edge/decision: ${response.status}, decision ${answer.decision}`);
        }
      }
      return times;
    },
    { server: vclickUrl(), origin: new URL(setupUrl).origin, count: loads },
  );

  // (b) Calls, taking turns, one unrecorded first (the extension's asks for the decision), a pause
  // before each round: coturn allows 12 allocations a TURN username (user-quota), all connections
  // of a page share the username of its decision, one connection holds 4 here (2 networks, lo and
  // eth0, × UDP and TCP to the relay), and a closed one's UDP allocations stay for about a second.
  process.stderr.write(`(b) ${calls} calls per variant:`);
  const callPages = {};
  const callResults = {};
  const failures = {};
  for (const [key, , context, config] of variants) {
    callResults[key] = [];
    failures[key] = [];
    callPages[key] = await open(context, callUrl);
    configs[key] = config();
    await callPages[key].evaluate(CALL, { config: configs[key], timeoutMs });
  }
  for (let i = 0; i < calls; i++) {
    await sleep(pauseMs);
    process.stderr.write(` ${i + 1}`);
    for (const [key] of variants) {
      try {
        callResults[key].push(await callPages[key].evaluate(CALL, { config: configs[key], timeoutMs }));
      } catch (e) {
        failures[key].push(e.message.split('\n')[0]);
      }
    }
  }
  process.stderr.write('\n');
  // What the worker recorded of the extension page's connections (the popup's list).
  const recorded = await (
    await worker(extended)
  ).evaluate(async (origin) => {
    const all = await chrome.storage.session.get(null);
    return Object.entries(all)
      .filter(([key]) => key.startsWith('edge:tab:'))
      .flatMap(([, page]) => Object.values(page.connections ?? {}))
      .filter((c) => c.origin === origin)
      .map((c) => ({
        decision: c.decision,
        local: c.localCandidateType ?? null,
        remote: c.remoteCandidateType ?? null,
      }));
  }, new URL(callUrl).origin);
  for (const page of Object.values(callPages)) await page.close();
  await sleep(pauseMs);
  const portsAfterCalls = relayPortsInUse();
  const seconds = (Date.now() - started) / 1000;

  // --- report -------------------------------------------------------------------------------------
  console.log('# Secure Edge wrapper: connection setup with and without the extension\n');
  console.log(
    `Machine: ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, ` +
      `Linux ${release()}; node ${process.version}; ${version} (headless=new).`,
  );
  console.log(
    `Services: ${vclickUrl()}, Keycloak ${keycloakUrl()}, coturn 127.0.0.1:${port}. ` +
      `The blank page on ${new URL(setupUrl).origin} ((a)) and ${new URL(callUrl).origin} ((b)); ` +
      'the extension signed in as alice.',
  );
  console.log(`Load average (1/5/15 min) before: ${loadBefore}; after: ${load()}; the run took ${seconds.toFixed(0)} s.\n`);

  console.log('## (a) Connection setup in the page (ms)\n');
  console.log(
    `new RTCPeerConnection(config), createDataChannel('x'), setLocalDescription(await createOffer()); ` +
      `close() not timed. The page's config: {iceServers: [{urls: '${stun}'}]}` +
      (secret ? '; "relay set by the page": the relay URIs, a minted credential, iceTransportPolicy \'relay\'' : '') +
      '.\n',
  );
  console.log(`### ${runs} setups back to back in one page (after ${warmup} unrecorded)\n`);
  console.log(
    '| variant | setups | median | p95 | mean | min | max | median: constructor + createDataChannel | createOffer | setLocalDescription |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const step = (key, i) => setups[key].map((t) => t[i]);
  for (const [key, label] of variants) {
    const xs = step(key, 0);
    console.log(
      `| ${label} | ${xs.length} | ${ms(median(xs))} | ${ms(percentile(xs, 95))} | ${ms(mean(xs))} | ` +
        `${ms(Math.min(...xs))} | ${ms(Math.max(...xs))} | ${ms(median(step(key, 1)))} | ` +
        `${ms(median(step(key, 2)))} | ${ms(median(step(key, 3)))} |`,
    );
  }
  const difference = (label, x, y) => {
    const d = (f, i = 0) => signed(f(step(x, i)) - f(step(y, i)));
    console.log(
      `| ${label} | | **${d(median)}** | ${d((xs) => percentile(xs, 95))} | ${d(mean)} | | | ` +
        `${d(median, 1)} | ${d(median, 2)} | ${d(median, 3)} |`,
    );
  };
  difference('**difference**: with extension − plain', 'extension', 'plain');
  if (secret) difference('… the wrapper alone: with extension − relay set by the page', 'extension', 'forced');

  console.log(`\n### CPU time of the browser's processes during these setups (ms a setup)\n`);
  if (Object.values(cpu).some((c) => !c) || idle.some((c) => !c)) {
    console.log('n/a (the browser processes were not found in /proc)');
  } else {
    console.log('| variant | page renderer | extension (worker) | browser process | others (GPU, network…) | total |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const [key, label] of variants) {
      const c = Object.fromEntries(ROLES.map((r) => [r, (cpu[key][r] * 1000) / runs]));
      const total = ROLES.reduce((t, r) => t + c[r], 0);
      console.log(
        `| ${label} | ${ms(c.page)} | ${key === 'extension' ? ms(c.extension) : ''} | ${ms(c.browser)} | ` +
          `${ms(c.other)} | ${ms(total)} |`,
      );
    }
    const rate = (c) => ms((ROLES.reduce((t, r) => t + c[r], 0) * 1000) / (SETTLE_MS / 1000));
    console.log(
      `\nFrom /proc (${1000 / TICKS} ms ticks): the plain browser's during its variants' setups; the extension ` +
        `browser's from the first to ${SETTLE_MS / 1000} s after the last of its setups (its worker handles the ` +
        `connections' reports after the page is done). Idle, the plain browser used ${rate(idle[0])} and the ` +
        `extension browser ${rate(idle[1])} ms a second.`,
    );
  }

  console.log(`\n### The first setup of a fresh page load (${loads} loads each, a new tab each)\n`);
  console.log('| variant | n | median | min | max |');
  console.log('|---|---:|---:|---:|---:|');
  const loadRow = (label, xs) =>
    console.log(`| ${label} | ${xs.length} | ${ms(median(xs))} | ${ms(Math.min(...xs))} | ${ms(Math.max(...xs))} |`);
  loadRow('plain', firsts.plain);
  loadRow('with extension, decision from the server (worker cache emptied)', firsts.uncached);
  loadRow('with extension, decision from the worker cache', firsts.cached);
  loadRow('POST /api/edge/decision alone, from the worker (answer: relay)', decisionRequests);
  console.log(
    `\nThe cached load started ${ms(Math.min(...cacheAges) / 1000)}–${ms(Math.max(...cacheAges) / 1000)} s after ` +
      `the uncached one asked (the worker keeps a decision ${DECISION_CACHE_MS / 1000} s).`,
  );
  if (cacheAges.some((age) => age >= DECISION_CACHE_MS)) {
    console.log('WARNING: some "cached" loads came after the cache had expired.');
    exitCode = 1;
  }

  console.log(`\n## (b) Call setup: two connections in one page, trickle ICE (${calls} calls each, ms)\n`);
  console.log(
    'From new RTCPeerConnection (a) to both connectionState "connected" and the first data-channel message ' +
      'at b ("all"); the medians of the steps: the first candidate, both ICE connected, both connected (DTLS ' +
      `done). A ${pauseMs / 1000} s pause before each round. Pairs: the selected candidate pair of a and of b ` +
      '(local/remote type) in getStats(), as the page sees it.\n',
  );
  console.log('| variant | calls | all: median | p95 | min | max | first candidate | ICE connected | connected | selected pairs |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const [key, label] of variants) {
    const rs = callResults[key];
    const totals = rs.map((r) => r.total);
    const med = (k) => ms(median(rs.map((r) => r[k])));
    console.log(
      `| ${label} | ${rs.length} | ${ms(median(totals))} | ${ms(percentile(totals, 95))} | ` +
        `${ms(Math.min(...totals))} | ${ms(Math.max(...totals))} | ${med('candidate')} | ${med('ice')} | ` +
        `${med('connected')} | ${tally(rs.flatMap((r) => r.pairs))} |`,
    );
  }
  console.log(
    `\nThe worker's records of the extension page's connections (the popup's list; the warm-up call included): ` +
      `${recorded.length ? tally(recorded.map((c) => `decision ${c.decision}, ${c.local ?? '?'}/${c.remote ?? '?'}`)) : 'none'}.`,
  );
  console.log(
    `coturn relay ports (${RELAY_PORTS.join('–')}) in use on this machine (all users): ${portsBefore} before, ` +
      `${portsAfterSetups} after (a)'s setups, ${portsAfterLoads} after the page loads, ${portsAfterCalls} ${pauseMs / 1000} s after the calls.`,
  );

  const wrong = [];
  for (const [key, label] of variants) {
    if (failures[key].length) {
      wrong.push(`${label}: ${failures[key].length} call(s) failed: ${[...new Set(failures[key])].join('; ')}`);
    }
  }
  if (callResults.plain.some((r) => r.pairs.some((p) => p.includes('relay')))) wrong.push('a plain call went through a relay');
  for (const key of ['forced', 'extension']) {
    if (callResults[key]?.some((r) => r.pairs.some((p) => !p.startsWith('relay/relay')))) {
      wrong.push(`a call of "${key}" was not relay↔relay`);
    }
  }
  if (wrong.length) {
    console.log(`\nWARNING: ${wrong.join('; ')}.`);
    exitCode = 1;
  }
} catch (e) {
  console.error(e);
  exitCode = 2;
} finally {
  await closeAll();
  await Promise.allSettled(sites.map((s) => s.close()));
  await rm(folder, { recursive: true, force: true });
}
process.exitCode = exitCode;
