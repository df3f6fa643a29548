// Issue 12, "Recording works wherever a user would try it": `./vclick run` on ONE machine records.
// The machine is rebuilt inside a network namespace the test creates (lib/one-machine.js): coturn,
// Janus, both browsers and (forwarded) the Vclick server, Keycloak and the site, all on its
// 127.0.0.1, plus an interface standing for the machine's real one; coturn and Janus configured by
// scripts/ exactly as `./vclick run` configures them (Janus ICE only on the ifb device vclick-media
// with 192.0.2.1; coturn listening on 127.0.0.1, relaying from 192.0.2.1, in mode local: loopback
// peers and exactly that address, no other internal peer).
// alice (regulated, `record` rule) runs the real extension, relay-only through coturn on 127.0.0.1;
// the far end is a plain browser. The call connects through Janus and its recording is stored
// (ffprobe: both videos and the audio; duration).
//
// VCLICK_E2E_ONE_MACHINE_LEGACY=1 builds the configuration `run` had before (no media device,
// coturn mode dev relaying from 127.0.0.1, Janus on every non-loopback interface) to see the old
// failure: the far end connects, alice's leg never gets DTLS, coturn's peer usage shows packets
// sent to Janus and none received back (VCLICK_E2E_KEEP_LOGS=DIR keeps coturn's and Janus's logs;
// VCLICK_E2E_NICE_DEBUG=1 adds libnice's and coturn's verbose logs).
// To run it by hand against a Payara of one's own, see docs/RECORDING-NETWORK.md ("Tests").

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { closeAll, firstPage, logPageErrors } from '../lib/browser.js';
import { restoreShippedPolicy, rule, setPolicy } from '../lib/edge-policy.js';
import { USERS, keycloakUrl, requireEnv, turnPort, vclickUrl } from '../lib/env.js';
import { EXTENSION_DIR, configure, signInExtension, worker } from '../lib/extension.js';
import { login } from '../lib/keycloak.js';
import { MACHINE_ADDRESS, createOneMachine } from '../lib/one-machine.js';
import { candidateAddresses, portOf, probe, recordingsOf, until } from '../lib/recordings.js';
import { callState, hangUp, newRoom, openCall, startWebrtcSite, waitForCall, waitForStats } from '../lib/webrtc-site.js';

