// The third-party WebRTC test site (sites/webrtc-site/, served with its own signaling by
// lib/webrtc-site.js) on its own, WITHOUT the extension: its signaling server, then calls between
// two browsers in every variant the Secure Edge specs use, hanging up, its error banner, and the
// IP-leak page. The Secure Edge specs rely on all of this working before the extension is added.

import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { after, afterEach, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { closeAll, firstPage, logPageErrors, openContext } from '../lib/browser.js';
import { turnPort } from '../lib/env.js';
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
import { MAX_MESSAGE_BYTES } from '../sites/webrtc-site/protocol.js';

const STUN = turnPort();
const TEST = { timeout: 30_000 };
const WAIT_MS = 5_000;

/** Every address of this machine: the site must never use another one. */
const LOCAL_ADDRESSES = new Set(
  Object.values(networkInterfaces())
    .flat()
    .map((i) => i.address.replace(/%.*$/, '')),
);

const addressOf = (candidate) => candidate.split(' ')[4];
const typeOf = (candidate) => / typ (\w+)/.exec(candidate)?.[1];
const mediaLines = (sdp) =>
  sdp
    .split(/\r?\n/)
    .filter((l) => l.startsWith('m='))
    .map((l) => l.split(' ')[0]);

after(closeAll);

// ---------------------------------------------------------------------------------------------
// The signaling server, with plain WebSocket clients.

/** A WebSocket client of /signal whose messages are read one by one with `next()`. */
async function signalClient(site) {
  const ws = new WebSocket(site.signalUrl);
  const inbox = [];
  const waiting = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString());
    if (waiting.length) waiting.shift()(msg);
    else inbox.push(msg);
  });
  await new Promise((open, fail) => {
    ws.once('open', open);
    ws.once('error', fail);
  });
  return {
    ws,
    send: (msg) => ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg)),
    next: (what) =>
      inbox.length
        ? Promise.resolve(inbox.shift())
        : new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no ${what} within ${WAIT_MS} ms`)), WAIT_MS);
            waiting.push((msg) => {
              clearTimeout(timer);
              resolve(msg);
            });
          }),
    closed: () =>
      ws.readyState === WebSocket.CLOSED
        ? Promise.resolve()
        : new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`socket still open after ${WAIT_MS} ms`)), WAIT_MS);
            ws.once('close', (code) => {
              clearTimeout(timer);
              resolve(code);
            });
          }),
    close: () => ws.close(),
  };
}

describe("the site's own signaling server", () => {
  let site;
  const clients = [];
  const client = async () => {
    const c = await signalClient(site);
    clients.push(c);
    return c;
  };

  before(async () => {
    site = await startWebrtcSite();
  });
  afterEach(() => clients.splice(0).forEach((c) => c.close()));
  after(() => site?.close());

  test('serves the pages from its folder only, never cached, GET and HEAD only', async () => {
    const page = await fetch(site.url('/index.html?room=x'));
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /^text\/html/);
    assert.match(page.headers.get('cache-control'), /no-store/);
    assert.match(await page.text(), /<p id="status"/);
    assert.equal((await fetch(site.url('/'))).status, 200, 'a folder serves its index.html');
    assert.match((await fetch(site.url('/site.js'))).headers.get('content-type'), /^text\/javascript/);
    assert.equal((await fetch(site.url('/leak.html'), { method: 'HEAD' })).status, 200);
    assert.equal((await fetch(site.url('/index.html'), { method: 'POST' })).status, 405);
    assert.equal((await fetch(site.url('/..%2fpackage.json'))).status, 403, 'nothing outside the site folder');
    assert.equal((await fetch(site.url('/nope.html'))).status, 404);
    assert.equal((await fetch(site.url('/signal'))).status, 426, '/signal wants a WebSocket');
    const elsewhere = new WebSocket(`${site.signalUrl}-not`);
    const refused = await new Promise((resolve) => elsewhere.once('error', resolve));
    assert.match(refused.message, /404/, 'no WebSocket on another path');
  });

  test('two members per room: who is there, then everything relayed to the other with its sender', async () => {
    const room = newRoom();
    const a = await client();
    a.send({ type: 'join', room, role: 'caller' });
    const aJoined = await a.next('joined');
    assert.equal(aJoined.type, 'joined');
    assert.equal(aJoined.room, room);
    assert.deepEqual(aJoined.peers, []);

    const b = await client();
    b.send({ type: 'join', room, role: 'callee' });
    const bJoined = await b.next('joined');
    assert.deepEqual(bJoined.peers, [{ id: aJoined.id, role: 'caller' }]);
    assert.deepEqual(await a.next('peer-joined'), { type: 'peer-joined', peer: { id: bJoined.id, role: 'callee' } });
    assert.deepEqual(site.rooms()[room], ['caller', 'callee']);

    a.send({ type: 'offer', sdp: 'v=0 offer' });
    assert.deepEqual(await b.next('offer'), { type: 'offer', sdp: 'v=0 offer', from: aJoined.id });
    b.send({ type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' } });
    assert.equal((await a.next('candidate')).from, bJoined.id);

    const c = await client();
    c.send({ type: 'join', room, role: 'caller' });
    const full = await c.next('room-full');
    assert.equal(full.type, 'error');
    assert.equal(full.code, 'room-full');
    c.send({ type: 'join', room: `${room}-2`, role: 'caller' });
    assert.equal((await c.next('joined elsewhere')).type, 'joined', 'still connected and can join another room');

    b.close();
    assert.deepEqual(await a.next('peer-left'), { type: 'peer-left', peer: { id: bJoined.id, role: 'callee' } });
    a.send({ type: 'leave' });
    c.send({ type: 'leave' });
    await waitUntil(() => Object.keys(site.rooms()).length === 0, 'every room empty');
  });

  test('malformed messages: an error reply naming the problem, the socket stays open', async () => {
    const x = await client();
    const expectError = async (msg, code) => {
      x.send(msg);
      const reply = await x.next(`error ${code}`);
      assert.equal(reply.type, 'error', JSON.stringify(msg));
      assert.equal(reply.code, code, `${JSON.stringify(msg)}: ${reply.message}`);
      assert.ok(reply.message.length > 0);
    };
    await expectError('not json {', 'bad-json');
    await expectError('[1,2]', 'bad-message');
    await expectError('null', 'bad-message');
    await expectError({ sdp: 'no type' }, 'bad-message');
    await expectError({ type: 'offer', sdp: 'x' }, 'not-joined');
    await expectError({ type: 'leave' }, 'not-joined');
    await expectError({ type: 'join', room: '../etc' }, 'bad-room');
    await expectError({ type: 'join', room: '' }, 'bad-room');
    await expectError({ type: 'join', room: 'r', role: { admin: true } }, 'bad-message');
    x.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    assert.equal((await x.next('binary refused')).code, 'bad-message');
    const room = newRoom();
    x.send({ type: 'join', room });
    assert.equal((await x.next('joined')).type, 'joined');
    await expectError({ type: 'join', room }, 'already-joined');
    await expectError({ type: 'peer-joined', peer: {} }, 'bad-message');
  });

  test(`a message over ${MAX_MESSAGE_BYTES} bytes closes the socket (1009)`, async () => {
    const x = await client();
    x.send({ type: 'join', room: newRoom() });
    await x.next('joined');
    x.send({ type: 'offer', sdp: 'a'.repeat(MAX_MESSAGE_BYTES) });
    assert.equal(await x.closed(), 1009);
  });

  test('close() closes every socket', async () => {
    const other = await startWebrtcSite();
    const x = await signalClient(other);
    x.send({ type: 'join', room: 'r' });
    await x.next('joined');
    const closed = x.closed();
    await other.close();
    await closed;
    await assert.rejects(fetch(other.url('/index.html')), 'the port no longer answers');
  });
});

/** Polls a node-side condition (every 50 ms) until it holds or WAIT_MS pass. */
async function waitUntil(condition, what) {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`no ${what} after ${WAIT_MS} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---------------------------------------------------------------------------------------------
// Calls between two browsers.

