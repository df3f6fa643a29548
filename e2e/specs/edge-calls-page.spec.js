// The Secure Edge call log page (/edge/calls, web/EDGE-API.md "Call log page"): a call between alice and
// bob is reported straight to the API (POST /api/edge/connections, paired by DTLS fingerprints) on an
// origin of its own; alice finds the page from the header and sees the call with both connections, the
// origin filter narrows the list, the CSV export downloads the same calls; a call whose pairing carol
// claimed with a forged report is flagged disputed; carol sees no such call;
// frank (edge-admin) gets the user filter and finds the call by alice's user id.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { closeAll } from '../lib/browser.js';
import { WAIT_MS, openApp } from '../lib/app.js';
import { USERS, vclickUrl } from '../lib/env.js';
import { apiAs } from '../lib/edge-policy.js';

const { alice, bob, carol, frank } = USERS;
const TEST = { timeout: 120_000 };
const STEP = { timeout: WAIT_MS };

const ORIGIN = `https://calllog-${randomUUID().slice(0, 8)}.example`;
const OTHER_ORIGIN = `https://calllog-other-${randomUUID().slice(0, 8)}.example`;
const DISPUTED_ORIGIN = `https://calllog-disputed-${randomUUID().slice(0, 8)}.example`;
const CSV_HEADER =
  'callId,callStartedAt,callEndedAt,connectionId,userId,username,displayName,origin,pageId,decisionId,decision,ruleId,' +
  'createdAt,connectedAt,closedAt,localCandidateType,remoteCandidateType,protocol,bytesSent,bytesReceived,endReason,peerConnectionId,pairingDisputed';

/** A DTLS fingerprint as in SDP: "sha-256 AB:CD:…" (32 random bytes). */
const fingerprint = () =>
  `sha-256 ${Array.from({ length: 32 }, () =>
    Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0')
      .toUpperCase(),
  ).join(':')}`;

/** The three events of one end of a relayed connection that ran from `start` for 8 s. */
function lifecycle({ connectionId, pageId, local, remote, start, bytes, origin = ORIGIN }) {
  const at = (ms) => new Date(start + ms).toISOString();
  const base = { connectionId, pageId, origin };
  return [
    { ...base, event: 'created', at: at(0) },
    {
      ...base,
      event: 'connected',
      at: at(1_000),
      localFingerprint: local,
      remoteFingerprint: remote,
      localCandidateType: 'relay',
      remoteCandidateType: 'relay',
      protocol: 'udp',
    },
    { ...base, event: 'closed', at: at(8_000), bytesSent: bytes, bytesReceived: bytes + 1, endReason: 'closed-by-page' },
  ];
}

async function report(user, events) {
  const { status, json } = await apiAs(user, 'POST', 'edge/connections', { events });
  assert.equal(status, 200, `POST /api/edge/connections as ${user.username}: ${JSON.stringify(json)}`);
  return json;
}

/** Opens /edge/calls signed in as `user` (the home page signs in, then the page itself). */
async function openCallLog(user) {
  const { page } = await openApp(user);
  await page.goto(`${vclickUrl()}/edge/calls`);
  await page.waitForURL((url) => url.pathname === '/edge/calls' && !url.searchParams.has('code'), STEP);
  await page.locator('#edge-calls').waitFor({ state: 'visible', ...STEP });
  await page.locator(`#me-name:text-is("${user.username}")`).waitFor(STEP);
  return page;
}

/** Fills the origin filter, applies it and waits for the page's next answer (#edge-calls[data-loads]). */
async function filterByOrigin(page, origin) {
  const loads = Number(await page.locator('#edge-calls').getAttribute('data-loads'));
  await page.locator('#edge-calls-filter-origin').fill(origin);
  await page.locator('#edge-calls-apply').click();
  await page.locator(`#edge-calls[data-loads="${loads + 1}"]`).waitFor({ state: 'attached', ...STEP });
  const origins = await page.locator('#edge-calls-table tbody tr[data-call-id]').evaluateAll((rows) => rows.map((r) => r.dataset.origin));
  assert.ok(
    origins.every((o) => o === origin),
    `only calls on ${origin}: ${origins}`,
  );
}

