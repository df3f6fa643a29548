// The test process holds every secret of the run (./vclick test exports them; the specs need some),
// but what it starts does not: the lab's daemons (coturn, Janus, KMS, the namespace forwarders), the
// commands that build the lab and Chromium get an environment without any variable whose name says
// secret, password, token, credential or key, plus only the secrets they use (the configuration
// scripts their own) -- the rule of scripts/lib.sh start_bg for ./vclick's services.
// foreignSecrets() reads /proc/<pid>/environ of a process and its descendants, as ./vclick's
// secrets_check does: the lab checks each daemon it starts with it.

import { readFileSync, readdirSync } from 'node:fs';

/** Same names as scripts/lib.sh is_secret_name. */
export const isSecretName = (name) => /(SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|CREDENTIAL|_KEY$)/.test(name);

/** `env` (default this process's) without any secret, plus `own` (name -> value) secrets. */
export function withoutSecrets(env = process.env, own = {}) {
  const clean = Object.fromEntries(Object.entries(env).filter(([name, value]) => value !== undefined && !isSecretName(name)));
  return { ...clean, ...own };
}

/** The pids of `pid` and all its descendants (from /proc/<pid>/stat). */
export function processTree(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  const tree = [];
  const visit = (p) => {
    tree.push(p);
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return tree;
}

/**
 * The names of this process's secrets (secret-named variables of `env`, 6+ characters) whose values
 * are in the environment of `pid` or one of its descendants, except `own` (names the process may
 * hold). Empty when clean.
 */
export function foreignSecrets(pid, { own = [], env = process.env } = {}) {
  const secrets = Object.entries(env).filter(([name, value]) => isSecretName(name) && !own.includes(name) && value && value.length >= 6);
  const found = new Set();
  for (const p of processTree(pid)) {
    let environ;
    try {
      environ = readFileSync(`/proc/${p}/environ`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const entries = environ.split('\0');
    for (const [name, value] of secrets) {
      if (entries.some((line) => line.slice(line.indexOf('=') + 1).includes(value))) found.add(name);
    }
  }
  return [...found].sort();
}

/** Throws naming `what` and the secrets (never their values) when `pid`'s tree holds foreign ones. */
export function assertNoForeignSecrets(pid, what, options) {
  const leaked = foreignSecrets(pid, options);
  if (leaked.length) throw new Error(`${what} (pid ${pid}) holds secrets it does not use in its environment: ${leaked.join(', ')}`);
}
