// "Add to call" from the worker: only the Vclick server's tabs are asked, top frame only; the one
// whose call takes it comes to the front; none: the user is told.
import assert from "node:assert/strict";
import { test } from "node:test";
import { addToCall, inCall } from "../src/background/add-to-call.js";
import { PUSH } from "../src/shared/messages.js";

function fakeTabs(list, answers) {
  const asked = [];
  const updated = [];
  return {
    asked,
    updated,
    tabs: {
      query: async () => list,
      sendMessage: async (tabId, message, options) => {
        asked.push([tabId, message, options]);
        const answer = answers[tabId];
        if (answer instanceof Error) throw answer;
        return answer;
      },
      update: async (tabId, props) => updated.push([tabId, props]),
    },
    windows: { update: async (windowId, props) => updated.push([`window ${windowId}`, props]) },
  };
}

const TABS = [
  { id: 1, windowId: 9, active: false, url: "https://vclick.example/" },
  { id: 2, windowId: 9, active: true, url: "https://evil.example/https://vclick.example/" },
  { id: 3, windowId: 8, active: false, url: "https://vclick.example/call?id=x" },
  { id: 4, windowId: 8, active: false, url: "https://vclick.example.evil.example/" },
];

test("only the server's tabs are asked, top frame only; the one in the call comes to the front", async () => {
  const f = fakeTabs(TABS, { 1: { ok: false, error: "not-in-call" }, 3: { ok: true } });
  const reply = await addToCall("carol@acme-bank.example", { server: "https://vclick.example/", ...f });
  assert.deepEqual(reply, { ok: true });
  assert.deepEqual(
    f.asked.map(([id]) => id),
    [1, 3],
  );
  for (const [, message, options] of f.asked) {
    assert.deepEqual(message, { type: PUSH.ADD_TO_CALL, to: "carol@acme-bank.example" });
    assert.deepEqual(options, { frameId: 0 });
  }
  assert.deepEqual(f.updated, [
    [3, { active: true }],
    ["window 8", { focused: true }],
  ]);
});

test("no page in a call (or no content script there): not in a call, nothing focused", async () => {
  const f = fakeTabs(TABS, { 1: new Error("Could not establish connection"), 3: undefined });
  const reply = await addToCall("carol@acme-bank.example", { server: "https://vclick.example", ...f });
  assert.equal(reply.ok, false);
  assert.equal(reply.error, "not-in-call");
  assert.match(reply.message, /not in a call/);
  assert.deepEqual(f.updated, []);
});

test("in a call means the own presence is busy", () => {
  assert.equal(inCall({ presence: "busy" }), true);
  assert.equal(inCall({ presence: "online" }), false);
  assert.equal(inCall(undefined), false);
});
