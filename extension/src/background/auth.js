// Sign-in with the enterprise's Keycloak: authorization code + PKCE through
// chrome.identity.launchWebAuthFlow, tokens in session storage (gone when the browser closes,
// never visible to content scripts), refresh before expiry, logout that ends the Keycloak session.
import { pkcePair, randomToken } from "./pkce.js";
import { clientConfig } from "./server.js";

const AUTH_KEY = "auth";
/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 60_000;

/** Why signing in or refreshing failed, with a sentence for the user. */
export class AuthError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/**
 * The signed-in session, or null.
 * @returns {Promise<null|{accessToken, refreshToken, idToken, expiresAt, refreshExpiresAt, tokenUrl,
 *   logoutUrl, clientId, user:{id, username, displayName}}>}
 */
export async function currentSession() {
  const { [AUTH_KEY]: auth } = await chrome.storage.session.get(AUTH_KEY);
  return auth ?? null;
}

/**
 * Runs the authorization code flow. Interactive: Keycloak's login page in a browser window;
 * otherwise only an existing Keycloak session can sign the user in (at browser start).
 */
export async function signIn({ interactive = true } = {}) {
  const config = await clientConfig({ fresh: true });
  const oidc = `${config.keycloakUrl}/realms/${encodeURIComponent(config.realm)}/protocol/openid-connect`;
  const clientId = config.extensionClientId;
  const redirectUri = chrome.identity.getRedirectURL();
  const { verifier, challenge } = await pkcePair();
  const state = randomToken(16);
  const authorize = new URL(`${oidc}/auth`);
  authorize.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: "code",
    scope: "openid",
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...(interactive ? {} : { prompt: "none" }),
  }).toString();

  let redirect;
  try {
    redirect = await chrome.identity.launchWebAuthFlow({ url: authorize.toString(), interactive });
  } catch (e) {
    throw new AuthError("cancelled", interactive ? "Sign-in was cancelled." : "No Keycloak session.");
  }
  const answer = new URL(redirect);
  const params = new URLSearchParams(answer.search || answer.hash.slice(1));
  if (params.get("state") !== state) throw new AuthError("state-mismatch", "Sign-in answer was not ours.");
  if (params.get("error")) {
    throw new AuthError(params.get("error"), params.get("error_description") || "Sign-in was refused.");
  }
  const tokens = await tokenRequest(`${oidc}/token`, {
    grant_type: "authorization_code",
    code: params.get("code") ?? "",
    redirect_uri: redirectUri,
    client_id: clientId,
    code_verifier: verifier,
  });
  return store(tokens, { tokenUrl: `${oidc}/token`, logoutUrl: `${oidc}/logout`, clientId });
}

/**
 * A valid access token (refreshed when it expires within a minute), or null when signed out or
 * when the Keycloak session ended (the session is then forgotten).
 */
export async function accessToken({ minValidityMs = REFRESH_MARGIN_MS } = {}) {
  const session = await currentSession();
  if (!session) return null;
  if (minValidityMs >= 0 && session.expiresAt - Date.now() > minValidityMs) return session.accessToken;
  const refreshed = await refresh(session);
  return refreshed?.accessToken ?? null;
}

let refreshing = null;

/** Refreshes once even when several callers ask at the same time. */
function refresh(session) {
  refreshing ??= (async () => {
    try {
      const tokens = await tokenRequest(session.tokenUrl, {
        grant_type: "refresh_token",
        refresh_token: session.refreshToken,
        client_id: session.clientId,
      });
      return await store(tokens, session);
    } catch (e) {
      if (e instanceof AuthError && e.code !== "unreachable") {
        console.info("Vclick: the Keycloak session ended, signing out:", e.code);
        await forget();
        return null;
      }
      throw e;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** Ends the Keycloak session (best effort) and forgets the tokens. */
export async function signOut() {
  const session = await currentSession();
  await forget();
  if (!session) return;
  try {
    await fetch(session.logoutUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: session.clientId, refresh_token: session.refreshToken }),
      credentials: "omit",
    });
  } catch (e) {
    console.info("Vclick: Keycloak could not be told about the sign-out:", e.message);
  }
}

async function forget() {
  await chrome.storage.session.remove(AUTH_KEY);
}

async function tokenRequest(url, form) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form),
      credentials: "omit",
      cache: "no-store",
    });
  } catch (e) {
    throw new AuthError("unreachable", "Keycloak cannot be reached.");
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body.access_token !== "string") {
    throw new AuthError(
      body.error || "http-" + response.status,
      body.error_description || "Keycloak refused.",
    );
  }
  return body;
}

async function store(tokens, { tokenUrl, logoutUrl, clientId }) {
  const claims = jwtClaims(tokens.access_token);
  const now = Date.now();
  const session = {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    idToken: tokens.id_token ?? null,
    expiresAt: now + tokens.expires_in * 1000,
    refreshExpiresAt: tokens.refresh_expires_in ? now + tokens.refresh_expires_in * 1000 : null,
    tokenUrl,
    logoutUrl,
    clientId,
    user: {
      id: claims.sub,
      username: claims.preferred_username ?? claims.sub,
      displayName: claims.name || claims.preferred_username || claims.sub,
      email: typeof claims.email === "string" ? claims.email.toLowerCase() : null,
    },
  };
  await chrome.storage.session.set({ [AUTH_KEY]: session });
  return session;
}

/** The claims of a JWT we just received from Keycloak over TLS (the server verifies it). */
function jwtClaims(jwt) {
  const payload = jwt.split(".")[1] ?? "";
  const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
}