const CALLS = [
  { name: 'addTrack: camera and microphone', options: { variant: 'addTrack' } },
  { name: 'addTransceiver + replaceTrack', options: { variant: 'addTransceiver' } },
  { name: 'addTrack, RTCPeerConnection of a script-made <iframe>', options: { iframe: true } },
  {
    name: 'addTransceiver, RTCPeerConnection of a script-made <iframe>',
    options: { variant: 'addTransceiver', iframe: true },
  },
  { name: 'audio only', options: { media: 'audio' } },
  { name: 'audio only with addTransceiver', options: { media: 'audio', variant: 'addTransceiver' } },
  { name: 'data channel only', options: { media: 'data' } },
  { name: 'no ICE servers (ice=none)', options: { ice: 'none' } },
  { name: 'no trickle ICE (candidates inside the descriptions)', options: { trickle: false } },
];

describe('the site in two browsers, without the extension', () => {
  let site;
  let caller;
  let callee;

  before(async () => {
    site = await startWebrtcSite();
    const contexts = await Promise.all([openContext(), openContext()]);
    [caller, callee] = await Promise.all(contexts.map(firstPage));
    logPageErrors(caller, 'caller');
    logPageErrors(callee, 'callee');
  });

  afterEach(() => Promise.all([hangUp(caller), hangUp(callee)]));

  after(async () => {
    await closeAll();
    await site?.close();
  });

  for (const { name, options } of CALLS) {
    test(`a call: ${name}`, TEST, async () => {
      const { variant = 'addTrack', media = 'video', iframe = false, ice = 'stun', trickle = true } = options;
      const room = await connectCall(caller, callee, site, { ...options, stun: STUN });
      // Both joined; which one first depends on whose socket opened first.
      assert.deepEqual(site.rooms()[room].toSorted(), ['callee', 'caller']);

      // Trickle ICE over the site's socket: each side ends up with every candidate of the other.
      const [c, d] = await Promise.all(
        [caller, callee].map((p) => waitForCall(p, (s) => s.iceGatheringState === 'complete', 'end of ICE gathering')),
      );
      for (const [page, other, label] of [
        [caller, d, 'caller'],
        [callee, c, 'callee'],
      ]) {
        if (!trickle) {
          // Without trickle nothing is sent on its own: the candidates are in the description.
          const s = await callState(page);
          assert.deepEqual(s.remoteCandidates, []);
          // The same candidate in an event and in SDP may differ in its extensions (ufrag): compare up to the type.
          const core = (line) => /^(?:a=)?(candidate:.*? typ \w+)/.exec(line)?.[1];
          const inside = s.remoteDescription
            .split('\r\n')
            .filter((l) => l.startsWith('a=candidate:'))
            .map(core);
          for (const candidate of other.localCandidates) {
            assert.ok(inside.includes(core(candidate)), `${label}: ${candidate} inside the description`);
          }
          continue;
        }
        const s = await waitForCall(
          page,
          (x) => x.remoteCandidates.length === other.localCandidates.length,
          `${label}: all ${other.localCandidates.length} candidates of the other side`,
        );
        assert.deepEqual(s.remoteCandidates, other.localCandidates);
      }

      for (const [page, label] of [
        [caller, 'caller'],
        [callee, 'callee'],
      ]) {
        const s = await callState(page);
        assert.equal(s.state, 'connected', label);
        assert.equal(s.error, null);
        assert.equal(s.connectionState, 'connected');
        assert.match(s.iceConnectionState, /^(connected|completed)$/);
        assert.equal(s.realm, iframe ? 'iframe' : 'top');
        assert.equal(await page.locator('#rtc-frame').count(), iframe ? 1 : 0);
        assert.deepEqual(s.rtcConfiguration.iceServers, ice === 'stun' ? [{ urls: `stun:127.0.0.1:${STUN}` }] : []);
        assert.match(await page.locator('#status').textContent(), /Connected/);

        assert.ok(s.localCandidates.length > 0, `${label} gathered candidates`);
        for (const candidate of s.localCandidates) {
          assert.equal(typeOf(candidate), 'host', `no TURN here, STUN adds nothing on loopback: ${candidate}`);
          assert.ok(LOCAL_ADDRESSES.has(addressOf(candidate)), `${label}: an address of this machine: ${candidate}`);
        }

        const expected = { video: ['m=audio', 'm=video'], audio: ['m=audio'], data: ['m=application'] }[media];
        assert.deepEqual(mediaLines(s.localDescription).toSorted(), expected);
        assert.deepEqual(mediaLines(s.remoteDescription).toSorted(), expected);
        if (media !== 'data') {
          // addTrack sends its tracks in the camera's stream; addTransceiver + replaceTrack in none.
          const msid = variant === 'addTrack' ? /^a=msid:[\w-]{8,} /m : /^a=msid:- /m;
          assert.match(s.localDescription, msid, `${label} sends with ${variant}`);
        }
      }

      for (const [page, label] of [
        [caller, 'caller'],
        [callee, 'callee'],
      ]) {
        const stats = await waitForStats(
          page,
          (x) => (media === 'video' ? x.framesDecoded > 0 : media === 'audio' ? x.packetsReceived > 0 : x.bytesReceived > 0),
          `${label}: ${media === 'video' ? 'decoded video frames' : 'media received'}`,
        );
        assert.ok(stats.pair, `${label}: a selected candidate pair`);
        assert.equal(stats.pair.local.candidateType, 'host');
        assert.equal(stats.pair.remote.candidateType, 'host');
        for (const end of [stats.pair.local, stats.pair.remote]) {
          assert.ok(LOCAL_ADDRESSES.has(end.address), `${label}: the pair stays on this machine: ${JSON.stringify(end)}`);
          assert.equal(end.protocol, 'udp');
        }
        assert.ok(stats.bytesSent > 0 && stats.bytesReceived > 0, JSON.stringify(stats));
        if (media === 'audio') assert.equal(stats.framesDecoded, 0);
      }

      if (media === 'data') {
        await waitForCall(caller, (s) => s.dataMessages.length > 0, 'caller got an answer on the data channel');
        await waitForCall(callee, (s) => s.dataMessages.length > 0, 'callee got a message on the data channel');
        assert.deepEqual((await callState(caller)).dataMessages, ['hello back']);
        assert.deepEqual((await callState(callee)).dataMessages, ['hello']);
      }
    });
  }

  test('upgrade=1: an audio call turns the camera on with a second offer/answer round', TEST, async () => {
    await connectCall(caller, callee, site, { media: 'audio', upgrade: true, stun: STUN });
    for (const [page, label] of [
      [caller, 'caller'],
      [callee, 'callee'],
    ]) {
      const s = await waitForCall(page, (x) => x.renegotiations >= 1, `${label} renegotiated`);
      assert.equal(s.state, 'connected', `${label} stays connected`);
      assert.deepEqual(mediaLines(s.localDescription).toSorted(), ['m=audio', 'm=video']);
    }
    await waitForStats(callee, (x) => x.framesDecoded > 0, 'the callee decodes the new video');
    await caller.evaluate(() => window.site.hangUp());
  });

  test('hanging up closes both sides and empties the room', TEST, async () => {
    const room = await connectCall(caller, callee, site, { media: 'data', stun: STUN });
    await caller.evaluate(() => window.site.hangUp());
    const closed = (s) => s.state === 'closed';
    const mine = await waitForCall(caller, closed, 'caller closed');
    const theirs = await waitForCall(callee, closed, 'callee closed');
    assert.equal(mine.endReason, 'local');
    assert.equal(theirs.endReason, 'remote');
    assert.equal(mine.connectionState, 'closed');
    assert.equal(theirs.connectionState, 'closed');
    assert.match(await callee.locator('#status').textContent(), /other side hung up/);
    await waitUntil(() => site.rooms()[room] === undefined, `room ${room} empty`);
  });

  test('autostart=0: idle until started; a caller that waits calls whoever joins', TEST, async () => {
    const room = newRoom();
    await openCall(caller, site, { room, role: 'caller', media: 'data', stun: STUN, autostart: false });
    await openCall(callee, site, { room, role: 'callee', media: 'data', stun: STUN, autostart: false });
    assert.equal((await callState(caller)).state, 'idle');
    assert.equal(site.rooms()[room], undefined, 'nobody joined yet');
    // The caller first (its Start button): alone in the room, it waits for the server's peer-joined.
    await caller.locator('#start').click();
    await caller.locator('#status', { hasText: 'Waiting for someone to join' }).waitFor({ timeout: WAIT_MS });
    assert.deepEqual(site.rooms()[room], ['caller']);
    assert.equal((await callState(caller)).state, 'joining');
    await callee.evaluate(() => window.site.start());
    await Promise.all([
      waitForCall(caller, (s) => s.state === 'connected', 'caller connected'),
      waitForCall(callee, (s) => s.state === 'connected', 'callee connected'),
    ]);
  });

  describe('a call that fails shows why, like a real site', () => {
    const failures = [
      {
        name: 'the camera refused (NotAllowedError from getUserMedia)',
        where: 'getUserMedia',
        init: () => {
          navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
        },
        options: {},
      },
      {
        name: 'RTCPeerConnection refused (NotAllowedError from the constructor)',
        where: 'constructor',
        init: () => {
          window.RTCPeerConnection = function RTCPeerConnection() {
            throw new DOMException('WebRTC is blocked on this site', 'NotAllowedError');
          };
        },
        options: { media: 'data' },
      },
    ];
    for (const { name, where, init, options } of failures) {
      test(name, TEST, async () => {
        const page = await caller.context().newPage();
        try {
          await page.addInitScript(init);
          await openCall(page, site, { ...options, room: newRoom(), role: 'caller', stun: STUN });
          const s = await waitForCall(page, (x) => x.state === 'failed', 'failed call');
          assert.equal(s.error.name, 'NotAllowedError');
          assert.equal(s.error.where, where);
          assert.match(s.error.message, /Permission denied|blocked/);
          assert.equal(await page.locator('#status').getAttribute('data-state'), 'failed');
          assert.match(await page.locator('#status').textContent(), /^Call failed: NotAllowedError: /);
        } finally {
          await page.close();
        }
      });
    }

    test('the leak page, RTCPeerConnection refused: done, with the error', TEST, async () => {
      const page = await caller.context().newPage();
      try {
        await page.addInitScript(() => {
          window.RTCPeerConnection = function RTCPeerConnection() {
            throw new DOMException('WebRTC is blocked on this site', 'NotAllowedError');
          };
        });
        const leak = await runLeakTest(page, site, { stun: STUN });
        assert.deepEqual(leak.error, {
          name: 'NotAllowedError',
          message: 'WebRTC is blocked on this site',
          where: 'constructor',
        });
        assert.deepEqual(leak.allAddresses, []);
        assert.match(await page.locator('#status').textContent(), /^The test failed: NotAllowedError/);
      } finally {
        await page.close();
      }
    });

    test('ice=stun without a port: a configuration error, nothing contacted', TEST, async () => {
      const page = await caller.context().newPage();
      try {
        await page.goto(site.url(`/index.html?room=${newRoom()}&role=caller&media=data`));
        const s = await waitForCall(page, (x) => x.state === 'failed', 'failed call');
        assert.deepEqual({ name: s.error.name, where: s.error.where }, { name: 'ConfigError', where: 'config' });
        assert.equal(s.rtcConfiguration, null);
      } finally {
        await page.close();
      }
    });
  });

  test('the leak page lists every address a page can read, from candidates, SDP and getStats', TEST, async () => {
    const leak = await runLeakTest(caller, site, { stun: STUN });
    assert.equal(leak.error, null);
    assert.equal(leak.gathering, 'complete', 'the STUN server answered (gathering waits for it)');
    assert.deepEqual(leak.candidateErrors, []);
    assert.ok(leak.candidates.length > 0);
    for (const c of leak.candidates) {
      assert.deepEqual(Object.keys(c).sort(), ['address', 'candidate', 'port', 'protocol', 'relatedAddress', 'type']);
      assert.equal(c.type, typeOf(c.candidate));
    }
    assert.ok(leak.candidateAddresses.includes('127.0.0.1'), 'loopback host candidates are offered');
    assert.ok(leak.sdpAddresses.includes('127.0.0.1'), 'the SDP has them too');
    assert.ok(leak.statsAddresses.includes('127.0.0.1'), 'and getStats');
    for (const list of ['candidateAddresses', 'sdpAddresses', 'statsAddresses']) {
      for (const a of leak[list]) assert.ok(leak.allAddresses.includes(a), `${list}: ${a} in allAddresses`);
    }
    assert.equal(new Set(leak.allAddresses).size, leak.allAddresses.length, 'deduplicated');
    for (const a of leak.allAddresses) {
      assert.ok(a === '0.0.0.0' || LOCAL_ADDRESSES.has(a), `only addresses of this machine: ${a}`);
    }
    assert.match(await caller.locator('#status').textContent(), /^Done: \d+ candidates/);
  });

  test('the leak page without ICE servers', TEST, async () => {
    const leak = await runLeakTest(caller, site, { ice: 'none' });
    assert.equal(leak.error, null);
    assert.equal(leak.gathering, 'complete');
    assert.ok(leak.candidates.every((c) => c.type === 'host'));
    assert.ok(leak.allAddresses.includes('127.0.0.1'));
  });
});
