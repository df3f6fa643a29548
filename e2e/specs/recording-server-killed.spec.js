// Regulated recording when the Vclick server itself dies mid-call (issue 13): in the network lab of
// recording.spec.js (alice regulated, policy `record` on the site's origin, Janus in the border
// namespace as the man in the middle), the e2e Payara is killed with SIGKILL during a recorded call
// and started again as before ($VCLICK_E2E_PAYARA_RESTART: ./vclick test sets it to its own
// `./vclick e2e-payara janus`, which starts it exactly as start_e2e_payara does; a developer on the
// shared services sets it to `/work/dev/devsvc.sh payara <checkout> janus`). The defined outcome:
//   - the session the dead server held is reconciled by the new one once its refresh has been stale
//     for vclick.recording.orphan-after (2 min): what Janus recorded is stored as a partial recording,
//     flagged incomplete, the session audited `recording.interrupted` (or, when nothing was left, an
//     audited `recording.failed`);
//   - alice's connection ends in the call log (her page's report of its end waits in the extension's
//     outbox until the server is back; or the server ends it as lost);
//   - the compliance view of the site's origin explains the gap: nothing unexplained.
// It takes ~4 minutes (the orphan delay), and leaves the Payara it found: same WAR, same environment.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { closeAll, firstPage, logPageErrors } from '../lib/browser.js';
import { apiAs, restoreShippedPolicy, rule, setPolicy } from '../lib/edge-policy.js';
import { USERS, keycloakUrl, requireEnv, turnPort, vclickUrl } from '../lib/env.js';
import { EXTENSION_DIR, configure, signInExtension, worker } from '../lib/extension.js';
import { portOf, recordingsOf, until } from '../lib/recordings.js';
import { createEnterpriseLab } from '../lib/netns.js';
import { hangUp, newRoom, openCall, startWebrtcSite, waitForCall, waitForStats } from '../lib/webrtc-site.js';

const { alice, erin } = USERS;
const WAIT = { timeout: 30_000 };
/** The orphan delay (2 min) after the last refresh (every 30 s), the sweep (30 s), a loaded machine. */
const RECONCILED_WITHIN_MS = 330_000;

function psql(sql) {
  return execFileSync('psql', ['-h', '127.0.0.1', '-p', requireEnv('PG_PORT'), '-U', 'vclick', '-d', 'vclick', '-qAtc', sql], {
    encoding: 'utf8',
    env: { ...process.env, PGPASSWORD: requireEnv('VCLICK_PG_PASSWORD') },
  }).trim();
}

/** Whether the server answers its health endpoint at all. */
async function serverAnswers() {
  try {
    const response = await fetch(`${vclickUrl()}/api/health`, { signal: AbortSignal.timeout(2_000) });
    return response.status > 0;
  } catch {
    return false;
  }
}

/** Runs the restart command (it returns once the server is healthy but for the media server). */
function restartServer(command) {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { stdio: ['ignore', 'inherit', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGTERM'), 400_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`the restart command failed (${code}): ${command}`));
    });
  });
}

