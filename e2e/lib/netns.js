// An "enterprise network" for browsers, built from Linux network namespaces the test creates (root
// only). Three namespaces joined by veth pairs, no link to any real network:
//
//   ent  10.66.1.2 ── 10.66.1.1  border  10.66.2.1 ── 10.66.2.2  ext
//   (browser A,         (routes ent <-> ext; runs coturn:        (browser B, "the
//    the enterprise)     the enterprise's TURN relay, listening   internet")
//                        on both addresses, relaying from
//                        10.66.2.1)
//
// - ent's firewall (nftables, table inet vclick_enterprise, on by default): outgoing UDP is dropped
//   unless it goes to the relay (10.66.1.1:3478), outgoing TCP unless it goes to the relay or to
//   loopback; loopback is open. Drops are counted (dropCounters()). setFirewall(false) takes the
//   rules out (then A and B reach each other directly, host to host, routed through border).
// - The TURN URIs the Vclick server hands out (turn:127.0.0.1:$TURN_PORT, udp and tcp) reach the
//   border relay from inside ent and ext: nftables DNAT in each of them (127.0.0.1:$TURN_PORT ->
//   10.66.1.1:3478 in ent, -> 10.66.2.1:3478 in ext), with route_localnet and a masquerade for
//   sockets bound to 127.0.0.1 (Chromium binds one per network, so also to 127.0.0.1); anything
//   else from 127.0.0.0/8 is dropped on eth0 (loopback-bound sockets reach the relay, no one else).
//   The border coturn uses the test coturn's secret (VCLICK_TURN_SECRET) and realm, so credentials
//   minted by the Vclick server work on it; it relays to 10.66.2.0/24 only (production-style
//   denied-peer-ip for the private ranges, loopback denied).
// - Services on 127.0.0.1 in the root namespace (Keycloak, the app, a test site) answer on the same
//   URLs inside ent and ext: forward(ns, port) starts a TCP listener on 127.0.0.1:port in the
//   namespace (lib/ns-forward.js) that relays each connection over a unix socket to this process,
//   which connects to 127.0.0.1:port here. Plain TCP: WebSocket upgrades pass unchanged.
// - The reverse, forwardIntoNamespace(ns, port): a listener on 127.0.0.1:port of the ROOT namespace
//   (in this process; 127.0.0.1 only; a port in use fails at once) relays each connection over a
//   unix socket to the same forwarder, which connects to 127.0.0.1:port inside the namespace.
// - startJanus() (or createEnterpriseLab({ janus: true })): Janus inside border, its config written
//   by scripts/janus.sh's janus_config (as ./vclick writes it; VCLICK_STATE = a folder of the lab),
//   HTTP API on 127.0.0.1:18089 (VCLICK_MEDIA_LAB_PORT) in border and, forwarded, in the root
//   namespace, where the Vclick server drives it; ice_enforce_list = to-ext, so its only ICE
//   candidate is 10.66.2.1: ext reaches it directly, ent through the relay (which may relay to
//   10.66.2.0/24). Janus never gathers on loopback, hence a namespace (design/FINDINGS.md).
// - openBrowser(ns) starts Chromium (lib/browser.js openContext) inside a namespace: Playwright's
//   executable is a wrapper script `exec ip netns exec NS chromium "$@"` (Playwright talks to the
//   browser over pipes, which cross namespaces).
//
// Cleanup: close() closes the browsers, stops Janus, every other process in the namespaces and
// deletes them, closes the root listeners and removes the lab's folders (Janus's too, unless kept).
// Daemons in the namespaces (coturn, Janus, the forwarders) end by themselves when this process ends
// (their stdin is a pipe from it; coturn and Janus run under lib/ns-guard.js); an exit/SIGINT/SIGTERM
// handler removes what is still there; and every createEnterpriseLab() first removes the namespaces
// and temp dirs of earlier runs whose process is gone (names vclick-e2e-<pid>-<n>-<ns>). Nothing is
// created in the root namespace but the unix sockets in the lab's temp dir and the root-side
// listeners of forwardIntoNamespace, which live in this process (gone with it, however it ends).

import { execFile, execFileSync, spawn } from 'node:child_process';
import { closeSync as closeFd, existsSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CHROMIUM, openContext } from './browser.js';
import { splice } from './ns-forward.js';
import { assertNoForeignSecrets, withoutSecrets } from './secrets.js';

const here = dirname(fileURLToPath(import.meta.url));
const FORWARDER = join(here, 'ns-forward.js');
const GUARD = join(here, 'ns-guard.js');
const REPO = join(here, '..', '..');
const IP = existsSync('/usr/sbin/ip') ? '/usr/sbin/ip' : 'ip';

/** Every namespace this module creates is named NS_PREFIX + "<pid>-<n>-<ent|border|ext>". */
export const NS_PREFIX = 'vclick-e2e-';
const TMP_PREFIX = 'vclick-e2e-lab-';

