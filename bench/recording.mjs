#!/usr/bin/env node
// Regulated recording in the network lab (e2e/lib/netns.js), what it costs and how far it goes on
// this machine, in one run. The lab as e2e/specs/recording.spec.js builds it: Janus in the border
// namespace (the media server the Vclick server drives, VCLICK_MEDIA_LAB_PORT), alice's Chromium
// with the built extension in the enterprise namespace `ent` (signed in; the lab's firewall lets
// only the border relay out), a plain Chromium in `ext` (the far end, "the internet"), a second
// plain Chromium in `ent` for the direct calls, and the third-party site (e2e/lib/webrtc-site.js:
// its own signaling, trickle ICE, fake camera and microphone) twice, on two origins: the Secure
// Edge policy gets ONE rule, `record` for the second origin and the role `regulated` (alice); the
// first origin keeps the default decision, relay (the shipped default). Prints:
//
//   (1) call setup, the variants taking turns, --calls each (after --warmup unrecorded rounds):
//       direct   = the plain browser in ent calls the far end, the lab's firewall OFF (host↔host,
//                  routed through the border namespace);
//       relay    = alice with the extension, decision relay, firewall on (relay-only through the
//                  border relay);
//       recorded = alice with the extension, decision record, firewall on (alice ↔ relay ↔ Janus ↔
//                  far end; Janus records).
//       Setup time: from the caller's createOffer call to both pages' connectionState 'connected',
//       from the site's window.site.timing (performance.timeOrigin + performance.now() in each page:
//       one clock, the same machine); median, p95, min, max, and the medians of the caller's steps
//       (createOffer, setLocalDescription + send, the far end's answer back, setRemoteDescription,
//       then to both connected). For `recorded` the wrapper's server round trips are in createOffer
//       (open the recorded call, alice's real offer gathered, POST it: the server asks Janus) and
//       in setRemoteDescription (POST the far end's answer: the server hands it to Janus): the media
//       server's part. The selected candidate pairs (getStats) show the path each call took.
//   (2) Janus CPU (utime + stime of its process, /proc/<pid>/stat) over --cpu-window seconds idle,
//       then over the same window with one recorded call; the media's bitrate at both pages.
//   (4) that call is hung up after a known time; its recording (GET /api/recordings/{id}/media?
//       download=1 as erin, the recording reviewer) is counted with ffprobe -count_frames (each
//       party's video track) against the frames each sender sent (outbound-rtp framesSent).
//   (3) concurrent recorded calls, one more at a time (1, 2, … --ramp-max), each one alice page and
//       one far-end page in the same two browsers: over --ramp-window seconds per step, video frames
//       sent (outbound-rtp framesSent at each sender) against frames decoded (inbound-rtp
//       framesDecoded at the other side), both directions; Janus's CPU, each browser's CPU, the
//       machine's. Stops after the step whose frames decoded fall under --threshold % of those sent.
//
// Needs root (network namespaces), the services of the end-to-end tests already up with the lab's
// Janus as the media server (as `./vclick test` step 5 starts them: VCLICK_MEDIA_JANUS_URL =
// http://127.0.0.1:$VCLICK_MEDIA_LAB_PORT/janus), their environment (VCLICK_URL, KEYCLOAK_URL,
// TURN_PORT, VCLICK_TURN_SECRET, VCLICK_JANUS_API_SECRET, VCLICK_MEDIA_JANUS_RECORDINGS_DIR), the
// built extension (node extension/build.mjs) and ffprobe. The server must let one user hold
// --ramp-max recorded calls at once: vclick.recording.max-calls-per-user is 4 by default, so start
// Payara with VCLICK_RECORDING_MAX_CALLS_PER_USER=6 for the default ramp. Sets the Secure Edge
// policy (as frank) and puts the shipped one back at the end; the recordings it makes stay (about
// 2 × --calls + 2 + the ramp's). About 6 minutes with the defaults.
//
//   VCLICK_RECORDING_MAX_CALLS_PER_USER=6 …start the services…
//   node bench/recording.mjs [--calls 20] [--cpu-window 20] [--ramp-max 6] [--ramp-window 10]

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CHROMIUM, firstPage, logPageErrors } from '../e2e/lib/browser.js';
import { restoreShippedPolicy, rule, setPolicy } from '../e2e/lib/edge-policy.js';
import { USERS, keycloakUrl, requireEnv, turnPort, vclickUrl } from '../e2e/lib/env.js';
import { EXTENSION_DIR, configure, signInExtension, worker } from '../e2e/lib/extension.js';
import { login } from '../e2e/lib/keycloak.js';
import { JANUS_LAB, createEnterpriseLab } from '../e2e/lib/netns.js';
import { callState, callStats, hangUp, newRoom, openCall, startWebrtcSite, waitForCall, waitForStats } from '../e2e/lib/webrtc-site.js';
import { load, max, median, min, percentile, sorted, tally, TICKS } from './figures.mjs';

