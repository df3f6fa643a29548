// The worker's trust tiers and input checks, with a fake `chrome` (no browser needed).
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { fakeStorageArea } from "./fakes.js";

const ID = "jafpjpcekaheefipgmmjkbjeohlphimo";
const opened = [];

globalThis.chrome = {
  runtime: { id: ID, getURL: (p) => `chrome-extension://${ID}/${p}` },
  storage: { local: fakeStorageArea(), session: fakeStorageArea(), managed: fakeStorageArea() },
  tabs: {
    create: async (options) => opened.push(options.url),
    query: async () => [],
    sendMessage: async () => undefined,
  },
  action: { setBadgeText: async () => {}, setBadgeBackgroundColor: async () => {}, setTitle: async () => {} },
};

const { route, tierOf, enterpriseDomains, pageOriginOf } = await import("../src/background/router.js");
const { isEnterpriseEmail } = await import("../src/shared/domains.js");

const page = {
  id: ID,
  url: `chrome-extension://${ID}/src/popup/popup.html`,
  origin: `chrome-extension://${ID}`,
};
const content = { id: ID, url: "https://intranet.acme-bank.example/people", tab: { id: 7, index: 0 } };

beforeEach(async () => {
  opened.length = 0;
  await chrome.storage.local.set({
    settings: { serverUrl: "https://vclick.acme-bank.example", emailDomains: ["acme-bank.example"] },
  });
});

test("senders are sorted into tiers; other extensions and non-web pages are nobody", () => {
  assert.equal(tierOf(page), "page");
  assert.equal(tierOf(content), "content");
  assert.equal(tierOf({ ...content, id: "another-extension" }), null);
  // A tab's local or file document: only the Secure Edge bridge's two messages (see below).
  assert.equal(tierOf({ id: ID, url: "file:///etc/passwd", tab: { id: 1 } }), "frame");
  assert.equal(tierOf({ id: ID, url: "about:blank", origin: "null", tab: {} }), null);
  assert.equal(tierOf({ id: ID }), null);
});

test("a web page cannot sign in, sign out or read the status", async () => {
  for (const type of ["auth.login", "auth.logout", "status.get", "gateways.list"]) {
    const reply = await route({ type }, content);
    assert.equal(reply.ok, false, type);
    assert.equal(reply.error, "unknown-type");
  }
});

test("malformed messages are refused with a reason", async () => {
  assert.equal((await route(null, content)).error, "forbidden");
  assert.equal((await route("call.start", content)).error, "forbidden");
  assert.equal((await route({ type: "nope" }, content)).error, "unknown-type");
  assert.equal(
    (await route({ type: "call.start", to: "not an email", media: "video" }, content)).error,
    "invalid",
  );
  assert.equal(
    (await route({ type: "call.start", to: "bob@acme-bank.example", media: "fax" }, content)).error,
    "invalid",
  );
  assert.equal((await route({ type: "presence.lookup", emails: "x" }, content)).error, "invalid");
  const tooMany = Array.from({ length: 201 }, (_, i) => `p${i}@acme-bank.example`);
  assert.equal((await route({ type: "presence.lookup", emails: tooMany }, content)).error, "invalid");
  assert.equal((await route({ type: "phone.call", number: "12" }, content)).error, "invalid");
  assert.equal(opened.length, 0, "nothing opened");
});

test("a call from a page opens the call page of the configured server", async () => {
  assert.deepEqual(
    await route({ type: "call.start", to: "Bob@Acme-Bank.example", media: "audio" }, content),
    { ok: true },
  );
  assert.deepEqual(opened, ["https://vclick.acme-bank.example/call?to=bob%40acme-bank.example&media=audio"]);
});

test("no call from a site the user switched click-to-call off for", async () => {
  const settings = (await chrome.storage.local.get("settings")).settings;
  await chrome.storage.local.set({
    settings: { ...settings, disabledSites: ["https://intranet.acme-bank.example"] },
  });
  assert.equal(
    (await route({ type: "call.start", to: "bob@acme-bank.example", media: "video" }, content)).error,
    "disabled",
  );
  assert.equal((await route({ type: "page.config" }, content)).enabled, false);
});

