// "One machine", as `./vclick run` sets it up, rebuilt inside ONE network namespace the test creates
// (root only), so the test never sends a packet to this machine's real addresses:
//
//   - lo with 127.0.0.1, where coturn, Janus's HTTP API and (through forwarders) the Vclick server,
//     Keycloak and the test site listen, as on a developer's machine;
//   - eth0: an ifb device with 10.77.0.5/24 and the default route, standing for the machine's real
//     interface (what Janus used to gather its candidates on; an ifb device sends nothing anywhere);
//   - the media device `./vclick run` creates (scripts/janus.sh janus_media_device_up: an ifb device
//     vclick-media with 192.0.2.1/32), created by that very function inside the namespace: Janus's
//     only ICE address and coturn's relay address (coturn listens on 127.0.0.1).
//
// coturn's and Janus's configurations are written by scripts/coturn.sh and scripts/janus.sh exactly
// as `./vclick run` writes them (janus_local_media, coturn_config, janus_config), with the ports
// the test profile's Vclick server hands out: TURN on 127.0.0.1:$TURN_PORT (the credentials it mints
// use the test coturn's secret, which this coturn shares), Janus's HTTP API on 127.0.0.1:18089
// ($VCLICK_MEDIA_LAB_PORT), reverse-forwarded to the same port of the root namespace where the test
// Payara drives it (as lib/netns.js does for the lab's Janus). With `legacy: true` the media device
// and the media env are left out: the configuration `./vclick run` had before issue 12.
//
// Both browsers run inside the namespace (openBrowser), without loopback candidates (a user's
// Chrome has none). Cleanup: close(), or at exit, or cleanStaleLabs() of a later run (the namespace
// and temp dir carry this process's pid, lib/netns.js's naming).

import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, openContext } from './browser.js';
import { NS_PREFIX, cleanStaleLabs, janusLabPort, sh as labSh, stopDaemon, tail, until } from './netns.js';
import { splice } from './ns-forward.js';
import { assertNoForeignSecrets, withoutSecrets } from './secrets.js';

const here = dirname(fileURLToPath(import.meta.url));
const REPO = join(here, '..', '..');
const FORWARDER = join(here, 'ns-forward.js');
const GUARD = join(here, 'ns-guard.js');
const IP = existsSync('/usr/sbin/ip') ? '/usr/sbin/ip' : 'ip';

/** The stand-in for the machine's real interface, inside the namespace only. */
export const MACHINE_ADDRESS = '10.77.0.5';

/** The lab's shell helper, with this machine's longer default (its start scripts do more). */
const sh = (cmd, args, opts = {}) => labSh(cmd, args, { timeout: 20_000, ...opts });

let seq = 0;

/**
 * Builds the one-machine namespace and starts coturn and Janus in it as `./vclick run` does.
 *
 * @param {object} options
 * @param {number[]} [options.forwardPorts] root-namespace loopback ports answering inside (app, Keycloak, site)
 * @param {number} [options.turnPort] TURN port on 127.0.0.1 (TURN_PORT: what the test Vclick server hands out)
 * @param {string} [options.turnSecret] VCLICK_TURN_SECRET
 * @param {number} [options.janusPort] Janus HTTP port, inside and in the root namespace (VCLICK_MEDIA_LAB_PORT)
 * @param {string} [options.janusSecret] VCLICK_JANUS_API_SECRET
 * @param {string} [options.recordings] folder Janus records into (created if missing)
 * @param {boolean} [options.legacy=false] the configuration before issue 12 (no media device)
 */