/** The lab's addresses (10.66.0.0/16, only ever inside the lab's namespaces). */
export const ADDRESSES = Object.freeze({
  ent: '10.66.1.2',
  borderInside: '10.66.1.1',
  borderOutside: '10.66.2.1',
  ext: '10.66.2.2',
});
/** The border relay's port (on both of its addresses). */
export const RELAY_PORT = 3478;
const RELAY_MIN_PORT = 49152;
const RELAY_MAX_PORT = 49251;

/**
 * The lab's Janus (startJanus): its HTTP API on 127.0.0.1:<port> inside border, the same port on
 * 127.0.0.1 of the root namespace (VCLICK_MEDIA_LAB_PORT, 18089: not the test profile's Janus, 18088);
 * ICE only on border's outside interface (candidates on 10.66.2.1); RTP ports of its own, apart from
 * the relay's 49152-49251 on the same address.
 */
export const JANUS_LAB = Object.freeze({
  port: 18089,
  iface: 'to-ext',
  address: ADDRESSES.borderOutside,
  rtpPortRange: '41000-41099',
});
/** The lab Janus's port: VCLICK_MEDIA_LAB_PORT, else 18089. */
export const janusLabPort = () => Number(process.env.VCLICK_MEDIA_LAB_PORT || JANUS_LAB.port);
const JANUS_DIR_PREFIX = 'vclick-e2e-janus-';

const run = promisify(execFile);

/** Runs a command (without this process's secrets unless `env` says otherwise); the error names it and carries its stderr. */
export async function sh(cmd, args, { input, timeout = 15_000, env = withoutSecrets() } = {}) {
  const child = run(cmd, args, { timeout, maxBuffer: 16 << 20, env });
  // A command that does not read stdin may be gone before it is closed: no EPIPE from that.
  child.child.stdin.on('error', () => {});
  child.child.stdin.end(input);
  try {
    return (await child).stdout;
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')}: ${(e.stderr || e.message).trim()}`);
  }
}

const nsRun = (ns, cmd, args, opts) => sh(IP, ['netns', 'exec', ns, cmd, ...args], opts);

/** Names of the network namespaces (ip netns list). */
function listNamespaces() {
  const out = execFileSync(IP, ['netns', 'list'], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter(Boolean);
}

/** True when `pid` is a live node process (the owner of a lab). */
function ownerAlive(pid) {
  if (pid === process.pid) return true;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node');
  } catch {
    return false;
  }
}

