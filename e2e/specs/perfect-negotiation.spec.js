// The W3C "perfect negotiation" example (sites/webrtc-site/perfect.js) under every Secure Edge
// decision, with the real extension on one side (alice) and a browser without it on the other:
// both sides start at once (their first offers collide), implicit setLocalDescription(), trickle,
// alice turns her camera on once connected (a renegotiation round), an in-band data channel;
// alice polite and impolite; her connection made by the page or by a script-made
// iframe's constructor. The impolite side opens the data channel (see perfectCall). Each case must connect, carry audio, video and data both ways, and log no
// error in either page. The relay cases from an iframe repeat, to show they are not flaky.
// The `record` decision runs in the network lab with the media servers (recording.spec.js).

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { closeAll, openContext, logPageErrors } from '../lib/browser.js';
import { restoreShippedPolicy, rule, setPolicy } from '../lib/edge-policy.js';
import { USERS, turnPort } from '../lib/env.js';
import { configure, openWithExtension, signInExtension, worker } from '../lib/extension.js';
import { newRoom, openPerfect, pnState, startWebrtcSite, waitForPn, waitForPnStats } from '../lib/webrtc-site.js';

const TEST = { timeout: 120_000 };
const WAIT = { timeout: 30_000 };
const REPEATS = 3;

const SETTINGS = { allow: { candidateFilter: 'mode-1' }, relay: {}, deny: {} };

