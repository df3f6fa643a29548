// The toolbar popup: who is signed in, their presence and the connection, sign-in/out, the web app,
// and click-to-call on or off for the active tab's site.
//
// Status refresh: the worker is asked for STATUS on open, on every storage.session change (where the
// worker keeps its state) and every 2 s while the popup is open. The poll is the safety net for state
// that never reaches storage (the socket's connection state lives with the socket); a popup lives
// seconds, so the cost is a handful of messages.
import { wireAccountButtons } from "../shared/account-buttons.js";
import { askWorker, watchStatus } from "../shared/ask-worker.js";
import { byId } from "../shared/dom.js";
import { PAGE } from "../shared/messages.js";
import { loadSettings, normalizeOrigin, setSiteEnabled, siteEnabled } from "../shared/settings.js";

const PRESENCE_LABELS = { online: "Online", busy: "Busy", offline: "Offline" };
const CONNECTION_LABELS = { connected: "Connected", connecting: "Connecting…", offline: "Offline" };

const user = byId("user");
const presence = byId("presence");
const connection = byId("connection");
const error = byId("error");
const signIn = byId("sign-in");
const signOut = byId("sign-out");
const toggle = byId("site-toggle");

let serverUrl = null;

function showError(message) {
  error.textContent = message ?? "";
  error.hidden = !message;
}

async function refresh() {
  const reply = await askWorker(PAGE.STATUS, {}, { timeoutMs: 3000 });
  if (accountButtons.isBusy()) return;
  if (!reply.ok) {
    connection.dataset.connection = "unknown";
    connection.textContent = "Unknown";
    user.textContent = "Sign-in status unknown.";
    presence.hidden = true;
    signIn.hidden = false;
    signOut.hidden = true;
    showError(reply.message);
    return;
  }
  showError("");
  if (typeof reply.serverUrl === "string") serverUrl = reply.serverUrl;
  const state = CONNECTION_LABELS[reply.connection] ? reply.connection : "offline";
  connection.dataset.connection = state;
  connection.textContent = CONNECTION_LABELS[state];
  if (reply.signedIn) {
    const name = reply.user?.displayName || reply.user?.username || "Signed in";
    user.textContent = name;
    user.title = reply.user?.username ? `Signed in as ${reply.user.username}` : "";
    const own = PRESENCE_LABELS[reply.presence] ? reply.presence : "offline";
    presence.dataset.presence = own;
    presence.querySelector(".presence-label").textContent = PRESENCE_LABELS[own];
    presence.hidden = false;
  } else {
    user.textContent = "Not signed in";
    user.title = "";
    presence.hidden = true;
  }
  signIn.hidden = Boolean(reply.signedIn);
  signOut.hidden = !reply.signedIn;
}

const accountButtons = wireAccountButtons({ signIn, signOut, refresh, showError });

byId("open-app").addEventListener("click", async () => {
  const base = serverUrl ?? (await loadSettings()).values.serverUrl;
  await chrome.tabs.create({ url: `${base}/call` });
  window.close();
});

byId("options").addEventListener("click", async () => {
  await chrome.runtime.openOptionsPage();
  window.close();
});

// ---- Click-to-call on this site ------------------------------------------------------------------

async function setUpSiteToggle() {
  // The host permission (<all_urls>) exposes the url of http(s) tabs without the "tabs" permission;
  // other pages (chrome://, the web store, file://) have no url here, or no click-to-call anyway.
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  const origin = normalizeOrigin(tab?.url);
  if (!origin) return;
  const { values, locked } = await loadSettings();
  byId("site-origin").textContent = new URL(origin).host;
  toggle.checked = siteEnabled(values, origin);
  const isLocked = locked.includes("disabledSites");
  toggle.disabled = isLocked;
  byId("site-lock").hidden = !isLocked;
  byId("site").hidden = false;

  toggle.addEventListener("change", async () => {
    const enabled = toggle.checked;
    toggle.disabled = true;
    try {
      const saved = await setSiteEnabled(origin, enabled);
      toggle.checked = siteEnabled(saved.values, origin);
      showError("");
    } catch (e) {
      toggle.checked = !enabled;
      showError(e.errors?.disabledSites ?? `Could not change click-to-call for this site: ${e.message}`);
    } finally {
      toggle.disabled = false;
    }
  });
}

setUpSiteToggle().catch((e) => {
  console.error("Vclick: the site switch failed", e);
});
watchStatus(refresh, 2000);
