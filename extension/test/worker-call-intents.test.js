// Call links act by themselves only when the extension opened the tab on the user's click: the
// intent is bound to the tab, to the very link, used once, and only the Vclick call page may ask.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { fakeStorageArea } from "./fakes.js";

const ID = "jafpjpcekaheefipgmmjkbjeohlphimo";
const SERVER = "https://vclick.acme-bank.example";
let nextTabId = 40;
const opened = [];

globalThis.chrome = {
  runtime: { id: ID, getURL: (p) => `chrome-extension://${ID}/${p}` },
  storage: { local: fakeStorageArea(), session: fakeStorageArea(), managed: fakeStorageArea() },
  notifications: { create: async () => {}, clear: async () => {} },
  tabs: {
    create: async ({ url }) => (opened.push(url), { id: ++nextTabId, url }),
    query: async () => [],
    sendMessage: async () => undefined,
  },
  action: { setBadgeText: async () => {}, setBadgeBackgroundColor: async () => {}, setTitle: async () => {} },
};

const { INTENT_TTL_MS, takeIntent } = await import("../src/background/call-intents.js");
const { handleNotificationAction } = await import("../src/background/notifications.js");
const { route, startCall } = await import("../src/background/router.js");

const callPage = (tabId, url = `${SERVER}/call?id=c1&answer=1`) => ({
  id: ID,
  url,
  origin: new URL(url).origin,
  frameId: 0,
  tab: { id: tabId, index: 0 },
});

beforeEach(async () => {
  opened.length = 0;
  chrome.storage.session.clear();
  await chrome.storage.local.set({ settings: { serverUrl: SERVER, emailDomains: ["acme-bank.example"] } });
});

test("the notification's Answer opens the call page with a one-time intent for that tab and call", async () => {
  assert.deepEqual(await handleNotificationAction("call:c1", "answer", { decline: () => true }), {
    ok: true,
  });
  const tab = nextTabId;
  assert.deepEqual(opened, [`${SERVER}/call?id=c1&answer=1`]);
  const ask = { type: "call.intent", link: { answer: "c1" } };
  assert.deepEqual(await route(ask, callPage(tab)), { ok: true, confirmed: true });
  assert.deepEqual(await route(ask, callPage(tab)), { ok: true, confirmed: false }, "used up");
});

test("another tab, another call or another kind of link gets no", async () => {
  await handleNotificationAction("call:c2", "answer", { decline: () => true });
  const tab = nextTabId;
  assert.equal(await takeIntent(tab + 1, { answer: "c2" }), false, "not the opened tab");
  assert.equal(await takeIntent(tab, { answer: "c3" }), false, "not that call");
  await handleNotificationAction("call:c4", "answer", { decline: () => true });
  assert.equal(await takeIntent(nextTabId, { to: "bob@acme-bank.example", media: "video" }), false);
});

test("an intent expires", async () => {
  await handleNotificationAction("call:c5", "answer", { decline: () => true });
  assert.equal(await takeIntent(nextTabId, { answer: "c5" }, Date.now() + INTENT_TTL_MS + 1), false);
});

test("a click-to-call icon's intent is for that person and medium", async () => {
  await startCall("Bob@acme-bank.example", "audio", 1);
  const tab = nextTabId;
  assert.equal(await takeIntent(tab, { to: "bob@acme-bank.example", media: "video" }), false);
  await startCall("bob@acme-bank.example", "audio", 1);
  assert.equal(await takeIntent(nextTabId, { to: "bob@acme-bank.example", media: "audio" }), true);
});

test("only the Vclick server's top frame may ask", async () => {
  await handleNotificationAction("call:c6", "answer", { decline: () => true });
  const tab = nextTabId;
  const ask = { type: "call.intent", link: { answer: "c6" } };
  const elsewhere = callPage(tab, "https://evil.example/call?id=c6&answer=1");
  assert.equal((await route(ask, elsewhere)).error, "forbidden");
  assert.equal((await route(ask, { ...callPage(tab), frameId: 3 })).error, "forbidden");
  assert.deepEqual(
    await route(ask, callPage(tab)),
    { ok: true, confirmed: true },
    "still there for the page",
  );
});
