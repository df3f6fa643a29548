// What the specs start holds none of the run's secrets (e2e/lib/secrets.js): the lab's daemons
// (coturn, Janus, KMS, forwarders), the commands that build the lab and Chromium get an environment
// without them, and every lab checks each daemon it starts through /proc/<pid>/environ. Here: the
// check does catch a planted secret, also in a grandchild and under another name, and what goes
// through withoutSecrets() and the lab's ns-guard holds none.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { sh } from '../lib/netns.js';
import { foreignSecrets, processTree, withoutSecrets } from '../lib/secrets.js';

const GUARD = join(dirname(fileURLToPath(import.meta.url)), '..', 'lib', 'ns-guard.js');
const TEST = { timeout: 30_000 };

describe("the lab starts its daemons without the run's secrets", () => {
  const children = [];
  const canary = `canary-${randomBytes(12).toString('hex')}`;
  // One secret of this run, as ./vclick test exports it (planted when the spec runs on its own); the
  // run's other secrets are left out, so that exactly this one is to be caught, in ./vclick test too.
  const runEnv = { ...withoutSecrets(process.env), VCLICK_TURN_SECRET: process.env.VCLICK_TURN_SECRET || canary };
  const secret = runEnv.VCLICK_TURN_SECRET;

  /** Starts `cmd args` with `env` and waits until its tree has `depth` processes. */
  async function start(cmd, args, env, depth) {
    const child = spawn(cmd, args, { env, stdio: ['pipe', 'ignore', 'inherit'] });
    children.push(child);
    await once(child, 'spawn');
    const deadline = Date.now() + 10_000;
    while (processTree(child.pid).length < depth) {
      if (Date.now() > deadline) throw new Error(`${cmd}: ${depth} processes not started within 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return child;
  }

  after(() => {
    for (const c of children) c.kill('SIGKILL');
  });

  test('the check catches a secret planted in a daemon, in its grandchild, under any name', TEST, async () => {
    const inherited = await start('sleep', ['60'], runEnv, 1);
    assert.deepEqual(foreignSecrets(inherited.pid, { env: runEnv }), ['VCLICK_TURN_SECRET']);
    assert.deepEqual(foreignSecrets(inherited.pid, { env: runEnv, own: ['VCLICK_TURN_SECRET'] }), [], "a daemon's own secret is allowed");

    // The grandchild of a guard (as the lab's Janus is), the value renamed
    const renamed = await start(
      process.execPath,
      [GUARD, 'bash', '-c', 'sleep 60 & wait'],
      { PATH: process.env.PATH, INNOCENT: secret },
      3,
    );
    assert.deepEqual(foreignSecrets(renamed.pid, { env: runEnv }), ['VCLICK_TURN_SECRET']);
  });

  test("withoutSecrets() and the lab's ns-guard give a daemon none", TEST, async () => {
    const clean = withoutSecrets(runEnv);
    assert.equal(clean.VCLICK_TURN_SECRET, undefined);
    for (const name of Object.keys(clean)) assert.doesNotMatch(name, /(SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|CREDENTIAL|_KEY$)/);
    assert.equal(clean.PATH, process.env.PATH, 'the rest stays');
    assert.deepEqual(withoutSecrets(runEnv, { OWN_SECRET: 'x' }).OWN_SECRET, 'x', 'own secrets are added back');

    const daemon = await start(process.execPath, [GUARD, 'bash', '-c', 'sleep 60 & wait'], clean, 3);
    assert.deepEqual(foreignSecrets(daemon.pid, { env: runEnv }), []);
  });

  test('the commands that build the lab run without them', TEST, async () => {
    const before = process.env.VCLICK_E2E_CANARY_SECRET;
    process.env.VCLICK_E2E_CANARY_SECRET = canary;
    try {
      const env = await sh('env', []);
      assert.equal(env.includes(canary), false, 'sh() passes no secret');
      assert.match(env, /^PATH=/m);
    } finally {
      if (before === undefined) delete process.env.VCLICK_E2E_CANARY_SECRET;
      else process.env.VCLICK_E2E_CANARY_SECRET = before;
    }
  });
});