/** Kills every process inside namespace `name` and deletes it (synchronous: usable at exit). */
function destroyNamespaceSync(name) {
  try {
    const pids = execFileSync(IP, ['netns', 'pids', name], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  } catch {
    // the namespace is already gone
  }
  try {
    execFileSync(IP, ['netns', 'del', name], { stdio: 'ignore' });
  } catch {
    // already gone
  }
}

/**
 * Removes what interrupted earlier runs left: namespaces named vclick-e2e-* whose owning process is
 * gone (their processes are killed first) and their temp dirs. Labs of live processes (another
 * spec running at the same time) are left alone. Returns the namespaces removed.
 */
export function cleanStaleLabs() {
  const removed = [];
  for (const name of listNamespaces()) {
    if (!name.startsWith(NS_PREFIX)) continue;
    const pid = Number(/^vclick-e2e-(\d+)-/.exec(name)?.[1]);
    if (pid && ownerAlive(pid)) continue;
    destroyNamespaceSync(name);
    removed.push(name);
  }
  for (const entry of readdirSync(tmpdir())) {
    const pid = Number(new RegExp(`^${TMP_PREFIX}(\\d+)-`).exec(entry)?.[1]);
    if (pid && !ownerAlive(pid)) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
  return removed;
}

// Labs open in this process, torn down synchronously if the process exits or is interrupted.
const openLabs = new Set();
let labSeq = 0;
const onExit = () => {
  for (const lab of openLabs) lab.closeSync();
};
const onSignal = (signal) => {
  onExit();
  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);
  // Others handle it (node:test does: it reports and exits)? Otherwise die of the signal as usual.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
};
function track(lab) {
  if (openLabs.size === 0) {
    process.on('exit', onExit);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  openLabs.add(lab);
}
function untrack(lab) {
  openLabs.delete(lab);
  if (openLabs.size === 0) {
    process.removeListener('exit', onExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/** The enterprise firewall's rules (chain output of table inet vclick_enterprise in ent). */
function firewallRules() {
  return [
    'oifname "lo" accept',
    `ip daddr ${ADDRESSES.borderInside} udp dport ${RELAY_PORT} accept`,
    `ip daddr ${ADDRESSES.borderInside} tcp dport ${RELAY_PORT} accept`,
    'meta l4proto udp counter name udp_dropped drop',
    'meta l4proto tcp counter name tcp_dropped drop',
  ];
}

/** nftables of a browser namespace: DNAT of the loopback TURN port to `relay`, firewall table in ent. */
function namespaceRuleset({ turnPort, relay, firewall }) {
  let text = `table inet vclick_lab_nat {
  chain output {
    type nat hook output priority -100; policy accept;
    ip daddr 127.0.0.1 udp dport ${turnPort} dnat ip to ${relay}:${RELAY_PORT}
    ip daddr 127.0.0.1 tcp dport ${turnPort} dnat ip to ${relay}:${RELAY_PORT}
  }
  chain postrouting {
    type nat hook postrouting priority 100; policy accept;
    oifname "eth0" ip saddr 127.0.0.0/8 ip daddr ${relay} masquerade
  }
  # route_localnet lets 127.0.0.1-bound sockets reach the relay; nothing else of theirs leaves.
  chain loopback_stays_local {
    type filter hook output priority -10; policy accept;
    oifname "eth0" ip saddr 127.0.0.0/8 ip daddr != ${relay} drop
  }
}
`;
  if (firewall !== undefined) {
    text += `table inet vclick_enterprise {
  counter udp_dropped {}
  counter tcp_dropped {}
  chain output {
    type filter hook output priority filter; policy accept;
${(firewall ? firewallRules() : []).map((r) => `    ${r}\n`).join('')}  }
}
`;
  }
  return text;
}

/** The border coturn's configuration: the test coturn's auth settings, production-style peers. */
function coturnConfig({ dir, secret, realm }) {
  return `# vclick e2e enterprise lab: the border relay (lib/netns.js). Holds the test TURN secret.
listening-ip=${ADDRESSES.borderInside}
listening-ip=${ADDRESSES.borderOutside}
relay-ip=${ADDRESSES.borderOutside}
listening-port=${RELAY_PORT}
min-port=${RELAY_MIN_PORT}
max-port=${RELAY_MAX_PORT}
no-tls
no-dtls
use-auth-secret
static-auth-secret=${secret}
realm=${realm}
stale-nonce=600
fingerprint
user-quota=12
total-quota=1200
no-tcp-relay
no-multicast-peers
no-cli
no-software-attribute
no-rfc5780
no-stun-backward-compatibility
# Production-style: no relaying into private ranges (loopback is denied by default) but the lab's
# outside network, where the "internet" peers live.
denied-peer-ip=10.0.0.0-10.255.255.255
denied-peer-ip=172.16.0.0-172.31.255.255
denied-peer-ip=192.168.0.0-192.168.255.255
denied-peer-ip=169.254.0.0-169.254.255.255
allowed-peer-ip=10.66.2.0-10.66.2.255
userdb=${dir}/turndb
pidfile=${dir}/turnserver.pid
log-file=${dir}/turnserver.log
simple-log
no-stdout-log
`;
}

/** The pid of the direct child of `parent` whose command name is `comm`, or undefined. */
function childPid(parent, comm) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && name === comm) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** The last lines of a file, for error messages. */
export const tail = (file, lines = 30) => {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
};

/** Stops a daemon: its stdin closes (it stops its child and exits); SIGKILL after `grace` ms. */
export const stopDaemon = (child, grace = 3000) =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), grace);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.stdin?.end();
  });

/** Polls `check` every 50 ms until it returns true; throws `what()` after `timeout`. */
export async function until(check, timeout, what) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(await what());
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Builds the lab (about a second). Needs root, ip, nft, sysctl and turnserver.
 *
 * @param {object} [options]
 * @param {number[]} [options.forwardPorts] root-namespace loopback ports to forward into ent and ext
 * @param {boolean} [options.firewall=true] start with ent's firewall on
 * @param {number} [options.turnPort] the loopback TURN port to DNAT to the relay (TURN_PORT, 13478)
 * @param {string} [options.secret] coturn's static-auth-secret (VCLICK_TURN_SECRET)
 * @param {string} [options.realm] coturn's realm (VCLICK_TURN_REALM, 'vclick')
 * @param {boolean|object} [options.janus] start Janus in border (lab.startJanus; an object: its options)
 */
