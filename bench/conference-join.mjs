#!/usr/bin/env node
// Three-party calls (issue 16): how long an invitee waits for the others' media, and what the
// escalation onto the media server costs the two who were talking. The media server as `./vclick
// run` sets it up on one machine (e2e/lib/one-machine.js: Janus and coturn in a network namespace,
// the three Chromiums in it, relay-only as the shipped policy says); the web app in each (alice,
// bob, carol signed in through Keycloak's form). Each round: alice calls bob from the directory,
// bob answers, their media flows peer to peer; alice adds carol ("Add person"); carol answers on
// her incoming screen; then everyone leaves. Per round:
//
//   join     = from carol's answer (the click; her camera opens after it) to the first video frame
//              decoded from alice or bob through the conference, and to frames from both
//              (window.vclickConference().firstMedia, performance.now() in carol's page);
//   gap      = the longest pause in the other's video frames presented on screen (the visible
//              element showing them, requestVideoFrameCallback: what the user sees), and in the
//              video frames decoded and audio packets received on either path (inbound-rtp every
//              100 ms), at alice and at bob (e2e/lib/conference.js startFlowMonitor), from before
//              the invitation until the direct path closed;
//   control  = the same monitor over --control seconds of the two-party call before the invitation:
//              the pauses this machine causes without any escalation; and over --control seconds
//              of the conference after the direct paths closed (settled: the conference's own);
//   switch   = at alice and bob: from conference.join to the other's first frame decoded through
//              the conference, and from that to the tile showing it.
//
// Prints p50/p95/min/max of each over --joins rounds (after --warmup rounds not counted).
// Needs root, the end-to-end services up with the lab's Janus as media server (./vclick test's
// Payara: VCLICK_MEDIA_JANUS_URL = http://127.0.0.1:$VCLICK_MEDIA_LAB_PORT/janus) and their
// environment (VCLICK_URL, KEYCLOAK_URL, TURN_PORT, VCLICK_TURN_SECRET, VCLICK_JANUS_API_SECRET).
//
//   node bench/conference-join.mjs [--joins 20] [--warmup 1] [--timeout 45] [--control 10]

import { parseArgs } from 'node:util';
import { cpus, release } from 'node:os';
import { WAIT_MS, callFromDirectory, endAnyCall, signIn, waitForCall, waitForDataset, waitForMedia } from '../e2e/lib/app.js';
import { closeAll, firstPage, logPageErrors } from '../e2e/lib/browser.js';
import { startFlowMonitor, stopFlowMonitor, waitForConferenceMedia } from '../e2e/lib/conference.js';
import { USERS, keycloakUrl, requireEnv, vclickUrl } from '../e2e/lib/env.js';
import { jwtClaims, login } from '../e2e/lib/keycloak.js';
import { createOneMachine } from '../e2e/lib/one-machine.js';
import { portOf } from '../e2e/lib/recordings.js';
import { load, max, median, min, percentile } from './figures.mjs';

const { values: options } = parseArgs({
  options: {
    joins: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '1' },
    timeout: { type: 'string', default: '45' },
    control: { type: 'string', default: '10' },
    help: { type: 'boolean', default: false },
  },
});
if (options.help) {
  console.log(
    'node bench/conference-join.mjs [--joins N (20)] [--warmup N (1)] [--timeout SECONDS a step (45)] [--control SECONDS (10)]\nSee its header.',
  );
  process.exit(0);
}
const int = (name, least) => {
  const n = Number(options[name]);
  if (!Number.isInteger(n) || n < least) {
    console.error(`--${name} must be an integer ≥ ${least}`);
    process.exit(2);
  }
  return n;
};
const joins = int('joins', 1);
const warmup = int('warmup', 0);
const timeout = int('timeout', 1) * 1000;
const control = int('control', 0) * 1000;
try {
  vclickUrl();
  keycloakUrl();
  requireEnv('VCLICK_TURN_SECRET');
} catch (e) {
  console.error(e.message);
  process.exit(2);
}
if (process.getuid?.() !== 0) {
  console.error('the one-machine namespace needs root');
  process.exit(2);
}

const { alice, bob, carol } = USERS;
const ids = {};
for (const user of [alice, bob, carol]) ids[user.username] = jwtClaims(await login(user.username, user.password)).sub;

const machine = await createOneMachine({ forwardPorts: [portOf(vclickUrl()), portOf(keycloakUrl())] });
const pages = {};
const rounds = [];
try {
  for (const user of [alice, bob, carol]) {
    const context = await machine.openBrowser();
    const page = await firstPage(context);
    logPageErrors(page, user.username);
    await page.goto(vclickUrl());
    await signIn(page, user);
    pages[user.username] = page;
  }
  for (let round = 1; round <= warmup + joins; round += 1) {
    const figures = await oneRound();
    const counted = round > warmup;
    if (counted) rounds.push(figures);
    console.error(`round ${round}${counted ? '' : ' (warm-up)'}: ${JSON.stringify(figures)}`);
  }
} finally {
  await Promise.all(Object.values(pages).map((page) => endAnyCall(page).catch(() => {})));
  await closeAll();
  await machine.close();
}
report();

