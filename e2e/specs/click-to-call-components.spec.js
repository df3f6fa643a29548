// Click-to-call on a page built the way current intranet apps are (sites/people-finder): contact
// cards as web components (open shadow roots, nested, a card added late, a card type defined late),
// numbers and addresses split over inline elements, a virtualised list recycling its rows, and
// frames: same origin, another origin, srcdoc, an about:blank frame the page fills. The real
// extension, signed in as bob: exactly one icon per contact in every part, coloured by the presence
// the server reports, stale icons gone when rows are recycled, none in form fields or editable text,
// a click inside a shadow root or a frame opening the call page like any other (a script's click
// nothing), and the per-site switch covering frames: the frame's own site and the tab's.

import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { WAIT_MS } from '../lib/app.js';
import { USERS, vclickUrl } from '../lib/env.js';
import { configure, openWithExtension, signInExtension, worker } from '../lib/extension.js';
import { login } from '../lib/keycloak.js';
import { serveStatic } from '../lib/static-site.js';
import { closeAll as closeBrowsers } from '../lib/browser.js';

const { bob, carol } = USERS;
const TEST = { timeout: 120_000 };
const SITE = fileURLToPath(new URL('../sites/people-finder/', import.meta.url));

after(closeBrowsers);

/**
 * In a frame: every icon of ours, through open shadow roots, by the part of the page it is in
 * (the nearest [data-part] around it, or around the shadow host it is in; 'frame' otherwise):
 * { part: ['kind value presence', ...] }.
 */
function iconsByPart() {
  const found = {};
  const walk = (root, part) => {
    for (const el of root.querySelectorAll('*')) {
      const here = el.closest('[data-part]')?.dataset.part ?? part;
      if (el.localName === 'vclick-icon') (found[here] ??= []).push(`${el.dataset.kind} ${el.dataset.value} ${el.dataset.presence}`);
      else if (el.shadowRoot) walk(el.shadowRoot, here);
    }
  };
  walk(document, 'frame');
  return found;
}

/** Presence of `emails` as the server has it now, asked with bob's token. */
async function serverPresence(emails) {
  const token = await login(bob.username, bob.password);
  const response = await fetch(`${vclickUrl()}/api/presence/lookup`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ emails }),
  });
  assert.equal(response.status, 200);
  return Object.fromEntries((await response.json()).people.map((p) => [p.email, p.presence]));
}