describe('Regulated recording: the server killed mid-call and started again', { timeout: 900_000 }, () => {
  let site;
  let lab;
  let aliceBrowser;
  let outside;
  const pages = [];

  before(async () => {
    requireEnv('VCLICK_E2E_PAYARA_RESTART');
    site = await startWebrtcSite();
    lab = await createEnterpriseLab({
      forwardPorts: [portOf(vclickUrl()), portOf(keycloakUrl()), portOf(site.origin)],
      janus: { recordings: requireEnv('VCLICK_MEDIA_JANUS_RECORDINGS_DIR') },
    });
    aliceBrowser = await lab.openBrowser('ent', { extension: EXTENSION_DIR });
    logPageErrors(await firstPage(aliceBrowser), 'alice');
    await worker(aliceBrowser);
    await configure(aliceBrowser);
    await signInExtension(aliceBrowser, alice);
    outside = await lab.openBrowser('ext');
    await setPolicy({ rules: [rule('regulated-record', [site.origin], 'record', {}, { roles: ['regulated'] })] });
  });

  after(async () => {
    for (const page of pages.splice(0)) await hangUp(page).catch(() => {});
    await closeAll();
    await lab?.close();
    await site?.close();
    await restoreShippedPolicy();
  });

  const open = async (context, label) => {
    const page = await context.newPage();
    logPageErrors(page, label);
    pages.push(page);
    return page;
  };

  test('the orphaned session is reconciled, the connection ends, no unexplained gap', { timeout: 800_000 }, async () => {
    const room = newRoom('killed');
    const farPage = await open(outside, 'far end');
    await openCall(farPage, site, { room, role: 'callee', stun: turnPort() });
    const alicePage = await open(aliceBrowser, 'alice');
    await openCall(alicePage, site, { room, role: 'caller', stun: turnPort() });
    await Promise.all([
      waitForCall(alicePage, (s) => s.state === 'connected', 'alice connected', WAIT),
      waitForCall(farPage, (s) => s.state === 'connected', 'far end connected', WAIT),
    ]);
    await waitForStats(alicePage, (s) => s.framesDecoded > 90, 'three seconds of video at alice', WAIT);
    const origin = site.origin.replace(/'/g, "''");
    const [callId, connectionId] = psql(
      `SELECT recorded_call_id, connection_id FROM recorded_call WHERE origin = '${origin}' AND outcome IS NULL ORDER BY opened_at DESC LIMIT 1`,
    ).split('|');
    assert.ok(callId && connectionId, "the live session, persisted, linked to alice's connection");
    // Its first refresh (every 30 s), so that the dead server's last one is known.
    await until(
      async () => psql(`SELECT heartbeat_at > opened_at FROM recorded_call WHERE recorded_call_id = '${callId}'`),
      (v) => v === 't',
      'the session refreshed by its server',
      { timeout: 60_000 },
    );

    // Its process group (start_bg runs it under setsid), as a crash or the OOM killer would end it.
    const pid = Number(readFileSync(join(requireEnv('VCLICK_STATE'), 'pids', 'payara.pid'), 'utf8'));
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      process.kill(pid, 'SIGKILL');
    }
    const killedAt = Date.now();
    await until(serverAnswers, (up) => !up, 'the server gone', { timeout: 15_000 });
    await restartServer(process.env.VCLICK_E2E_PAYARA_RESTART);
    console.log(`the server was back ${Math.round((Date.now() - killedAt) / 1000)} s after SIGKILL`);

    // The session: reconciled once its refresh is stale, into one outcome.
    const settled = await until(
      async () =>
        psql(
          `SELECT coalesce(outcome, '') || '|' || coalesce(reason, '') || '|' || coalesce(recording_id, '') FROM recorded_call WHERE recorded_call_id = '${callId}'`,
        ),
      (v) => !v.startsWith('|'),
      'the orphaned session reconciled',
      { timeout: RECONCILED_WITHIN_MS },
    );
    const [outcome, reason, recordingId] = settled.split('|');
    console.log(`reconciled ${Math.round((Date.now() - killedAt) / 1000)} s after SIGKILL: ${outcome} (${reason})`);
    const actions = psql(`SELECT action FROM audit_entry WHERE target = 'recorded-call:${callId}' ORDER BY seq`).split('\n');
    if (outcome === 'stored') {
      assert.ok(actions.includes('recording.interrupted'), actions.join(','));
      const stored = (await recordingsOf(site.origin)).find((r) => r.recordingId === recordingId);
      assert.ok(stored, 'the partial recording is in the store');
      assert.equal(stored.legs?.partial, true, JSON.stringify(stored.legs));
      assert.match(stored.incomplete ?? '', /partial/, 'flagged incomplete');
    } else {
      assert.equal(outcome, 'failed');
      assert.ok(actions.includes('recording.failed'), actions.join(','));
    }

    // Alice's connection ends in the call log (her page's report, or the server's lost verdict).
    const ended = await until(
      async () => (await apiAs(alice, 'GET', `edge/calls?origin=${encodeURIComponent(site.origin)}`)).json ?? [],
      (calls) => calls.flatMap((c) => c.connections).some((c) => c.connectionId === connectionId && c.closedAt),
      "alice's connection ended in the call log",
      { timeout: 120_000 },
    );
    const mine = ended.flatMap((c) => c.connections).find((c) => c.connectionId === connectionId);
    console.log(`alice's connection ended: ${mine.endReason}`);

    // The compliance view: this call's gap is explained, nothing of the origin unexplained.
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const view = await until(
      async () => (await apiAs(erin, 'GET', `recordings/compliance?from=${encodeURIComponent(from)}`)).json,
      (v) => v.gaps.some((g) => g.recordedCallId === callId) && !v.gaps.some((g) => g.origin === site.origin && g.status === 'in-progress'),
      'the compliance view with the reconciled call',
    );
    const gap = view.gaps.find((g) => g.recordedCallId === callId);
    assert.equal(gap.status, outcome === 'stored' ? 'incomplete' : 'failed', JSON.stringify(gap));
    assert.ok(gap.explanation, JSON.stringify(gap));
    const group = view.groups.find((g) => g.origin === site.origin && g.username === 'alice');
    assert.equal(group.unexplained, 0, `no unexplained gap: ${JSON.stringify(view.gaps.filter((g) => g.origin === site.origin))}`);
  });
});
