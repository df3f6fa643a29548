// The Vclick service worker. It only wires listeners (synchronously, at the top, so that events that
// wake a stopped worker reach them) and awaits one init; all state lives in chrome.storage.
import { signIn, signOut } from "./auth.js";
import { callPresence, decline, disconnect, ensureConnected } from "./connection.js";
import { buttonAction, handleNotificationAction } from "./notifications.js";
import { forgetAll } from "./people.js";
import { callNumber, configChanged, route, startCall, statusReply } from "./router.js";
import { createContextMenu, handleContextMenu, showAddToCall } from "./context-menu.js";
import { addToCall } from "./add-to-call.js";
import { serverUrl } from "./server.js";
import { loadSettings } from "../shared/settings.js";
import { flushReports, forgetDecisions, sampleAndForgetClosedTabs, watchFrame } from "./edge.js";

const KEEPALIVE_ALARM = "presence";

const ready = init();
/** When this worker (re)started: tests tell a restarted worker from the old one. */
globalThis.vclickStartedAt = Date.now();

async function init() {
  // Wakes a stopped worker at least every 30 s, so that presence comes back on its own.
  await chrome.alarms.create(KEEPALIVE_ALARM, { periodInMinutes: 0.5 });
  // Connection reports a stopped worker had not delivered yet.
  flushReports().catch((e) => console.warn("Vclick: connection reports", e));
  await ensureConnected();
}

/** The one entry for every notification click (headless tests call it: no clicks there). */
async function notificationAction(notificationId, action) {
  await ready;
  return handleNotificationAction(notificationId, action, { decline });
}
globalThis.notificationAction = notificationAction;
/** The popup's status, for tests that watch the worker. */
globalThis.vclickStatus = async () => {
  await ready;
  return statusReply();
};

/** Decisions are cached for 5 s per origin; tests that change the policy start afresh. */
globalThis.vclickEdgeForget = forgetDecisions;
/** What the keepalive alarm does for the connection log (tests need not wait up to 30 s for it). */
globalThis.vclickEdgeSample = async () => {
  await ready;
  await sampleAndForgetClosedTabs();
  await flushReports();
};

/** The one entry for every click in the browser's context menu (tests call it: no clicks headless). */
async function contextMenuAction(info) {
  await ready;
  const { values } = await loadSettings();
  return handleContextMenu(info, {
    phoneRegion: values.phoneRegion,
    startCall: (to, media) => startCall(to, media),
    addToCall: async (to) => addToCall(to.toLowerCase(), { server: await serverUrl() }),
    callNumber,
    tell: (message) =>
      chrome.notifications.create({
        type: "basic",
        iconUrl: chrome.runtime.getURL("icons/vclick-128.png"),
        title: "Vclick",
        message,
      }),
  });
}
globalThis.contextMenuAction = contextMenuAction;

// In a call: "Add to call" in the context menu and in the icons' menus (their page.config says so).
callPresence.addEventListener("change", async ({ detail }) => {
  await showAddToCall(detail.inCall);
  await configChanged();
});

chrome.runtime.onInstalled.addListener(async () => {
  await ready;
  await createContextMenu();
});

chrome.contextMenus.onClicked.addListener((info) => contextMenuAction(info));

chrome.runtime.onStartup.addListener(async () => {
  await ready;
  // A new browser session: session storage is empty; a live Keycloak session signs in silently.
  try {
    await signIn({ interactive: false });
    await ensureConnected();
  } catch (e) {
    console.info("Vclick: not signed in at start:", e.code ?? e.message);
  }
});

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  ready.then(() => route(message, sender)).then(sendResponse);
  return true; // answers asynchronously
});

// A frame that made a connection holds a port while it lives (Secure Edge: a crashed page's
// connections end when it disconnects). Synchronous: the port must get its listener now.
chrome.runtime.onConnect.addListener((port) => watchFrame(port));

chrome.notifications.onButtonClicked.addListener((id, index) => notificationAction(id, buttonAction(index)));
chrome.notifications.onClicked.addListener((id) => notificationAction(id, "show"));

chrome.alarms.onAlarm.addListener(async (alarm) => {
  await ready;
  if (alarm.name === KEEPALIVE_ALARM) {
    await ensureConnected();
    // Not on tabs.onRemoved: that would wake a stopped worker for every closed tab.
    await sampleAndForgetClosedTabs();
    await flushReports();
  }
});

chrome.storage.onChanged.addListener(async (changes, area) => {
  await ready;
  // Managed values arrive key by key; the user's under one 'settings' key.
  if (area !== "managed" && !(area === "local" && "settings" in changes)) return;
  const serverOf = (change) =>
    area === "managed" ? change?.serverUrl?.newValue : change?.settings?.newValue?.serverUrl;
  const previous = area === "managed" ? changes.serverUrl?.oldValue : changes.settings?.oldValue?.serverUrl;
  if (serverOf(changes) !== previous) {
    // Another server means another identity provider: the tokens of the old one must not travel.
    disconnect();
    await signOut();
    await forgetAll();
    await ensureConnected();
  }
  await configChanged();
});
