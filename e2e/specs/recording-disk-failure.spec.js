// Regulated recording when the media server's disk fails mid-call (issue 13): the media server stays
// up, its recordings folder goes away under it (renamed, as an unmounted or failed volume looks to
// Janus, which writes on into files nobody will find and only logs). In the network lab of
// recording.spec.js (alice regulated, policy `record` on the site's origin, Janus in the border
// namespace as the man in the middle) the server's watch on the recording's files (janus
// RecordingWatch: every 2 s) notices it, and the fail mode decides:
//   - `block` (the e2e Payara as ./vclick test starts it): the call ends for both legs, alice's page is
//     told by the server (console "recording failed; the call was stopped by policy
//     (recording-failed)") and sees its connection fail; `recording.failed` audited with the fail
//     mode; the compliance view explains the gap;
//   - `allow-unrecorded` (the Payara restarted with VCLICK_RECORDING_FAIL_MODE=allow-unrecorded, by
//     $VCLICK_E2E_PAYARA_RESTART as in recording-server-killed.spec.js): the call goes on, video
//     still decoded both ways after the failure; `recording.interrupted` audited; after the hang-up
//     the session ends as that explained failure; no unexplained gap;
//   - the disk full (same server, allow-unrecorded): a small tmpfs mounted over the recordings folder
//     (Janus restarted so that its mount namespace has it) and filled mid-call: Janus' writes fail,
//     it only logs; the watch sees the files stop growing while the media flows (20 s, the shipped
//     vclick.media.janus.recording-stall-ms) and the call goes on unrecorded, audited.
// The Payara is restarted as it was (block) at the end, so the specs after this one find the server
// they expect.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmdirSync, statSync } from 'node:fs';
import { after, afterEach, before, describe, test } from 'node:test';
import { closeAll, firstPage, logPageErrors } from '../lib/browser.js';
import { apiAs, restoreShippedPolicy, rule, setPolicy } from '../lib/edge-policy.js';
import { USERS, keycloakUrl, requireEnv, turnPort, vclickUrl } from '../lib/env.js';
import { EXTENSION_DIR, configure, signInExtension, worker } from '../lib/extension.js';
import { portOf, until } from '../lib/recordings.js';
import { createEnterpriseLab } from '../lib/netns.js';
import { callStats, hangUp, newRoom, openCall, startWebrtcSite, waitForCall, waitForStats } from '../lib/webrtc-site.js';

const { alice, erin } = USERS;
const WAIT = { timeout: 30_000 };
/** The watch checks every 2 s; the release and the page's cue take well under a second more. */
const NOTICED_WITHIN_MS = 15_000;

function psql(sql) {
  return execFileSync('psql', ['-h', '127.0.0.1', '-p', requireEnv('PG_PORT'), '-U', 'vclick', '-d', 'vclick', '-qAtc', sql], {
    encoding: 'utf8',
    env: { ...process.env, PGPASSWORD: requireEnv('VCLICK_PG_PASSWORD') },
  }).trim();
}

/** Runs the restart command with `env` added (it returns once the server is healthy but for the media server). */
function restartServer(env = {}) {
  const command = requireEnv('VCLICK_E2E_PAYARA_RESTART');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
    const timer = setTimeout(() => child.kill('SIGTERM'), 400_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`the restart command failed (${code}): ${command}`));
    });
  });
}