test("signed out, look-ups answer unknown and send nothing; foreign domains are dropped", async () => {
  const reply = await route(
    { type: "presence.lookup", emails: ["alice@acme-bank.example", "someone@gmail.com"] },
    content,
  );
  assert.deepEqual(reply, { ok: true, people: { "alice@acme-bank.example": { presence: "unknown" } } });
});

test("a phone call without a gateway says so", async () => {
  const reply = await route({ type: "phone.call", number: "+442079460001" }, content);
  assert.equal(reply.error, "no-gateway");
  assert.match(reply.message, /No telephony gateway is configured/);
});

test("enterprise domains: configured ones, else the signed-in user's own", () => {
  assert.deepEqual(enterpriseDomains(["a.example"], { user: { email: "x@b.example" } }), ["a.example"]);
  assert.deepEqual(enterpriseDomains([], { user: { email: "x@b.example" } }), ["b.example"]);
  assert.deepEqual(enterpriseDomains([], null), []);
  assert.ok(isEnterpriseEmail("x@eu.acme-bank.example", ["acme-bank.example"]));
  assert.ok(!isEnterpriseEmail("x@notacme-bank.example", ["acme-bank.example"]));
  assert.ok(!isEnterpriseEmail("no-at-sign", ["acme-bank.example"]));
});

test("a local frame the page filled (srcdoc, about:blank, blob:) is the page's: click-to-call works there", async () => {
  const srcdoc = {
    id: ID,
    url: "about:srcdoc",
    origin: "https://meet.example.com",
    tab: { id: 3, index: 0 },
  };
  assert.equal(tierOf(srcdoc), "content");
  assert.equal(pageOriginOf(srcdoc), "https://meet.example.com");
  assert.equal(
    pageOriginOf({ ...srcdoc, url: "blob:https://meet.example.com/1f0c" }),
    "https://meet.example.com",
  );
  assert.equal(pageOriginOf({ ...srcdoc, origin: "null" }), null, "a sandboxed frame has no site");
  const reply = await route({ type: "call.start", to: "bob@acme-bank.example", media: "video" }, srcdoc);
  assert.deepEqual(reply, { ok: true });
  assert.equal(opened.length, 1);
});

test("other documents of a tab (data:, file:, sandboxed) may only use the Secure Edge messages", async () => {
  const frame = { id: ID, url: "data:text/html,<p>x", origin: "null", tab: { id: 3, index: 0 } };
  assert.equal(tierOf(frame), "frame");
  const refused = await route({ type: "call.start", to: "bob@acme-bank.example", media: "video" }, frame);
  assert.equal(refused.error, "unknown-type");
  assert.equal(opened.length, 0);
  const signedOut = await route({ type: "edge.decision" }, frame);
  assert.deepEqual(
    [signedOut.ok, signedOut.error],
    [false, "unauthenticated"],
    "signed out there is no decision: the wrapper blocks",
  );
  const bad = await route({ type: "edge.pc", report: { event: "created", connectionId: "x" } }, frame);
  assert.equal(bad.error, "invalid");
});

test("click-to-call is off in a frame when the user turned it off for the frame's site or the tab's", async () => {
  const directory = "https://people.acme-bank.example";
  const portal = "https://portal.acme-bank.example";
  const embedded = { id: ID, url: `${directory}/list`, tab: { id: 4, index: 0, url: `${portal}/home` } };
  const enabled = async () => (await route({ type: "page.config" }, embedded)).enabled;
  assert.equal(await enabled(), true);
  for (const off of [directory, portal]) {
    await chrome.storage.local.set({
      settings: {
        serverUrl: "https://vclick.acme-bank.example",
        emailDomains: ["acme-bank.example"],
        disabledSites: [off],
      },
    });
    assert.equal(await enabled(), false, `off on ${off}`);
    const call = await route({ type: "call.start", to: "bob@acme-bank.example", media: "video" }, embedded);
    assert.equal(call.error, "disabled");
  }
});