export async function createOneMachine({
  forwardPorts = [],
  turnPort = Number(process.env.TURN_PORT || 13478),
  turnSecret = process.env.VCLICK_TURN_SECRET,
  janusPort = janusLabPort(),
  janusSecret = process.env.VCLICK_JANUS_API_SECRET || process.env.VCLICK_MEDIA_JANUS_API_SECRET,
  recordings,
  legacy = false,
} = {}) {
  if (process.getuid?.() !== 0) throw new Error('the one-machine namespace needs root');
  if (!turnSecret || !janusSecret) throw new Error('needs VCLICK_TURN_SECRET and VCLICK_JANUS_API_SECRET');
  cleanStaleLabs();
  const name = `${NS_PREFIX}${process.pid}-om${++seq}-one`;
  const dir = await mkdtemp(join(tmpdir(), `vclick-e2e-lab-${process.pid}-`));
  const state = join(dir, 'state');
  const daemons = new Set();
  const servers = new Set();
  const contexts = new Set();
  let forwarder;
  let created = false;
  let closing;

  const nsSh = (cmd, args, opts) => sh(IP, ['netns', 'exec', name, cmd, ...args], opts);

  const close = () =>
    (closing ??= (async () => {
      process.removeListener('exit', killSync);
      await Promise.allSettled([...contexts].map((c) => c.close()));
      await Promise.allSettled([...daemons].map((d) => stopDaemon(d, 4000)));
      for (const { server, sockets } of servers) {
        for (const s of sockets) s.destroy();
        server.close();
      }
      if (created) {
        await sh(IP, ['netns', 'pids', name])
          .then((out) =>
            out
              .split('\n')
              .filter(Boolean)
              .forEach((pid) => {
                try {
                  process.kill(Number(pid), 'SIGKILL');
                } catch {
                  // gone
                }
              }),
          )
          .catch(() => {});
        await sh(IP, ['netns', 'del', name]).catch(() => {});
      }
      // VCLICK_E2E_KEEP_LOGS=DIR: coturn's and Janus's logs and configurations are kept there.
      if (process.env.VCLICK_E2E_KEEP_LOGS) {
        await cp(join(dir, 'state'), process.env.VCLICK_E2E_KEEP_LOGS, { recursive: true }).catch(() => {});
      }
      await rm(dir, { recursive: true, force: true });
    })());
  function killSync() {
    for (const d of daemons) d.kill('SIGKILL');
    if (created) {
      try {
        spawn(IP, ['netns', 'del', name], { stdio: 'ignore' });
      } catch {
        // best effort; cleanStaleLabs() of a later run removes it
      }
    }
  }
  process.on('exit', killSync);

  /** Starts `cmd args` inside the namespace under ns-guard (it ends with this process). */
  const daemon = (cmd, args, log) => {
    const fd = openSync(log, 'a');
    let child;
    try {
      child = spawn(IP, ['netns', 'exec', name, process.execPath, GUARD, cmd, ...args], { stdio: ['pipe', fd, fd], env: withoutSecrets() });
    } finally {
      closeSync(fd);
    }
    child.on('error', () => {});
    daemons.add(child);
    child.on('exit', () => daemons.delete(child));
    return child;
  };

  let janusDaemon; // the running Janus, or undefined after stopJanus
  /** Starts Janus with the machine's configuration and waits until its API answers. */
  const startJanus = async () => {
    if (janusDaemon) return;
    const janusConf = machine.janus.confDir;
    const janus = daemon('janus', ['-C', join(janusConf, 'janus.jcfg'), '-F', janusConf], machine.janus.log);
    janusDaemon = janus;
    janus.on('exit', () => janusDaemon === janus && (janusDaemon = undefined));
    await until(
      async () => {
        if (janus.exitCode !== null) throw new Error(`Janus exited:\n${tail(machine.janus.log)}`);
        try {
          return (await nsSh('curl', ['-fsS', '--max-time', '1', `http://127.0.0.1:${machine.janus.port}/janus/info`])).includes(
            'server_info',
          );
        } catch {
          return false;
        }
      },
      10_000,
      () => `Janus does not answer:\n${tail(machine.janus.log)}`,
    );
    assertNoForeignSecrets(janus.pid, "the one machine's Janus");
  };
  /** Stops Janus (the media server down: its API refuses connections) until startJanus. */
  const stopJanus = async () => {
    const janus = janusDaemon;
    janusDaemon = undefined;
    if (janus) await stopDaemon(janus, 4000);
  };

  /** The forwarder inside the namespace (lib/ns-forward.js protocol). */
  const request = (() => {
    let id = 0;
    const pending = new Map();
    return (msg) => {
      if (!forwarder) {
        forwarder = spawn(IP, ['netns', 'exec', name, process.execPath, FORWARDER], {
          stdio: ['pipe', 'pipe', 'inherit'],
          env: withoutSecrets(),
        });
        daemons.add(forwarder);
        forwarder.on('exit', () => daemons.delete(forwarder));
        readline.createInterface({ input: forwarder.stdout }).on('line', (line) => {
          const answer = JSON.parse(line);
          const p = pending.get(answer.id);
          pending.delete(answer.id);
          if (answer.error) p?.reject(new Error(`forwarder: ${answer.error}`));
          else p?.resolve(answer);
        });
      }
      return new Promise((resolve, reject) => {
        const n = ++id;
        pending.set(n, { resolve, reject });
        forwarder.stdin.write(`${JSON.stringify({ id: n, ...msg })}\n`);
      });
    };
  })();

  /** A root-namespace server (unix socket or TCP) whose connections go to `connect()`. */
  const relayServer = (connect, listenArgs) =>
    new Promise((resolve, reject) => {
      const sockets = new Set();
      const server = net.createServer({ allowHalfOpen: true }, (conn) => {
        const other = connect();
        for (const s of [conn, other]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
        }
        splice(conn, other);
      });
      servers.add({ server, sockets });
      server.once('error', reject);
      server.listen(listenArgs, () => {
        server.removeAllListeners('error');
        server.on('error', () => {});
        resolve();
      });
    });

  const machine = {
    name,
    dir,
    address: MACHINE_ADDRESS,
    legacy,
    /** Filled by start: the media device's address (Janus's only candidate), coturn and Janus files. */
    media: undefined,
    janus: undefined,
    coturn: undefined,
    exec: (cmd, args) => nsSh(cmd, args),
    /** The media server down (Janus stopped) and back (started again with the same configuration). */
    stopJanus: () => stopJanus(),
    startJanus: () => startJanus(),
    async openBrowser(options = {}) {
      const wrapper = join(dir, 'chromium.sh');
      if (!existsSync(wrapper)) {
        await writeFile(wrapper, `#!/bin/sh\nexec ${IP} netns exec '${name}' '${CHROMIUM}' "$@"\n`);
        await chmod(wrapper, 0o755);
      }
      const context = await openContext({ loopbackCandidates: false, ...options, executablePath: wrapper });
      contexts.add(context);
      context.once('close', () => contexts.delete(context));
      return context;
    },
    close,
  };

  try {
    await sh(IP, ['netns', 'add', name]);
    created = true;
    await nsSh('sysctl', ['-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
    await sh(IP, ['-n', name, 'link', 'set', 'lo', 'up']);
    await sh(IP, ['-n', name, 'link', 'add', 'eth0', 'type', 'ifb']);
    await sh(IP, ['-n', name, 'addr', 'add', `${MACHINE_ADDRESS}/24`, 'dev', 'eth0']);
    await sh(IP, ['-n', name, 'link', 'set', 'eth0', 'up']);
    await sh(IP, ['-n', name, 'route', 'add', 'default', 'dev', 'eth0']);
    if (recordings) await mkdir(recordings, { recursive: true });

    // coturn and Janus configured by scripts/ as ./vclick run does (profile run's relay ports and
    // Janus's default RTP range; the ports the test Vclick server knows), inside the namespace.
    const env = Object.fromEntries(
      Object.entries(withoutSecrets()).filter(
        ([k]) => !/^(VCLICK_JANUS_|VCLICK_TURN_|VCLICK_MEDIA_DEVICE$|VCLICK_MEDIA_ADDRESS$|JANUS_PORT$|TURN_|VCLICK_STATE$)/.test(k),
      ),
    );
    Object.assign(env, {
      VCLICK_STATE: state,
      VCLICK_PROFILE: 'run',
      TURN_PORT: String(turnPort),
      TURN_RELAY_MIN_PORT: '49160',
      TURN_RELAY_MAX_PORT: '49259',
      VCLICK_TURN_SECRET: turnSecret,
      JANUS_PORT: String(janusPort),
      VCLICK_JANUS_API_SECRET: janusSecret,
      LEGACY: legacy ? '1' : '',
      ...(process.env.VCLICK_JANUS_DEBUG_LEVEL ? { VCLICK_JANUS_DEBUG_LEVEL: process.env.VCLICK_JANUS_DEBUG_LEVEL } : {}),
    });
    const script = `set -euo pipefail
source "$0/scripts/lib.sh"; source "$0/scripts/coturn.sh"; source "$0/scripts/janus.sh"
if [[ -z $LEGACY ]]; then janus_local_media; fi
coturn_config
janus_config
printf 'MEDIA=%s\\n' "\${VCLICK_JANUS_SDP_IP:-}"`;
    const out = await nsSh('bash', ['-c', script, REPO], { env });
    machine.media = /^MEDIA=(.*)$/m.exec(out)?.[1] || undefined;
    const coturnConf = join(state, 'conf', 'turnserver.conf');
    const janusConf = join(state, 'conf', 'janus');
    machine.coturn = { conf: coturnConf, log: join(state, 'logs', 'turnserver.log'), text: readFileSync(coturnConf, 'utf8') };
    machine.janus = {
      confDir: janusConf,
      log: join(state, 'logs', 'janus.log'),
      url: `http://127.0.0.1:${janusPort}/janus`,
      port: janusPort,
    };

    // The root end of Janus's API first: a port in use fails before anything starts.
    const janusSock = join(dir, `rev-${janusPort}.sock`);
    await relayServer(() => net.createConnection({ path: janusSock, allowHalfOpen: true }), {
      host: '127.0.0.1',
      port: janusPort,
      exclusive: true,
    }).catch((e) => {
      throw new Error(`cannot listen on 127.0.0.1:${janusPort} of the root namespace (another lab's Janus?): ${e.message}`);
    });

    if (process.env.VCLICK_E2E_NICE_DEBUG === '1') await writeFile(coturnConf, `${machine.coturn.text}\nVerbose\n`);
    const coturn = daemon('turnserver', ['-c', coturnConf], join(dir, 'coturn.out'));
    await until(
      async () => {
        if (coturn.exitCode !== null) throw new Error(`coturn exited: ${tail(join(dir, 'coturn.out'))}`);
        return (await nsSh('ss', ['-Hlnu'])).includes(`127.0.0.1:${turnPort}`);
      },
      10_000,
      () => `coturn does not listen: ${tail(machine.coturn.log)}`,
    );
    assertNoForeignSecrets(coturn.pid, "the one machine's coturn");
    if (process.env.VCLICK_E2E_NICE_DEBUG === '1') {
      // Debugging only: libnice's own log in Janus's (G_MESSAGES_DEBUG is passed by ip netns exec).
      const jcfg = join(janusConf, 'janus.jcfg');
      await writeFile(jcfg, readFileSync(jcfg, 'utf8').replace('nice_debug = false', 'nice_debug = true'));
    }
    await startJanus();
    await request({ port: janusPort, socket: janusSock, serve: true });
    for (const port of forwardPorts) {
      const sock = join(dir, `fwd-${port}.sock`);
      await relayServer(() => net.createConnection({ host: '127.0.0.1', port, allowHalfOpen: true }), sock);
      await request({ port, socket: sock });
    }
  } catch (e) {
    await close().catch(() => {});
    throw e;
  }
  return machine;
}