async function oneRound() {
  await callFromDirectory(pages.alice, ids.bob, bob.email, 'video');
  await waitForCall(pages.bob, 'incoming', { who: 'bob', timeout });
  await pages.bob.locator('#call-answer').click();
  await Promise.all([waitForMedia(pages.alice, { timeout }), waitForMedia(pages.bob, { timeout })]);
  // The control: the same monitor over --control seconds of the two-party call, no escalation in it.
  let controls = null;
  if (control > 0) {
    await Promise.all([startFlowMonitor(pages.alice, ids.bob), startFlowMonitor(pages.bob, ids.alice)]);
    await new Promise((resolve) => setTimeout(resolve, control)); // a measuring window, not a wait for something
    controls = { alice: await stopFlowMonitor(pages.alice), bob: await stopFlowMonitor(pages.bob) };
  }
  await Promise.all([startFlowMonitor(pages.alice, ids.bob), startFlowMonitor(pages.bob, ids.alice)]);

  if (await pages.alice.locator('#add-person').isHidden()) await pages.alice.locator('#call-add').click();
  await pages.alice.locator('#add-query').fill(carol.email);
  await pages.alice.locator(`#add-results tr[data-user-id="${ids.carol}"] .call-add:enabled`).click({ timeout: WAIT_MS });
  await waitForCall(pages.carol, 'incoming', { who: 'carol', timeout });
  await pages.carol.locator('#call-answer').click();
  for (const [who, page] of Object.entries(pages)) {
    await waitForDataset(page, { conference: 'active' }, { timeout, what: `${who}'s conference` });
    await waitForConferenceMedia(page, { videoFrom: 2, audioFrom: 2, timeout, who });
  }
  for (const page of [pages.alice, pages.bob]) {
    await page.waitForFunction(
      () => window.vclickCall() === null && window.vclickConference()?.escalation.firstFrameAfterSwitchAt !== null,
      null,
      {
        timeout,
        polling: 100,
      },
    );
  }
  const flows = { alice: await stopFlowMonitor(pages.alice), bob: await stopFlowMonitor(pages.bob) };
  const carolSide = await pages.carol.evaluate(() => {
    const c = window.vclickConference();
    return { answeredAt: c.answeredAt, firstMedia: c.firstMedia, steps: c.steps };
  });
  const videoTimes = [ids.alice, ids.bob].map((id) => carolSide.firstMedia[`${id}/video`] - carolSide.answeredAt);
  // Where carol's wait goes: each step's first time from her answer.
  const steps = Object.fromEntries(
    Object.entries(carolSide.steps).map(([k, t]) => [k, t === null ? null : Math.round(t - carolSide.answeredAt)]),
  );
  console.error(`  carol's steps (ms from her answer): ${JSON.stringify(steps)}`);
  const escalations = {};
  const timeline = {};
  for (const who of ['alice', 'bob']) {
    const { e, origin } = await pages[who].evaluate(() => ({ e: window.vclickConference().escalation, origin: performance.timeOrigin }));
    escalations[who] = { toPeerMedia: e.peerMediaAt - e.joinedAt, switchToFrame: e.firstFrameAfterSwitchAt - e.peerMediaAt };
    // Epoch ms, to set the longest pauses of both pages against both escalations.
    const epoch = (t) => (t === null ? null : Math.round(origin + t));
    timeline[who] = {
      joined: epoch(e.joinedAt),
      peerMedia: epoch(e.peerMediaAt),
      shown: epoch(e.firstFrameAfterSwitchAt),
      directClosed: epoch(e.directClosedAt),
    };
  }
  const t0 = Math.min(timeline.alice.joined, timeline.bob.joined);
  const rel = (t) => (t === null || t === undefined ? null : t - t0);
  const events = Object.fromEntries(
    ['alice', 'bob'].map((w) => [w, Object.fromEntries(Object.entries(timeline[w]).map(([k, t]) => [k, rel(t)]))]),
  );
  const pauses = Object.fromEntries(
    ['alice', 'bob'].map((w) => [
      w,
      Object.fromEntries(Object.entries(flows[w].at).map(([k, a]) => [k, [rel(a.from), rel(a.to), flows[w].gapMs[k]]])),
    ]),
  );
  console.error(
    `  timeline (ms from the first conference.join): ${JSON.stringify(events)}; longest pauses [from, to, ms]: ${JSON.stringify(pauses)}; longest sampling interval alice/bob ${flows.alice.longestSampleMs}/${flows.bob.longestSampleMs} ms`,
  );
  // The same monitor over --control seconds of the three-party call once the direct paths closed: the
  // pauses the conference itself has on this machine (three browsers encoding and decoding), no switch in it.
  let settled = null;
  if (control > 0) {
    await Promise.all([startFlowMonitor(pages.alice, ids.bob), startFlowMonitor(pages.bob, ids.alice)]);
    await new Promise((resolve) => setTimeout(resolve, control)); // a measuring window, not a wait for something
    settled = { alice: await stopFlowMonitor(pages.alice), bob: await stopFlowMonitor(pages.bob) };
  }
  // Everyone leaves: bob, then alice (carol's call ends as the last one).
  await pages.bob.locator('#call-hangup').click();
  await pages.alice.locator('#call-hangup').click();
  await waitForCall(pages.carol, 'ended', { who: 'carol', timeout });
  for (const page of Object.values(pages)) {
    await page.locator('#call-dismiss').click();
    await waitForCall(page, 'idle', { timeout });
  }
  return {
    steps,
    joinFirstMs: Math.round(min(videoTimes)),
    joinAllMs: Math.round(max(videoTimes)),
    gapSeenMs: Math.max(flows.alice.gapMs.seen, flows.bob.gapMs.seen),
    gapFrozenMs: Math.max(flows.alice.gapMs.frozen, flows.bob.gapMs.frozen),
    controlSeenMs: controls ? Math.max(controls.alice.gapMs.seen, controls.bob.gapMs.seen) : NaN,
    controlFrozenMs: controls ? Math.max(controls.alice.gapMs.frozen, controls.bob.gapMs.frozen) : NaN,
    settledSeenMs: settled ? Math.max(settled.alice.gapMs.seen, settled.bob.gapMs.seen) : NaN,
    settledFrozenMs: settled ? Math.max(settled.alice.gapMs.frozen, settled.bob.gapMs.frozen) : NaN,
    sampleMs: Math.max(flows.alice.longestSampleMs, flows.bob.longestSampleMs),
    gapVideoMs: Math.max(flows.alice.gapMs.video, flows.bob.gapMs.video),
    gapAudioMs: Math.max(flows.alice.gapMs.audio, flows.bob.gapMs.audio),
    toPeerMediaMs: Math.round(max([escalations.alice.toPeerMedia, escalations.bob.toPeerMedia])),
    switchToFrameMs: Math.round(max([escalations.alice.switchToFrame, escalations.bob.switchToFrame])),
  };
}

