// PresenceBook (src/content/presence.js): which addresses are asked, in what batches, how often,
// and what the icons are told; with a fake worker and fake timers.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MAX_LOOKUP } from "../src/shared/messages.js";
import { PresenceBook } from "../src/content/presence.js";

/** A book whose timers run only when the test says so, and whose look-ups are recorded. */
function harness({ answer = (emails) => ({ ok: true, people: {} }), domains = ["acme-bank.example"] } = {}) {
  const timers = [];
  const asked = [];
  const changes = [];
  const book = new PresenceBook({
    domains,
    lookUp: async (emails) => {
      asked.push([...emails]);
      return answer(emails);
    },
    setTimer: (fn) => timers.push(fn) && timers.length,
    clearTimer: () => {},
  });
  book.onChange((email, person) => changes.push([email, person.presence, person.name]));
  const run = async () => {
    while (timers.length) timers.shift()();
    await book.flushing;
    await book.flushing; // a batch queued while the last one was answered
  };
  return { book, asked, changes, run };
}

const people = (map) => (emails) => ({
  ok: true,
  people: Object.fromEntries(emails.filter((e) => map[e]).map((e) => [e, map[e]])),
});

describe("PresenceBook", () => {
  test("asks enterprise addresses once, never the others", async () => {
    const { book, asked, run } = harness();
    for (const email of [
      "alice@acme-bank.example",
      "bob@acme-bank.example",
      "alice@acme-bank.example",
      "customer@example.com",
      "desk@trading.acme-bank.example",
      "eve@acme-bank.example.evil.example",
    ]) {
      assert.equal(book.track(email).presence, "unknown");
    }
    await run();
    book.track("alice@acme-bank.example");
    await run();
    assert.deepEqual(asked, [
      ["alice@acme-bank.example", "bob@acme-bank.example", "desk@trading.acme-bank.example"],
    ]);
  });

  test("batches of at most MAX_LOOKUP, each address in one batch only", async () => {
    const { book, asked, run } = harness();
    const emails = Array.from({ length: 2 * MAX_LOOKUP + 17 }, (_, i) => `user${i}@acme-bank.example`);
    for (const email of emails) book.track(email);
    await run();
    assert.ok(asked.every((batch) => batch.length <= MAX_LOOKUP));
    assert.deepEqual(asked.flat().sort(), [...emails].sort());
  });

  test("answers colour the addresses; missing ones and bad values are unknown", async () => {
    const { book, changes, run } = harness({
      answer: people({
        "alice@acme-bank.example": { presence: "online", name: "Alice Archer" },
        "bob@acme-bank.example": { presence: "on holiday" },
      }),
    });
    book.track("alice@acme-bank.example");
    book.track("bob@acme-bank.example");
    book.track("carol@acme-bank.example");
    await run();
    assert.deepEqual(changes, [["alice@acme-bank.example", "online", "Alice Archer"]]);
    assert.deepEqual(book.get("bob@acme-bank.example"), { presence: "unknown" });
    assert.deepEqual(book.track("alice@acme-bank.example"), { presence: "online", name: "Alice Archer" });
  });

  test("a refused look-up or an unreachable worker leaves everyone unknown and is not retried", async () => {
    let calls = 0;
    const { book, run } = harness({
      answer: () => {
        calls++;
        if (calls === 1) return { ok: false, error: "not-signed-in", message: "Sign in" };
        throw new Error("Could not establish connection. Receiving end does not exist.");
      },
    });
    book.track("alice@acme-bank.example");
    await run();
    book.track("bob@acme-bank.example");
    await run();
    book.track("alice@acme-bank.example");
    book.track("bob@acme-bank.example");
    await run();
    assert.equal(calls, 2);
    assert.equal(book.get("alice@acme-bank.example").presence, "unknown");
  });

  test("pushes recolour addresses the page shows, in the domains only", async () => {
    const { book, changes, run } = harness();
    book.track("alice@acme-bank.example");
    book.track("customer@example.com");
    await run();
    book.applyPush("ALICE@acme-bank.example", "busy");
    book.applyPush("customer@example.com", "online");
    book.applyPush("stranger@acme-bank.example", "online");
    book.applyPush("alice@acme-bank.example", "dancing");
    assert.deepEqual(changes, [
      ["alice@acme-bank.example", "busy", undefined],
      ["alice@acme-bank.example", "unknown", undefined],
    ]);
  });

  test("new domains: leavers go unknown, joiners are asked", async () => {
    const { book, asked, changes, run } = harness({
      answer: people({
        "alice@acme-bank.example": { presence: "online" },
        "c@example.com": { presence: "busy" },
      }),
    });
    book.track("alice@acme-bank.example");
    book.track("c@example.com");
    await run();
    assert.equal(book.setDomains(["ACME-BANK.example"]), false, "the same domains");
    assert.equal(book.setDomains(["example.com"]), true);
    await run();
    assert.deepEqual(asked, [["alice@acme-bank.example"], ["c@example.com"]]);
    assert.deepEqual(changes, [
      ["alice@acme-bank.example", "online", undefined],
      ["alice@acme-bank.example", "unknown", undefined],
      ["c@example.com", "busy", undefined],
    ]);
  });

  test("relookUp asks everything again (after sign-in)", async () => {
    const { book, asked, run } = harness();
    book.track("alice@acme-bank.example");
    await run();
    book.relookUp();
    await run();
    assert.deepEqual(asked, [["alice@acme-bank.example"], ["alice@acme-bank.example"]]);
  });

  test("after stop nothing is sent or reported", async () => {
    const { book, asked, changes, run } = harness();
    book.track("alice@acme-bank.example");
    book.stop();
    await run();
    book.track("bob@acme-bank.example");
    book.applyPush("alice@acme-bank.example", "online");
    await run();
    assert.deepEqual(asked, []);
    assert.deepEqual(changes, []);
  });
});
