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
// - openBrowser(ns) starts Chromium (lib/browser.js openContext) inside a namespace: Playwright's
//   executable is a wrapper script `exec ip netns exec NS chromium "$@"` (Playwright talks to the
//   browser over pipes, which cross namespaces).
//
// Cleanup: close() closes the browsers, stops every process in the namespaces and deletes them.
// Daemons in the namespaces (coturn, the forwarders) end by themselves when this process ends
// (their stdin is a pipe from it); an exit/SIGINT/SIGTERM handler removes what is still there; and
// every createEnterpriseLab() first removes the namespaces and temp dirs of earlier runs whose
// process is gone (names vclick-e2e-<pid>-<n>-<ns>). Nothing is created in the root namespace but
// the unix sockets in the lab's temp dir.

import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CHROMIUM, openContext } from './browser.js';
import { splice } from './ns-forward.js';

const here = dirname(fileURLToPath(import.meta.url));
const FORWARDER = join(here, 'ns-forward.js');
const GUARD = join(here, 'ns-guard.js');
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

const run = promisify(execFile);

/** Runs a command; the error names it and carries its stderr. */
async function sh(cmd, args, { input, timeout = 15_000 } = {}) {
  const child = run(cmd, args, { timeout, maxBuffer: 16 << 20 });
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

/** Polls `check` every 50 ms until it returns true; throws `what()` after `timeout`. */
async function until(check, timeout, what) {
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
 */
export async function createEnterpriseLab({
  forwardPorts = [],
  firewall = true,
  turnPort = Number(process.env.TURN_PORT || 13478),
  secret = process.env.VCLICK_TURN_SECRET,
  realm = process.env.VCLICK_TURN_REALM || 'vclick',
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
  let firewallOn = firewall;
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
    for (const { server, sockets } of rootEnds.values()) {
      for (const s of sockets) s.destroy();
      server.close();
    }
    rmSync(dir, { recursive: true, force: true });
  };

  /** Stops a daemon: its stdin closes (it stops its child and exits); SIGKILL after `grace` ms. */
  const stopDaemon = (child, grace = 3000) =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), grace);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.stdin?.end();
    });

  const close = () => {
    closing ??= (async () => {
      await Promise.allSettled([...contexts].map((c) => c.close()));
      await Promise.allSettled([...daemons].map((c) => stopDaemon(c)));
      for (const n of created.splice(0).reverse()) destroyNamespaceSync(n);
      await Promise.allSettled(
        [...rootEnds.values()].map(
          ({ server, sockets }) =>
            new Promise((resolve) => {
              for (const s of sockets) s.destroy();
              server.close(resolve);
            }),
        ),
      );
      rootEnds.clear();
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
    const child = spawn(IP, ['netns', 'exec', n.name, process.execPath, FORWARDER], { stdio: ['pipe', 'pipe', 'pipe'] });
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
      const p = pending.get(msg.port);
      if (!p) return;
      pending.delete(msg.port);
      if (msg.listening) p.resolve();
      else p.reject(new Error(`forwarder in ${n.key}, port ${msg.port}: ${msg.error}`));
    });
    const f = {
      request: (port, socket) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            pending.delete(port);
            reject(new Error(`forwarder in ${n.key}: no answer for port ${port} within 10 s ${stderr.trim()}`));
          }, 10_000);
          pending.set(port, {
            resolve: () => (clearTimeout(timer), resolve()),
            reject: (e) => (clearTimeout(timer), reject(e)),
          });
          child.stdin.write(`${JSON.stringify({ port, socket })}\n`);
        }),
    };
    forwarders.set(n.key, f);
    return f;
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
        if (item.counter) counters[item.counter.name.replace(/_dropped$/, '')] = { packets: item.counter.packets, bytes: item.counter.bytes };
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

    for (const port of forwardPorts) {
      await lab.forward('ent', port);
      await lab.forward('ext', port);
    }
  } catch (e) {
    await close().catch(() => {});
    throw e;
  }
  return lab;
}