export async function createEnterpriseLab({
  forwardPorts = [],
  firewall = true,
  turnPort = Number(process.env.TURN_PORT || 13478),
  secret = process.env.VCLICK_TURN_SECRET,
  realm = process.env.VCLICK_TURN_REALM || 'vclick',
  janus: janusOptions = false,
} = {}) {
  if (process.getuid?.() !== 0) throw new Error('the enterprise lab needs root (network namespaces, nftables)');
  if (!secret) throw new Error('the enterprise lab needs the TURN secret (VCLICK_TURN_SECRET)');
  if (!Number.isInteger(turnPort) || turnPort < 1 || turnPort > 65535) throw new Error(`bad TURN port ${turnPort}`);
  cleanStaleLabs();

  const id = `${process.pid}-${++labSeq}`;
  const dir = await mkdtemp(join(tmpdir(), `${TMP_PREFIX}${process.pid}-`));
  const ns = {
    ent: { key: 'ent', name: `${NS_PREFIX}${id}-ent`, address: ADDRESSES.ent },
    border: { key: 'border', name: `${NS_PREFIX}${id}-border`, inside: ADDRESSES.borderInside, outside: ADDRESSES.borderOutside },
    ext: { key: 'ext', name: `${NS_PREFIX}${id}-ext`, address: ADDRESSES.ext },
  };
  const created = [];
  const contexts = new Set();
  const daemons = new Set(); // child processes (ip netns exec ... node ...): forwarders, coturn guard
  const forwarders = new Map(); // ns key -> { child, request(port, socket) }
  const rootEnds = new Map(); // port -> { server, path, sockets }
  const reverseEnds = new Map(); // root port -> { server, path, sockets, n }: root 127.0.0.1 -> a namespace
  let janus; // the running lab Janus (startJanus), or undefined
  const janusLeftovers = new Set(); // folders of a Janus to remove at close (not kept, not yet removed)
  let firewallOn = firewall;
  let forwardSeq = 0;
  let closing;

  const nsOf = (which) => {
    const key = typeof which === 'string' ? which : which?.key;
    const n = ns[key];
    if (!n) throw new Error(`no namespace '${key}' in the lab (ent, border, ext)`);
    return n;
  };

  const closeSync = () => {
    untrack(lab);
    for (const c of daemons) c.kill('SIGKILL');
    for (const n of created) destroyNamespaceSync(n);
    for (const { server, sockets } of [...rootEnds.values(), ...reverseEnds.values()]) {
      for (const s of sockets) s.destroy();
      server.close();
    }
    for (const folder of janusLeftovers) rmSync(folder, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  };

  /** Closes a root-namespace listener and the connections it accepted. */
  const closeServer = ({ server, sockets }) =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });

  const close = () => {
    closing ??= (async () => {
      await Promise.allSettled([...contexts].map((c) => c.close()));
      // Janus first (its guard stops it), then the other daemons.
      await stopJanus().catch(() => {});
      await Promise.allSettled([...daemons].map((c) => stopDaemon(c)));
      for (const n of created.splice(0).reverse()) destroyNamespaceSync(n);
      await Promise.allSettled([...rootEnds.values(), ...reverseEnds.values()].map(closeServer));
      rootEnds.clear();
      reverseEnds.clear();
      for (const folder of janusLeftovers) await rm(folder, { recursive: true, force: true });
      janusLeftovers.clear();
      await rm(dir, { recursive: true, force: true });
      untrack(lab);
    })();
    return closing;
  };

  /** The root-namespace end of a forwarded port: a unix socket whose connections go to 127.0.0.1:port. */
  const rootEnd = async (port) => {
    if (rootEnds.has(port)) return rootEnds.get(port).path;
    const path = join(dir, `fwd-${port}.sock`);
    const sockets = new Set();
    const server = net.createServer({ allowHalfOpen: true }, (conn) => {
      const upstream = net.createConnection({ host: '127.0.0.1', port, allowHalfOpen: true });
      for (const s of [conn, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      }
      splice(conn, upstream);
    });
    rootEnds.set(port, { server, path, sockets });
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, resolve);
    });
    return path;
  };

  /** The forwarder process inside a namespace (one per namespace, started on first use). */
  const forwarder = (n) => {
    if (forwarders.has(n.key)) return forwarders.get(n.key);
    const child = spawn(IP, ['netns', 'exec', n.name, process.execPath, FORWARDER], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: withoutSecrets(),
    });
    daemons.add(child);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const pending = new Map();
    const fail = (why) => {
      for (const { reject } of pending.values()) reject(new Error(`forwarder in ${n.key}: ${why}`));
      pending.clear();
    };
    child.on('error', (e) => fail(e.message));
    child.on('exit', (code, signal) => {
      daemons.delete(child);
      forwarders.delete(n.key);
      fail(`exited (${signal ?? code}) ${stderr.trim()}`);
    });
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      let msg;
      try {
        msg = JSON.parse(line);
      } catch {
        return;
      }
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.error === undefined) p.resolve(msg);
      else p.reject(new Error(`forwarder in ${n.key}, port ${msg.port}: ${msg.error}`));
    });
    let seq = 0;
    /** Sends one request (lib/ns-forward.js protocol) and resolves to the answer. */
    const send = (request) =>
      new Promise((resolve, reject) => {
        const id = ++seq;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`forwarder in ${n.key}: no answer to ${JSON.stringify(request)} within 10 s ${stderr.trim()}`));
        }, 10_000);
        pending.set(id, {
          resolve: (msg) => (clearTimeout(timer), resolve(msg)),
          reject: (e) => (clearTimeout(timer), reject(e)),
        });
        child.stdin.write(`${JSON.stringify({ id, ...request })}\n`);
      });
    const f = {
      /** Listen on 127.0.0.1:port in the namespace, relay to `socket`. */
      request: (port, socket) => send({ port, socket }),
      /** Listen on `socket`, relay to 127.0.0.1:port in the namespace. */
      serve: (port, socket) => send({ port, socket, serve: true }),
      /** Stop serving `socket`. */
      unserve: (socket) => send({ close: socket }),
    };
    forwarders.set(n.key, f);
    return f;
  };

  /** Closes a reverse forward (root 127.0.0.1:rootPort -> a namespace). */
  const unforward = async (rootPort) => {
    const end = reverseEnds.get(rootPort);
    if (!end) return;
    reverseEnds.delete(rootPort);
    await closeServer(end);
    await forwarders
      .get(end.n.key)
      ?.unserve(end.path)
      .catch(() => {});
  };

  /** 127.0.0.1:rootPort of the root namespace -> 127.0.0.1:port inside namespace `which`. */
  const forwardIntoNamespace = async (which, port, { rootPort = port } = {}) => {
    const n = nsOf(which);
    for (const p of [port, rootPort]) if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`bad port ${p}`);
    if (reverseEnds.has(rootPort)) {
      throw new Error(`127.0.0.1:${rootPort} of the root namespace is already forwarded into ${reverseEnds.get(rootPort).n.key}`);
    }
    const path = join(dir, `rev-${n.key}-${port}-${++forwardSeq}.sock`);
    const sockets = new Set();
    const server = net.createServer({ allowHalfOpen: true }, (conn) => {
      const inner = net.createConnection({ path, allowHalfOpen: true });
      for (const s of [conn, inner]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      }
      splice(conn, inner);
    });
    const end = { server, path, sockets, n };
    // The root end first: a port in use fails before anything starts in the namespace.
    await new Promise((resolve, reject) => {
      server.once('error', (e) =>
        reject(
          new Error(
            e.code === 'EADDRINUSE'
              ? `cannot forward 127.0.0.1:${rootPort} of the root namespace into ${n.key}: the port is already in use ` +
                '(another lab with Janus, or another program)'
              : `cannot listen on 127.0.0.1:${rootPort} of the root namespace: ${e.message}`,
          ),
        ),
      );
      server.listen({ host: '127.0.0.1', port: rootPort, exclusive: true }, () => {
        server.removeAllListeners('error');
        server.on('error', () => {});
        resolve();
      });
    });
    reverseEnds.set(rootPort, end);
    try {
      await forwarder(n).serve(port, path);
    } catch (e) {
      await unforward(rootPort);
      throw e;
    }
    return { ns: n.key, port, rootPort, close: () => unforward(rootPort) };
  };

  /** Stops the lab's Janus, closes its forward, removes its folders unless kept. */
  const stopJanus = async () => {
    const j = janus;
    if (!j) return;
    janus = undefined;
    if (j.child) await stopDaemon(j.child, 5000);
    await unforward(j.port);
    for (const folder of j.removable) {
      await rm(folder, { recursive: true, force: true });
      janusLeftovers.delete(folder);
    }
  };

  /** Starts Janus inside border (see lab.startJanus). */
  const startJanus = async ({
    port = janusLabPort(),
    secret = process.env.VCLICK_JANUS_API_SECRET || process.env.VCLICK_MEDIA_JANUS_API_SECRET,
    recordings,
    keep = false,
    rtpPortRange = JANUS_LAB.rtpPortRange,
    debugLevel = Number(process.env.VCLICK_JANUS_DEBUG_LEVEL || 4),
    timeout = 10_000,
  } = {}) => {
    if (closing) throw new Error('the lab is closed');
    if (janus) throw new Error(`the lab's Janus already runs (${janus.url})`);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`bad Janus port ${port}`);
    if (!secret) throw new Error('the lab Janus needs an API secret (VCLICK_JANUS_API_SECRET)');
    const range = /^(\d+)-(\d+)$/.exec(rtpPortRange ?? '');
    if (!range || Number(range[1]) > Number(range[2]) || Number(range[2]) > 65535) throw new Error(`bad RTP port range ${rtpPortRange}`);
    if (Number(range[1]) <= RELAY_MAX_PORT && Number(range[2]) >= RELAY_MIN_PORT) {
      throw new Error(`RTP port range ${rtpPortRange} overlaps the border relay's ${RELAY_MIN_PORT}-${RELAY_MAX_PORT}`);
    }
    if (recordings !== undefined) {
      recordings = resolvePath(recordings);
      // janus.sh's protected_folders: Janus refuses to record there.
      const protectedFolder = [
        '/bin',
        '/boot',
        '/dev',
        '/etc',
        '/initrd',
        '/lib',
        '/lib32',
        '/lib64',
        '/proc',
        '/sbin',
        '/sys',
        '/usr',
        '/var',
        '/root',
      ].find((f) => recordings === f || recordings.startsWith(`${f}/`));
      if (protectedFolder) throw new Error(`recordings folder ${recordings}: Janus may not write under ${protectedFolder}`);
    }

    // The Janus "state" folder, laid out as ./vclick's: conf/janus/, logs/janus.log, data/recordings/.
    // Inside the lab's dir (gone with it, also after a crash: cleanStaleLabs), or kept apart.
    const home = keep ? await mkdtemp(join(tmpdir(), `${JANUS_DIR_PREFIX}${process.pid}-`)) : join(dir, `janus-${++forwardSeq}`);
    const confDir = join(home, 'conf', 'janus');
    const logFile = join(home, 'logs', 'janus.log');
    const j = {
      port,
      home,
      removable: keep ? [] : [home],
      info: {
        url: `http://127.0.0.1:${port}/janus`,
        port,
        address: JANUS_LAB.address,
        iface: JANUS_LAB.iface,
        rtpPortRange,
        dir: home,
        configDir: confDir,
        log: logFile,
        recordings: recordings ?? join(home, 'data', 'recordings'),
        kept: keep,
        serverInfo: undefined,
        /** The Janus process's pid (the child of its ns-guard), while it runs; else undefined. */
        get pid() {
          const guard = j.child;
          if (!guard || guard.exitCode !== null || guard.signalCode !== null) return undefined;
          return childPid(guard.pid, 'janus');
        },
      },
    };
    for (const f of j.removable) janusLeftovers.add(f);
    janus = j;
    try {
      if (recordings !== undefined && !existsSync(recordings)) {
        await mkdir(recordings, { recursive: true });
        if (!keep) {
          j.removable.push(recordings);
          janusLeftovers.add(recordings);
        }
      }
      await forwardIntoNamespace('border', port);

      // The configuration, written by scripts/janus.sh exactly as ./vclick writes it.
      const env = Object.fromEntries(
        Object.entries(withoutSecrets()).filter(([k]) => !/^(VCLICK_JANUS_|JANUS_PORT$|VCLICK_STATE$)/.test(k)),
      );
      Object.assign(env, {
        VCLICK_STATE: home,
        VCLICK_PROFILE: `netns-lab-${id}`,
        JANUS_PORT: String(port),
        VCLICK_JANUS_API_SECRET: secret,
        VCLICK_JANUS_HTTP_IP: '127.0.0.1',
        VCLICK_JANUS_ACL: '127.',
        VCLICK_JANUS_ICE_IFACE: JANUS_LAB.iface,
        // Without a default route Janus would put 127.0.0.1 in its SDP's o=/c= lines.
        VCLICK_JANUS_SDP_IP: JANUS_LAB.address,
        VCLICK_JANUS_RTP_PORT_RANGE: rtpPortRange,
        VCLICK_JANUS_SIP_IP: '127.0.0.1',
        VCLICK_JANUS_DEBUG_LEVEL: String(debugLevel),
        ...(process.env.VCLICK_JANUS_LIB_DIR ? { VCLICK_JANUS_LIB_DIR: process.env.VCLICK_JANUS_LIB_DIR } : {}),
      });
      await sh('bash', ['-c', 'set -euo pipefail; source "$0/scripts/lib.sh"; source "$0/scripts/janus.sh"; janus_config', REPO], { env });

      const fd = openSync(logFile, 'a');
      try {
        j.child = spawn(
          IP,
          ['netns', 'exec', ns.border.name, process.execPath, GUARD, 'janus', '-C', join(confDir, 'janus.jcfg'), '-F', confDir],
          {
            stdio: ['pipe', fd, fd],
            env: withoutSecrets(),
          },
        );
      } finally {
        closeFd(fd);
      }
      const child = j.child;
      daemons.add(child);
      child.on('exit', () => daemons.delete(child));
      child.on('error', () => {});

      // Ready: /janus/info answers inside border, with the VideoCall and VideoRoom plugins.
      const infoUrl = `http://127.0.0.1:${port}/janus/info`;
      await until(
        async () => {
          if (child.exitCode !== null || child.signalCode !== null) {
            throw new Error(`Janus in ${ns.border.name} exited (${child.exitCode ?? child.signalCode}):\n${tail(logFile)}`);
          }
          try {
            j.info.serverInfo = JSON.parse(await nsRun(ns.border.name, 'curl', ['-fsS', '--max-time', '1', infoUrl], { timeout: 3000 }));
            return j.info.serverInfo.janus === 'server_info';
          } catch {
            return false;
          }
        },
        timeout,
        () => `Janus in ${ns.border.name} does not answer ${infoUrl} after ${timeout / 1000} s:\n${tail(logFile)}`,
      );
      for (const plugin of ['janus.plugin.videocall', 'janus.plugin.videoroom']) {
        if (!j.info.serverInfo.plugins?.[plugin]) {
          throw new Error(`Janus in ${ns.border.name} lacks ${plugin}:\n${tail(logFile)}`);
        }
      }
      // And from the root namespace, with the API secret: a session is created and destroyed.
      const api = (path, body) =>
        fetch(`${j.info.url}${path}`, {
          method: 'POST',
          body: JSON.stringify({ ...body, transaction: 'lab-ready', apisecret: secret }),
        }).then((r) => r.json());
      const created = await api('', { janus: 'create' });
      if (created.janus !== 'success')
        throw new Error(`Janus refuses a session with the API secret: ${JSON.stringify(created.error ?? created)}`);
      await api(`/${created.data.id}`, { janus: 'destroy' });
      assertNoForeignSecrets(child.pid, `the lab's Janus in ${ns.border.name}`);
    } catch (e) {
      await stopJanus().catch(() => {});
      throw e;
    }
    return j.info;
  };

  const lab = {
    id,
    dir,
    ...ns,
    relay: {
      inside: ADDRESSES.borderInside,
      outside: ADDRESSES.borderOutside,
      port: RELAY_PORT,
      /** What ent and ext browsers use (DNATed to the relay): the test profile's TURN URIs. */
      uris: [`turn:127.0.0.1:${turnPort}?transport=udp`, `turn:127.0.0.1:${turnPort}?transport=tcp`],
      log: join(dir, 'turnserver.log'),
    },

    /** Runs `cmd args` inside namespace `which`; resolves to its stdout. */
    exec: (which, cmd, args = [], opts) => nsRun(nsOf(which).name, cmd, args, opts),

    /** Makes 127.0.0.1:port of the root namespace answer on 127.0.0.1:port inside `which`. */
    async forward(which, port) {
      const n = nsOf(which);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`bad port ${port}`);
      const path = await rootEnd(port);
      await forwarder(n).request(port, path);
    },

    /**
     * Makes 127.0.0.1:port inside namespace `which` answer on 127.0.0.1:rootPort (default: the same
     * port) of the root namespace, the reverse of forward(). The root end binds 127.0.0.1 only and
     * fails at once when the port is in use. Resolves to { ns, port, rootPort, close() }; close()
     * (or lab.close()) frees the root port.
     */
    forwardIntoNamespace,

    /**
     * Starts Janus (VideoCall plugin...) inside border, configured by scripts/janus.sh's janus_config
     * as ./vclick does, and makes its HTTP API answer on http://127.0.0.1:<port>/janus of the root
     * namespace (forwardIntoNamespace). ICE only on border's outside interface (to-ext): its only
     * candidate is 10.66.2.1, which ext reaches directly and ent through the relay. No STUN/TURN for
     * Janus, no admin API. Resolves once /janus/info answers inside border and a session with the
     * secret works from the root namespace, to { url, port, address, iface, rtpPortRange, dir,
     * configDir, log, recordings, kept, serverInfo, pid } (pid: the Janus process, e.g. for its CPU
     * time in /proc; a getter, undefined once it stopped).
     *
     * @param {object} [options]
     * @param {number} [options.port] HTTP port, in border and in the root namespace (VCLICK_MEDIA_LAB_PORT, 18089)
     * @param {string} [options.secret] api_secret (VCLICK_JANUS_API_SECRET, else VCLICK_MEDIA_JANUS_API_SECRET)
     * @param {string} [options.recordings] a folder Janus records into (created if missing); default
     *   <dir>/data/recordings. The filesystem is shared: the root namespace reads it.
     * @param {boolean} [options.keep=false] keep the folder (config, log, recordings) after stop/close
     *   (in $TMPDIR/vclick-e2e-janus-<pid>-*; it holds the API secret, mode 700)
     * @param {string} [options.rtpPortRange='41000-41099'] media ports (not the relay's 49152-49251)
     * @param {number} [options.debugLevel] Janus debug_level (VCLICK_JANUS_DEBUG_LEVEL, 4)
     * @param {number} [options.timeout=10000] ms to wait for it
     */
    startJanus,

    /** Stops the lab's Janus and frees its root port (close() does it too). */
    stopJanus,

    /** What startJanus resolved to while Janus runs, else undefined. */
    get janus() {
      return janus?.info;
    },

    /**
     * A Chromium (lib/browser.js openContext: same flags, `extension`, `args`, `contextOptions`)
     * running inside namespace `which`. Closed by close() at the latest.
     */
    async openBrowser(which, options = {}) {
      const n = nsOf(which);
      const wrapper = join(dir, `chromium-${n.key}.sh`);
      if (!existsSync(wrapper)) {
        await writeFile(wrapper, `#!/bin/sh\nexec ${IP} netns exec '${n.name}' '${CHROMIUM}' "$@"\n`);
        await chmod(wrapper, 0o755);
      }
      // A browser in the lab has a network of its own: no loopback candidates (as in real life;
      // they would also take the masqueraded 127.0.0.1 path to the relay, see above).
      const context = await openContext({ loopbackCandidates: false, ...options, executablePath: wrapper });
      contexts.add(context);
      context.once('close', () => contexts.delete(context));
      return context;
    },

    /** Turns ent's firewall on or off (the drop counters keep counting across). */
    async setFirewall(on) {
      const rules = on ? firewallRules() : [];
      await nsRun(ns.ent.name, 'nft', ['-f', '-'], {
        input: `flush chain inet vclick_enterprise output\n${rules.map((r) => `add rule inet vclick_enterprise output ${r}\n`).join('')}`,
      });
      firewallOn = on;
    },
    get firewall() {
      return firewallOn;
    },

    /** Packets ent's firewall dropped: { udp: { packets, bytes }, tcp: { packets, bytes } }. */
    async dropCounters() {
      const out = JSON.parse(await nsRun(ns.ent.name, 'nft', ['-j', 'list', 'counters', 'table', 'inet', 'vclick_enterprise']));
      const counters = {};
      for (const item of out.nftables) {
        if (item.counter)
          counters[item.counter.name.replace(/_dropped$/, '')] = { packets: item.counter.packets, bytes: item.counter.bytes };
      }
      return counters;
    },

    close,
    closeSync,
  };
  track(lab);

  try {
    for (const n of Object.values(ns)) {
      await sh(IP, ['netns', 'add', n.name]);
      created.push(n.name);
      await nsRun(n.name, 'sysctl', [
        '-qw',
        // IPv4 only: no link-local IPv6 candidates, no duplicate address detection delays.
        'net.ipv6.conf.all.disable_ipv6=1',
        'net.ipv6.conf.default.disable_ipv6=1',
        ...(n.key === 'border' ? ['net.ipv4.ip_forward=1'] : []),
      ]);
      await sh(IP, ['-n', n.name, 'link', 'set', 'lo', 'up']);
    }
    // veth pairs created directly inside the namespaces: no name ever appears in the root namespace.
    await sh(IP, ['-n', ns.ent.name, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'to-ent', 'netns', ns.border.name]);
    await sh(IP, ['-n', ns.ext.name, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'to-ext', 'netns', ns.border.name]);
    const addr = [
      [ns.ent.name, 'eth0', `${ADDRESSES.ent}/24`],
      [ns.border.name, 'to-ent', `${ADDRESSES.borderInside}/24`],
      [ns.border.name, 'to-ext', `${ADDRESSES.borderOutside}/24`],
      [ns.ext.name, 'eth0', `${ADDRESSES.ext}/24`],
    ];
    for (const [name, dev, cidr] of addr) {
      await sh(IP, ['-n', name, 'addr', 'add', cidr, 'dev', dev]);
      await sh(IP, ['-n', name, 'link', 'set', dev, 'up']);
    }
    await sh(IP, ['-n', ns.ent.name, 'route', 'add', 'default', 'via', ADDRESSES.borderInside]);
    await sh(IP, ['-n', ns.ext.name, 'route', 'add', 'default', 'via', ADDRESSES.borderOutside]);

    // Loopback TURN -> the relay, in both browser namespaces; the firewall in ent.
    for (const [n, relay, fw] of [
      [ns.ent, ADDRESSES.borderInside, firewall],
      [ns.ext, ADDRESSES.borderOutside, undefined],
    ]) {
      await nsRun(n.name, 'sysctl', ['-qw', 'net.ipv4.conf.all.route_localnet=1', 'net.ipv4.conf.eth0.route_localnet=1']);
      await nsRun(n.name, 'nft', ['-f', '-'], { input: namespaceRuleset({ turnPort, relay, firewall: fw }) });
    }

    // The border relay.
    const conf = join(dir, 'turnserver.conf');
    await writeFile(conf, coturnConfig({ dir, secret, realm }), { mode: 0o600 });
    const coturn = spawn(IP, ['netns', 'exec', ns.border.name, process.execPath, GUARD, 'turnserver', '-c', conf], {
      stdio: ['pipe', 'ignore', 'pipe'],
      env: withoutSecrets(),
    });
    daemons.add(coturn);
    let coturnErr = '';
    coturn.stderr.on('data', (d) => (coturnErr += d));
    coturn.on('exit', () => daemons.delete(coturn));
    const log = () => {
      try {
        return readFileSync(join(dir, 'turnserver.log'), 'utf8').split('\n').slice(-15).join('\n');
      } catch {
        return '(no log)';
      }
    };
    await until(
      async () => {
        if (coturn.exitCode !== null) throw new Error(`coturn in ${ns.border.name} exited (${coturn.exitCode}): ${coturnErr}\n${log()}`);
        const udp = await nsRun(ns.border.name, 'ss', ['-Hlnu']);
        const tcp = await nsRun(ns.border.name, 'ss', ['-Hlnt']);
        return [udp, tcp].every((s) => [ADDRESSES.borderInside, ADDRESSES.borderOutside].every((a) => s.includes(`${a}:${RELAY_PORT}`)));
      },
      10_000,
      () => `coturn in ${ns.border.name} does not listen after 10 s: ${coturnErr}\n${log()}`,
    );
    assertNoForeignSecrets(coturn.pid, `the lab's coturn in ${ns.border.name}`);

    for (const port of forwardPorts) {
      await lab.forward('ent', port);
      await lab.forward('ext', port);
    }
    if (janusOptions) await startJanus(janusOptions === true ? {} : janusOptions);
  } catch (e) {
    await close().catch(() => {});
    throw e;
  }
  return lab;
}