describe('click-to-call in web components, frames, split text and recycled rows', () => {
  let site;
  let peer;
  let browser;
  let page;

  before(async () => {
    // The page and, on another origin (another port), the frame it embeds from a partner.
    [site, peer] = await Promise.all([serveStatic(SITE), serveStatic(SITE)]);
    browser = await openWithExtension('bob');
    await configure(browser);
    await signInExtension(browser, bob);
    page = await browser.newPage();
    await page.goto(`${site.url}/index.html?peer=${encodeURIComponent(peer.url)}`);
    await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: WAIT_MS });
  });

  after(async () => {
    await browser?.close();
    await Promise.all([site?.close(), peer?.close()]);
  });

  /** Every frame's icons by part (a frame's own parts, else the frame's iframe id), presence dropped or kept. */
  async function allIcons({ presence = false } = {}) {
    const byPart = {};
    for (const frame of page.frames()) {
      const id = frame === page.mainFrame() ? null : await (await frame.frameElement()).getAttribute('id');
      for (const [part, icons] of Object.entries(await frame.evaluate(iconsByPart))) {
        const name = part === 'frame' ? id : part;
        byPart[name] = [...(byPart[name] ?? []), ...icons.map((i) => (presence ? i : i.split(' ').slice(0, 2).join(' ')))];
      }
    }
    for (const part of Object.keys(byPart)) byPart[part].sort();
    return byPart;
  }

  async function expected() {
    const parts = await page.evaluate(() => window.finder.expected());
    for (const part of Object.keys(parts)) parts[part].sort();
    return parts;
  }

  /** Waits until every part has exactly its contacts' icons (each once); returns them. */
  async function waitForExactIcons() {
    const deadline = Date.now() + WAIT_MS;
    let want;
    let got;
    // Parts compared in one order (the page lists them in its own, the walk in document order).
    const canonical = (parts) => JSON.stringify(Object.entries(parts).sort(([a], [b]) => (a < b ? -1 : 1)));
    while (canonical((got = await allIcons())) !== canonical((want = await expected()))) {
      if (Date.now() > deadline) {
        assert.deepEqual(got, want, 'one icon per contact in every part and frame');
        assert.fail('the parts differ in order only, which canonical() should not see');
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return got;
  }

  test('exactly one icon per contact: components (nested, late), split numbers, the list, every frame', TEST, async () => {
    const icons = await waitForExactIcons();
    for (const part of ['components', 'late-root', 'split', 'recycling', 'same-origin', 'cross-origin', 'srcdoc', 'blank']) {
      assert.ok(icons[part]?.length > 0, `icons in ${part}`);
    }
    // The page reads as its script wrote it.
    assert.equal(await page.locator('#on-call').textContent(), await page.evaluate(() => window.finder.listText()));
    // Inside components too: each card reads as its attributes say (the icons add no text of theirs).
    const cards = await page.evaluate(() => {
      const out = [];
      const walk = (root) => {
        for (const el of root.querySelectorAll('*')) {
          if (el.shadowRoot) walk(el.shadowRoot);
          if (el.shadowRoot && el.hasAttribute('email')) {
            const want = `${el.getAttribute('name')}${el.getAttribute('email')}Tel: ${el.getAttribute('phone')}`;
            out.push([el.shadowRoot.querySelector('article')?.textContent, want]);
          }
        }
      };
      walk(document);
      return out;
    });
    assert.equal(cards.length, 5, 'five cards');
    for (const [got, want] of cards) assert.equal(got, want);
    // Nothing in form fields or editable text, in a component's shadow root or in a frame (the exact
    // comparison above would see them too; said here by name).
    assert.equal(await page.locator('callback-form vclick-icon').count(), 0, 'no icon in the form component');
    assert.equal(await page.frameLocator('#same-origin').locator('[contenteditable] vclick-icon').count(), 0);
    // The icons fit the cards' own styling: a line's height, inside the card (which contains its layout).
    const misfits = await page.evaluate(() => {
      const out = [];
      const walk = (root) => {
        for (const el of root.querySelectorAll('*')) {
          if (el.localName === 'vclick-icon') {
            const card = el.getRootNode().querySelector?.('article');
            if (!card) continue;
            const icon = el.getBoundingClientRect();
            const box = card.getBoundingClientRect();
            const inside = icon.left >= box.left && icon.right <= box.right && icon.top >= box.top && icon.bottom <= box.bottom;
            if (!inside || icon.height < 12 || icon.height > 20)
              out.push(`${el.dataset.value}: ${JSON.stringify(icon)} in ${JSON.stringify(box)}`);
          } else if (el.shadowRoot) walk(el.shadowRoot);
        }
      };
      walk(document);
      return out;
    });
    assert.deepEqual(misfits, [], 'icons inside their cards, a line high');
  });

  test('icons are coloured by the presence the server reports, in shadow roots and frames alike', TEST, async () => {
    const emails = [
      ...new Set(
        Object.values(await expected())
          .flat()
          .filter((c) => c.startsWith('email '))
          .map((c) => c.slice(6)),
      ),
    ];
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const server = await serverPresence(emails);
      assert.equal(server[bob.email], 'online', 'bob is signed in here');
      const wrong = Object.values(await allIcons({ presence: true }))
        .flat()
        .filter((i) => i.startsWith('email '))
        .filter((i) => {
          const [, email, shown] = i.split(' ');
          return shown !== server[email];
        });
      if (wrong.length === 0) break;
      if (Date.now() > deadline) assert.deepEqual(wrong, [], `icons as the server says: ${JSON.stringify(server)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  test('a recycled row: new icons for its new text, none left of the old', TEST, async () => {
    await page.evaluate(() => window.finder.nextPage());
    await waitForExactIcons();
    assert.equal(await page.locator('#on-call').textContent(), await page.evaluate(() => window.finder.listText()));
    await page.evaluate(() => window.finder.nextPage());
    await waitForExactIcons();
  });

  /** Clicks `icon` and returns the URL of the call page it opens (closed again: no call is placed). */
  async function callPageOf(icon) {
    const opened = browser.waitForEvent('page', { predicate: (p) => p.url().startsWith(`${vclickUrl()}/call?`), timeout: WAIT_MS });
    await icon.click();
    const callPage = await opened;
    const url = callPage.url();
    await callPage.close();
    return url;
  }

  test('a click on an icon in a nested shadow root, in a cross-origin frame, in a srcdoc frame starts the call', TEST, async () => {
    const call = (email) => `${vclickUrl()}/call?to=${encodeURIComponent(email)}`;
    // Clicks the page's scripts make (untrusted) start nothing, in a shadow root or a frame: made
    // first, so that a call page they opened would come before the trusted click's below.
    const scriptClick = (value) => {
      const find = (root) => {
        for (const el of root.querySelectorAll('*')) {
          if (el.localName === 'vclick-icon' && el.dataset.value === value) return el;
          const inner = el.shadowRoot && find(el.shadowRoot);
          if (inner) return inner;
        }
        return null;
      };
      const icon = find(document);
      icon.click();
      icon.shadowRoot.querySelector('button').click();
      icon.shadowRoot.querySelector('button').dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    };
    await page.evaluate(scriptClick, 'dave@acme-bank.example');
    await page
      .frames()
      .find((f) => f.url().startsWith(peer.url))
      .evaluate(scriptClick, bob.email);
    // frank's card is in team-panel's shadow root, his icon in the card's own (Playwright's CSS pierces open roots).
    assert.equal(
      await callPageOf(page.locator('team-panel contact-card vclick-icon[data-value="frank@acme-bank.example"]')),
      call('frank@acme-bank.example'),
    );
    assert.equal(
      await callPageOf(page.frameLocator('#cross-origin').locator(`vclick-icon[data-value="${carol.email}"]`)),
      call(carol.email),
    );
    assert.equal(await callPageOf(page.frameLocator('#srcdoc').locator(`vclick-icon[data-value="${carol.email}"]`)), call(carol.email));
    const callPages = browser.pages().filter((p) => p.url().startsWith(`${vclickUrl()}/call`));
    assert.deepEqual(
      callPages.map((p) => p.url()),
      [],
      "no call page from the scripts' clicks",
    );
  });

  /** Turns click-to-call off for these sites (as the toolbar button's switch does), on for the others. */
  async function turnOff(sites) {
    const w = await worker(browser);
    await w.evaluate(async (disabledSites) => {
      const { settings = {} } = await chrome.storage.local.get('settings');
      await chrome.storage.local.set({ settings: { ...settings, disabledSites } });
    }, sites);
  }

  /** Waits until every frame's icons by part are `want` (parts without icons left out). */
  async function waitForIcons(want, what) {
    const deadline = Date.now() + WAIT_MS;
    const canonical = (parts) =>
      JSON.stringify(
        Object.entries(parts)
          .filter(([, v]) => v.length > 0)
          .sort(([a], [b]) => (a < b ? -1 : 1)),
      );
    let got;
    while (canonical((got = await allIcons())) !== canonical(want)) {
      if (Date.now() > deadline) assert.deepEqual(got, want, what);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  test(
    "turned off for a frame's site: none in that frame; for the tab's site: none in any of its frames; back on: all back",
    TEST,
    async () => {
      const all = await expected();
      try {
        await turnOff([new URL(peer.url).origin]);
        const { 'cross-origin': _, ...othersThanPeer } = all;
        await waitForIcons(othersThanPeer, 'no icon in the frame of the site turned off, the rest as before');
        await turnOff([new URL(site.url).origin]);
        await waitForIcons({}, 'no icon anywhere in a tab whose site is turned off, its cross-origin frame included');
      } finally {
        await turnOff([]);
      }
      await waitForExactIcons();
    },
  );
});
