// Calls between people in separate Chromiums, each signed in through Keycloak's real login form:
// through the directory and a call link, answered, declined, cancelled, to someone offline and to
// someone busy; media through the TURN relay, the end on both sides and in the call log.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { closeAll, logPageErrors } from '../lib/browser.js';
import {
  WAIT_MS,
  callFromDirectory,
  dataset,
  endAnyCall,
  openApp,
  selectedPair,
  signIn,
  waitForCall,
  waitForLogEntry,
  waitForMedia,
  waitForPresence,
} from '../lib/app.js';
import { USERS, vclickUrl } from '../lib/env.js';
import { serveStatic } from '../lib/static-site.js';
import { jwtClaims, login } from '../lib/keycloak.js';

const { alice, bob, carol, dave } = USERS;
const TEST = { timeout: 120_000 };

after(closeAll);

/** The Keycloak user id of a demo user (what the directory rows are keyed by). */
async function userId(user) {
  return jwtClaims(await login(user.username, user.password)).sub;
}

describe('calls in the web app', () => {
  const pages = {};
  const ids = {};

  before(async () => {
    const [a, b, d] = await Promise.all([openApp(alice), openApp(bob), openApp(dave)]);
    pages.alice = a.page;
    pages.bob = b.page;
    pages.dave = d.page;
    for (const user of [alice, bob, carol, dave]) ids[user.username] = await userId(user);
  });

  afterEach(async () => {
    await Promise.all(Object.values(pages).map((page) => endAnyCall(page)));
  });

  /** alice presses "Video" on bob's row, bob sees it ring; returns the call id both see. */
  async function aliceCallsBob() {
    await callFromDirectory(pages.alice, ids.bob, bob.email, 'video');
    const ringing = await waitForCall(pages.bob, 'incoming', { who: 'bob' });
    await pages.bob.locator('#call-answer').waitFor({ timeout: WAIT_MS });
    const outgoing = await pages.alice.waitForFunction(
      () => document.body.dataset.call === 'outgoing' && document.body.dataset.callId,
      null,
      { timeout: WAIT_MS, polling: 100 },
    );
    assert.equal(await outgoing.jsonValue(), ringing.callId, 'alice and bob see the same call id');
    return ringing.callId;
  }

  async function answerAndConnect() {
    await pages.bob.locator('#call-answer').click();
    await Promise.all([waitForCall(pages.alice, 'active', { who: 'alice' }), waitForCall(pages.bob, 'active', { who: 'bob' })]);
  }

  test('alice video-calls bob from the directory; media flows through the relay; the call log has it', TEST, async () => {
    await waitForPresence(pages.alice, ids.bob, bob.email, 'online');
    const callId = await aliceCallsBob();
    assert.ok((await pages.bob.locator('#call-incoming').innerText()).includes(alice.name), 'bob sees who calls');

    await answerAndConnect();
    for (const [who, page] of [
      ['alice', pages.alice],
      ['bob', pages.bob],
    ]) {
      const media = await waitForMedia(page, { video: true });
      assert.ok(media.videoFramesDecoded > 0, `${who} decodes video (${JSON.stringify(media)})`);
      assert.ok(media.audioPacketsReceived > 0 || media.audioSamplesReceived > 0, `${who} receives audio`);
      const pair = await selectedPair(page);
      assert.ok(pair, `${who}: a candidate pair is selected`);
      assert.equal(pair.local.candidateType, 'relay', `${who}: local candidate is a relay (${JSON.stringify(pair.local)})`);
      assert.equal(pair.remote.candidateType, 'relay', `${who}: remote candidate is a relay (${JSON.stringify(pair.remote)})`);
      await waitForCall(page, 'active', { who });
      const state = await page.waitForFunction(() => document.body.dataset.mediaPath, null, { timeout: WAIT_MS, polling: 100 });
      assert.equal(await state.jsonValue(), 'relay', `${who}'s app reports the relay path`);
    }
    await waitForPresence(pages.dave, ids.bob, bob.email, 'busy');

    await pages.alice.locator('#call-hangup').click();
    await Promise.all([
      waitForCall(pages.alice, 'ended', { endReason: 'hangup', who: 'alice' }),
      waitForCall(pages.bob, 'ended', { endReason: 'hangup', who: 'bob' }),
    ]);
    assert.equal(await pages.alice.evaluate(() => window.vclickCall()), null, 'no peer connection after the end');
    assert.ok((await pages.bob.locator('#call-message').innerText()).includes(`${alice.name} ended the call`));

    const mine = await waitForLogEntry(alice, callId, (c) => c.endReason === 'hangup' && c.mediaPath === 'relay');
    assert.equal(mine.direction, 'outgoing');
    assert.equal(mine.peer.id, ids.bob);
    assert.equal(mine.media, 'video');
    assert.ok(mine.answeredAt, 'answeredAt is set');
    assert.ok(mine.endedAt, 'endedAt is set');
    assert.equal(mine.missed, false);
    const theirs = await waitForLogEntry(bob, callId, (c) => c.endReason === 'hangup');
    assert.equal(theirs.direction, 'incoming');
    assert.equal(theirs.peer.id, ids.alice);
    assert.equal(theirs.missed, false);

    // alice's history table shows it (refreshed when the call ended).
    await pages.alice.locator(`#history-results tr[data-call-id="${callId}"]`).waitFor({ timeout: WAIT_MS });
  });

  test('bob declines: alice sees "declined", bob is back to idle', TEST, async () => {
    await aliceCallsBob();
    await pages.bob.locator('#call-decline').click();
    await waitForCall(pages.alice, 'ended', { endReason: 'declined', who: 'alice' });
    assert.equal(await pages.alice.locator('#call-message').innerText(), `${bob.name} declined the call.`);
    assert.deepEqual(
      (({ call, endReason }) => ({ call, endReason }))(await dataset(pages.bob)),
      { call: 'idle', endReason: 'declined' },
      "the decliner's call screen is gone",
    );
    assert.equal(await pages.bob.locator('#call-panel').isVisible(), false);
  });

  test('alice cancels before bob answers: the ringing stops for bob, both ended "cancelled"', TEST, async () => {
    const callId = await aliceCallsBob();
    await pages.alice.locator('#call-cancel').click();
    await Promise.all([
      waitForCall(pages.alice, 'ended', { endReason: 'cancelled', who: 'alice' }),
      waitForCall(pages.bob, 'ended', { endReason: 'cancelled', who: 'bob' }),
    ]);
    assert.equal(await pages.bob.locator('#call-incoming').isVisible(), false, "bob's incoming screen is gone");
    assert.equal(await pages.bob.locator('#call-answer').isVisible(), false, 'nothing left to answer');
    assert.equal(await pages.bob.locator('#call-message').innerText(), `You missed a call from ${alice.name}.`);
    assert.equal((await dataset(pages.bob)).callId, callId);
  });

  test('a call link to carol, who is offline: "not available", a missed call in her log', TEST, async () => {
    const page = pages.alice;
    await page.goto(`${vclickUrl()}/call?to=${encodeURIComponent(carol.email)}`);
    // Keycloak's session in alice's browser signs her in again without the form.
    await signIn(page, alice);
    // A link calls nobody by itself: alice confirms (no extension here to say she clicked already).
    await page.locator('#call-link-call').click();
    const ended = await waitForCall(page, 'ended', { endReason: 'offline', who: 'alice' });
    assert.ok(ended.callId, 'the call has an id');
    assert.equal(await page.locator('#call-message').innerText(), `${carol.name} is not available right now; they will see a missed call.`);
    assert.equal(new URL(page.url()).search, '', 'the link is spent: reloading does not call again');

    const missed = await waitForLogEntry(carol, ended.callId, (c) => c.endReason === 'offline');
    assert.equal(missed.direction, 'incoming');
    assert.equal(missed.peer.id, ids.alice);
    assert.equal(missed.missed, true, 'a missed call for carol');
    assert.equal(missed.answeredAt ?? null, null);
  });

  test('a call link answers: bob opens /call?id=…&answer=1 in a second tab, the first stops ringing', TEST, async () => {
    const callId = await aliceCallsBob();
    const tab = await pages.bob.context().newPage();
    logPageErrors(tab, 'bob (link)');
    try {
      await tab.goto(`${vclickUrl()}/call?id=${encodeURIComponent(callId)}&answer=1`);
      await signIn(tab, bob);
      await waitForCall(tab, 'incoming', { who: 'bob (link)' });
      await tab.locator('#call-answer').click();
      await Promise.all([waitForCall(tab, 'active', { who: 'bob (link)' }), waitForCall(pages.alice, 'active', { who: 'alice' })]);
      await waitForCall(pages.bob, 'idle', { endReason: 'answered-elsewhere', who: 'bob (first tab)' });
      assert.equal((await dataset(tab)).callId, callId);
      await waitForMedia(tab, { video: true });
      await waitForMedia(pages.alice, { video: true });

      await pages.alice.locator('#call-hangup').click();
      await waitForCall(tab, 'ended', { endReason: 'hangup', who: 'bob (link)' });
    } finally {
      await endAnyCall(tab);
      await tab.close();
    }
  });

  test('a foreign site sending bob to /call?id=…&answer=1 does not answer, nor sending alice to /call?to= call', TEST, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vclick-link-sender-'));
    // A page of another origin that sends the browser to whatever link it is given.
    await writeFile(join(dir, 'index.html'), '<script>location.replace(new URLSearchParams(location.search).get("go"))</script>');
    const foreign = await serveStatic(dir);
    const tab = await pages.bob.context().newPage();
    logPageErrors(tab, 'bob (foreign link)');
    try {
      assert.notEqual(new URL(foreign.url).origin, new URL(vclickUrl()).origin);
      const callId = await aliceCallsBob();
      const answerLink = `${vclickUrl()}/call?id=${encodeURIComponent(callId)}&answer=1`;
      await tab.goto(`${foreign.url}/?go=${encodeURIComponent(answerLink)}`);
      await signIn(tab, bob);
      const ringing = await waitForCall(tab, 'incoming', { who: 'bob (foreign link)' });
      assert.equal(ringing.callId, callId);
      // Not answering: the Answer button waits for bob (it says "Answering…" once answering began).
      assert.equal(await tab.locator('#call-answer').innerText(), 'Answer');
      assert.equal(await tab.locator('#call-answer').isEnabled(), true);
      assert.equal((await dataset(pages.alice)).call, 'outgoing', 'alice still rings');
      await tab.locator('#call-decline').click();
      await waitForCall(pages.alice, 'ended', { endReason: 'declined', who: 'alice' });

      const dialLink = `${vclickUrl()}/call?to=${encodeURIComponent(bob.email)}`;
      await pages.alice.goto(`${foreign.url}/?go=${encodeURIComponent(dialLink)}`);
      await signIn(pages.alice, alice);
      await pages.alice.locator('#call-link').waitFor({ timeout: WAIT_MS });
      assert.equal(await pages.alice.locator('#call-link-text').innerText(), `Call ${bob.email}?`);
      assert.equal((await dataset(pages.alice)).call ?? 'idle', 'idle', 'no call placed by the link');
      await pages.alice.locator('#call-link-cancel').click();
      assert.equal(await pages.alice.locator('#call-link').isVisible(), false);
      assert.equal((await dataset(pages.alice)).call ?? 'idle', 'idle', 'cancelled: still no call');
      assert.equal(new URL(pages.alice.url()).search, '', 'the link is spent');
    } finally {
      await endAnyCall(tab);
      await tab.close();
      await foreign.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('dave calls bob while bob talks to alice: "busy" for dave, then alice and bob hang up', TEST, async () => {
    await aliceCallsBob();
    await answerAndConnect();
    await waitForPresence(pages.dave, ids.bob, bob.email, 'busy');

    await callFromDirectory(pages.dave, ids.bob, bob.email, 'video');
    await waitForCall(pages.dave, 'ended', { endReason: 'busy', who: 'dave' });
    assert.equal(await pages.dave.locator('#call-message').innerText(), `${bob.name} is in another call.`);
    assert.equal((await dataset(pages.bob)).call, 'active', "bob's call goes on");
    assert.equal((await dataset(pages.alice)).call, 'active', "alice's call goes on");

    await pages.bob.locator('#call-hangup').click();
    await Promise.all([
      waitForCall(pages.alice, 'ended', { endReason: 'hangup', who: 'alice' }),
      waitForCall(pages.bob, 'ended', { endReason: 'hangup', who: 'bob' }),
    ]);
  });
});