function report() {
  const row = (label, key) => {
    const xs = rounds.map((r) => r[key]);
    const f = (x) => (Number.isFinite(x) ? `${Math.round(x)}` : '—');
    return `| ${label} | ${f(median(xs))} | ${f(percentile(xs, 95))} | ${f(min(xs))} | ${f(max(xs))} |`;
  };
  console.log(
    `Three-party join on Janus (one machine), ${rounds.length} joins; ${cpus().length} cores, Linux ${release()}, load ${load()}`,
  );
  console.log('| ms | p50 | p95 | min | max |\n|---|---|---|---|---|');
  console.log(row('join: answer → first remote frame', 'joinFirstMs'));
  console.log(row('join: answer → frames from both others', 'joinAllMs'));
  console.log(row('escalation: longest pause between frame callbacks on screen (alice/bob)', 'gapSeenMs'));
  console.log(row('escalation: longest time one frame stayed on screen (alice/bob)', 'gapFrozenMs'));
  console.log(row(`control (${control / 1000} s of the two-party call): between frame callbacks`, 'controlSeenMs'));
  console.log(row('control: longest time one frame stayed on screen', 'controlFrozenMs'));
  console.log(row(`settled (${control / 1000} s of the conference after the switch): between frame callbacks`, 'settledSeenMs'));
  console.log(row('settled: longest time one frame stayed on screen', 'settledFrozenMs'));
  console.log(row('escalation: longest pause in video frames decoded (alice/bob)', 'gapVideoMs'));
  console.log(row('escalation: longest audio pause (alice/bob)', 'gapAudioMs'));
  console.log(row('  (the longest interval between two getStats samples, their resolution)', 'sampleMs'));
  console.log(row('conference.join → peer media via the media server', 'toPeerMediaMs'));
  console.log(row('peer media via the media server → the tile shows it', 'switchToFrameMs'));
  console.log("carol's steps, ms from her answer (median of each):");
  const names = [...new Set(rounds.flatMap((r) => Object.keys(r.steps)))];
  const at = (name) => median(rounds.map((r) => r.steps[name]).filter((t) => t !== null && t !== undefined));
  console.log(
    names
      .sort((a, b) => at(a) - at(b))
      .map((name) => `${name} ${Math.round(at(name))}`)
      .join(' → '),
  );
}