const { values: options } = parseArgs({
  options: {
    calls: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '1' },
    pause: { type: 'string', default: '1' },
    'cpu-window': { type: 'string', default: '20' },
    'ramp-max': { type: 'string', default: '6' },
    'ramp-window': { type: 'string', default: '10' },
    'ramp-settle': { type: 'string', default: '3' },
    threshold: { type: 'string', default: '95' },
    timeout: { type: 'string', default: '30' },
    help: { type: 'boolean', default: false },
  },
});
if (options.help) {
  console.log(`node bench/recording.mjs [--calls N (20)] [--warmup N (1)] [--pause SECONDS between calls (1)]
                          [--cpu-window SECONDS (20)] [--ramp-max N (6)] [--ramp-window SECONDS (10)]
                          [--ramp-settle SECONDS (3)] [--threshold PERCENT (95)] [--timeout SECONDS a call (30)]
Root; the end-to-end services up with the lab's Janus as media server and their environment (VCLICK_URL,
KEYCLOAK_URL, TURN_PORT, VCLICK_TURN_SECRET, VCLICK_JANUS_API_SECRET, VCLICK_MEDIA_JANUS_RECORDINGS_DIR);
extension/dist; ffprobe. See the header of bench/recording.mjs.`);
  process.exit(0);
}
const int = (name, min) => {
  const n = Number(options[name]);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be an integer ≥ ${min}`);
    process.exit(2);
  }
  return n;
};
const calls = int('calls', 1);
const warmupRounds = int('warmup', 0);
const pauseMs = Number(options.pause) * 1000;
const cpuWindowMs = int('cpu-window', 1) * 1000;
const rampMax = int('ramp-max', 1);
const rampWindowMs = int('ramp-window', 1) * 1000;
const rampSettleMs = Number(options['ramp-settle']) * 1000;
const threshold = Number(options.threshold);
const timeoutMs = int('timeout', 1) * 1000;
if (!(pauseMs >= 0) || !(rampSettleMs >= 0) || !(threshold > 0 && threshold <= 100)) {
  console.error('--pause and --ramp-settle must be ≥ 0, --threshold in (0, 100]');
  process.exit(2);
}
let stunPort;
let recordingsDir;
try {
  vclickUrl();
  keycloakUrl();
  stunPort = turnPort();
  requireEnv('VCLICK_TURN_SECRET');
  recordingsDir = requireEnv('VCLICK_MEDIA_JANUS_RECORDINGS_DIR');
  if (!process.env.VCLICK_JANUS_API_SECRET && !process.env.VCLICK_MEDIA_JANUS_API_SECRET) requireEnv('VCLICK_JANUS_API_SECRET');
} catch (e) {
  console.error(e.message.replace(/: run the specs.*$/, ': export it (see the header of bench/recording.mjs)'));
  process.exit(2);
}
if (process.getuid?.() !== 0) {
  console.error('the lab needs root (network namespaces, nftables)');
  process.exit(2);
}
if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
  console.error(`no built extension in ${EXTENSION_DIR}: run node extension/build.mjs first`);
  process.exit(2);
}
try {
  execFileSync('ffprobe', ['-version'], { stdio: 'ignore' });
} catch {
  console.error('ffprobe not found (apt-get install ffmpeg)');
  process.exit(2);
}

const { alice, erin } = USERS;
const sleep = (t) => new Promise((r) => setTimeout(r, t));
const portOf = (url) => Number(new URL(url).port);
const IP = existsSync('/usr/sbin/ip') ? '/usr/sbin/ip' : 'ip';
const [JANUS_RTP_MIN, JANUS_RTP_MAX] = JANUS_LAB.rtpPortRange.split('-').map(Number);

// --- figures ------------------------------------------------------------------------------------

const ms = (x) => (Number.isFinite(x) ? x.toFixed(Math.abs(x) < 10 ? 1 : 0) : 'n/a');
const pct = (x) => (Number.isFinite(x) ? `${x.toFixed(1)} %` : 'n/a');
const fixed = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

// --- CPU from /proc -----------------------------------------------------------------------------

/**
 * Every process: pid, ppid, CPU seconds so far (utime + stime), the same of its dead children it
 * waited for (cutime + cstime: a closed page's renderer, reaped by Chromium's zygote), command line.
 */
function processes() {
  const all = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      all.push({
        pid: Number(entry),
        ppid: Number(fields[1]),
        cpu: (Number(fields[11]) + Number(fields[12])) / TICKS,
        reaped: (Number(fields[13]) + Number(fields[14])) / TICKS,
        cmd: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' '),
      });
    } catch {
      // gone meanwhile
    }
  }
  return all;
}

/**
 * CPU seconds of `root` and all its descendants in the snapshot `all`, the dead ones included (each
 * is counted once: in the cutime/cstime of the process of the tree that reaped it).
 */
function treeCpu(all, root) {
  const children = new Map();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  let total = 0;
  const walk = (p) => {
    total += p.cpu + p.reaped;
    for (const c of children.get(p.pid) ?? []) walk(c);
  };
  const r = all.find((p) => p.pid === root);
  if (r) walk(r);
  return total;
}

/** Busy and total jiffies of the whole machine (/proc/stat), in CPU seconds. */
function machineCpu() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const n = fields.map(Number);
  const idle = n[3] + (n[4] || 0);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / TICKS, total: total / TICKS };
}

/** The Chromiums this process started: root pid → label (by namespace and --load-extension). */
function browserRoots(nsNames) {
  const roots = new Map();
  for (const p of processes()) {
    if (p.ppid !== process.pid || !/--user-data-dir=/.test(p.cmd) || /--type=/.test(p.cmd)) continue;
    let ns = '';
    try {
      ns = execFileSync(IP, ['netns', 'identify', String(p.pid)], { encoding: 'utf8' }).trim();
    } catch {
      // not in a named namespace
    }
    const where = Object.entries(nsNames).find(([, name]) => name === ns)?.[0] ?? 'root';
    roots.set(p.pid, /--load-extension=/.test(p.cmd) ? `alice's browser (${where}, extension)` : `plain browser (${where})`);
  }
  return roots;
}