const { alice, erin } = USERS;
const LEGACY = process.env.VCLICK_E2E_ONE_MACHINE_LEGACY === '1';
const TEST = { timeout: 180_000 };
const WAIT = { timeout: 30_000 };
describe(
  `Recording with ./vclick run's one-machine configuration${LEGACY ? ' (LEGACY: before issue 12)' : ''}`,
  { timeout: 600_000 },
  () => {
    let site;
    let machine;
    let aliceBrowser;
    let outside;
    const pages = [];
    const scratch = mkdtempSync(join(tmpdir(), 'vclick-e2e-one-machine-'));

    before(async () => {
      site = await startWebrtcSite();
      machine = await createOneMachine({
        forwardPorts: [portOf(vclickUrl()), portOf(keycloakUrl()), portOf(site.origin)],
        recordings: requireEnv('VCLICK_MEDIA_JANUS_RECORDINGS_DIR'),
        legacy: LEGACY,
      });
      aliceBrowser = await machine.openBrowser({ extension: EXTENSION_DIR });
      logPageErrors(await firstPage(aliceBrowser), 'alice');
      await worker(aliceBrowser);
      await configure(aliceBrowser);
      await signInExtension(aliceBrowser, alice);
      outside = await machine.openBrowser();
      await setPolicy({ rules: [rule('regulated-record', [site.origin], 'record', {}, { roles: ['regulated'] })] });
    });

    after(async () => {
      for (const page of pages.splice(0)) await hangUp(page).catch(() => {});
      await closeAll();
      await machine?.close();
      await site?.close();
      await restoreShippedPolicy();
      rmSync(scratch, { recursive: true, force: true });
    });

    const open = async (context, label) => {
      const page = await context.newPage();
      logPageErrors(page, label);
      pages.push(page);
      return page;
    };

    test(
      'coturn and Janus are configured as ./vclick run configures them: loopback listeners, one media address',
      { skip: LEGACY && 'legacy' },
      async () => {
        assert.equal(machine.media, '192.0.2.1', "Janus's media address: the run's ifb device");
        const link = await machine.exec('ip', ['-d', '-o', 'addr', 'show', 'dev', 'vclick-media']);
        assert.match(link, /inet 192\.0\.2\.1\/32/);
        const turn = machine.coturn.text;
        assert.match(turn, /^allow-loopback-peers$/m);
        assert.match(turn, /^denied-peer-ip=10\.0\.0\.0-10\.255\.255\.255$/m, "the machine's LAN ranges are denied");
        assert.match(turn, /^denied-peer-ip=192\.0\.2\.0-192\.0\.2\.255$/m);
        assert.deepEqual(turn.match(/^allowed-peer-ip=.*$/gm), ['allowed-peer-ip=192.0.2.1'], 'exactly the media address is allowed');
        // Listening on loopback only; relaying from the media address (a relay socket on 127.0.0.1 never
        // hears back from Janus on another address: the pre-issue-12 failure).
        assert.deepEqual(turn.match(/^(listening|relay)-ip=.*$/gm), ['listening-ip=127.0.0.1', 'relay-ip=192.0.2.1']);
        const jcfg = readFileSync(join(machine.janus.confDir, 'janus.jcfg'), 'utf8');
        assert.match(jcfg, /ice_enforce_list = "vclick-media"/);
        // Every TCP listener in the machine is on loopback (coturn, Janus's API, the forwarders).
        const tcp = await machine.exec('ss', ['-Hltn']);
        for (const line of tcp.split('\n').filter(Boolean)) assert.match(line.split(/\s+/)[3], /^127\.0\.0\.1:/, line);
      },
    );

    test('alice (relay-only, record) calls the far end on the same machine: connected through Janus, recorded', TEST, async () => {
      const before = new Set((await recordingsOf(site.origin)).map((r) => r.recordingId));
      const room = newRoom('one-machine');
      const farPage = await open(outside, 'far end');
      await openCall(farPage, site, { room, role: 'callee', stun: turnPort() });
      const alicePage = await open(aliceBrowser, 'alice');
      await openCall(alicePage, site, { room, role: 'caller', stun: turnPort() });
      try {
        await Promise.all([
          waitForCall(alicePage, (s) => s.state === 'connected', 'alice connected', WAIT),
          waitForCall(farPage, (s) => s.state === 'connected', 'far end connected', WAIT),
        ]);
      } catch (e) {
        const janusLog = readFileSync(machine.janus.log, 'utf8').split('\n').slice(-40).join('\n');
        const turnLog = readFileSync(machine.coturn.log, 'utf8')
          .split('\n')
          .filter((l) => /peer|403|denied|forbidden/i.test(l))
          .slice(-20)
          .join('\n');
        throw new Error(
          `${e.message}\n--- alice: ${JSON.stringify(await callState(alicePage)).slice(0, 600)}\n--- janus log:\n${janusLog}\n--- coturn (peers):\n${turnLog}`,
        );
      }
      const connectedAt = Date.now();
      for (const [who, page] of [
        ['alice', alicePage],
        ['far end', farPage],
      ]) {
        await waitForStats(page, (s) => s.framesDecoded > 30, `${who} decodes video`, WAIT);
      }
      const far = await callState(farPage);
      const mediaAddresses = [...candidateAddresses(far.remoteDescription), ...far.remoteCandidates.map((c) => c.split(' ')[4])];
      assert.ok(mediaAddresses.length > 0, 'the far end got candidates');
      for (const address of mediaAddresses) {
        assert.equal(address, machine.media ?? address, "only Janus's media address reaches the far end");
        assert.notEqual(address, MACHINE_ADDRESS, "never the machine's own interface");
      }
      await waitForStats(alicePage, (s) => s.framesDecoded > 90, 'three seconds of video at alice', WAIT);
      await hangUp(alicePage);
      const callSeconds = (Date.now() - connectedAt) / 1000;
      await waitForCall(farPage, (s) => s.state === 'closed', 'the far end sees the hang-up', WAIT);

      const found = await until(
        () => recordingsOf(site.origin),
        (list) => list.some((r) => !before.has(r.recordingId)),
        "the recording of alice's one-machine call",
      );
      const recording = found.find((r) => !before.has(r.recordingId));
      const token = await login(erin.username, erin.password);
      const response = await fetch(`${vclickUrl()}/api/recordings/${recording.recordingId}/media?download=1`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(response.status, 200);
      const path = join(scratch, `${recording.recordingId}.mkv`);
      writeFileSync(path, Buffer.from(await response.arrayBuffer()));
      const streams = probe(path);
      assert.ok(streams.video >= 2 && streams.audio >= 1, `both parties' video and the audio: ${JSON.stringify(streams)}`);
      assert.ok(Math.abs(streams.duration - callSeconds) <= 1.5, `recording ${streams.duration} s vs call ${callSeconds} s`);
      assert.deepEqual(
        recording.participants.map((p) => p.username),
        ['alice'],
      );
    });
  },
);
