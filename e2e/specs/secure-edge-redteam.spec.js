// The red-team suite: a hostile third-party page (e2e/sites/redteam) attacks Secure Edge in real
// Chromium with the real extension, signed in as alice. Every trick must end with no real
// address, no foreign relay, no data channel or camera on a blocking origin, no credential
// readable and, under `record`, no description set on the connection behind the wrapper's back.
// The page's "own TURN server" is a UDP and TCP listener of this test: a browser that used it
// would send it an Allocate; it must see nothing. Policies go through the API as frank and the
// shipped policy is put back after each test.

import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before, describe, test } from 'node:test';
import { closeAll, logPageErrors } from '../lib/browser.js';
import { restoreShippedPolicy, rule, setPolicy } from '../lib/edge-policy.js';
import { USERS, turnSecret } from '../lib/env.js';
import { configure, openWithExtension, signInExtension, worker } from '../lib/extension.js';
import { serveStatic } from '../lib/static-site.js';

const SITE_DIR = fileURLToPath(new URL('../sites/redteam/', import.meta.url));
const TEST = { timeout: 90_000 };

let site;
let browser;
let foreign;
const pages = [];

/** A TURN server of the page's own: counts every datagram and connection it gets. */
async function startForeignRelay() {
  const udp = createSocket('udp4');
  const tcp = createServer((socket) => {
    counts.tcp++;
    socket.destroy();
  });
  const counts = { udp: 0, tcp: 0 };
  udp.on('message', () => counts.udp++);
  await new Promise((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const port = udp.address().port;
  await new Promise((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, '127.0.0.1', resolve);
  });
  return {
    counts,
    server: {
      urls: [`turn:127.0.0.1:${port}?transport=udp`, `turn:127.0.0.1:${port}?transport=tcp`],
      username: 'page-user',
      credential: 'page-credential',
    },
    close: async () => {
      udp.close();
      await new Promise((resolve) => tcp.close(resolve));
    },
  };
}

/** The non-loopback addresses of this machine (what a leak would show). */
const machineAddresses = () =>
  Object.values(networkInterfaces())
    .flat()
    .filter((i) => !i.internal)
    .map((i) => i.address.replace(/%.*$/, ''));

async function newPage() {
  const page = await browser.newPage();
  logPageErrors(page, 'redteam');
  pages.push(page);
  await page.goto(`${site.url}/index.html`);
  return page;
}

async function usePolicy(rules) {
  await setPolicy({ rules });
  await (await worker(browser)).evaluate(() => globalThis.vclickEdgeForget());
}

/**
 * What one gathering let the page read: only relay candidates, none of this machine's addresses,
 * nothing of the minted credential or the relay's secret.
 */
function assertContained(seen, where) {
  for (const line of [...(seen.lines ?? []), ...(seen.transportCandidates ?? [])]) {
    assert.match(line, / typ relay /, `${where}: only relay candidates (${line})`);
  }
  const text = JSON.stringify(seen);
  for (const address of machineAddresses()) assert.ok(!text.includes(address), `${where}: ${address} leaked`);
  assertNoCredential(text, where);
}

function assertNoCredential(text, where) {
  assert.ok(!text.includes(turnSecret()), `${where}: the relay's secret`);
  // Minted relay usernames are "<expiry>:<user>:<nonce>"; the page never sees one.
  assert.doesNotMatch(text, /\d{10}:alice/, `${where}: a minted relay username`);
}

const refused = (result, where) => {
  assert.equal(result.ok, false, `${where}: refused (got ${JSON.stringify(result.value)})`);
  return result.error;
};

describe('Secure Edge red team: a hostile page gets nothing past the policy', () => {
  before(async () => {
    await restoreShippedPolicy();
    site = await serveStatic(SITE_DIR);
    foreign = await startForeignRelay();
    browser = await openWithExtension('alice');
    await configure(browser);
    await signInExtension(browser, USERS.alice);
  });

  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close().catch(() => {});
    await restoreShippedPolicy();
    await (await worker(browser)).evaluate(() => globalThis.vclickEdgeForget()).catch(() => {});
    assert.deepEqual(foreign.counts, { udp: 0, tcp: 0 }, "the page's own relay was never contacted");
  });

  after(async () => {
    await closeAll();
    await site?.close();
    await foreign?.close();
    await restoreShippedPolicy();
  });

  test("another realm's methods on the page's connection (and back) are refused, whatever they are", TEST, async () => {
    const page = await newPage();
    const out = await page.evaluate((turn) => window.redteam.crossRealm(turn), foreign.server);
    for (const name of [
      'setConfiguration',
      'createDataChannel',
      'getConfiguration',
      'localDescription',
      'signalingState',
      'addTransceiver',
      'reverse',
    ]) {
      assert.deepEqual(refused(out[name], name), { name: 'TypeError', message: 'Illegal invocation' }, name);
    }
    for (const name of ['setLocalDescription', 'createOffer', 'addIceCandidate', 'getStats']) {
      assert.equal(refused(out[name], name).name, 'TypeError', name);
    }
    assert.deepEqual(out.gathered.lines, [], 'nothing gathered through the foreign methods');
    assert.ok(out.gathered.errors.length >= 5, `each foreign call failed: ${out.gathered.errors}`);
    assertContained(out.gathered, 'cross-realm');
  });

  test('connections in frames and windows of every kind are relay-only under the policy', TEST, async () => {
    const page = await newPage();
    const out = await page.evaluate((turn) => window.redteam.frames(turn), foreign.server);
    for (const [where, seen] of Object.entries(out)) {
      assert.deepEqual(seen.errors, [], `${where}: the page's own calls work`);
      assert.ok(seen.gathered, `${where}: gathering completed`);
      assert.ok(seen.lines.length > 0, `${where}: relay candidates gathered`);
      assertContained(seen, where);
      assert.match(seen.config, /page-user/, `${where}: getConfiguration shows the page its own servers`);
    }
    const opaque = await page.evaluate((turn) => window.redteam.opaqueFrames(turn), foreign.server);
    for (const [where, seen] of Object.entries(opaque)) {
      assert.ok(!seen.timeout, `${where}: the frame reported`);
      assertContained(seen, where);
    }
  });

  test('replaced built-ins, Object.prototype members and promise hooks change nothing', TEST, async () => {
    const page = await newPage();
    const out = await page.evaluate((turn) => window.redteam.poisonedBuiltins(turn), foreign.server);
    assert.equal(out.constructorLocked, 'TypeError', 'Promise.prototype.constructor cannot be replaced');
    assert.deepEqual(out.gathered.errors, []);
    assert.ok(out.gathered.lines.length > 0, 'relay candidates gathered');
    assertContained(out.gathered, 'poisoned');
    assertNoCredential(JSON.stringify(out.stolen), 'objects seen through Object.prototype.then');
    assert.doesNotMatch(JSON.stringify(out.stolen), /page-user|turn:|"settings"/, 'no decision or server reply caught');
  });

  test("probing finds native code: toString, getter descriptors, a fresh iframe's constructor", TEST, async () => {
    const page = await newPage();
    const out = await page.evaluate(() => window.redteam.inspect());
    for (const text of out.texts) assert.match(text, /^function \w* ?\w*\(\) \{ \[native code\] \}$/, text);
    assert.deepEqual(out.names, ['setLocalDescription', 0, 'RTCPeerConnection', 0]);
    assert.ok(out.sameProto && out.constructorOfProto && out.freshIsWrapped);
    assert.equal(out.subclass, 'all', "a subclass of a fresh iframe's constructor is tracked (an unknown connection would throw)");
    assert.deepEqual(out.globals, [], 'no global of ours to find');
  });

  test('camera and data channels blocked: shifting constraints, null video, other realms, legacy forms', TEST, async () => {
    await usePolicy([rule('lockdown', [site.url], 'relay', { blockCamera: true, blockDataChannels: true })]);
    const page = await newPage();
    const capture = await page.evaluate(() => window.redteam.capture());
    // Read once, the shifting getter said "no video": the browser got exactly that (and, with
    // nothing asked, refuses with its own TypeError). No camera either way.
    assert.equal(refused(capture.shifty, 'shifty').name, 'TypeError');
    assert.equal(capture.shiftyReads, 1, 'the constraints were read once');
    for (const name of ['nullVideo', 'fromFrame', 'legacy']) {
      assert.equal(refused(capture[name], name).name, 'NotAllowedError', name);
    }
    assert.deepEqual(capture.audioOnly, { ok: true, value: ['audio'] }, 'the microphone is not blocked');
    const channels = await page.evaluate(() => window.redteam.dataChannels());
    assert.equal(refused(channels.own, 'own').name, 'NotAllowedError');
    assert.deepEqual(refused(channels.throughFrame, 'throughFrame'), { name: 'TypeError', message: 'Illegal invocation' });
    assert.deepEqual(
      channels.framesOwn,
      { ok: true, value: { closed: true, opened: false } },
      'made before the decision: closed by it, never open',
    );
  });

  test("record: another realm's methods cannot negotiate the connection around the media server", TEST, async () => {
    await usePolicy([rule('record-site', [site.url], 'record')]);
    const page = await newPage();
    // Any well-formed answer will do: it must never reach the browser's connection.
    const answer = [
      'v=0',
      'o=- 1 2 IN IP4 127.0.0.1',
      's=-',
      't=0 0',
      'a=group:BUNDLE 0',
      'a=fingerprint:sha-256 ' + Array(32).fill('AB').join(':'),
      'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
      'c=IN IP4 0.0.0.0',
      'a=mid:0',
      'a=ice-ufrag:abcd',
      'a=ice-pwd:abcdefghijklmnopqrstuvwx',
      'a=setup:active',
      'a=sctp-port:5000',
      '',
    ].join('\r\n');
    const out = await page.evaluate((sdp) => window.redteam.recordBypass(sdp), answer);
    for (const name of ['offer', 'setLocal', 'setRemote', 'addCandidate']) {
      assert.equal(refused(out[name], name).name, 'TypeError', name);
    }
    assert.equal(out.sctp, false, 'no description with the data section was applied');
    assert.equal(out.connectionState, 'new');
  });
});
