// The real Vclick extension in a test browser: built from extension/ (dist/), configured through
// its options page, signed in through its own sign-in (launchWebAuthFlow opens Keycloak's login
// page in a browser window, which the test fills like a user), and its service worker observed,
// driven (notification clicks: headless Chromium never fires them) and stopped through CDP.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { submitKeycloakLogin } from './app.js';
import { firstPage, logPageErrors, openContext } from './browser.js';
import { keycloakUrl, vclickUrl } from './env.js';

export const EXTENSION_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'extension', 'dist');
export const EXTENSION_ID = 'jafpjpcekaheefipgmmjkbjeohlphimo';
export const extensionUrl = (path) => `chrome-extension://${EXTENSION_ID}/${path}`;
const WAIT_MS = 20_000;

/** A fresh browser with the built extension loaded; `label` prefixes its page errors. */
export async function openWithExtension(label) {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`${EXTENSION_DIR} is not built: run 'npm run build' in extension/ (./vclick test does)`);
  }
  const context = await openContext({ extension: EXTENSION_DIR });
  context.on('page', (page) => logPageErrors(page, label));
  logPageErrors(await firstPage(context), label);
  await worker(context);
  return context;
}

/** The extension's service worker (waits for a new one after a stop). */
export async function worker(context, { timeout = WAIT_MS } = {}) {
  const running = context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`));
  return running ?? context.waitForEvent('serviceworker', { timeout });
}

/** Sets the options a user would (through the options page): server, enterprise domain, phone region. */
export async function configure(context, { serverUrl = vclickUrl(), emailDomains = ['acme-bank.example'], phoneRegion = 'GB' } = {}) {
  const page = await context.newPage();
  await page.goto(extensionUrl('src/options/options.html'));
  // Save is enabled once the page shows the stored settings.
  await page.locator('#save:enabled').waitFor({ timeout: WAIT_MS });
  await page.locator('#server-url').fill(serverUrl);
  await page.locator('#email-domains').fill(emailDomains.join('\n'));
  await page.locator('#phone-region').selectOption(phoneRegion);
  await page.locator('#save').click();
  await page.locator('#status', { hasText: 'Saved' }).waitFor({ timeout: WAIT_MS });
  await page.close();
}

/**
 * Signs `user` in the way a user does: the popup's "Sign in", then Keycloak's login form in the
 * window the extension opens; returns once the worker says it is connected.
 */
export async function signInExtension(context, user) {
  const popup = await context.newPage();
  await popup.goto(extensionUrl('src/popup/popup.html'));
  const authWindow = context.waitForEvent('page', {
    predicate: (p) => p.url().startsWith(`${keycloakUrl()}/`),
    timeout: WAIT_MS,
  });
  await popup.locator('#sign-in').click();
  const auth = await authWindow;
  await submitKeycloakLogin(auth, user);
  await waitForStatus(context, (s) => s.signedIn && s.connection === 'connected', `${user.username} connected`);
  await popup.close();
}

/** Waits until the worker's status satisfies `check`. */
export async function waitForStatus(context, check, what, { timeout = WAIT_MS } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await (await worker(context)).evaluate(() => globalThis.vclickStatus()).catch((e) => ({ error: e.message }));
    if (check(last)) return last;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeout} ms; status ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The badge text and title of the toolbar icon. */
export async function badge(context) {
  const w = await worker(context);
  return w.evaluate(async () => ({ text: await chrome.action.getBadgeText({}), title: await chrome.action.getTitle({}) }));
}

/** The extension's notifications: { id: true }. */
export async function notifications(context) {
  const w = await worker(context);
  return w.evaluate(() => chrome.notifications.getAll());
}

/** Waits for a call notification and returns its id (`call:<callId>`). */
export async function waitForCallNotification(context, { timeout = WAIT_MS } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const id = Object.keys(await notifications(context)).find((n) => n.startsWith('call:'));
    if (id) return id;
    if (Date.now() > deadline) throw new Error(`no call notification within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until notification `id` is gone. */
export async function waitForNotificationGone(context, id, { timeout = WAIT_MS } = {}) {
  const deadline = Date.now() + timeout;
  while (id in (await notifications(context))) {
    if (Date.now() > deadline) throw new Error(`notification ${id} still shown after ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Clicks a notification button the one way the extension handles clicks ('answer'|'decline'|'show'). */
export async function clickNotification(context, id, action) {
  const w = await worker(context);
  return w.evaluate(([n, a]) => globalThis.notificationAction(n, a), [id, action]);
}

/**
 * Stops the extension's service worker through the DevTools protocol (as Chrome does to an idle
 * worker) and resolves once it is gone.
 */
export async function stopWorker(context) {
  const page = await context.newPage();
  // A page of the extension's origin that sends the worker nothing (the popup would wake it).
  await page.goto(extensionUrl('icons/vclick-128.png'));
  const cdp = await context.newCDPSession(page);
  const versions = new Map();
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions: list }) => {
    for (const v of list) versions.set(v.versionId, v);
  });
  await cdp.send('ServiceWorker.enable');
  const deadline = Date.now() + WAIT_MS;
  while (![...versions.values()].some((v) => v.runningStatus === 'running')) {
    if (Date.now() > deadline) throw new Error('no running service worker seen through CDP');
    await new Promise((r) => setTimeout(r, 50));
  }
  await cdp.send('ServiceWorker.stopAllWorkers');
  while ([...versions.values()].some((v) => v.runningStatus !== 'stopped')) {
    if (Date.now() > deadline) throw new Error('the service worker did not stop');
    await new Promise((r) => setTimeout(r, 50));
  }
  await cdp.detach();
  await page.close();
}

/** The click-to-call icons of `page`: [{ kind, value, presence }]. */
export function icons(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('vclick-icon')].map((i) => ({
      kind: i.dataset.kind,
      value: i.dataset.value,
      presence: i.dataset.presence,
    })),
  );
}

/** The first icon for `value` (an email or E.164 number) on `page`. */
export const iconOf = (page, value) => page.locator(`vclick-icon[data-value="${value}"]`).first();

/** Waits until every icon of `email` on `page` shows `presence`. */
export async function waitForIconPresence(page, email, presence, { timeout = WAIT_MS } = {}) {
  try {
    await page.waitForFunction(
      ([value, want]) => {
        const all = [...document.querySelectorAll(`vclick-icon[data-value="${value}"]`)];
        return all.length > 0 && all.every((i) => i.dataset.presence === want);
      },
      [email, presence],
      { timeout, polling: 100 },
    );
  } catch (e) {
    const now = await page.evaluate(
      (v) => [...document.querySelectorAll(`vclick-icon[data-value="${v}"]`)].map((i) => i.dataset.presence),
      email,
    );
    throw new Error(`${email}'s icons: not all ${presence} within ${timeout} ms, but ${JSON.stringify(now)}`);
  }
}
