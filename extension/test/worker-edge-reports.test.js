// The worker's connection reports with a fake `chrome` and a fake server: a tab that is gone (closed,
// crashed, killed) has its open connections reported closed with their last figures, and open
// connections of live tabs are sampled for the server when due.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { fakeStorageArea } from "./fakes.js";

const tabs = [];
const samples = new Map(); // tabId → samples its frames answer
globalThis.chrome = {
  storage: { local: fakeStorageArea(), session: fakeStorageArea(), managed: fakeStorageArea() },
  tabs: {
    query: async () => tabs.map((id) => ({ id })),
    sendMessage: async (tabId) => ({ ok: true, samples: samples.get(tabId) ?? [] }),
  },
};
const posted = [];
globalThis.fetch = async (url, init) => {
  const body = JSON.parse(init.body);
  posted.push(...body.events);
  return new Response(JSON.stringify({ accepted: body.events.length, peers: {}, sampleEverySeconds: 75 }), {
    status: 200,
  });
};

const { flushReports, frameGone, sampleAndForgetClosedTabs } = await import("../src/background/edge.js");

const CONNECTION = "3b241101-e2bb-4255-8caf-4136c566a962";
const PAGE = "9a6f2c1e-5d4b-4c3a-9b2a-1f0e9d8c7b6a";

/** Tab 7's record: one connection, connected, last sampled at 1,000/2,000 bytes. */
function tabRecord(extra = {}) {
  return {
    pageId: PAGE,
    documentId: "d",
    origin: "https://meet.example.com",
    connections: {
      [CONNECTION]: {
        connectionId: CONNECTION,
        frameId: 0,
        origin: "https://meet.example.com",
        decisionId: null,
        createdAt: "2026-11-24T10:00:00.000Z",
        connectedAt: "2026-11-24T10:00:01.000Z",
        bytesSent: 1_000,
        bytesReceived: 2_000,
        lastEvent: "sample",
        ...extra,
      },
    },
  };
}

beforeEach(async () => {
  chrome.storage.session.clear();
  tabs.length = 0;
  samples.clear();
  posted.length = 0;
  await chrome.storage.local.set({ settings: { serverUrl: "http://127.0.0.1:18080" } });
  await chrome.storage.session.set({ auth: { accessToken: "token", expiresAt: Date.now() + 3_600_000 } });
});

test("the open connections of a tab that is gone are reported closed with their last figures", async () => {
  await chrome.storage.session.set({ "edge:tab:7": tabRecord() });

  await sampleAndForgetClosedTabs();
  await flushReports();

  assert.equal(posted.length, 1, JSON.stringify(posted));
  assert.deepEqual(
    { ...posted[0], at: typeof posted[0].at },
    {
      connectionId: CONNECTION,
      pageId: PAGE,
      decisionId: null,
      origin: "https://meet.example.com",
      event: "closed",
      at: "string",
      bytesSent: 1_000,
      bytesReceived: 2_000,
      endReason: "page-unloaded",
    },
  );
  assert.equal(
    (await chrome.storage.session.get("edge:tab:7"))["edge:tab:7"],
    undefined,
    "the record is gone",
  );
});

test("a closed connection of a gone tab is not reported again", async () => {
  await chrome.storage.session.set({ "edge:tab:7": tabRecord({ closedAt: "2026-11-24T10:05:00.000Z" }) });
  await sampleAndForgetClosedTabs();
  await flushReports();
  assert.deepEqual(posted, []);
});

test("an open connection of a live tab is sampled for the server, then not again until due", async () => {
  tabs.push(7);
  await chrome.storage.session.set({ "edge:tab:7": tabRecord() });
  samples.set(7, [
    {
      event: "sample",
      connectionId: CONNECTION,
      at: new Date().toISOString(),
      bytesSent: 5_000,
      bytesReceived: 6_000,
    },
  ]);

  await sampleAndForgetClosedTabs();
  await flushReports();
  assert.deepEqual(
    posted.map((e) => [e.event, e.bytesSent, e.bytesReceived]),
    [["sample", 5_000, 6_000]],
  );
  assert.equal(
    (await chrome.storage.session.get("edge:sampleEveryMs"))["edge:sampleEveryMs"],
    75_000,
    "the server's pace",
  );

  await sampleAndForgetClosedTabs();
  await flushReports();
  assert.equal(posted.length, 1, "not due yet");
});

test("a frame gone without a word (its page crashed) has its open connections of that document ended at once", async () => {
  tabs.push(7);
  const record = tabRecord({ documentId: "doc-a" });
  const other = "5c241101-e2bb-4255-8caf-4136c566a000";
  const closed = "6c241101-e2bb-4255-8caf-4136c566a000";
  record.connections[other] = { ...record.connections[CONNECTION], connectionId: other, frameId: 2 };
  record.connections[closed] = {
    ...record.connections[CONNECTION],
    connectionId: closed,
    closedAt: "2026-11-24T10:05:00.000Z",
  };
  await chrome.storage.session.set({ "edge:tab:7": record });

  assert.equal(await frameGone({ tab: { id: 7 }, frameId: 0, documentId: "doc-b" }), 0, "another document");
  assert.equal(await frameGone({ tab: { id: 7 }, frameId: 0, documentId: "doc-a" }), 1);
  await flushReports();
  assert.deepEqual(
    posted.map((e) => [e.connectionId, e.event, e.endReason, e.bytesSent, e.bytesReceived]),
    [[CONNECTION, "closed", "page-unloaded", 1_000, 2_000]],
    "the crashed frame's open one, with its last figures; not the other frame's, not the closed one",
  );
  assert.equal(await frameGone({ tab: { id: 7 }, frameId: 0, documentId: "doc-a" }), 0, "once");
  const kept = (await chrome.storage.session.get("edge:tab:7"))["edge:tab:7"];
  assert.equal(kept.connections[CONNECTION].endReason, "page-unloaded");
  assert.equal(kept.connections[other].closedAt, undefined);
});
