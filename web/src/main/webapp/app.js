// The Vclick web app: sign in with Keycloak (authorization code + PKCE through keycloak-js),
// then show who you are and search the directory. Calls arrive with the calling issue.
"use strict";

const $ = (id) => document.getElementById(id);

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

async function api(keycloak, path) {
  await keycloak.updateToken(30);
  const response = await fetch(`api/${path}`, {
    headers: { Authorization: `Bearer ${keycloak.token}`, Accept: "application/json" },
  });
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.detail || `HTTP ${response.status}`);
  }
  return body;
}

function showMe(me) {
  $("me-name").textContent = me.username;
  $("me-display").textContent = me.displayName;
  $("me-email").textContent = me.email || "—";
  $("me-phone").textContent = me.phoneNumber || "—";
  $("me-roles").textContent = [...me.roles].sort().join(", ") || "none";
  $("profile").hidden = false;
}

function showPeople(people) {
  const rows = people.map((person) => {
    const row = document.createElement("tr");
    for (const value of [person.displayName, person.email, person.phoneNumber, person.groups.join(", ")]) {
      const cell = document.createElement("td");
      cell.textContent = value; // text only: directory data never becomes markup
      row.append(cell);
    }
    return row;
  });
  $("directory-results").replaceChildren(...rows);
}

function wireDirectory(keycloak) {
  let pending;
  const search = async () => {
    try {
      showPeople(await api(keycloak, `directory?q=${encodeURIComponent($("directory-query").value)}`));
    } catch (error) {
      setStatus(`Directory: ${error.message}`, true);
    }
  };
  $("directory-query").addEventListener("input", () => {
    clearTimeout(pending);
    pending = setTimeout(search, 200);
  });
  $("directory").hidden = false;
  return search();
}

async function start() {
  const config = await (await fetch("api/client-config")).json();
  const keycloak = new Keycloak({ url: config.keycloakUrl, realm: config.realm, clientId: config.webClientId });
  const authenticated = await keycloak.init({
    pkceMethod: "S256",
    checkLoginIframe: false,
    responseMode: "query",
  });
  $("login").onclick = () => keycloak.login();
  $("logout").onclick = () => keycloak.logout({ redirectUri: window.location.origin + window.location.pathname });
  if (!authenticated) {
    $("login").hidden = false;
    setStatus("Sign in with your enterprise account.");
    return;
  }
  $("logout").hidden = false;
  const me = await api(keycloak, "me");
  showMe(me);
  setStatus("Signed in.");
  if (me.roles.includes("caller")) {
    await wireDirectory(keycloak);
  }
}

start().catch((error) => setStatus(`Vclick could not start: ${error.message}`, true));