/** A CPU snapshot: machine, Janus, each browser (label → CPU seconds), at a time. */
function cpuSnapshot(janusPid, roots) {
  const all = processes();
  const browsers = {};
  for (const [pid, label] of roots) browsers[label] = treeCpu(all, pid);
  return {
    at: performance.now(),
    machine: machineCpu(),
    janus: all.find((p) => p.pid === janusPid)?.cpu ?? NaN,
    browsers,
  };
}

/** % of one core used between two snapshots: { machine, janus, browsers: {label: %} }. */
function cpuUse(a, b) {
  const seconds = (b.at - a.at) / 1000;
  const share = (x) => (100 * x) / seconds;
  return {
    seconds,
    machine: share(b.machine.busy - a.machine.busy),
    janus: share(b.janus - a.janus),
    browsers: Object.fromEntries(Object.keys(b.browsers).map((k) => [k, share(b.browsers[k] - (a.browsers[k] ?? NaN))])),
  };
}

// --- stats of a call page -----------------------------------------------------------------------

/** The video and transport figures of a page's connection (window.site.rawStats()). */
async function mediaStats(page) {
  const reports = await page.evaluate(() => window.site.rawStats());
  const out = {
    sent: 0,
    encoded: 0,
    decoded: 0,
    received: 0,
    dropped: 0,
    bytesSent: 0,
    bytesReceived: 0,
    width: null,
    height: null,
    limitation: null,
    fps: null,
    at: null,
  };
  for (const r of reports) {
    if (r.type === 'outbound-rtp' && r.kind === 'video') {
      out.sent += r.framesSent ?? 0;
      out.encoded += r.framesEncoded ?? 0;
      out.width = r.frameWidth ?? out.width;
      out.height = r.frameHeight ?? out.height;
      out.limitation = r.qualityLimitationReason ?? out.limitation;
      out.fps = r.framesPerSecond ?? out.fps;
      out.at = r.timestamp;
    } else if (r.type === 'inbound-rtp' && r.kind === 'video') {
      out.decoded += r.framesDecoded ?? 0;
      out.received += r.framesReceived ?? 0;
      out.dropped += r.framesDropped ?? 0;
    } else if (r.type === 'transport') {
      out.bytesSent += r.bytesSent ?? 0;
      out.bytesReceived += r.bytesReceived ?? 0;
    }
  }
  return out;
}

/** Mbit/s of a byte count over ms. */
const mbps = (bytes, windowMs) => (bytes * 8) / 1000 / windowMs;

// --- the run ------------------------------------------------------------------------------------

const scratch = await mkdtemp(join(tmpdir(), 'vclick-bench-recording-'));
const sites = [];
const pages = new Set();
let lab;
let policySet = false;
let cleaning;
let exitCode = 0;

/** Hangs up and closes every page, closes the lab (browsers, Janus, namespaces) and the sites, puts the policy back. */
const cleanUp = () =>
  (cleaning ??= (async () => {
    await Promise.allSettled([...pages].map((p) => hangUp(p)));
    await sleep(500); // the wrapper's hang-up of a recorded call reaches the server
    await Promise.allSettled([...pages].map((p) => p.close()));
    pages.clear();
    await lab?.close().catch((e) => console.error(`closing the lab: ${e.message}`));
    await Promise.allSettled(sites.map((s) => s.close()));
    if (policySet) await restoreShippedPolicy().catch((e) => console.error(`the shipped policy could not be put back: ${e.message}`));
    await rm(scratch, { recursive: true, force: true });
  })());
// `on`, not `once`: lib/netns.js's own handler (the lab, synchronously) re-raises the signal when no
// other listener is left, which would end the process before the policy is put back.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`\n${signal}: cleaning up…`);
    setTimeout(() => process.exit(130), 20_000).unref();
    cleanUp().finally(() => process.exit(130));
  });
}