after(closeAll);

describe('the Secure Edge call log page', () => {
  const aliceConnection = randomUUID();
  const bobConnection = randomUUID();
  let call;
  let aliceId;
  let page;

  before(async () => {
    const aliceFp = fingerprint();
    const bobFp = fingerprint();
    const start = Date.now() - 15_000;
    await report(
      alice,
      lifecycle({ connectionId: aliceConnection, pageId: randomUUID(), local: aliceFp, remote: bobFp, start, bytes: 1000 }),
    );
    await report(
      bob,
      lifecycle({ connectionId: bobConnection, pageId: randomUUID(), local: bobFp, remote: aliceFp, start: start + 200, bytes: 2000 }),
    );
    const { status, json } = await apiAs(alice, 'GET', `edge/calls?origin=${encodeURIComponent(ORIGIN)}`);
    assert.equal(status, 200);
    assert.equal(json.length, 1, `one call on ${ORIGIN}: ${JSON.stringify(json)}`);
    call = json[0];
    assert.equal(call.connections.length, 2, "alice's and bob's ends are one call");
    aliceId = call.participants.find((p) => p.username === 'alice')?.userId;
    assert.ok(aliceId, `alice is a participant: ${JSON.stringify(call.participants)}`);
  });

  test('alice opens it from the header and sees the call with both connections', TEST, async () => {
    ({ page } = await openApp(alice));
    const link = page.locator('#edge-calls-link');
    await link.waitFor({ state: 'visible', ...STEP });
    await link.click();
    await page.waitForURL((url) => url.pathname === '/edge/calls' && !url.searchParams.has('code'), STEP);
    await page.locator('#edge-calls').waitFor({ state: 'visible', ...STEP });
    await page.locator('#me-name:text-is("alice")').waitFor(STEP);
    assert.equal(await page.locator('#edge-calls-filter-user').isVisible(), false, 'no user filter for a caller');

    const row = page.locator(`#edge-calls-table tbody tr[data-call-id="${call.callId}"]`);
    await row.waitFor(STEP);
    assert.equal(await row.getAttribute('data-connections'), '2');
    assert.equal(await row.getAttribute('data-origin'), ORIGIN);
    const text = await row.textContent();
    assert.match(text, /relay ↔ relay/, 'candidate types');
    assert.match(text, /udp/, 'protocol');
    assert.match(text, /closed-by-page/, 'end reason');
    assert.match(text, /bob/, 'bob takes part');
    assert.equal(await row.locator(`li[data-connection-id="${bobConnection}"]`).count(), 1, "bob's connection is listed");
    assert.equal(await page.locator('#edge-calls-error').isVisible(), false, 'no error');
  });

  test('the origin filter narrows the list', TEST, async () => {
    await filterByOrigin(page, ORIGIN);
    const rows = page.locator('#edge-calls-table tbody tr[data-call-id]');
    assert.equal(await rows.count(), 1, 'only the call on that origin');
    assert.equal(await rows.first().getAttribute('data-call-id'), call.callId);

    await filterByOrigin(page, OTHER_ORIGIN);
    assert.equal(await rows.count(), 0, 'no call on another origin');

    await filterByOrigin(page, ORIGIN);
    assert.equal(await rows.count(), 1);
  });

  test('Export CSV downloads the filtered calls, one record per connection', TEST, async () => {
    const [download] = await Promise.all([page.waitForEvent('download', STEP), page.locator('#edge-calls-csv').click()]);
    assert.equal(download.suggestedFilename(), 'vclick-edge-calls.csv');
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.split('\r\n').filter(Boolean);
    assert.equal(lines[0], CSV_HEADER, 'the header row');
    assert.equal(lines.length, 3, `a header and two connections: ${csv}`);
    const aliceLine = lines.find((line) => line.split(',')[3] === aliceConnection);
    assert.ok(aliceLine, `a record of alice's connection: ${csv}`);
    const cells = aliceLine.split(',');
    assert.equal(cells[0], call.callId, 'callId');
    assert.equal(cells[5], 'alice', 'username');
    assert.equal(cells[7], ORIGIN, 'origin');
    assert.deepEqual(cells.slice(15, 21), ['relay', 'relay', 'udp', '1000', '1001', 'closed-by-page']);
    assert.equal(cells[21], bobConnection, 'peer connection');
    assert.equal(await page.locator('#edge-calls-error').isVisible(), false, 'no error');
  });

  test('a call whose pairing someone else claimed is flagged disputed', TEST, async () => {
    // carol read both fingerprints of alice and bob's connection and claims to be bob's end.
    const aliceFp = fingerprint();
    const bobFp = fingerprint();
    const start = Date.now() - 15_000;
    const alices = randomUUID();
    const ends = { local: aliceFp, remote: bobFp, start, bytes: 10, origin: DISPUTED_ORIGIN };
    await report(alice, lifecycle({ ...ends, connectionId: alices, pageId: randomUUID() }));
    await report(bob, lifecycle({ ...ends, connectionId: randomUUID(), pageId: randomUUID(), local: bobFp, remote: aliceFp }));
    const forged = await report(
      carol,
      lifecycle({ ...ends, connectionId: randomUUID(), pageId: randomUUID(), local: bobFp, remote: aliceFp }),
    );
    assert.deepEqual(forged.peers, {}, 'carol learns nobody');

    await filterByOrigin(page, DISPUTED_ORIGIN);
    const row = page.locator(`#edge-calls-table tbody tr[data-call-id="${alices}"]`);
    await row.waitFor(STEP);
    assert.equal(await row.getAttribute('data-disputed'), 'true');
    assert.equal(await row.getAttribute('data-connections'), '1', 'bob is no longer joined to it');
    assert.equal(await row.locator('.call-disputed').textContent(), 'disputed');
    assert.equal(await row.locator(`li[data-connection-id="${alices}"] .connection-disputed`).count(), 1);
    await filterByOrigin(page, ORIGIN);
    const undisputed = page.locator(`#edge-calls-table tbody tr[data-call-id="${call.callId}"]`);
    assert.equal(await undisputed.getAttribute('data-disputed'), 'false');
    assert.equal(await undisputed.locator('.call-disputed').count(), 0);
  });

  test('carol sees no such call', TEST, async () => {
    const carols = await openCallLog(carol);
    assert.equal(await carols.locator('#edge-calls-filter-user').isVisible(), false, 'no user filter for a caller');
    assert.equal(await carols.locator(`#edge-calls-table tbody tr[data-call-id="${call.callId}"]`).count(), 0, 'not in her list');
    await filterByOrigin(carols, ORIGIN);
    assert.equal(await carols.locator('#edge-calls-table tbody tr[data-call-id]').count(), 0, 'nothing on that origin');
  });

  test("frank (edge-admin) filters by alice's user id and finds the call", TEST, async () => {
    const franks = await openCallLog(frank);
    const user = franks.locator('#edge-calls-filter-user');
    await user.waitFor({ state: 'visible', ...STEP });
    const loads = Number(await franks.locator('#edge-calls').getAttribute('data-loads'));
    await user.fill(aliceId);
    await franks.locator('#edge-calls-apply').click();
    await franks.locator(`#edge-calls[data-loads="${loads + 1}"]`).waitFor({ state: 'attached', ...STEP });
    const row = franks.locator(`#edge-calls-table tbody tr[data-call-id="${call.callId}"]`);
    await row.waitFor(STEP);
    assert.equal(await row.getAttribute('data-connections'), '2');
    const everyCallHasAlice = await franks
      .locator('#edge-calls-table tbody tr[data-call-id]')
      .evaluateAll(
        (rows, id) => rows.every((r) => [...r.querySelectorAll('li[data-connection-id]')].some((li) => li.dataset.userId === id)),
        aliceId,
      );
    assert.ok(everyCallHasAlice, 'only calls alice takes part in');
    assert.equal(await franks.locator('#edge-calls-error').isVisible(), false, 'no error');
  });
});
