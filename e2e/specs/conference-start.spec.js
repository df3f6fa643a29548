// Calls with more than two parties started at once, and the media server down when a call grows
// (issue 16), in three real Chromiums on Janus in the one-machine lab (as conference.spec.js):
//
// - alice picks bob and carol in the web app's directory and presses "Video call 2 people": both are
//   rung; bob answers (the two-party call), carol answers (the call goes onto the media server); each
//   browser decodes the two others' video and receives their audio; everyone leaves, and alice's call
//   history shows the one call with every participant and their join and leave times.
// - the media server down at invite time: Janus is stopped, alice calls bob and adds carol; carol's
//   answer cannot be taken onto the media server: carol's page says so, alice and bob are told
//   ("… cannot join: the media server is unavailable. Your call goes on.") and their two-party call
//   goes on with frames flowing. Janus is started again after.

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import {
  WAIT_MS,
  callFromDirectory,
  dataset,
  directoryRow,
  endAnyCall,
  signIn,
  waitForCall,
  waitForDataset,
  waitForLogEntry,
  waitForMedia,
} from '../lib/app.js';
import { closeAll, firstPage, logPageErrors } from '../lib/browser.js';
import { waitForConferenceMedia } from '../lib/conference.js';
import { USERS, keycloakUrl, vclickUrl } from '../lib/env.js';
import { jwtClaims, login } from '../lib/keycloak.js';
import { createOneMachine } from '../lib/one-machine.js';
import { portOf } from '../lib/recordings.js';

const { alice, bob, carol } = USERS;
const TEST = { timeout: 240_000 };
const WAIT = { timeout: 30_000 };

async function userId(user) {
  return jwtClaims(await login(user.username, user.password)).sub;
}

/** The video frames `page` decoded on its two-party connection so far. */
async function framesDecoded(page) {
  return (await waitForMedia(page)).videoFramesDecoded;
}

