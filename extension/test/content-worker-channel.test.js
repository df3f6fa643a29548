// The content script's messaging with the worker (src/content/worker-channel.js): retries while
// the worker starts, stops for good when the extension context is gone, filters pushes.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ContextInvalidated, WorkerUnavailable, createWorkerChannel } from "../src/content/worker-channel.js";

function fakeRuntime(replies) {
  const sent = [];
  const listeners = new Set();
  const runtime = {
    id: "jafpjpcekaheefipgmmjkbjeohlphimo",
    sent,
    async sendMessage(message) {
      sent.push(message);
      const next = replies.shift();
      if (next instanceof Error) throw next;
      return typeof next === "function" ? next() : next;
    },
    onMessage: { addListener: (l) => listeners.add(l), removeListener: (l) => listeners.delete(l) },
    deliver: (message, sender) => [...listeners].forEach((l) => l(message, sender)),
    listeners,
  };
  return runtime;
}

const noWait = { sleep: async () => {}, retryDelaysMs: [1, 1, 1] };

describe("createWorkerChannel", () => {
  test("sends { type, ...payload } and returns the reply", async () => {
    const runtime = fakeRuntime([{ ok: true, people: {} }]);
    const channel = createWorkerChannel(runtime, noWait);
    assert.deepEqual(await channel.send("presence.lookup", { emails: ["a@b.example"] }), {
      ok: true,
      people: {},
    });
    assert.deepEqual(runtime.sent, [{ type: "presence.lookup", emails: ["a@b.example"] }]);
  });

  test("a refusal is a reply, not an error, and is not retried", async () => {
    const refusal = { ok: false, error: "no-gateway", message: "No telephony gateway is configured." };
    const runtime = fakeRuntime([refusal]);
    assert.deepEqual(
      await createWorkerChannel(runtime, noWait).send("phone.call", { number: "+1" }),
      refusal,
    );
    assert.equal(runtime.sent.length, 1);
  });

  test("retries while the worker is not there, then gives up", async () => {
    const absent = () => new Error("Could not establish connection. Receiving end does not exist.");
    const runtime = fakeRuntime([absent(), undefined, { ok: true, enabled: true }]);
    assert.deepEqual(await createWorkerChannel(runtime, noWait).send("page.config"), {
      ok: true,
      enabled: true,
    });
    assert.equal(runtime.sent.length, 3);

    const gone = fakeRuntime([absent(), absent(), absent(), absent(), absent()]);
    await assert.rejects(createWorkerChannel(gone, noWait).send("page.config"), WorkerUnavailable);
    assert.equal(gone.sent.length, 4);
  });

  test("retries can be limited (calls must not be placed twice)", async () => {
    const runtime = fakeRuntime([new Error("message port closed"), new Error("message port closed")]);
    await assert.rejects(
      createWorkerChannel(runtime, noWait).send("call.start", {}, { retries: 1 }),
      WorkerUnavailable,
    );
    assert.equal(runtime.sent.length, 2);
  });

  test("an invalidated context stops at once and for good", async () => {
    const runtime = fakeRuntime([new Error("Extension context invalidated.")]);
    const channel = createWorkerChannel(runtime, noWait);
    await assert.rejects(channel.send("page.config"), ContextInvalidated);
    assert.equal(channel.isAlive(), false);
    await assert.rejects(channel.send("page.config"), ContextInvalidated);
    assert.equal(runtime.sent.length, 1);
  });

  test("a runtime without an id is an orphaned script", async () => {
    const runtime = fakeRuntime([]);
    delete runtime.id;
    const channel = createWorkerChannel(runtime, noWait);
    assert.equal(channel.isAlive(), false);
    await assert.rejects(channel.send("page.config"), ContextInvalidated);
    assert.equal(runtime.sent.length, 0);
  });

  test("a worker that never answers times out", async () => {
    const runtime = fakeRuntime([() => new Promise(() => {})]);
    const channel = createWorkerChannel(runtime, { ...noWait, timeoutMs: 10 });
    await assert.rejects(channel.send("page.config", {}, { retries: 0 }), WorkerUnavailable);
  });

  test("pushes from this extension only, and a throwing handler stays contained", () => {
    const runtime = fakeRuntime([]);
    const channel = createWorkerChannel(runtime, noWait);
    const got = [];
    const stop = channel.onPush((m) => {
      got.push(m.type);
      if (m.type === "boom") throw new Error("handler bug");
    });
    runtime.deliver({ type: "presence.changed" }, { id: runtime.id });
    runtime.deliver({ type: "presence.changed" }, { id: "another-extension" });
    runtime.deliver("not an object", { id: runtime.id });
    runtime.deliver({ type: "boom" }, { id: runtime.id });
    stop();
    runtime.deliver({ type: "page.config.changed" }, { id: runtime.id });
    assert.deepEqual(got, ["presence.changed", "boom"]);
  });
});
