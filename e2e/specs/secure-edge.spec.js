// Secure Edge on a third-party site (e2e/sites/webrtc-site: its own WebSocket signaling, trickle
// ICE, addTrack and addTransceiver, a connection made in a fresh iframe) with the real extension
// in Chromium: the shipped relay policy forces relay↔relay through coturn with credentials minted
// for the user and origin; the popup names the other enterprise user; the connection log holds the
// call; the IP-leak page sees only the fake and the relay's addresses; deny, a blocked camera and
// a time window change what the site can do; a page's tampering gets nothing. Policy changes go
// through the API as frank and the shipped policy is put back after each test.

import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { after, afterEach, before, describe, test } from 'node:test';
import { closeAll, openContext, logPageErrors } from '../lib/browser.js';
import { apiAs, restoreShippedPolicy, rule, setPolicy } from '../lib/edge-policy.js';
import { USERS, turnPort, turnSecret } from '../lib/env.js';
import { configure, extensionUrl, openWithExtension, signInExtension, worker } from '../lib/extension.js';
import {
  callState,
  connectCall,
  hangUp,
  newRoom,
  openCall,
  runLeakTest,
  startWebrtcSite,
  waitForCall,
  waitForStats,
} from '../lib/webrtc-site.js';

const { alice, bob, carol } = USERS;
const TEST = { timeout: 120_000 };
const WAIT = { timeout: 20_000 };
const FAKE_IP = '192.0.2.1';

let site;
let aliceBrowser;
let bobBrowser;
let plainBrowser;
const pages = [];

async function newPage(context, label) {
  const page = await context.newPage();
  logPageErrors(page, label);
  pages.push(page);
  return page;
}

/** Asks the extension's worker in `context` to forget cached decisions (after a policy change). */
async function forgetDecisions(context) {
  await (await worker(context)).evaluate(() => globalThis.vclickEdgeForget());
}

/** The tab id the extension knows `page` by. */
async function tabIdOf(context, page) {
  const url = page.url();
  const id = await (
    await worker(context)
  ).evaluate(async (wanted) => (await chrome.tabs.query({})).find((t) => t.url === wanted)?.id ?? null, url);
  assert.ok(Number.isInteger(id), `a tab with ${url}`);
  return id;
}

/** The non-loopback addresses of this machine (what a leak would show). */
function machineAddresses() {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => !i.internal)
    .map((i) => i.address.replace(/%.*$/, ''));
}