describe('Perfect negotiation (the W3C example) under every Secure Edge decision', () => {
  let site;
  let aliceBrowser;
  let plainBrowser;
  const pages = [];

  before(async () => {
    await restoreShippedPolicy();
    site = await startWebrtcSite();
    aliceBrowser = await openWithExtension('alice');
    plainBrowser = await openContext();
    await configure(aliceBrowser);
    await signInExtension(aliceBrowser, USERS.alice);
  });

  afterEach(async () => {
    for (const page of pages.splice(0)) {
      await page.evaluate(() => window.pn?.hangUp()).catch(() => {});
      await page.close().catch(() => {});
    }
  });

  after(async () => {
    await closeAll();
    await site?.close();
    await restoreShippedPolicy();
  });

  const open = async (context, label) => {
    const page = await context.newPage();
    logPageErrors(page, label);
    pages.push(page);
    return page;
  };

  const decide = async (decision) => {
    await setPolicy({ rules: [rule(`pn-${decision}`, [site.origin], decision, SETTINGS[decision])] });
    await (await worker(aliceBrowser)).evaluate(() => globalThis.vclickEdgeForget());
  };

  /** One call; alice (extension) upgrades to video and opens the data channel. */
  const perfectCall = async ({ alicePolite, iframe = false, withExtension = true }) => {
    const room = newRoom('pn');
    const alice = await open(withExtension ? aliceBrowser : plainBrowser, 'alice');
    const far = await open(plainBrowser, 'far end');
    // Both pages start together once both are in the room: their first offers collide.
    // The impolite side opens the in-band data channel: Chromium never negotiates a data channel
    // whose first offer was rolled back (the polite side's, in glare) and renegotiates forever,
    // with or without Vclick (see the closing note of issue 12).
    await openPerfect(far, site, { room, polite: !alicePolite, stun: turnPort(), data: alicePolite ? 'inband' : 'none' });
    await openPerfect(alice, site, {
      room,
      polite: alicePolite,
      stun: turnPort(),
      upgrade: true,
      data: alicePolite ? 'none' : 'inband',
      iframe,
    });
    for (const [who, page] of [
      ['alice', alice],
      ['far end', far],
    ]) {
      await waitForPn(page, (s) => s.state === 'connected', `${who} connected`, WAIT);
    }
    await waitForPn(alice, (s) => s.upgraded && s.rounds >= 2 && s.signalingState === 'stable', 'alice upgraded to video', WAIT);
    await waitForPnStats(far, (s) => s.framesDecoded > 20, "the far end decodes alice's video", WAIT);
    await waitForPnStats(alice, (s) => s.audioPacketsReceived > 20, 'alice hears the far end', WAIT);
    await waitForPnStats(far, (s) => s.audioPacketsReceived > 20, 'the far end hears alice', WAIT);
    // Both sides at once; a side that gets nothing says what the other side's channel did.
    await Promise.all(
      [
        ['alice', alice, far],
        ['far end', far, alice],
      ].map(async ([who, page, other]) => {
        try {
          await waitForPn(page, (x) => x.dataMessages.length > 0, `${who} gets a data message`, WAIT);
        } catch (e) {
          const o = await pnState(other).catch(() => null);
          e.message += ` (the other side: ${JSON.stringify({ data: o?.dataState, messages: o?.dataMessages, errors: o?.errors, trace: o?.trace })})`;
          throw e;
        }
      }),
    );
    const [a, f] = [await pnState(alice), await pnState(far)];
    assert.deepEqual(a.errors, [], `no error at alice (${a.trace.join(', ')})`);
    assert.deepEqual(f.errors, [], `no error at the far end (${f.trace.join(', ')})`);
    assert.equal(a.dataMessages[0], `hello from the ${alicePolite ? 'impolite' : 'polite'} side`);
    assert.equal(f.dataMessages[0], `hello from the ${alicePolite ? 'polite' : 'impolite'} side`);
    return { alice: a, far: f };
  };

  test('without the extension: the example connects with glare, upgrade and data', TEST, async () => {
    await perfectCall({ alicePolite: true, withExtension: false });
  });

  for (const decision of ['allow', 'relay']) {
    for (const alicePolite of [true, false]) {
      for (const iframe of [false, true]) {
        test(
          `${decision}: alice ${alicePolite ? 'polite' : 'impolite'}, connection from ${iframe ? "an iframe's" : "the page's"} constructor`,
          TEST,
          async () => {
            await decide(decision);
            const { alice } = await perfectCall({ alicePolite, iframe });
            if (decision === 'relay') {
              for (const line of (alice.localDescription ?? '').split(/\r?\n/).filter((l) => l.startsWith('a=candidate:'))) {
                assert.match(line, / typ relay /, 'relay decision: the page shows only relay candidates');
              }
            }
          },
        );
      }
    }
  }

  test('relay: restartIce() once connected (an ICE restart round), pre-negotiated data channels on both sides', TEST, async () => {
    await decide('relay');
    const room = newRoom('pn-restart');
    const alice = await open(aliceBrowser, 'alice');
    const far = await open(plainBrowser, 'far end');
    await openPerfect(far, site, { room, polite: true, stun: turnPort(), media: 'video', data: 'negotiated' });
    await openPerfect(alice, site, { room, polite: false, stun: turnPort(), media: 'video', data: 'negotiated', restart: true });
    for (const [who, page] of [
      ['alice', alice],
      ['far end', far],
    ]) {
      await waitForPn(page, (s) => s.state === 'connected' && s.dataMessages.length > 0, `${who} connected with a message`, WAIT);
    }
    const ufrag = (sdp) => /^a=ice-ufrag:(\S+)/m.exec(String(sdp))?.[1] ?? null;
    const restarted = await waitForPn(
      alice,
      (s) => s.restarted && s.signalingState === 'stable' && ufrag(s.localDescription) !== s.ufragBeforeRestart,
      'alice restarted ICE (new credentials negotiated)',
      WAIT,
    );
    assert.ok(restarted.ufragBeforeRestart, 'a username fragment before the restart');
    const before = await waitForPnStats(far, (x) => x.framesDecoded > 0, 'frames at the far end', WAIT);
    await waitForPnStats(far, (x) => x.framesDecoded > before.framesDecoded + 20, 'frames still flowing after the restart', WAIT);
    const [a, f] = [await pnState(alice), await pnState(far)];
    assert.deepEqual([a.errors, f.errors], [[], []], `no error (${a.trace.join(', ')})`);
  });

  test(`relay from an iframe's constructor, ${REPEATS} times in a row each way`, { timeout: 600_000 }, async () => {
    await decide('relay');
    for (let run = 0; run < REPEATS; run++) {
      for (const alicePolite of [true, false]) {
        await perfectCall({ alicePolite, iframe: true });
        for (const page of pages.splice(0)) {
          await page.evaluate(() => window.pn?.hangUp()).catch(() => {});
          await page.close().catch(() => {});
        }
      }
    }
  });

  test('deny: the example fails at once with NotAllowedError, nothing reaches the far end', TEST, async () => {
    await decide('deny');
    const room = newRoom('pn-deny');
    const alice = await open(aliceBrowser, 'alice');
    const far = await open(plainBrowser, 'far end');
    await openPerfect(far, site, { room, polite: true, stun: turnPort() });
    await openPerfect(alice, site, { room, polite: false, stun: turnPort() });
    const s = await waitForPn(alice, (x) => x.state === 'failed', 'alice blocked', { ...WAIT, tolerateErrors: true });
    assert.match(s.errors.join('\n'), /NotAllowedError/);
    assert.equal((await pnState(far)).remoteDescription, null, 'nothing reached the far end');
  });
});
