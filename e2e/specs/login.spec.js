// Signing in and out of the web app through Keycloak's REAL login form, in Chromium.

import assert from 'node:assert/strict';
import { after, afterEach, describe, test } from 'node:test';
import { closeAll, firstPage, logPageErrors, openContext } from '../lib/browser.js';
import { USERS, keycloakUrl, vclickUrl } from '../lib/env.js';

const APP = `${vclickUrl()}/`;
const KEYCLOAK = keycloakUrl();
const STEP = { timeout: 30_000 };

after(closeAll);

let context;
afterEach(async () => {
  await context?.close();
  context = undefined;
});

async function appPage() {
  context = await openContext();
  const page = await firstPage(context);
  logPageErrors(page, 'app');
  await page.goto(APP);
  return page;
}

/** From the signed-out app to Keycloak's login form. */
async function openLoginForm(page) {
  await page.locator('#login').click(STEP);
  await page.waitForURL((url) => url.href.startsWith(`${KEYCLOAK}/realms/vclick/`), STEP);
  await page.locator('#username').waitFor(STEP);
}

async function submitLogin(page, { username, password }) {
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('#kc-login').click();
}

/** Waits for the app to show the signed-in user, returns the roles it lists. */
async function signedInAs(page, username) {
  await page.waitForURL((url) => url.href.startsWith(APP), STEP);
  await page.locator(`#me-name:text-is("${username}")`).waitFor(STEP);
  assert.equal(await page.locator('#logout').isVisible(), true, '#logout is visible');
  assert.equal(await page.locator('#login').isVisible(), false, '#login is hidden');
  // keycloak-js has consumed the code: nothing of it stays in the address bar.
  assert.equal(new URL(page.url()).searchParams.get('code'), null, 'no code left in the URL');
  return (await page.locator('#me-roles').textContent()).split(',').map((r) => r.trim());
}

async function assertSignedOut(page) {
  await page.locator('#login').waitFor({ state: 'visible', ...STEP });
  assert.equal(await page.locator('#logout').isVisible(), false, '#logout is hidden');
  assert.equal((await page.locator('#me-name').textContent()).trim(), '', '#me-name is empty');
  assert.equal(await page.locator('#profile').isVisible(), false, 'no profile shown');
}

describe('login through Keycloak', () => {
  test('the signed-out app offers to sign in', async () => {
    const page = await appPage();
    await assertSignedOut(page);
  });

  test('alice signs in with the Keycloak form and the app shows her and her roles', async () => {
    const page = await appPage();
    await openLoginForm(page);
    await submitLogin(page, USERS.alice);
    const roles = await signedInAs(page, 'alice');
    assert.ok(roles.includes('caller'), `alice's roles ${JSON.stringify(roles)} contain caller`);
  });

  test('eve, who has no roles, signs in and the app lists none', async () => {
    const page = await appPage();
    await openLoginForm(page);
    await submitLogin(page, USERS.eve);
    const roles = await signedInAs(page, 'eve');
    assert.ok(!roles.includes('caller'), `eve's roles ${JSON.stringify(roles)} do not contain caller`);
    assert.equal(await page.locator('#directory').isVisible(), false, 'no directory without the caller role');
  });

  test("a wrong password shows Keycloak's error and gives no app session", async () => {
    const page = await appPage();
    await openLoginForm(page);
    await submitLogin(page, { username: USERS.bob.username, password: `${USERS.bob.password}-wrong` });
    const error = page.getByText('Invalid username or password.');
    await error.first().waitFor(STEP);
    assert.ok(page.url().startsWith(`${KEYCLOAK}/`), `still on Keycloak (${page.url()})`);
    assert.ok(!page.url().includes('code='), 'no authorization code was issued');
    // Back on the app: still signed out.
    await page.goto(APP);
    await assertSignedOut(page);
  });

  test('sign out returns to the signed-out state and ends the Keycloak session', async () => {
    const page = await appPage();
    await openLoginForm(page);
    await submitLogin(page, USERS.alice);
    await signedInAs(page, 'alice');

    await page.locator('#logout').click();
    // Keycloak redirects straight back (id_token_hint): the reloaded app offers to sign in again.
    await assertSignedOut(page);
    assert.ok(page.url().startsWith(APP), `back on the app (${page.url()})`);

    // The SSO session is gone too: signing in again asks for the password.
    await openLoginForm(page);
    assert.equal(await page.locator('#password').isVisible(), true, 'Keycloak asks for the password again');
  });
});
