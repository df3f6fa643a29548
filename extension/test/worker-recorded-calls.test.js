// The worker's recorded calls with a fake `chrome` and a fake server: the frame that opened a
// recorded call is remembered, and a `recording.stopped` from the server reaches that frame (its
// document) only, once; a hang-up or a gone tab forgets it.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { fakeStorageArea } from "./fakes.js";

const told = [];
globalThis.chrome = {
  storage: { local: fakeStorageArea(), session: fakeStorageArea(), managed: fakeStorageArea() },
  tabs: {
    sendMessage: async (tabId, message, options) => {
      told.push({ tabId, message, options });
      return { ok: true };
    },
  },
};
const CALL = "0b7a4c1e-2f3d-4a5b-9c6d-7e8f9a0b1c2d";
const DECISION = "3b241101-e2bb-4255-8caf-4136c566a962";
globalThis.fetch = async (url, init) =>
  init.method === "DELETE"
    ? new Response(null, { status: 204 })
    : new Response(JSON.stringify({ recorded: true, recordedCallId: CALL }), {
        status: 200,
        headers: { "content-type": "application/json" },
      });

const { recordedCallRequest, recordingStopped, forgetGoneHolders } = await import(
  "../src/background/recorded-calls.js"
);
const FRAME = { tab: { id: 7 }, frameId: 3, documentId: "doc-a" };

beforeEach(async () => {
  chrome.storage.session.clear();
  told.length = 0;
  await chrome.storage.local.set({ settings: { serverUrl: "http://127.0.0.1:18080" } });
  await chrome.storage.session.set({ auth: { accessToken: "token", expiresAt: Date.now() + 3_600_000 } });
});

test("a stopped call reaches the document that opened it, once", async () => {
  const opened = await recordedCallRequest({ op: "open", decisionId: DECISION }, FRAME);
  assert.equal(opened.value.recordedCallId, CALL);
  assert.equal(await recordingStopped({ recordedCallId: CALL, reason: "recording-failed" }), true);
  assert.deepEqual(told, [
    {
      tabId: 7,
      message: { type: "edge.recording.stopped", recordedCallId: CALL, reason: "recording-failed" },
      options: { documentId: "doc-a" },
    },
  ]);
  assert.equal(await recordingStopped({ recordedCallId: CALL, reason: "recording-failed" }), false);
  assert.equal(told.length, 1);
});

test("a hung-up call, a gone tab or a forged id tells nobody", async () => {
  await recordedCallRequest({ op: "open", decisionId: DECISION }, FRAME);
  await recordedCallRequest({ op: "hangup", id: CALL }, FRAME);
  assert.equal(await recordingStopped({ recordedCallId: CALL, reason: "x" }), false);
  await recordedCallRequest({ op: "open", decisionId: DECISION }, FRAME);
  await forgetGoneHolders(new Set([8]));
  assert.equal(await recordingStopped({ recordedCallId: CALL, reason: "x" }), false);
  assert.equal(await recordingStopped({ recordedCallId: "../../x", reason: "x" }), false);
  assert.equal(await recordingStopped(null), false);
  assert.deepEqual(told, []);
});
