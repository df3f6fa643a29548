// Accounting that ends (issue 13): alice and bob (each with the real extension) are in a Secure Edge
// call on a third-party-style site; bob's browser is closed mid-call. His connection ends in the
// call log as `lost`, with the figures his extension last sampled, once his presence has been
// offline for the configured grace (never sooner, and within grace + sweep interval + slack), and
// the call ends. The e2e Payara runs with VCLICK_EDGE_CONNECTIONS_OFFLINE_GRACE=PT5S and
// VCLICK_EDGE_CONNECTIONS_SWEEP_INTERVAL=PT2S (start_e2e_payara in ./vclick).
// A tab that crashes mid-call (CDP Page.crash; the browser and its extension stay) says nothing, but
// its frame's port to the extension's worker disconnects: the worker ends the tab's open connection
// (`page-unloaded`, with the last figures sampled) within seconds, not the 5-minute silence limit.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closeAll } from '../lib/browser.js';
import { apiAs, restoreShippedPolicy } from '../lib/edge-policy.js';
import { USERS, turnPort } from '../lib/env.js';
import { configure, openWithExtension, signInExtension, worker } from '../lib/extension.js';
import { connectCall, startWebrtcSite, waitForStats } from '../lib/webrtc-site.js';

const { alice, bob } = USERS;
const TEST = { timeout: 150_000 };
const WAIT = { timeout: 20_000 };
const OFFLINE_GRACE_MS = 5_000;
const SWEEP_MS = 2_000;
/** A loaded machine's delay on top: the sweep's transaction, the API round trips, the polling. */
const SLACK_MS = 15_000;

let site;

