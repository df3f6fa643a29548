// Secure Edge at the border, in network namespaces this test creates (lib/netns.js): browser A in an
// "enterprise" namespace whose firewall drops all UDP and TCP except to the border relay, browser B
// outside. On the third-party site (its own signaling, forwarded into both namespaces on the same
// URL, as are the app and Keycloak): without the extension A's call fails (ICE failed, the firewall
// counted drops); with the extension (alice, shipped relay policy) the same call connects through
// the relay: the wrapper replaced the site's STUN server by the enterprise TURN URIs with minted
// credentials, which reach the border relay.

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { firstPage, logPageErrors } from '../lib/browser.js';
import { restoreShippedPolicy } from '../lib/edge-policy.js';
import { USERS, keycloakUrl, turnPort, vclickUrl } from '../lib/env.js';
import { EXTENSION_DIR, configure, signInExtension, worker } from '../lib/extension.js';
import { createEnterpriseLab } from '../lib/netns.js';
import { callState, hangUp, newRoom, openCall, startWebrtcSite, waitForCall, waitForStats } from '../lib/webrtc-site.js';

const TEST = { timeout: 120_000 };
const portOf = (url) => Number(new URL(url).port);

describe('Secure Edge at the enterprise border (network namespaces)', { timeout: 300_000 }, () => {
  let site;
  let lab;
  let outside; // browser B in ext, no extension
  const pages = [];

  before(async () => {
    await restoreShippedPolicy();
    site = await startWebrtcSite();
    lab = await createEnterpriseLab({
      forwardPorts: [portOf(vclickUrl()), portOf(keycloakUrl()), portOf(site.origin)],
    });
    outside = await lab.openBrowser('ext');
  });

  afterEach(async () => {
    for (const page of pages.splice(0)) await hangUp(page);
  });

  after(async () => {
    await lab?.close();
    await site?.close();
  });

  const open = async (context, label) => {
    const page = await context.newPage();
    logPageErrors(page, label);
    pages.push(page);
    return page;
  };

  /** A calls B on the site: B (callee) first, then A. */
  const call = async (aContext) => {
    const room = newRoom('border');
    const b = await open(outside, 'B');
    await openCall(b, site, { room, role: 'callee', stun: turnPort() });
    const a = await open(aContext, 'A');
    await openCall(a, site, { room, role: 'caller', stun: turnPort() });
    return { a, b };
  };

  test('without the extension, A inside the enterprise cannot call out: ICE fails at the firewall', TEST, async () => {
    const before = (await lab.dropCounters()).udp.packets;
    const plain = await lab.openBrowser('ent');
    const { a, b } = await call(plain);
    // Whichever side gives up first ends the call for both (the site tears down and leaves the
    // room): what matters is an ICE failure and that neither side ever connected.
    const failedOnIce = (s) => s.state === 'failed' && s.error?.name === 'ConnectionFailed';
    const deadline = Date.now() + 60_000;
    let states;
    for (;;) {
      states = await Promise.all([callState(a), callState(b)]);
      if (states.some(failedOnIce)) break;
      assert.ok(Date.now() < deadline, `no ICE failure within 60 s: ${JSON.stringify(states.map((x) => x.state))}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    for (const s of states) assert.notEqual(s.connectionState, 'connected');
    assert.ok((await lab.dropCounters()).udp.packets > before, "the enterprise firewall dropped A's UDP");
    await plain.close();
  });

  test('with the extension, the same call succeeds through the border relay', TEST, async () => {
    const context = await lab.openBrowser('ent', { extension: EXTENSION_DIR });
    logPageErrors(await firstPage(context), 'A');
    await worker(context);
    await configure(context);
    await signInExtension(context, USERS.alice);
    const { a, b } = await call(context);
    await waitForCall(a, (s) => s.state === 'connected', 'A connected', { timeout: 30_000 });
    const mine = await waitForStats(a, (s) => s.framesDecoded > 0 && s.pair, 'A decodes video', { timeout: 30_000 });
    assert.equal(mine.pair.local.candidateType, 'relay');
    assert.equal(mine.pair.local.address, lab.relay.outside, "allocated on the border relay's outside address");
    const theirs = await waitForStats(b, (s) => s.framesDecoded > 0 && s.pair, 'B decodes video', { timeout: 30_000 });
    assert.equal(theirs.pair.remote.address, lab.relay.outside, 'B talks to the relay, not to A');
    await context.close();
  });
});