describe("Regulated recording: the media server's recordings folder vanishes mid-call", { timeout: 1_500_000 }, () => {
  const recordings = requireEnv('VCLICK_MEDIA_JANUS_RECORDINGS_DIR');
  const aside = `${recordings}.vanished-${process.pid}`;
  let site;
  let lab;
  let aliceBrowser;
  let outside;
  let restarted = false; // the Payara runs with allow-unrecorded: put back as it was
  let mounted = false; // a small tmpfs lies over the recordings folder
  const pages = [];

  /** Takes the small disk off the recordings folder (Janus keeps its copy until it stops). */
  const unmount = () => {
    if (!mounted) return;
    execFileSync('umount', ['--lazy', recordings]);
    mounted = false;
  };

  /** Puts the recordings folder back where Janus and the server expect it. */
  const restoreFolder = () => {
    if (!existsSync(aside)) return;
    if (existsSync(recordings) && readdirSync(recordings).length === 0) rmdirSync(recordings);
    renameSync(aside, recordings);
  };

  before(async () => {
    requireEnv('VCLICK_E2E_PAYARA_RESTART');
    site = await startWebrtcSite();
    lab = await createEnterpriseLab({
      forwardPorts: [portOf(vclickUrl()), portOf(keycloakUrl()), portOf(site.origin)],
      janus: { recordings },
    });
    aliceBrowser = await lab.openBrowser('ent', { extension: EXTENSION_DIR });
    logPageErrors(await firstPage(aliceBrowser), 'alice');
    await worker(aliceBrowser);
    await configure(aliceBrowser);
    await signInExtension(aliceBrowser, alice);
    outside = await lab.openBrowser('ext');
    await setPolicy({ rules: [rule('regulated-record', [site.origin], 'record', {}, { roles: ['regulated'] })] });
  });

  afterEach(async () => {
    for (const page of pages.splice(0)) await hangUp(page).catch(() => {});
    restoreFolder();
  });

  after(async () => {
    for (const page of pages.splice(0)) await hangUp(page).catch(() => {});
    restoreFolder();
    await closeAll();
    await lab?.close();
    unmount();
    await site?.close();
    if (restarted) await restartServer();
    await restoreShippedPolicy();
  });

  const open = async (context, label) => {
    const page = await context.newPage();
    logPageErrors(page, label);
    pages.push(page);
    return page;
  };

  /** A recorded call, connected, video decoded both ways, its recording's files on disk. */
  const recordedCall = async (prefix) => {
    const room = newRoom(prefix);
    const farPage = await open(outside, 'far end');
    await openCall(farPage, site, { room, role: 'callee', stun: turnPort() });
    const alicePage = await open(aliceBrowser, 'alice');
    await openCall(alicePage, site, { room, role: 'caller', stun: turnPort() });
    await Promise.all([
      waitForCall(alicePage, (s) => s.state === 'connected', 'alice connected', WAIT),
      waitForCall(farPage, (s) => s.state === 'connected', 'far end connected', WAIT),
    ]);
    for (const [who, page] of [
      ['alice', alicePage],
      ['far end', farPage],
    ]) {
      await waitForStats(page, (s) => s.framesDecoded > 60, `${who} decodes video`, WAIT);
    }
    const origin = site.origin.replace(/'/g, "''");
    const [callId, connectionId] = psql(
      `SELECT recorded_call_id, connection_id FROM recorded_call WHERE origin = '${origin}' AND outcome IS NULL ORDER BY opened_at DESC LIMIT 1`,
    ).split('|');
    assert.ok(callId && connectionId, "the live session, persisted, linked to alice's connection");
    const files = readdirSync(recordings).filter((f) => f.startsWith(`${callId}-`) && f.endsWith('.mjr'));
    assert.ok(
      files.some((f) => f.endsWith('-enterprise-video.mjr')) && files.some((f) => f.endsWith('-far-end-video.mjr')),
      `Janus records both parties: ${files}`,
    );
    return { alicePage, farPage, callId, connectionId };
  };

  const auditOf = (callId) =>
    psql(`SELECT action || ' ' || detail FROM audit_entry WHERE target = 'recorded-call:${callId}' ORDER BY seq`).split('\n');

  /** The compliance view once the session settled: its gap, and alice's group on the origin. */
  const compliance = async (callId) => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const view = await until(
      async () => (await apiAs(erin, 'GET', `recordings/compliance?from=${encodeURIComponent(from)}`)).json,
      (v) =>
        v.gaps.some((g) => g.recordedCallId === callId && g.status !== 'in-progress') &&
        !v.gaps.some((g) => g.origin === site.origin && g.status === 'in-progress'),
      'the compliance view with the failed call settled',
    );
    return {
      gap: view.gaps.find((g) => g.recordedCallId === callId),
      group: view.groups.find((g) => g.origin === site.origin && g.username === 'alice'),
      all: view.gaps.filter((g) => g.origin === site.origin),
    };
  };

  test(
    'under block: the call ends for both legs, the page sees its connection fail, recording.failed audited, the gap explained',
    { timeout: 300_000 },
    async () => {
      const { alicePage, farPage, callId } = await recordedCall('vanish-block');
      let said;
      const told = new Promise((resolve) => {
        said = resolve;
        alicePage.on('console', (m) => /recording failed; the call was stopped by policy/.test(m.text()) && resolve(m.text()));
      });

      renameSync(recordings, aside); // the volume goes away under Janus; Janus itself stays up
      const goneAt = Date.now();
      const timer = setTimeout(() => said(null), NOTICED_WITHIN_MS);
      const message = await told;
      clearTimeout(timer);
      assert.match(
        message ?? `nothing within ${NOTICED_WITHIN_MS} ms`,
        /\(recording-failed\)/,
        "alice's page console says the call was stopped and why",
      );
      console.log(`alice's page was told ${Date.now() - goneAt} ms after the recordings folder went away`);
      const stopped = await waitForCall(alicePage, (s) => s.connectionState === 'failed', "alice's page sees its connection failed", {
        timeout: 5_000,
      });
      assert.equal(stopped.state, 'failed', 'the page treats it as a failed call');
      const gone = (s) => ['disconnected', 'failed', 'closed'].includes(s.connectionState) || s.state === 'failed';
      await waitForCall(farPage, gone, "the far end's connection loses the media server", WAIT);

      const audit = auditOf(callId);
      const failed = audit.find((a) => a.startsWith('recording.failed '));
      assert.ok(failed, audit.join('\n'));
      assert.match(failed, /gone from the recordings folder/);
      assert.match(failed, /failMode=block/);
      assert.match(failed, /call=call-ended/);
      assert.ok(!audit.some((a) => a.startsWith('recording.interrupted ')), audit.join('\n'));
      const settled = await until(
        async () =>
          psql(`SELECT coalesce(outcome, '') || '|' || coalesce(reason, '') FROM recorded_call WHERE recorded_call_id = '${callId}'`),
        (v) => !v.startsWith('|'),
        'the session settled',
      );
      assert.match(settled, /^failed\|recording\.failed: .*\(call-ended\)$/, settled);

      const { gap, group, all } = await compliance(callId);
      assert.equal(gap.status, 'failed', JSON.stringify(gap));
      assert.match(gap.explanation, /recording\.failed: .*gone from the recordings folder/);
      assert.equal(group.unexplained, 0, `no unexplained gap: ${JSON.stringify(all)}`);
    },
  );

  test(
    'under allow-unrecorded: the call goes on (video both ways), recording.interrupted audited, the gap explained',
    { timeout: 900_000 },
    async () => {
      restarted = true;
      await restartServer({ VCLICK_RECORDING_FAIL_MODE: 'allow-unrecorded' });
      const { alicePage, farPage, callId } = await recordedCall('vanish-allow');
      let told = null;
      alicePage.on('console', (m) => /the call was stopped by policy/.test(m.text()) && (told = m.text()));

      renameSync(recordings, aside);
      const goneAt = Date.now();
      const audit = await until(
        async () => auditOf(callId),
        (entries) => entries.some((a) => a.startsWith('recording.interrupted ')),
        'recording.interrupted audited',
        { timeout: NOTICED_WITHIN_MS },
      );
      console.log(`recording.interrupted audited ${Date.now() - goneAt} ms after the recordings folder went away`);
      const interrupted = audit.find((a) => a.startsWith('recording.interrupted '));
      assert.match(interrupted, /gone from the recordings folder/);
      assert.match(interrupted, /failMode=allow-unrecorded/);
      assert.match(interrupted, /call=call-goes-on-unrecorded/);
      assert.ok(!audit.some((a) => a.startsWith('recording.failed ')), audit.join('\n'));

      // The call goes on: more video decoded on both sides after the failure (three seconds' worth),
      // both connections still connected, and nobody told alice's page to stop.
      const [aliceAt, farAt] = [(await callStats(alicePage)).framesDecoded, (await callStats(farPage)).framesDecoded];
      await waitForStats(alicePage, (s) => s.framesDecoded > aliceAt + 90, 'alice still decodes video', WAIT);
      await waitForStats(farPage, (s) => s.framesDecoded > farAt + 90, 'the far end still decodes video', WAIT);
      for (const [who, page] of [
        ['alice', alicePage],
        ['far end', farPage],
      ]) {
        const state = await waitForCall(page, (s) => s.state === 'connected', `${who} still connected`, { timeout: 1_000 });
        assert.equal(state.connectionState, 'connected', `${who}: ${state.connectionState}`);
      }
      assert.equal(told, null, "alice's page was not stopped");

      await hangUp(alicePage);
      await waitForCall(farPage, (s) => s.state === 'closed', 'the far end sees the hang-up', WAIT);
      const settled = await until(
        async () =>
          psql(`SELECT coalesce(outcome, '') || '|' || coalesce(reason, '') FROM recorded_call WHERE recorded_call_id = '${callId}'`),
        (v) => !v.startsWith('|'),
        'the session settled after the hang-up',
      );
      assert.match(settled, /^failed\|recording\.interrupted: .*\(call-goes-on-unrecorded\)$/, settled);

      const { gap, group, all } = await compliance(callId);
      assert.equal(gap.status, 'failed', JSON.stringify(gap));
      assert.match(gap.explanation, /recording\.interrupted: .*gone from the recordings folder/);
      assert.equal(group.unexplained, 0, `no unexplained gap: ${JSON.stringify(all)}`);
    },
  );
  test(
    'the disk full under allow-unrecorded: the files stop growing, recording.interrupted audited, the call goes on',
    { timeout: 600_000 },
    async () => {
      assert.ok(restarted, 'runs after the allow-unrecorded case, on its server');
      // 16 MiB: room for a few seconds of both parties' video, then full.
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m,mode=0700', 'vclick-e2e-small-disk', recordings]);
      mounted = true;
      try {
        // Janus' mount namespace is a copy taken when it started: start it again to see the small disk.
        await lab.stopJanus();
        await lab.startJanus({ recordings });
        const { alicePage, farPage, callId } = await recordedCall('disk-full');
        const filler = `${recordings}/filler-${process.pid}`;
        try {
          execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' });
        } catch {
          // dd ends with "No space left on device": the disk is full, as meant
        }
        assert.ok(statSync(filler).size > 0, 'the disk was filled');
        const fullAt = Date.now();
        const audit = await until(
          async () => auditOf(callId),
          (entries) => entries.some((a) => a.startsWith('recording.interrupted ')),
          'recording.interrupted audited',
          { timeout: 60_000 },
        );
        console.log(`recording.interrupted audited ${Date.now() - fullAt} ms after the disk was full`);
        const interrupted = audit.find((a) => a.startsWith('recording.interrupted '));
        assert.match(interrupted, /stopped growing/);
        assert.match(interrupted, /call=call-goes-on-unrecorded/);
        assert.ok(!audit.some((a) => a.startsWith('recording.failed ')), audit.join('\n'));

        const [aliceAt, farAt] = [(await callStats(alicePage)).framesDecoded, (await callStats(farPage)).framesDecoded];
        await waitForStats(alicePage, (s) => s.framesDecoded > aliceAt + 90, 'alice still decodes video', WAIT);
        await waitForStats(farPage, (s) => s.framesDecoded > farAt + 90, 'the far end still decodes video', WAIT);

        await hangUp(alicePage);
        await waitForCall(farPage, (s) => s.state === 'closed', 'the far end sees the hang-up', WAIT);
        const settled = await until(
          async () =>
            psql(`SELECT coalesce(outcome, '') || '|' || coalesce(reason, '') FROM recorded_call WHERE recorded_call_id = '${callId}'`),
          (v) => !v.startsWith('|'),
          'the session settled after the hang-up',
        );
        // Failed, or stored as a partial recording when what Janus wrote could still be converted.
        assert.match(settled, /^(failed|stored)\|recording\.interrupted: .*stopped growing.*\(call-goes-on-unrecorded\)$/, settled);
        console.log(`the session: ${settled.split('|')[0]}`);
        const { gap, group, all } = await compliance(callId);
        assert.ok(['failed', 'incomplete'].includes(gap.status), JSON.stringify(gap));
        assert.match(gap.explanation, /stopped growing/);
        assert.equal(group.unexplained, 0, `no unexplained gap: ${JSON.stringify(all)}`);
      } finally {
        unmount();
      }
    },
  );
});
