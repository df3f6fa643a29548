// The browser context menu's one handler: what gets called for a selection or a link.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MENU, handleContextMenu } from "../src/background/context-menu.js";

function recorder({ gateway = false, inCall = true } = {}) {
  const done = [];
  return {
    done,
    phoneRegion: "GB",
    startCall: async (to, media) => (done.push(["call", to, media]), { ok: true }),
    addToCall: async (to) => (
      done.push(["add", to]),
      inCall ? { ok: true } : { ok: false, error: "not-in-call", message: "You are not in a call." }
    ),
    callNumber: async (number) => (
      done.push(["phone", number]),
      gateway
        ? { ok: true }
        : { ok: false, error: "no-gateway", message: "No telephony gateway is configured." }
    ),
    tell: async (message) => done.push(["tell", message]),
  };
}

test("a selected address is called with the chosen media", async () => {
  const actions = recorder();
  await handleContextMenu(
    { menuItemId: MENU.AUDIO, selectionText: "write to Bob@Acme-Bank.example today" },
    actions,
  );
  assert.deepEqual(actions.done, [["call", "bob@acme-bank.example", "audio"]]);
});

test("a mailto link is called; a tel link or a selected number goes to the gateway", async () => {
  const a = recorder({ gateway: true });
  await handleContextMenu(
    { menuItemId: MENU.VIDEO, linkUrl: "mailto:carol@acme-bank.example?subject=hi" },
    a,
  );
  await handleContextMenu({ menuItemId: MENU.VIDEO, linkUrl: "tel:+44-20-7946-0003" }, a);
  await handleContextMenu({ menuItemId: MENU.VIDEO, selectionText: "call 020 7946 0002" }, a);
  assert.deepEqual(a.done, [
    ["call", "carol@acme-bank.example", "video"],
    ["phone", "+442079460003"],
    ["phone", "+442079460002"],
  ]);
});

test("without a gateway, or with nothing to call, the user is told why", async () => {
  const a = recorder();
  assert.equal(
    (await handleContextMenu({ menuItemId: MENU.VIDEO, selectionText: "+44 20 7946 0001" }, a)).error,
    "no-gateway",
  );
  assert.equal(
    (await handleContextMenu({ menuItemId: MENU.VIDEO, selectionText: "Order #123456789 on 2024-05-01" }, a))
      .error,
    "nothing-to-call",
  );
  assert.equal(
    (await handleContextMenu({ menuItemId: "other", selectionText: "a@b.example" }, a)).error,
    "unknown-item",
  );
  assert.deepEqual(
    a.done.filter(([kind]) => kind === "tell").map(([, m]) => m),
    ["No telephony gateway is configured.", "Vclick found no email address or phone number there to call."],
  );
});

test("'Add to the call' invites the first address of the selection or link; otherwise the user is told why", async () => {
  const a = recorder();
  await handleContextMenu({ menuItemId: MENU.ADD, selectionText: "ask Carol@Acme-Bank.example to join" }, a);
  await handleContextMenu({ menuItemId: MENU.ADD, linkUrl: "mailto:dave@acme-bank.example" }, a);
  assert.equal(
    (await handleContextMenu({ menuItemId: MENU.ADD, selectionText: "call 020 7946 0002" }, a)).error,
    "nothing-to-add",
  );
  const notInCall = recorder({ inCall: false });
  assert.equal(
    (await handleContextMenu({ menuItemId: MENU.ADD, selectionText: "erin@acme-bank.example" }, notInCall))
      .error,
    "not-in-call",
  );
  assert.deepEqual(a.done, [
    ["add", "carol@acme-bank.example"],
    ["add", "dave@acme-bank.example"],
    ["tell", "Vclick found no email address there to add to the call."],
  ]);
  assert.deepEqual(notInCall.done, [
    ["add", "erin@acme-bank.example"],
    ["tell", "You are not in a call."],
  ]);
});
