// The web app in a test browser: open it, sign in through Keycloak's real login form, and read the
// state the app publishes for tests (web/SIGNALING.md, "Web app contract"): document.body.dataset
// ws/call/callId/endReason/mediaPath and window.vclickCall(). Every wait has a deadline.

import { firstPage, logPageErrors, openContext } from './browser.js';
import { keycloakUrl, vclickUrl } from './env.js';
import { login } from './keycloak.js';
import { hasDemoOtp, nextDemoCode } from './otp.js';

export const WAIT_MS = 20_000;

/**
 * Fills Keycloak's login form on `page` as `user` and, for a demo user with a one-time-code device
 * (a privileged role), the code form that follows; returns once the form is sent.
 */
export async function submitKeycloakLogin(page, user, { timeout = WAIT_MS } = {}) {
  await page.locator('#username').fill(user.username);
  await page.locator('#password').fill(user.password);
  await page.locator('#kc-login').click();
  if (!hasDemoOtp(user.username)) return;
  await page.locator('#otp').waitFor({ timeout });
  await page.locator('#otp').fill(await nextDemoCode(keycloakUrl(), user.username));
  await page.locator('#kc-login').click();
}

/**
 * Signs `user` in on `page`, which is on the app or on its way to Keycloak: fills Keycloak's form
 * (and the one-time code a privileged user is asked for) when it shows (a call link goes there by
 * itself, the home page after #login), and returns once the app shows the user and its signaling
 * socket is open.
 */
export async function signIn(page, user, { timeout = 30_000 } = {}) {
  const deadline = Date.now() + timeout;
  const left = () => Math.max(1, deadline - Date.now());
  const signedIn = page.locator(`#me-name:text-is("${user.username}")`);
  const form = page.locator('#username');
  const loginButton = page.locator('#login:visible');
  for (;;) {
    await signedIn.or(form).or(loginButton).first().waitFor({ timeout: left() });
    if (await signedIn.isVisible()) break;
    if (page.url().startsWith(`${keycloakUrl()}/`) && (await form.isVisible())) {
      await submitKeycloakLogin(page, user, { timeout: left() });
      await page.waitForURL((url) => url.href.startsWith(`${vclickUrl()}/`), { timeout: left() });
    } else if (await loginButton.isVisible()) {
      await loginButton.click();
      await page.waitForURL((url) => url.href.startsWith(`${keycloakUrl()}/`), { timeout: left() });
    } else if (Date.now() > deadline) {
      throw new Error(`${user.username} is not signed in within ${timeout} ms (at ${page.url()})`);
    }
  }
  await waitForDataset(page, { ws: 'open' }, { timeout: left(), what: `${user.username}'s signaling socket` });
}

/** A fresh browser with the app at `path` (default the home page), `user` signed in. */
export async function openApp(user, { path = '/', label = user.username } = {}) {
  const context = await openContext();
  const page = await firstPage(context);
  logPageErrors(page, label);
  await page.goto(`${vclickUrl()}${path}`);
  await signIn(page, user);
  return { context, page };
}

/** document.body.dataset of the page (call, callId, endReason, mediaPath, ws). */
export function dataset(page) {
  return page.evaluate(() => ({ ...document.body.dataset }));
}

/**
 * Waits until every key of `expected` has that value in document.body.dataset (also across
 * navigations); the error tells what the page shows instead.
 */
export async function waitForDataset(page, expected, { timeout = WAIT_MS, what = JSON.stringify(expected) } = {}) {
  try {
    await page.waitForFunction((want) => Object.entries(want).every(([k, v]) => document.body?.dataset[k] === v), expected, {
      timeout,
      polling: 100,
    });
  } catch (e) {
    const now = await page
      .evaluate(() => ({
        dataset: { ...document.body.dataset },
        message: document.getElementById('call-message')?.textContent,
        error: document.getElementById('error-text')?.textContent,
      }))
      .catch(() => null);
    throw new Error(
      `${what}: not ${JSON.stringify(expected)} within ${timeout} ms; the page shows ${JSON.stringify(now)} (${e.message.split('\n')[0]})`,
    );
  }
  return dataset(page);
}

/** Waits for the call state `call` (and `endReason`, when given). */
export function waitForCall(page, call, { endReason, timeout, who = 'page' } = {}) {
  const expected = endReason === undefined ? { call } : { call, endReason };
  return waitForDataset(page, expected, { timeout, what: `${who}'s call` });
}

