// The Secure Edge admin page (/admin/edge, web/EDGE-API.md "Admin page"): frank (edge-admin) finds it
// from the header, sees the shipped policy, adds a rule that denies an origin, saves it, tries decisions
// on the saved policy, sees an invalid origin pattern refused with its field named and a concurrent change
// reported as a conflict; bob (caller only) has no link and is refused. The shipped policy is put back at
// the end through the API, so other specs are unaffected.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closeAll } from '../lib/browser.js';
import { WAIT_MS, openApp } from '../lib/app.js';
import { USERS, vclickUrl } from '../lib/env.js';
import { SHIPPED_DEFAULT, policy, restoreShippedPolicy } from '../lib/edge-policy.js';

const { frank, bob } = USERS;
const TEST = { timeout: 120_000 };
const STEP = { timeout: WAIT_MS };

const RULE_NAME = 'Deny the test site';
const BLOCKED = 'https://blocked.example';

/** The version the page shows (#edge-version[data-version]). */
async function shownVersion(page) {
  return Number(await page.locator('#edge-version').getAttribute('data-version'));
}

/** Types an origin into the "Try a decision" box and waits for that decision; returns its element. */
async function tryDecision(page, origin, decision) {
  await page.locator('#edge-try-origin').fill(origin);
  await page.locator('#edge-try').click();
  const result = page.locator(`#edge-try-result [data-decision="${decision}"]`);
  await page.locator('#edge-try-result .try-origin').filter({ hasText: origin }).waitFor(STEP);
  await result.waitFor(STEP);
  return result;
}

after(async () => {
  await restoreShippedPolicy();
  await closeAll();
});

