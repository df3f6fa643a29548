// Browserless login of a demo user, the way the web app logs in: authorization code flow with
// PKCE (S256) for the public client vclick-web. The realm has no direct grant (password grant),
// so this fills Keycloak's login form over HTTP: GET the authorization endpoint, POST the
// credentials to the form's action with the session cookies, read `code` from the redirect
// (not followed: it points at the app), exchange it at the token endpoint.

import { createHash, randomBytes } from 'node:crypto';
import { REALM, WEB_CLIENT, keycloakUrl, vclickUrl } from './env.js';
import { hasDemoOtp, nextDemoCode } from './otp.js';

const b64url = (buf) => buf.toString('base64url');

/** A PKCE verifier and its S256 challenge. */
export function pkcePair() {
  const verifier = b64url(randomBytes(32));
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  return { verifier, challenge };
}

const decodeHtml = (s) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');

/** A minimal cookie jar: name=value pairs from Set-Cookie, sent back as one Cookie header. */
class CookieJar {
  #cookies = new Map();
  store(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const i = pair.indexOf('=');
      if (i < 1) continue;
      const name = pair.slice(0, i).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired) this.#cookies.delete(name);
      else this.#cookies.set(name, pair.slice(i + 1).trim());
    }
  }
  header() {
    return [...this.#cookies].map(([n, v]) => `${n}=${v}`).join('; ');
  }
}

/** Text of Keycloak's error message in a login page (keycloak.v2 theme: kc-feedback-text), if any. */
function loginError(html) {
  const m =
    /class="[^"]*kc-feedback-text[^"]*"[^>]*>([\s\S]*?)<\/span>/.exec(html) ??
    /id="input-error[^"]*"[^>]*>([\s\S]*?)<\/(?:span|div)>/.exec(html);
  return m ? decodeHtml(m[1].replace(/<[^>]+>/g, '').trim()) : null;
}

/** The action URL of the form with id `id` in a Keycloak page, if there is one. */
const formAction = (html, id) => {
  const action = new RegExp(`<form[^>]*id="${id}"[^>]*action="([^"]+)"`).exec(html)?.[1];
  return action ? decodeHtml(action) : null;
};

/**
 * Logs `username` in and returns the token response (access_token, id_token, refresh_token...).
 * When Keycloak asks for a one-time code (a privileged role), `otp` gives it: by default the demo
 * user's next code (lib/otp.js); `otp: null` answers nothing. Throws with Keycloak's message when the
 * login is refused.
 */
export async function loginTokens(username, password, { redirectUri = `${vclickUrl()}/`, scope = 'openid', otp } = {}) {
  const base = `${keycloakUrl()}/realms/${REALM}/protocol/openid-connect`;
  const { verifier, challenge } = pkcePair();
  const state = b64url(randomBytes(16));
  const jar = new CookieJar();

  const auth = new URL(`${base}/auth`);
  auth.search = new URLSearchParams({
    client_id: WEB_CLIENT,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope,
    state,
    nonce: b64url(randomBytes(16)),
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  const page = await fetch(auth, { redirect: 'manual' });
  jar.store(page);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`GET ${auth.pathname} answered ${page.status}: ${html.slice(0, 200)}`);
  const action = /<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"/.exec(html)?.[1] ?? /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error('no login form in the Keycloak page (is the realm/client right?)');

  let posted = await fetch(decodeHtml(action), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
    body: new URLSearchParams({ username, password, credentialId: '' }),
  });
  jar.store(posted);
  if (posted.status === 200) {
    const body = await posted.text();
    const otpAction = formAction(body, 'kc-otp-login-form');
    if (!otpAction) throw new Error(`login of ${username} refused (HTTP 200): ${loginError(body) ?? body.slice(0, 200)}`);
    const code = otp === undefined ? (hasDemoOtp(username) ? await nextDemoCode(keycloakUrl(), username) : null) : otp;
    if (code === null) throw new Error(`login of ${username} refused: Keycloak asks for a one-time code and none was given`);
    posted = await fetch(otpAction, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
      body: new URLSearchParams({ otp: code }),
    });
    jar.store(posted);
  }
  const location = posted.headers.get('location');
  if (posted.status < 300 || posted.status >= 400 || !location) {
    const body = await posted.text();
    throw new Error(`login of ${username} refused (HTTP ${posted.status}): ${loginError(body) ?? body.slice(0, 200)}`);
  }
  const back = new URL(location, redirectUri);
  if (!back.href.startsWith(redirectUri)) throw new Error(`unexpected redirect after login: ${back.origin}${back.pathname}`);
  if (back.searchParams.get('error')) {
    throw new Error(`login of ${username} failed: ${back.searchParams.get('error')} ${back.searchParams.get('error_description') ?? ''}`);
  }
  if (back.searchParams.get('state') !== state) throw new Error('state mismatch in the redirect after login');
  const code = back.searchParams.get('code');
  if (!code) throw new Error('no code in the redirect after login');

  const token = await fetch(`${base}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: WEB_CLIENT,
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }),
  });
  const json = await token.json().catch(() => ({}));
  if (!token.ok || !json.access_token) {
    throw new Error(`token exchange failed (HTTP ${token.status}): ${json.error ?? ''} ${json.error_description ?? ''}`);
  }
  return json;
}

// Access tokens of the demo users with a one-time code, kept while they have a minute left: each of
// their sign-ins takes one of the few codes a period offers (lib/otp.js).
const privilegedTokens = new Map();

/** The access token of `username` (see loginTokens). */
export async function login(username, password, options) {
  if (options !== undefined || !hasDemoOtp(username)) return (await loginTokens(username, password, options)).access_token;
  const key = `${keycloakUrl()} ${username} ${password}`;
  const kept = privilegedTokens.get(key);
  if (kept && jwtClaims(kept).exp * 1000 - Date.now() > 60_000) return kept;
  const token = (await loginTokens(username, password)).access_token;
  privilegedTokens.set(key, token);
  return token;
}

/** The claims of a JWT (not verified: for assertions only). */
export function jwtClaims(token) {
  const [, payload] = token.split('.');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}
