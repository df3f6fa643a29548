// The browser context menu's one handler: what gets called for a selection or a link.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MENU, handleContextMenu } from "../src/background/context-menu.js";

function recorder({ gateway = false } = {}) {
  const done = [];
  return {
    done,
    phoneRegion: "GB",
    startCall: async (to, media) => (done.push(["call", to, media]), { ok: true }),
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