/** Polls `GET /api/edge/calls` as `user` until `check(calls)` returns something. */
async function waitForCalls(user, check, what, { timeout = 20_000 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await apiAs(user, 'GET', 'edge/calls');
    const found = last.status === 200 && check(last.json);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeout} ms; last ${last.status} ${last.text.slice(0, 600)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Bob's presence as the server sees it. */
async function presenceOf(user) {
  const { status, json } = await apiAs(alice, 'POST', 'presence/lookup', { emails: [user.email] });
  assert.equal(status, 200);
  return json.people[0]?.presence;
}

describe('a browser that goes away mid-call', () => {
  before(async () => {
    await restoreShippedPolicy();
    site = await startWebrtcSite();
  });

  after(async () => {
    await closeAll();
    await site?.close();
  });

  test('a tab that crashes mid-call has its connection ended within seconds by its own extension', TEST, async () => {
    const aliceBrowser = await openWithExtension('alice');
    const bobBrowser = await openWithExtension('bob');
    for (const [context, user] of [
      [aliceBrowser, alice],
      [bobBrowser, bob],
    ]) {
      await configure(context);
      await signInExtension(context, user);
    }
    const alicePage = await aliceBrowser.newPage();
    const bobPage = await bobBrowser.newPage();
    await connectCall(alicePage, bobPage, site, { variant: 'addTransceiver', stun: turnPort() });
    await waitForStats(bobPage, (s) => s.framesDecoded > 0 && s.bytesSent > 0, 'bob sends and decodes', WAIT);
    await (await worker(bobBrowser)).evaluate(() => globalThis.vclickEdgeSample());
    const ours = (calls) =>
      calls.find(
        (c) =>
          c.origin === site.origin &&
          !c.endedAt &&
          c.connections.length === 2 &&
          c.connections.some((x) => x.username === bob.username && x.bytesSent > 0 && !x.closedAt),
      );
    const open = await waitForCalls(alice, ours, "the call with bob's sampled figures");
    const bobs = open.connections.find((c) => c.username === bob.username);

    const cdp = await bobBrowser.newCDPSession(bobPage);
    const crashedAt = Date.now();
    cdp.send('Page.crash').catch(() => {}); // never answers: the renderer is gone
    const ended = await waitForCalls(
      alice,
      (calls) => {
        const call = calls.find((c) => c.callId === open.callId);
        const gone = call?.connections.find((c) => c.connectionId === bobs.connectionId);
        return gone?.closedAt ? gone : null;
      },
      "bob's crashed tab's connection ended",
      { timeout: 10_000 },
    );
    const elapsed = Date.now() - crashedAt;
    assert.equal(ended.endReason, 'page-unloaded', 'ended by his extension, not by the server as lost');
    assert.ok(ended.bytesSent >= bobs.bytesSent && ended.bytesReceived >= bobs.bytesReceived, 'the last figures sampled');
    assert.equal(await presenceOf(bob), 'online', "bob's browser and extension are still there");
    console.log(`bob's crashed tab's connection ended ${elapsed} ms after the crash`);
    await aliceBrowser.close();
    await bobBrowser.close();
  });

  test("closing bob's browser ends his connection as lost, with its last figures, and the call", TEST, async () => {
    const aliceBrowser = await openWithExtension('alice');
    const bobBrowser = await openWithExtension('bob');
    for (const [context, user] of [
      [aliceBrowser, alice],
      [bobBrowser, bob],
    ]) {
      await configure(context);
      await signInExtension(context, user);
    }
    const alicePage = await aliceBrowser.newPage();
    const bobPage = await bobBrowser.newPage();
    await connectCall(alicePage, bobPage, site, { variant: 'addTransceiver', stun: turnPort() });
    await waitForStats(bobPage, (s) => s.framesDecoded > 0 && s.bytesSent > 0, 'bob sends and decodes', WAIT);

    // Bob's extension samples his open connection (what its keepalive alarm does every 30 s).
    await (await worker(bobBrowser)).evaluate(() => globalThis.vclickEdgeSample());
    const ours = (calls) =>
      calls.find(
        (c) =>
          c.origin === site.origin &&
          c.connections.length === 2 &&
          c.connections.every((x) => x.peerConnectionId) &&
          c.connections.some((x) => x.username === bob.username && x.bytesSent > 0 && !x.closedAt),
      );
    const open = await waitForCalls(alice, ours, "the call, paired, with bob's sampled figures");
    const bobs = open.connections.find((c) => c.username === bob.username);
    assert.equal(open.endedAt, null, 'ongoing');

    await bobBrowser.close();
    const deadline = Date.now() + 75_000; // a socket the server has not seen close yet: the idle timeout
    while ((await presenceOf(bob)) !== 'offline') {
      assert.ok(Date.now() < deadline, 'bob goes offline');
      await new Promise((r) => setTimeout(r, 200));
    }
    const offlineAt = Date.now();

    const ended = await waitForCalls(
      alice,
      (calls) => {
        const call = calls.find((c) => c.callId === open.callId);
        const lost = call?.connections.find((c) => c.connectionId === bobs.connectionId);
        return lost?.endReason === 'lost' && call.endedAt ? call : null;
      },
      "bob's connection lost and the call ended",
      { timeout: OFFLINE_GRACE_MS + SWEEP_MS + SLACK_MS },
    );
    const elapsed = Date.now() - offlineAt;
    assert.ok(elapsed >= OFFLINE_GRACE_MS - 1_000, `not before the grace: ${elapsed} ms`);
    const lost = ended.connections.find((c) => c.connectionId === bobs.connectionId);
    assert.ok(lost.bytesSent >= bobs.bytesSent && lost.bytesReceived >= bobs.bytesReceived, 'the last figures sampled');
    assert.ok(Date.parse(lost.closedAt) >= Date.parse(lost.connectedAt), 'ends at the last instant known of it');
    const alices = ended.connections.find((c) => c.username === alice.username);
    assert.ok(alices.closedAt, "alice's page hung up when bob left the site");
    assert.notEqual(alices.endReason, 'lost', "alice's own browser reported hers");
  });
});