// erin's API access (one login, renewed before the token's 300 s are up).
let erinToken;
let erinAt = 0;
async function asErin(path) {
  if (!erinToken || Date.now() - erinAt > 240_000) {
    erinToken = await login(erin.username, erin.password);
    erinAt = Date.now();
  }
  return fetch(`${vclickUrl()}/api/${path}`, { headers: { authorization: `Bearer ${erinToken}` } });
}
/** The recordings of `origin` (newest first, as the API lists them). */
async function recordingsOf(origin) {
  const response = await asErin(`recordings?origin=${encodeURIComponent(origin)}&limit=100`);
  if (response.status !== 200) throw new Error(`GET /api/recordings: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}
const known = new Set(); // recording ids seen
/** Waits until `count` recordings of `origin` not seen before exist; returns them (and marks them seen). */
async function newRecordings(origin, count, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const fresh = (await recordingsOf(origin)).filter((r) => !known.has(r.recordingId));
    if (fresh.length >= count || Date.now() > deadline) {
      for (const r of fresh) known.add(r.recordingId);
      if (fresh.length < count) throw new Error(`${fresh.length} of ${count} new recordings of ${origin} after ${timeout / 1000} s`);
      return fresh;
    }
    await sleep(250);
  }
}

const newPage = async (context, label) => {
  const page = await context.newPage();
  logPageErrors(page, label);
  pages.add(page);
  return page;
};
const closePages = async (...list) => {
  for (const p of list) {
    pages.delete(p);
    await p.close().catch(() => {});
  }
};

/** A selected candidate pair as "local/remote type → who the remote is" (Janus, the border relay, an address). */
const pairLabel = (pair) => {
  if (!pair) return 'none';
  const { address, port } = pair.remote ?? {};
  let remote = address || '(address not shown)';
  if (address === JANUS_LAB.address && port >= JANUS_RTP_MIN && port <= JANUS_RTP_MAX) remote = `Janus (${address})`;
  else if (address === lab?.relay.outside && port >= 49152 && port <= 49251) remote = `border relay (${address})`;
  return `${pair.local?.candidateType}/${pair.remote?.candidateType} → ${remote}`;
};

try {
  let chromiumVersion;
  try {
    chromiumVersion = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim();
  } catch (e) {
    chromiumVersion = `unknown (${e.message.split('\n')[0]})`;
  }
  const started = Date.now();
  const loadBefore = load();

  process.stderr.write('the lab, Janus, three browsers, alice signing in…\n');
  const relaySite = await startWebrtcSite();
  sites.push(relaySite);
  const recordSite = await startWebrtcSite();
  sites.push(recordSite);
  lab = await createEnterpriseLab({
    forwardPorts: [portOf(vclickUrl()), portOf(keycloakUrl()), portOf(relaySite.origin), portOf(recordSite.origin)],
    janus: { recordings: recordingsDir },
  });
  const janusPid = lab.janus.pid;
  if (!janusPid) throw new Error("the lab's Janus process was not found");
  const aliceBrowser = await lab.openBrowser('ent', { extension: EXTENSION_DIR });
  logPageErrors(await firstPage(aliceBrowser), 'alice');
  await worker(aliceBrowser);
  await configure(aliceBrowser);
  await signInExtension(aliceBrowser, alice);
  let directBrowser = await lab.openBrowser('ent');
  const farBrowser = await lab.openBrowser('ext');
  const roots = browserRoots({ ent: lab.ent.name, border: lab.border.name, ext: lab.ext.name });
  await setPolicy({ rules: [rule('bench-recording', [recordSite.origin], 'record', {}, { roles: ['regulated'] })] });
  policySet = true;
  for (const r of await recordingsOf(recordSite.origin)) known.add(r.recordingId);

  /**
   * One call on `site`: the far end (callee) opens first, then the caller in `context`; resolves once
   * both are connected with both pages and their window.site (timing, selected pairs).
   */
  const connect = async (context, site, label) => {
    const room = newRoom('bench');
    const opened = [];
    try {
      const callee = await newPage(farBrowser, `${label} far end`);
      opened.push(callee);
      await openCall(callee, site, { room, role: 'callee', stun: stunPort });
      const caller = await newPage(context, `${label} caller`);
      opened.push(caller);
      const openedAt = Date.now();
      await openCall(caller, site, { room, role: 'caller', stun: stunPort });
      await Promise.all([
        waitForCall(caller, (s) => s.state === 'connected', `${label}: caller connected`, { timeout: timeoutMs }),
        waitForCall(callee, (s) => s.state === 'connected', `${label}: far end connected`, { timeout: timeoutMs }),
      ]);
      const [a, b] = await Promise.all([callState(caller), callState(callee)]);
      return { caller, callee, opened: openedAt, a, b };
    } catch (e) {
      for (const p of opened) await hangUp(p);
      await sleep(500); // a recorded call's hang-up reaches the server before the page goes
      await closePages(...opened);
      throw e;
    }
  };

  // (1) Call setup, the variants taking turns.
  const variants = [
    { key: 'direct', label: 'direct (no extension, firewall off)', context: () => directBrowser, site: relaySite, firewall: false },
    { key: 'relay', label: 'relay (extension, decision relay)', context: () => aliceBrowser, site: relaySite, firewall: true },
    {
      key: 'recorded',
      label: 'recorded (extension, decision record: Janus)',
      context: () => aliceBrowser,
      site: recordSite,
      firewall: true,
    },
  ];
  const results = Object.fromEntries(variants.map((v) => [v.key, []]));
  const failures = Object.fromEntries(variants.map((v) => [v.key, []]));
  process.stderr.write(`(1) ${warmupRounds} + ${calls} calls per variant:`);
  for (let round = -warmupRounds; round < calls; round++) {
    process.stderr.write(round < 0 ? ' w' : ` ${round + 1}`);
    for (const v of variants) {
      if (lab.firewall !== v.firewall) await lab.setFirewall(v.firewall);
      await sleep(pauseMs);
      let call;
      try {
        call = await connect(v.context(), v.site, v.key);
        const pairs = await Promise.all(
          [call.caller, call.callee].map((p) =>
            waitForStats(p, (s) => s.pair?.state === 'succeeded', `${v.key}: selected pair`, { timeout: 10_000 }),
          ),
        );
        const { a, b } = call;
        const bothConnected = Math.max(a.timing.connected, b.timing.connected);
        if (round >= 0) {
          results[v.key].push({
            total: bothConnected - a.timing.offerStart,
            fromPage: bothConnected - call.opened,
            callerConnected: a.timing.connected - a.timing.offerStart,
            createOffer: a.timing.offerCreated - a.timing.offerStart,
            sendOffer: a.timing.offerSent - a.timing.offerCreated,
            farEnd: a.timing.answerReceived - a.timing.offerSent,
            farAnswer: b.timing.answerSent - b.timing.offerReceived,
            setRemote: a.timing.answerSet - a.timing.answerReceived,
            toConnected: bothConnected - a.timing.answerSet,
            callerPair: pairs[0].pair,
            calleePair: pairs[1].pair,
          });
        }
      } catch (e) {
        if (round >= 0) failures[v.key].push(e.message.split('\n')[0]);
        else console.error(`\nwarm-up ${v.key}: ${e.message.split('\n')[0]}`);
      } finally {
        if (call) {
          await hangUp(call.caller);
          if (v.key === 'recorded') {
            // The hang-up reaches the server (the wrapper's request) and the recording is made
            // before the next call: no live recorded call or conversion carries over.
            await newRecordings(recordSite.origin, 1).catch((e) => failures.recorded.push(e.message));
          }
          await closePages(call.caller, call.callee);
        }
      }
    }
  }
  process.stderr.write('\n');
  if (!lab.firewall) await lab.setFirewall(true);
  await directBrowser.close();
  directBrowser = null;
  for (const [pid, label] of roots) if (label.startsWith('plain browser (ent')) roots.delete(pid);

  // (2) Janus CPU idle, then with one recorded call; (4) that call's recording.
  process.stderr.write(`(2) Janus idle ${cpuWindowMs / 1000} s, then one recorded call for ${cpuWindowMs / 1000} s…\n`);
  await sleep(3000);
  const idleStart = cpuSnapshot(janusPid, roots);
  await sleep(cpuWindowMs);
  const idle = cpuUse(idleStart, cpuSnapshot(janusPid, roots));
  const one = await connect(aliceBrowser, recordSite, 'cpu');
  const oneConnected = Math.max(one.a.timing.connected, one.b.timing.connected);
  for (const [who, page] of [
    ['alice', one.caller],
    ['far end', one.callee],
  ]) {
    await waitForStats(page, (s) => s.framesDecoded > 30, `${who} decodes video`, { timeout: timeoutMs });
  }
  await sleep(2000);
  const [oneStatsBefore, oneCpuBefore] = [
    await Promise.all([mediaStats(one.caller), mediaStats(one.callee)]),
    cpuSnapshot(janusPid, roots),
  ];
  await sleep(cpuWindowMs);
  const oneCpu = cpuUse(oneCpuBefore, cpuSnapshot(janusPid, roots));
  const oneStatsAfter = await Promise.all([mediaStats(one.caller), mediaStats(one.callee)]);
  const oneWindowMs = oneCpu.seconds * 1000;
  const hungUpAt = performance.timeOrigin + performance.now();
  await hangUp(one.caller);
  const oneSeconds = (hungUpAt - oneConnected) / 1000;
  await waitForCall(one.callee, (s) => s.state === 'closed', 'the far end sees the hang-up', { timeout: timeoutMs });
  const [recording] = await newRecordings(recordSite.origin, 1, 60_000);
  await closePages(one.caller, one.callee);
  const download = await asErin(`recordings/${recording.recordingId}/media?download=1`);
  if (download.status !== 200) throw new Error(`GET /api/recordings/${recording.recordingId}/media?download=1: HTTP ${download.status}`);
  const file = join(scratch, `${recording.recordingId}.mkv`);
  await writeFile(file, Buffer.from(await download.arrayBuffer()));
  const probe = JSON.parse(
    execFileSync(
      'ffprobe',
      [
        '-v',
        'error',
        '-count_frames',
        '-count_packets',
        '-show_entries',
        'stream=index,codec_type,codec_name,width,height,nb_read_frames,nb_read_packets:stream_tags=title:format=duration,size',
        '-of',
        'json',
        file,
      ],
      { encoding: 'utf8' },
    ),
  );
  const videoTracks = probe.streams.filter((s) => s.codec_type === 'video');

  // (3) Concurrent recorded calls, one more at a time.
  process.stderr.write(`(3) concurrent recorded calls, up to ${rampMax}:`);
  const live = [];
  const ramp = [];
  let rampEnd = `${rampMax} calls reached (--ramp-max)`;
  for (let k = 1; k <= rampMax; k++) {
    process.stderr.write(` ${k}`);
    try {
      const call = await connect(aliceBrowser, recordSite, `ramp ${k}`);
      live.push(call);
      for (const [who, page] of [
        ['alice', call.caller],
        ['far end', call.callee],
      ]) {
        await waitForStats(page, (s) => s.framesDecoded > 30, `call ${k}: ${who} decodes video`, { timeout: timeoutMs });
      }
    } catch (e) {
      rampEnd = `call ${k} could not be set up: ${e.message.split('\n')[0]}`;
      break;
    }
    await sleep(rampSettleMs);
    const snap = () => Promise.all(live.map((c) => Promise.all([mediaStats(c.caller), mediaStats(c.callee)])));
    const before = await snap();
    const cpuBefore = cpuSnapshot(janusPid, roots);
    await sleep(rampWindowMs);
    const cpu = cpuUse(cpuBefore, cpuSnapshot(janusPid, roots));
    const after = await snap();
    const sum = (f) => live.reduce((t, _, i) => t + f(before[i], after[i]), 0);
    const aliceSent = sum((b, a) => a[0].sent - b[0].sent);
    const farDecoded = sum((b, a) => a[1].decoded - b[1].decoded);
    const farSent = sum((b, a) => a[1].sent - b[1].sent);
    const aliceDecoded = sum((b, a) => a[0].decoded - b[0].decoded);
    const seconds = cpu.seconds;
    ramp.push({
      calls: k,
      seconds,
      aliceSent,
      farDecoded,
      farSent,
      aliceDecoded,
      toFar: (100 * farDecoded) / aliceSent,
      toAlice: (100 * aliceDecoded) / farSent,
      sentFps: (aliceSent + farSent) / (2 * k) / seconds,
      bitrate: mbps(
        sum((b, a) => a[0].bytesSent - b[0].bytesSent + (a[1].bytesSent - b[1].bytesSent)),
        seconds * 1000,
      ),
      sizes: tally(after.flatMap(([x, y]) => [`${x.width}×${x.height}`, `${y.width}×${y.height}`])),
      limitations: tally(after.flatMap(([x, y]) => [x.limitation, y.limitation])),
      cpu,
    });
    const last = ramp.at(-1);
    if (!(last.toFar >= threshold && last.toAlice >= threshold)) {
      rampEnd = `frames decoded fell under ${threshold} % of frames sent at ${k} calls`;
      break;
    }
  }
  process.stderr.write('\n');
  for (const c of live) await hangUp(c.caller);
  let rampRecordings = 'n/a';
  try {
    rampRecordings = (await newRecordings(recordSite.origin, live.length, 90_000)).length;
  } catch (e) {
    rampRecordings = e.message;
  }
  await closePages(...live.flatMap((c) => [c.caller, c.callee]));
  const seconds = (Date.now() - started) / 1000;

  // --- report -------------------------------------------------------------------------------------
  console.log('# Regulated recording: call setup, media server CPU, concurrent recorded calls\n');
  console.log(
    `Machine: ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, ` +
      `Linux ${release()}; node ${process.version}; ${chromiumVersion} (headless=new, fake camera and microphone); ` +
      `Janus ${lab.janus.serverInfo?.version_string ?? '?'} (the lab's, in the border namespace, debug_level ${process.env.VCLICK_JANUS_DEBUG_LEVEL || 4}).`,
  );
  console.log(
    `Services: ${vclickUrl()}, Keycloak ${keycloakUrl()}; the site on ${relaySite.origin} (decision relay, the shipped ` +
      `default) and ${recordSite.origin} (rule: record, role regulated); alice signed in to the extension.`,
  );
  console.log(`Load average (1/5/15 min) before: ${loadBefore}; after: ${load()}; the run took ${seconds.toFixed(0)} s.\n`);

  console.log(`## (1) Call setup (${calls} calls per variant, taking turns, after ${warmupRounds} unrecorded round(s); ms)\n`);
  console.log(
    "From the caller's createOffer call to both pages' connectionState 'connected' (window.site.timing, one clock). " +
      "Steps (medians, the caller's unless said): createOffer; setLocalDescription + send; the far end's answer back " +
      "(signaling both ways and the far end's setRemoteDescription + createAnswer + setLocalDescription, of which its own " +
      'part); setRemoteDescription; then to both connected (ICE + DTLS). "from page open": from the caller\'s page.goto.\n',
  );
  console.log(
    "| variant | calls | median | p95 | min | max | from page open (median) | createOffer | set local + send | far end's answer back (its own part) | setRemoteDescription | → both connected |",
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const v of variants) {
    const rs = results[v.key];
    const col = (k) => rs.map((r) => r[k]);
    const med = (k) => ms(median(col(k)));
    console.log(
      `| ${v.label} | ${rs.length} | **${med('total')}** | ${ms(percentile(col('total'), 95))} | ${ms(min(col('total')))} | ` +
        `${ms(max(col('total')))} | ${med('fromPage')} | ${med('createOffer')} | ${med('sendOffer')} | ` +
        `${med('farEnd')} (${med('farAnswer')}) | ${med('setRemote')} | ${med('toConnected')} |`,
    );
  }
  const rec = results.recorded;
  const relay = results.relay;
  const serverPart = (rs) => rs.map((r) => r.createOffer + r.setRemote);
  console.log(
    `\nThe media server's part of a recorded call (createOffer + setRemoteDescription, where the wrapper waits for ` +
      `alice's relay candidates and the server's answers, which come from Janus): median ${ms(median(serverPart(rec)))} ms ` +
      `(p95 ${ms(percentile(serverPart(rec), 95))}), against ${ms(median(serverPart(relay)))} ms for the same two steps ` +
      `in a relayed call; the whole setup: recorded − relay = ${ms(median(rec.map((r) => r.total)) - median(relay.map((r) => r.total)))} ms ` +
      `(medians), relay − direct = ${ms(median(relay.map((r) => r.total)) - median(results.direct.map((r) => r.total)))} ms.`,
  );
  console.log('\nSelected candidate pairs (getStats, local/remote candidate type → the remote), caller | far end:\n');
  for (const v of variants) {
    console.log(`- ${v.key}: ${tally(results[v.key].map((r) => `${pairLabel(r.callerPair)} | ${pairLabel(r.calleePair)}`)) || 'none'}`);
  }

  console.log(`\n## (2) Janus CPU and bitrate with one recorded call (${cpuWindowMs / 1000} s windows)\n`);
  const [bA, bF] = oneStatsBefore;
  const [aA, aF] = oneStatsAfter;
  const aliceUp = mbps(aA.bytesSent - bA.bytesSent, oneWindowMs);
  const aliceDown = mbps(aA.bytesReceived - bA.bytesReceived, oneWindowMs);
  const farUp = mbps(aF.bytesSent - bF.bytesSent, oneWindowMs);
  const farDown = mbps(aF.bytesReceived - bF.bytesReceived, oneWindowMs);
  console.log('| window | Janus (% of one core) | machine (all CPUs, % of one core) | ' + Object.keys(idle.browsers).join(' | ') + ' |');
  console.log(
    '|---|---:|---:|' +
      Object.keys(idle.browsers)
        .map(() => '---:')
        .join('|') +
      '|',
  );
  for (const [label, use] of [
    ['idle (no call)', idle],
    ['one recorded call', oneCpu],
  ]) {
    console.log(
      `| ${label} | ${pct(use.janus)} | ${pct(use.machine)} | ${Object.keys(idle.browsers)
        .map((k) => pct(use.browsers[k]))
        .join(' | ')} |`,
    );
  }
  console.log(
    `\nJanus per recorded call: **${pct(oneCpu.janus - idle.janus)} of one core** (call − idle). Bitrate (transport bytes ` +
      `at the pages, Mbit/s): alice → Janus ${fixed(aliceUp, 2)}, Janus → alice ${fixed(aliceDown, 2)} (through the relay); ` +
      `far end → Janus ${fixed(farUp, 2)}, Janus → far end ${fixed(farDown, 2)}: Janus takes in ${fixed(aliceUp + farUp, 2)} ` +
      `and sends out ${fixed(aliceDown + farDown, 2)} Mbit/s. Video: alice sends ${aA.width}×${aA.height} at ` +
      `${fixed(((aA.sent - bA.sent) * 1000) / oneWindowMs)} frames/s (quality limitation: ${aA.limitation}), the far end ` +
      `${aF.width}×${aF.height} at ${fixed(((aF.sent - bF.sent) * 1000) / oneWindowMs)} (${aF.limitation}).`,
  );

  console.log(`\n## (4) Frames recorded / frames sent (that call: ${fixed(oneSeconds)} s from both connected to the hang-up)\n`);
  console.log(
    `Recording ${recording.recordingId}: ${fixed(Number(probe.format.duration), 2)} s, ${(Number(probe.format.size) / 2 ** 20).toFixed(2)} MiB ` +
      `(ffprobe -count_frames -count_packets, each video track). Frames sent: outbound-rtp framesSent at the sender just ` +
      `before the hang-up (from the start of its connection).\n`,
  );
  console.log('| track | codec | size | frames in the recording (decoded / packets) | frames the sender sent | recorded / sent |');
  console.log('|---|---|---|---:|---:|---:|');
  for (const t of videoTracks) {
    const title = t.tags?.title ?? t.tags?.TITLE ?? `v:${t.index}`;
    const sent = title === 'enterprise' ? aA.sent : title === 'far-end' ? aF.sent : NaN;
    const frames = Number(t.nb_read_frames);
    console.log(
      `| ${title} (${title === 'enterprise' ? 'alice' : title === 'far-end' ? 'the far end' : '?'}) | ${t.codec_name} | ${t.width}×${t.height} | ` +
        `${frames} / ${t.nb_read_packets} | ${sent} | **${pct((100 * frames) / sent)}** |`,
    );
  }
  if (videoTracks.length < 2) {
    console.log(`\nWARNING: ${videoTracks.length} video track(s) in the recording, not 2.`);
    exitCode = 1;
  }

  console.log(`\n## (3) Concurrent recorded calls (${rampWindowMs / 1000} s window a step, after ${rampSettleMs / 1000} s)\n`);
  console.log(
    'Each call: one alice page (extension, ent) and one far-end page (ext), all in the same two browsers. Frames: ' +
      'video frames sent (outbound-rtp framesSent) and decoded on the other side (inbound-rtp framesDecoded), summed ' +
      'over the calls. CPU: % of one core over the window.\n',
  );
  const labels = ramp[0] ? Object.keys(ramp[0].cpu.browsers) : [];
  console.log(
    `| calls | alice → far end: decoded / sent | far end → alice: decoded / sent | sent frames/s a sender | media sent, Mbit/s | Janus | Janus a call | ${labels.join(' | ')} | machine | sent sizes | quality limitation |`,
  );
  console.log(`|---:|---:|---:|---:|---:|---:|---:|${labels.map(() => '---:|').join('')}---:|---|---|`);
  for (const r of ramp) {
    console.log(
      `| ${r.calls} | ${r.farDecoded} / ${r.aliceSent} = **${pct(r.toFar)}** | ${r.aliceDecoded} / ${r.farSent} = **${pct(r.toAlice)}** | ` +
        `${fixed(r.sentFps)} | ${fixed(r.bitrate, 2)} | ${pct(r.cpu.janus)} | ${pct(r.cpu.janus / r.calls)} | ` +
        `${labels.map((l) => pct(r.cpu.browsers[l])).join(' | ')} | ${pct(r.cpu.machine)} | ${r.sizes} | ${r.limitations} |`,
    );
  }
  const sustained = ramp.filter((r) => r.toFar >= threshold && r.toAlice >= threshold).at(-1)?.calls ?? 0;
  console.log(
    `\nSustained with frames decoded ≥ ${threshold} % of frames sent: **${sustained} concurrent recorded call(s)**; ` +
      `the ramp ended: ${rampEnd}. Recordings of the ramp's calls: ${rampRecordings}.`,
  );

  const wrong = [];
  for (const v of variants) {
    if (failures[v.key].length) wrong.push(`${v.key}: ${failures[v.key].length} failure(s): ${[...new Set(failures[v.key])].join('; ')}`);
  }
  if (
    results.direct.some((r) =>
      [r.callerPair, r.calleePair].some((p) => !p || p.local?.candidateType === 'relay' || p.remote?.candidateType === 'relay'),
    )
  ) {
    wrong.push('a direct call went through the relay');
  }
  if (results.relay.some((r) => r.callerPair?.local?.candidateType !== 'relay'))
    wrong.push("a relay call's caller was not on a relay candidate");
  const viaJanus = (p) => p?.remote?.address === JANUS_LAB.address && p.remote.port >= JANUS_RTP_MIN && p.remote.port <= JANUS_RTP_MAX;
  if (results.recorded.some((r) => r.callerPair?.local?.candidateType !== 'relay' || !viaJanus(r.callerPair) || !viaJanus(r.calleePair))) {
    wrong.push('a recorded call did not run relay → Janus and far end → Janus');
  }
  if (wrong.length) {
    console.log(`\nWARNING: ${wrong.join('; ')}.`);
    exitCode = 1;
  }
} catch (e) {
  console.error(e);
  exitCode = 2;
} finally {
  await cleanUp();
}
process.exitCode = exitCode;