/** Polls the connection log as `user` until `check(calls)` holds. */
async function waitForCalls(user, query, check, what, { timeout = 20_000 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await apiAs(user, 'GET', `edge/calls${query}`);
    if (last.status === 200 && check(last.json)) return last.json;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeout} ms; last ${last.status} ${last.text.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe('Secure Edge on a third-party site', () => {
  before(async () => {
    await restoreShippedPolicy();
    site = await startWebrtcSite();
    aliceBrowser = await openWithExtension('alice');
    bobBrowser = await openWithExtension('bob');
    plainBrowser = await openContext();
    await configure(aliceBrowser);
    await configure(bobBrowser);
    await signInExtension(aliceBrowser, alice);
    await signInExtension(bobBrowser, bob);
  });

  afterEach(async () => {
    for (const page of pages.splice(0)) {
      await hangUp(page);
      await page.close().catch(() => {});
    }
    await restoreShippedPolicy();
    for (const context of [aliceBrowser, bobBrowser]) await forgetDecisions(context).catch(() => {});
  });

  after(async () => {
    await closeAll();
    await site?.close();
    await restoreShippedPolicy();
  });

  test('relay: two extension users meet relay↔relay, each popup names the other, the log holds the call', TEST, async () => {
    const alicePage = await newPage(aliceBrowser, 'alice');
    const bobPage = await newPage(bobBrowser, 'bob');
    await connectCall(alicePage, bobPage, site, { variant: 'addTransceiver', stun: turnPort() });
    for (const [who, page] of [
      ['alice', alicePage],
      ['bob', bobPage],
    ]) {
      const stats = await waitForStats(page, (s) => s.framesDecoded > 0 && s.pair, `${who} decodes video`, WAIT);
      assert.equal(stats.pair.local.candidateType, 'relay', `${who}: local relay`);
      assert.equal(stats.pair.remote.candidateType, 'relay', `${who}: remote relay`);
      const state = await callState(page);
      for (const line of state.localCandidates) assert.match(line, / typ relay /, `${who} shows only relay candidates`);
      assert.doesNotMatch(state.localDescription, /typ (host|srflx)/, `${who}'s SDP has no host/srflx candidate`);
    }

    // The popup of each lists the connection with the other's enterprise identity.
    for (const [context, page, other] of [
      [aliceBrowser, alicePage, bob],
      [bobBrowser, bobPage, alice],
    ]) {
      const popup = await newPage(context, 'popup');
      await popup.goto(extensionUrl(`src/popup/popup.html?tab=${await tabIdOf(context, page)}`));
      const item = popup.locator(`#edge-connections li[data-peer-username="${other.username}"]`);
      await item.waitFor(WAIT);
      assert.equal(await item.getAttribute('data-local-type'), 'relay');
      assert.equal(await item.getAttribute('data-decision'), 'relay');
      assert.match(await item.textContent(), new RegExp(other.name));
    }

    await hangUp(alicePage);
    await waitForCall(bobPage, (s) => s.state === 'closed', 'bob sees the hang-up', WAIT);
    const ours = (c) => c.origin === site.origin && c.connections.length === 2 && c.connections.every((x) => x.closedAt);
    const calls = await waitForCalls(alice, '', (list) => list.some(ours), "the call with both connections closed in alice's log");
    const call = calls.find(ours);
    assert.deepEqual(call.participants.map((p) => p.username).sort(), ['alice', 'bob']);
    assert.equal(call.origin, site.origin);
    assert.ok(call.durationSeconds >= 0 && call.endedAt, 'ended with a duration');
    for (const c of call.connections) {
      assert.equal(c.localCandidateType, 'relay');
      assert.equal(c.remoteCandidateType, 'relay');
      // The decision (and rule) of another user's connection is for edge-admin only.
      assert.equal(c.decision, c.username === alice.username ? 'relay' : null);
      assert.ok(c.peerConnectionId, 'paired with the other end');
    }
    const bobs = await waitForCalls(bob, '', (list) => list.some((c) => c.callId === call.callId), "the same call in bob's log");
    assert.ok(bobs.length > 0);
    const carols = await apiAs(carol, 'GET', 'edge/calls');
    assert.equal(carols.status, 200);
    assert.ok(!carols.json.some((c) => c.callId === call.callId), 'carol cannot read it');
    assert.equal((await apiAs(carol, 'GET', 'edge/calls?user=x')).status, 403, 'nor ask for another user');
  });

  test('relay with a party without the extension, the connection made in a fresh iframe', TEST, async () => {
    const alicePage = await newPage(aliceBrowser, 'alice');
    const outside = await newPage(plainBrowser, 'outside');
    await connectCall(alicePage, outside, site, { variant: 'addTrack', iframe: true, stun: turnPort() });
    const mine = await waitForStats(alicePage, (s) => s.framesDecoded > 0 && s.pair, 'alice decodes video', WAIT);
    assert.equal(mine.pair.local.candidateType, 'relay', 'the iframe connection is wrapped: relay');
    const theirs = await waitForStats(outside, (s) => s.framesDecoded > 0 && s.pair, 'the outside party decodes video', WAIT);
    assert.equal(theirs.pair.remote.candidateType, 'relay', 'the outside party talks to the relay');
    assert.equal((await callState(alicePage)).realm, 'iframe');
  });

  test("the IP-leak page sees only the fake address and the relay's; without the extension it sees the machine", TEST, async () => {
    const real = machineAddresses();
    const without = await runLeakTest(await newPage(plainBrowser, 'plain'), site, { stun: turnPort() });
    assert.ok(
      without.allAddresses.some((a) => real.includes(a)),
      `control: without the extension the page sees this machine (${without.allAddresses})`,
    );
    const leak = await runLeakTest(await newPage(aliceBrowser, 'alice'), site, { stun: turnPort() });
    assert.equal(leak.error, null);
    const relays = leak.candidates.filter((c) => c.type === 'relay').map((c) => c.address.replace(/^\[|\]$/g, ''));
    assert.ok(relays.length > 0, 'relay candidates gathered');
    assert.ok(
      leak.candidates.every((c) => c.type === 'relay'),
      'only relay candidates',
    );
    for (const address of leak.allAddresses) {
      assert.ok([FAKE_IP, '0.0.0.0', ...relays].includes(address), `${address} is the fake, the relay's or none`);
      assert.ok(!real.includes(address), `${address} is none of this machine's own addresses`);
    }
    assert.ok(leak.allAddresses.includes(FAKE_IP), 'the related address shows the fake IP');
  });

  test("deny on the site's origin: the site's call fails cleanly with NotAllowedError", TEST, async () => {
    await setPolicy({ rules: [rule('deny-site', [site.origin], 'deny')] });
    await forgetDecisions(aliceBrowser);
    const room = newRoom();
    await openCall(await newPage(plainBrowser, 'outside'), site, { room, role: 'callee', media: 'data', stun: turnPort() });
    const page = await newPage(aliceBrowser, 'alice');
    await openCall(page, site, { room, role: 'caller', media: 'data', stun: turnPort() });
    const failed = await waitForCall(page, (s) => s.state === 'failed', 'the call fails', WAIT);
    assert.equal(failed.error.name, 'NotAllowedError');
    assert.ok(['constructor', 'createOffer', 'setLocalDescription'].includes(failed.error.where), failed.error.where);
    assert.match(await page.locator('#status').textContent(), /NotAllowedError/);
  });

  test('record while the recording media server is unavailable: the call is blocked, never unrecorded', TEST, async () => {
    await setPolicy({ rules: [rule('record-site', [site.origin], 'record')] });
    await forgetDecisions(aliceBrowser);
    const room = newRoom();
    const outsidePage = await newPage(plainBrowser, 'outside');
    await openCall(outsidePage, site, { room, role: 'callee', media: 'data', stun: turnPort() });
    const page = await newPage(aliceBrowser, 'alice');
    await openCall(page, site, { room, role: 'caller', media: 'data', stun: turnPort() });
    const failed = await waitForCall(page, (s) => s.state === 'failed', 'the recorded call fails', WAIT);
    assert.equal(failed.error.name, 'NotAllowedError');
    assert.match(failed.error.message, /recorded/);
    assert.equal((await callState(outsidePage)).remoteDescription, null, 'nothing reached the far end');
  });

  test('camera blocked: getUserMedia rejects with NotAllowedError, an audio call still works', TEST, async () => {
    await setPolicy({ rules: [rule('no-camera', [site.origin], 'relay', { blockCamera: true })] });
    await forgetDecisions(aliceBrowser);
    const video = await newPage(aliceBrowser, 'alice');
    await openCall(video, site, { room: newRoom(), role: 'caller', media: 'video', stun: turnPort() });
    const failed = await waitForCall(video, (s) => s.state === 'failed', 'the video call fails', WAIT);
    assert.deepEqual([failed.error.name, failed.error.where], ['NotAllowedError', 'getUserMedia']);
    const audio = await newPage(aliceBrowser, 'alice');
    const outside = await newPage(plainBrowser, 'outside');
    await connectCall(audio, outside, site, { media: 'audio', stun: turnPort() });
    const stats = await waitForStats(audio, (s) => s.packetsReceived > 0 && s.pair, 'audio flows', WAIT);
    assert.equal(stats.pair.local.candidateType, 'relay');
  });

  test('a time window decides: inside it the site is denied, outside it relayed', TEST, async () => {
    const hhmm = (hoursFromNow) => {
      const d = new Date(Date.now() + hoursFromNow * 3_600_000);
      return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    };
    const days = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
    const window = (from, to) => [{ days, from: hhmm(from), to: hhmm(to), zone: 'UTC' }];
    await setPolicy({ rules: [rule('office-hours', [site.origin], 'deny', {}, { timeWindows: window(-1, 1) })] });
    await forgetDecisions(aliceBrowser);
    const inside = await runLeakTest(await newPage(aliceBrowser, 'alice'), site, { stun: turnPort() });
    assert.equal(inside.error?.name, 'NotAllowedError', 'inside the window: denied');

    await setPolicy({ rules: [rule('office-hours', [site.origin], 'deny', {}, { timeWindows: window(2, 3) })] });
    await forgetDecisions(aliceBrowser);
    const outside = await runLeakTest(await newPage(aliceBrowser, 'alice'), site, { stun: turnPort() });
    assert.equal(outside.error, null, 'outside the window: the default (relay) applies');
    assert.ok(outside.candidates.length > 0 && outside.candidates.every((c) => c.type === 'relay'));
  });

  test("tampering: forged bridge messages, a fresh iframe's constructor and reading the relay secret get nothing", TEST, async () => {
    const page = await newPage(aliceBrowser, 'alice');
    await page.goto(site.url('/leak.html?ice=none'));
    const secret = turnSecret();
    const result = await page.evaluate(async () => {
      const heard = [];
      // A forged hello with a port of the page's own, and window messages that look like a decision.
      const channel = new MessageChannel();
      channel.port1.onmessage = (e) => heard.push(e.data);
      document.dispatchEvent(new MessageEvent('vclick-edge-hello', { ports: [channel.port2] }));
      channel.port1.postMessage({ type: 'decision.request' });
      const allow = { type: 'decision', decision: { decision: 'allow', settings: { candidateFilter: 'mode-1' } } };
      window.postMessage(allow, '*');
      document.dispatchEvent(new CustomEvent('vclick-edge-hello', { detail: allow }));
      // The constructor of a fresh iframe (a common escape from wrappers).
      const frame = document.createElement('iframe');
      document.body.append(frame);
      const gather = async (Ctor) => {
        const pc = new Ctor({ iceServers: [{ urls: 'stun:127.0.0.1:1' }] });
        const lines = [];
        pc.onicecandidate = (e) => e.candidate?.candidate && lines.push(e.candidate.candidate);
        pc.createDataChannel('x');
        await pc.setLocalDescription(await pc.createOffer());
        await new Promise((resolve) => {
          const done = () => pc.iceGatheringState === 'complete' && resolve();
          pc.addEventListener('icegatheringstatechange', done);
          done();
        });
        const stats = [];
        (await pc.getStats()).forEach((s) => stats.push(s));
        const seen = JSON.stringify({ lines, sdp: pc.localDescription.sdp, conf: pc.getConfiguration(), stats });
        pc.close();
        return { lines, seen };
      };
      const top = await gather(RTCPeerConnection);
      const framed = await gather(frame.contentWindow.RTCPeerConnection);
      return {
        heard,
        top,
        framed,
        html: document.documentElement.outerHTML,
        native: [
          Function.prototype.toString.call(RTCPeerConnection),
          String(RTCPeerConnection.prototype.setLocalDescription),
          String(Function.prototype.toString),
          String(Object.getOwnPropertyDescriptor(RTCPeerConnection.prototype, 'localDescription').get),
        ],
        sameProto: Object.getPrototypeOf(new RTCPeerConnection()) === RTCPeerConnection.prototype,
      };
    });
    assert.deepEqual(result.heard, [], 'the forged port heard nothing');
    for (const [where, gathered] of [
      ['top', result.top],
      ['iframe', result.framed],
    ]) {
      assert.ok(gathered.lines.length > 0, `${where}: candidates gathered`);
      for (const line of gathered.lines) assert.match(line, / typ relay /, `${where}: still relay only`);
      assert.ok(!gathered.seen.includes(secret), `${where}: the relay's secret is nowhere`);
      assert.ok(!gathered.seen.includes('credential'), `${where}: no credential in what the page can read`);
    }
    assert.ok(!result.html.includes(secret));
    for (const text of result.native) assert.match(text, /\{ \[native code\] \}$/, text);
    assert.ok(result.sameProto);
  });
});