/** The directory row of `userId`, searched by `query` (a search narrows it to a few people). */
export async function directoryRow(page, userId, query) {
  await page.locator('#directory-query').fill(query);
  const row = page.locator(`#directory-results tr[data-user-id="${userId}"]`);
  await row.waitFor({ timeout: WAIT_MS });
  return row;
}

/** Presses the "Video" or "Audio" call button in `userId`'s directory row. */
export async function callFromDirectory(page, userId, query, media = 'video') {
  const row = await directoryRow(page, userId, query);
  await row.locator(media === 'audio' ? '.call-audio' : '.call-video').click({ timeout: WAIT_MS });
}

/** Waits for the presence `presence` on `userId`'s directory row. */
export async function waitForPresence(page, userId, query, presence) {
  const row = await directoryRow(page, userId, query);
  await row.locator(`.presence[data-presence="${presence}"]`).waitFor({ timeout: WAIT_MS });
}

/**
 * Waits until the call's peer connection receives media: decoded video frames (when `video`) and
 * audio packets. Reads window.vclickCall().getStats() every 200 ms up to the deadline.
 */
export function waitForMedia(page, { video = true, timeout = WAIT_MS } = {}) {
  return page.evaluate(
    async ({ video, timeout }) => {
      const deadline = Date.now() + timeout;
      let seen = null;
      for (;;) {
        const pc = window.vclickCall?.();
        if (pc) {
          const stats = await pc.getStats();
          seen = { videoFramesDecoded: 0, audioPacketsReceived: 0, audioSamplesReceived: 0 };
          stats.forEach((r) => {
            if (r.type !== 'inbound-rtp') return;
            if (r.kind === 'video') seen.videoFramesDecoded += r.framesDecoded ?? 0;
            if (r.kind === 'audio') {
              seen.audioPacketsReceived += r.packetsReceived ?? 0;
              seen.audioSamplesReceived += r.totalSamplesReceived ?? 0;
            }
          });
          const audio = seen.audioPacketsReceived > 0 || seen.audioSamplesReceived > 0;
          if (audio && (!video || seen.videoFramesDecoded > 0)) return seen;
        }
        if (Date.now() > deadline) {
          throw new Error(`no media within ${timeout} ms (peer connection ${pc ? pc.connectionState : 'absent'}, ${JSON.stringify(seen)})`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    { video, timeout },
  );
}

/** The selected candidate pair of the call's peer connection: { local: {candidateType...}, remote }. */
export function selectedPair(page) {
  return page.evaluate(async () => {
    const pc = window.vclickCall?.();
    if (!pc) return null;
    const stats = await pc.getStats();
    let pair;
    stats.forEach((r) => {
      if (r.type === 'transport' && r.selectedCandidatePairId) pair = stats.get(r.selectedCandidatePairId);
    });
    if (!pair) return null;
    const pick = (c) => c && { candidateType: c.candidateType, protocol: c.protocol, address: c.address, url: c.url };
    return { state: pair.state, local: pick(stats.get(pair.localCandidateId)), remote: pick(stats.get(pair.remoteCandidateId)) };
  });
}

/**
 * The call-log entry `callId` of `user` once `ready(entry)` holds: the log is written as the call
 * ends, so this asks again every 250 ms up to the deadline.
 */
export async function waitForLogEntry(user, callId, ready = () => true, { timeout = WAIT_MS } = {}) {
  const token = await login(user.username, user.password);
  const deadline = Date.now() + timeout;
  let entry;
  for (;;) {
    const response = await fetch(`${vclickUrl()}/api/calls?limit=50`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`GET /api/calls as ${user.username}: HTTP ${response.status}`);
    entry = (await response.json()).find((c) => c.callId === callId);
    if (entry && ready(entry)) return entry;
    if (Date.now() > deadline) {
      throw new Error(`${user.username}'s call log: call ${callId} not as expected within ${timeout} ms: ${JSON.stringify(entry ?? null)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Ends whatever call `page` is in (hang up, cancel or decline) and waits until it holds none, so one
 * failed test does not leave the next one a busy user.
 */
export async function endAnyCall(page) {
  if (!page || page.isClosed()) return;
  const { call } = await dataset(page).catch(() => ({}));
  const button = { active: '#call-hangup', outgoing: '#call-cancel', incoming: '#call-decline' }[call];
  if (!button) return;
  await page
    .locator(button)
    .click({ timeout: WAIT_MS })
    .catch(() => {});
  await page.waitForFunction(() => ['idle', 'ended'].includes(document.body.dataset.call), null, { timeout: WAIT_MS, polling: 100 });
}
