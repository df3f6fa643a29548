// Signing in with Keycloak (authorization code + PKCE through keycloak-js), shared by the pages of the
// app: the header's Sign in / Sign out buttons and the signed-in user's name.

import { createApi, fetchClientConfig } from "./api.js";

const $ = (id) => document.getElementById(id);

/**
 * Starts keycloak-js and wires #login/#logout. Resolves to {config, keycloak, api, me}; api and me are
 * null when nobody is signed in (then #login shows). `loginRequired` goes straight to the sign-in page
 * and comes back to the same address.
 */
export async function startSession({ loginRequired = false } = {}) {
  const config = await fetchClientConfig();
  const keycloak = new Keycloak({
    url: config.keycloakUrl,
    realm: config.realm,
    clientId: config.webClientId,
  });
  const authenticated = await keycloak.init({
    pkceMethod: "S256",
    checkLoginIframe: false,
    responseMode: "query",
    ...(loginRequired ? { onLoad: "login-required" } : {}),
  });
  $("login").addEventListener("click", () => keycloak.login());
  $("logout").addEventListener("click", () =>
    keycloak.logout({ redirectUri: window.location.origin + window.location.pathname }),
  );
  if (!authenticated) {
    $("login").hidden = false;
    return { config, keycloak, api: null, me: null };
  }
  $("logout").hidden = false;
  const api = createApi(keycloak);
  const me = await api.get("me");
  $("me-name").textContent = me.username;
  return { config, keycloak, api, me };
}

/** The text of a start-up failure: keycloak-js rejects with objects that are not Errors (or with nothing). */
export const reasonOf = (error) =>
  error?.message ?? error?.error_description ?? error?.error ?? "no reason given";