describe('calls with several people at once, and the media server down when a call grows', { timeout: 900_000 }, () => {
  let machine;
  const pages = {};
  const ids = {};

  before(async () => {
    machine = await createOneMachine({
      forwardPorts: [portOf(vclickUrl()), portOf(keycloakUrl())],
      recordings: process.env.VCLICK_MEDIA_JANUS_RECORDINGS_DIR,
    });
    for (const user of [alice, bob, carol]) {
      ids[user.username] = await userId(user);
      const page = await firstPage(await machine.openBrowser());
      logPageErrors(page, user.username);
      await page.goto(vclickUrl());
      await signIn(page, user);
      pages[user.username] = page;
    }
  });

  afterEach(async () => {
    await Promise.all(Object.values(pages).map((page) => endAnyCall(page)));
    await machine?.startJanus();
  });

  after(async () => {
    await closeAll();
    await machine?.close();
  });

  test('alice calls bob and carol at once from the directory: both rung, the second answer makes the conference', TEST, async () => {
    // Pick two people from two searches; the bar offers one call with both.
    for (const [who, user] of [
      ['bob', bob],
      ['carol', carol],
    ]) {
      const row = await directoryRow(pages.alice, ids[who], user.email);
      await row.locator('input.pick').check({ timeout: WAIT_MS });
    }
    await waitForDataset(pages.alice, { selected: '2' });
    assert.equal(await pages.alice.locator('#directory-selected').innerText(), `${bob.name} and ${carol.name}`);
    const button = pages.alice.locator('#call-many-video');
    assert.equal(await button.innerText(), 'Video call 2 people');
    await button.click();
    await waitForDataset(pages.alice, { selected: '0' }, { what: 'the selection cleared' });

    // Both ring, each told who calls; bob answers first: the two-party call.
    for (const who of ['bob', 'carol']) await waitForCall(pages[who], 'incoming', { who });
    const callId = (await dataset(pages.alice)).callId;
    assert.equal((await dataset(pages.carol)).callId, callId, 'one call rings at both');
    await pages.bob.locator('#call-answer').click();
    await Promise.all([waitForCall(pages.alice, 'active', { who: 'alice' }), waitForCall(pages.bob, 'active', { who: 'bob' })]);
    await pages.alice.locator(`#call-parties li[data-user-id="${ids.carol}"][data-state="ringing"]`).waitFor(WAIT);

    // carol answers: everyone onto the media server, each receiving the two others.
    await pages.carol.locator('#call-answer').click();
    for (const [who, page] of Object.entries(pages)) {
      await waitForDataset(page, { conference: 'active', parties: '3' }, { timeout: 45_000, what: `${who}'s conference` });
    }
    for (const [who, page] of Object.entries(pages)) {
      const media = await waitForConferenceMedia(page, { videoFrom: 2, audioFrom: 2, minFrames: 30, timeout: 45_000, who });
      const others = Object.keys(ids)
        .filter((name) => name !== who)
        .map((name) => ids[name]);
      assert.deepEqual(Object.keys(media.video).sort(), [...others].sort(), `${who} decodes the video of the two others`);
      assert.deepEqual(Object.keys(media.audio).sort(), [...others].sort(), `${who} receives the audio of the two others`);
    }

    // Everyone leaves; the history has one entry with everyone and their times.
    await pages.bob.locator('#call-hangup').click();
    await waitForDataset(pages.alice, { call: 'active', parties: '2' }, { what: 'alice after bob left' });
    await pages.carol.locator('#call-hangup').click();
    await waitForCall(pages.alice, 'ended', { who: 'alice' });
    const entry = await waitForLogEntry(alice, callId, (e) => e.endedAt !== null);
    assert.deepEqual(
      entry.participants.map((p) => p.id),
      [ids.alice, ids.bob, ids.carol],
      'one entry with everyone in the call',
    );
    for (const p of entry.participants) {
      assert.ok(p.joinedAt && p.leftAt && Date.parse(p.leftAt) >= Date.parse(p.joinedAt), `join and leave times: ${JSON.stringify(p)}`);
    }
    const bobLeft = entry.participants[1].leftAt;
    assert.ok(Date.parse(bobLeft) < Date.parse(entry.participants[2].leftAt), 'bob left before carol');
    const row = pages.alice.locator(`#history-results tr[data-call-id="${callId}"]`);
    await row.locator(`ul.participants li[data-user-id="${ids.bob}"][data-left-at="${bobLeft}"]`).waitFor(WAIT);
    const items = await row.locator('ul.participants li').allInnerTexts();
    assert.equal(items.length, 3, `alice's history lists everyone: ${items}`);
    assert.ok(items[1].startsWith(`${bob.name}: `), items[1]);
  });

  test(
    'the media server down at invite time: a clear error for the invitee and the inviter, the two-party call goes on',
    TEST,
    async () => {
      await machine.stopJanus();
      await callFromDirectory(pages.alice, ids.bob, bob.email, 'video');
      await waitForCall(pages.bob, 'incoming', { who: 'bob' });
      await pages.bob.locator('#call-answer').click();
      await Promise.all([waitForCall(pages.alice, 'active', { who: 'alice' }), waitForCall(pages.bob, 'active', { who: 'bob' })]);
      const before = { alice: await framesDecoded(pages.alice), bob: await framesDecoded(pages.bob) };

      await pages.alice.locator('#call-add').click();
      await pages.alice.locator('#add-query').fill(carol.email);
      await pages.alice.locator(`#add-results tr[data-user-id="${ids.carol}"] .call-add`).click({ timeout: WAIT_MS });
      await waitForCall(pages.carol, 'incoming', { who: 'carol' });
      await pages.carol.locator('#call-answer').click();

      await waitForCall(pages.carol, 'ended', { endReason: 'media-unavailable', who: 'carol' });
      const said = await pages.carol.locator('#call-message').innerText();
      assert.match(said, /media server is unavailable/, `carol is told why: ${said}`);
      const toldBoth = `${carol.name} cannot join: the media server is unavailable. Your call goes on.`;
      for (const who of ['alice', 'bob']) {
        await pages[who].locator('#error-text', { hasText: toldBoth }).waitFor(WAIT);
        assert.equal((await dataset(pages[who])).call, 'active', `${who}'s call goes on`);
        assert.equal((await dataset(pages[who])).conference, undefined, `${who} is not in a conference`);
      }
      // Their media keeps flowing peer to peer: a second of frames more than before the invite.
      for (const who of ['alice', 'bob']) {
        await pages[who].waitForFunction(
          async (min) => {
            const stats = await window.vclickCall()?.getStats();
            let frames = 0;
            stats?.forEach((r) => r.type === 'inbound-rtp' && r.kind === 'video' && (frames += r.framesDecoded ?? 0));
            return frames > min;
          },
          before[who] + 30,
          { timeout: WAIT_MS, polling: 200 },
        );
      }
    },
  );
});