describe('the Secure Edge admin page', () => {
  let page;
  let loaded;
  let ruleId;
  const cspViolations = [];

  before(async () => {
    await restoreShippedPolicy();
    ({ page } = await openApp(frank));
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
  });

  test('frank opens it from the header and sees the shipped policy', TEST, async () => {
    const link = page.locator('#admin-link');
    await link.waitFor({ state: 'visible', ...STEP });
    await link.click();
    await page.waitForURL((url) => url.pathname === '/admin/edge' && !url.searchParams.has('code'), STEP);
    await page.locator('#edge-policy').waitFor({ state: 'visible', ...STEP });
    await page.locator('#me-name:text-is("frank")').waitFor(STEP);

    loaded = await shownVersion(page);
    assert.equal(loaded, (await policy()).version, 'the page shows the stored version');
    assert.equal(await page.locator('#edge-rules [data-rule-id]').count(), 0, 'no rules');
    assert.equal(await page.locator('#edge-default-decision').inputValue(), 'relay', 'default decision');
    assert.match(await page.locator('#edge-default-summary').textContent(), /relay-only/, 'default candidate filter');
    assert.equal(await page.locator('#edge-forbidden').isVisible(), false, 'no refusal for frank');
  });

  test('frank adds a rule that denies an origin and saves it: the version goes up', TEST, async () => {
    await page.locator('#edge-add-rule').click();
    await page.locator('#edge-editor').waitFor({ state: 'visible', ...STEP });
    await page.locator('#rule-name').fill(RULE_NAME);
    await page.locator('#rule-origins').fill(BLOCKED);
    await page.locator('#rule-decision').selectOption('deny');
    await page.locator('#edge-dirty').waitFor({ state: 'visible', ...STEP });

    const row = page.locator('#edge-rules [data-rule-id]');
    assert.equal(await row.count(), 1, 'one rule in the table');
    assert.equal((await row.locator('.rule-name').textContent()).trim(), RULE_NAME);
    assert.equal((await row.locator('.rule-origins').textContent()).trim(), BLOCKED);
    ruleId = await row.getAttribute('data-rule-id');

    await page.locator('#edge-save').click();
    await page.locator(`#edge-version[data-version="${loaded + 1}"]`).waitFor(STEP);
    assert.match(await page.locator('#edge-saved').textContent(), new RegExp(`version ${loaded + 1}`));
    assert.equal(await page.locator('#edge-error').isVisible(), false, 'no error');
    assert.equal(await page.locator('#edge-dirty').isVisible(), false, 'nothing left unsaved');

    const stored = await policy();
    assert.equal(stored.version, loaded + 1, 'stored version');
    assert.equal(stored.rules.length, 1);
    assert.deepEqual(
      {
        id: stored.rules[0].id,
        name: stored.rules[0].name,
        enabled: stored.rules[0].enabled,
        origins: stored.rules[0].origins,
        decision: stored.rules[0].decision,
      },
      { id: ruleId, name: RULE_NAME, enabled: true, origins: [BLOCKED], decision: 'deny' },
    );
    assert.deepEqual(stored.default, SHIPPED_DEFAULT, 'default unchanged');
  });

  test('trying decisions: the test site is denied by the rule, another origin relayed by the default', TEST, async () => {
    const denied = await tryDecision(page, BLOCKED, 'deny');
    assert.equal(await denied.getAttribute('data-rule'), ruleId, 'decided by the new rule');
    assert.match(await page.locator('#edge-try-result .try-rule').textContent(), new RegExp(RULE_NAME));
    const deniedExplanation = await page.locator('#edge-try-explanation li').allTextContents();
    assert.ok(deniedExplanation.length > 0, 'edge-admin gets an explanation');
    assert.ok(
      deniedExplanation.some((line) => line.includes('frank')),
      `the explanation names frank: ${deniedExplanation}`,
    );

    const relayed = await tryDecision(page, 'https://other.example', 'relay');
    assert.equal(await relayed.getAttribute('data-rule'), 'default', 'decided by the default');
    assert.match(await page.locator('#edge-try-result .try-settings').textContent(), /relay-only/);
    assert.ok((await page.locator('#edge-try-explanation li').count()) > 0, 'explained');
  });

  test('an invalid origin pattern is refused with its field named; the saved version stays', TEST, async () => {
    const saved = loaded + 1;
    await page.locator(`#edge-rules [data-rule-id="${ruleId}"] .rule-edit`).click();
    await page.locator('#rule-origins').fill('https://exa mple.com');
    await page.locator('#edge-save').click();
    await page.locator('#edge-error').waitFor({ state: 'visible', ...STEP });
    const error = await page.locator('#edge-error-text').textContent();
    assert.match(error, /rules\[0\]\.origins\[0\]/, `the field is named: ${error}`);
    assert.equal(await page.locator('#edge-error-reload').isVisible(), false, 'no reload offered for a 400');
    assert.equal(await shownVersion(page), saved, 'the page still shows the saved version');
    assert.equal(await page.locator('#edge-dirty').isVisible(), true, 'the edit is kept, unsaved');
    assert.equal((await policy()).version, saved, 'nothing stored');

    // Reload drops the bad edit.
    await page.locator('#edge-reload').click();
    await page.locator('#edge-error').waitFor({ state: 'hidden', ...STEP });
    await page.locator(`#edge-rules [data-rule-id="${ruleId}"] .rule-origins:text-is("${BLOCKED}")`).waitFor(STEP);
  });

  test('a change saved elsewhere meanwhile is a conflict; Reload shows it', TEST, async () => {
    const stored = await policy();
    await policy('PUT', { ...stored, rules: stored.rules.map((r) => ({ ...r, name: `${r.name} (elsewhere)` })) });

    await page.locator(`#edge-rules [data-rule-id="${ruleId}"] .rule-enabled`).uncheck();
    await page.locator('#edge-save').click();
    await page.locator('#edge-error[data-conflict="true"]').waitFor({ state: 'visible', ...STEP });
    assert.match(await page.locator('#edge-error-text').textContent(), /Someone else changed the policy/);
    assert.equal(await shownVersion(page), stored.version, 'still the version it was read at');

    await page.locator('#edge-error-reload').click();
    await page.locator(`#edge-version[data-version="${stored.version + 1}"]`).waitFor(STEP);
    assert.equal(await page.locator('#edge-error').isVisible(), false, 'the error is gone');
    const name = await page.locator(`#edge-rules [data-rule-id="${ruleId}"] .rule-name`).textContent();
    assert.equal(name.trim(), `${RULE_NAME} (elsewhere)`, 'the other change is shown');
    assert.deepEqual(cspViolations, [], 'no Content-Security-Policy violations');
  });

  test('bob (no edge-admin) has no link and is refused by the page', TEST, async () => {
    const { page: bobs } = await openApp(bob);
    assert.equal(await bobs.locator('#admin-link').isVisible(), false, "no admin link in bob's header");
    await bobs.goto(`${vclickUrl()}/admin/edge`);
    const refusal = bobs.locator('#edge-forbidden');
    await refusal.waitFor({ state: 'visible', ...STEP });
    assert.match(await refusal.textContent(), /You need the edge-admin role/);
    await bobs.locator('#me-name:text-is("bob")').waitFor(STEP);
    assert.equal(await bobs.locator('#edge-policy').isVisible(), false, 'no policy shown');
    assert.equal(await bobs.locator('#edge-try-section').isVisible(), false, 'no decision box');
  });
});
