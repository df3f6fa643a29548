// Incoming-call notifications: one handler for every click, with a fake `chrome`.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { fakeStorageArea } from "./fakes.js";

const ID = "jafpjpcekaheefipgmmjkbjeohlphimo";
const shown = new Map();
const opened = [];
const session = fakeStorageArea();
globalThis.chrome = {
  runtime: { id: ID, getURL: (p) => `chrome-extension://${ID}/${p}` },
  storage: {
    session,
    local: { get: async () => ({ settings: { serverUrl: "https://vclick.example" } }) },
    managed: { get: async () => ({}) },
  },
  notifications: {
    create: async (id, options) => shown.set(id, options),
    clear: async (id) => shown.delete(id),
  },
  tabs: { create: async ({ url }) => opened.push(url) },
};

const { buttonAction, clearCall, handleNotificationAction, keepOnly, showIncomingCall } = await import(
  "../src/background/notifications.js"
);

const declined = [];
const signaling = { decline: (callId) => (declined.push(callId), true) };

beforeEach(() => {
  shown.clear();
  session.clear();
  opened.length = 0;
  declined.length = 0;
});

test("an invitation into a call says who invites whom", async () => {
  await showIncomingCall({
    callId: "c2",
    peerName: "Alice Archer",
    media: "video",
    parties: [
      { userId: "a", name: "Alice Archer" },
      { userId: "b", name: "Bob Baker" },
    ],
  });
  assert.equal(shown.get("call:c2").title, "Alice Archer invites you to join Alice Archer and Bob Baker");
  assert.equal(shown.get("call:c2").message, "Video call");
  await showIncomingCall({ callId: "c3", peerName: "Alice Archer", media: "video", parties: [] });
  assert.equal(shown.get("call:c3").title, "Alice Archer is calling", "an empty list is a two-party call");
});

test("an incoming call shows the caller with Answer and Decline, and an icon", async () => {
  await showIncomingCall({ callId: "c1", peerName: "Alice Archer", media: "audio" });
  const n = shown.get("call:c1");
  assert.equal(n.title, "Alice Archer is calling");
  assert.equal(n.message, "Audio call");
  assert.deepEqual(
    n.buttons.map((b) => b.title),
    ["Answer", "Decline"],
  );
  assert.equal(
    n.iconUrl,
    `chrome-extension://${ID}/icons/vclick-128.png`,
    "without an icon Chrome shows nothing",
  );
  assert.equal(buttonAction(0), "answer");
  assert.equal(buttonAction(1), "decline");
  assert.equal(buttonAction(2), null);
});

test("Answer opens the call page answering the call and clears the notification", async () => {
  await showIncomingCall({ callId: "c/1", peerName: "Alice", media: "video" });
  assert.deepEqual(await handleNotificationAction("call:c/1", "answer", signaling), { ok: true });
  assert.deepEqual(opened, ["https://vclick.example/call?id=c%2F1&answer=1"]);
  assert.equal(shown.size, 0);
});

test("Decline tells the caller through the socket; offline it keeps the notification", async () => {
  await showIncomingCall({ callId: "c2", peerName: "Alice", media: "video" });
  assert.deepEqual(await handleNotificationAction("call:c2", "decline", { decline: () => false }), {
    ok: false,
    error: "offline",
  });
  assert.ok(shown.has("call:c2"));
  assert.deepEqual(await handleNotificationAction("call:c2", "decline", signaling), { ok: true });
  assert.deepEqual(declined, ["c2"]);
  assert.equal(shown.size, 0);
  assert.deepEqual(opened, []);
});

test("foreign ids and unknown actions do nothing", async () => {
  assert.equal((await handleNotificationAction("other:1", "answer", signaling)).error, "not-a-call");
  assert.equal((await handleNotificationAction("call:c3", "explode", signaling)).error, "unknown-action");
  assert.deepEqual(opened, []);
});

test("after a reconnect only the calls still ringing keep their notification", async () => {
  await showIncomingCall({ callId: "a", peerName: "A", media: "video" });
  await showIncomingCall({ callId: "b", peerName: "B", media: "video" });
  await keepOnly(["b"]);
  assert.deepEqual([...shown.keys()], ["call:b"]);
  await clearCall("b");
  assert.equal(shown.size, 0);
});
