// The call page's relay: only messages the page posts to itself, only on a /call top frame.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ADD_TO_CALL, CALL_INTENT, relayAddToCall, relayCallIntents } from "../src/content/call-intent.js";
import { PUSH } from "../src/shared/messages.js";

function fakeWindow(pathname = "/call") {
  const listeners = [];
  const posted = [];
  const win = {
    location: { pathname, origin: "https://vclick.example" },
    addEventListener: (type, listener) => listeners.push(listener),
    postMessage: (data, origin) => posted.push({ data, origin }),
  };
  win.top = win;
  const dispatch = (event) => Promise.all(listeners.map((l) => l(event)));
  return { win, posted, dispatch };
}

test("a question the page posts to itself reaches the worker; the answer goes back to the page's origin", async () => {
  const { win, posted, dispatch } = fakeWindow();
  const asked = [];
  const runtime = { sendMessage: async (m) => (asked.push(m), { ok: true, confirmed: true }) };
  assert.equal(relayCallIntents({ win, runtime }), true);
  assert.deepEqual(posted.shift(), { data: { type: CALL_INTENT.READY }, origin: "https://vclick.example" });
  await dispatch({
    source: win,
    origin: "https://vclick.example",
    data: { type: CALL_INTENT.ASK, link: { answer: "c1" } },
  });
  assert.deepEqual(asked, [{ type: "call.intent", link: { answer: "c1" } }]);
  assert.deepEqual(posted, [
    {
      data: { type: CALL_INTENT.REPLY, link: { answer: "c1" }, confirmed: true },
      origin: "https://vclick.example",
    },
  ]);
});

test("another window's or origin's messages are ignored; other pages and frames get no relay", async () => {
  const { win, posted, dispatch } = fakeWindow();
  const asked = [];
  relayCallIntents({
    win,
    runtime: { sendMessage: async (m) => (asked.push(m), { ok: true, confirmed: true }) },
  });
  const ask = { type: CALL_INTENT.ASK, link: { answer: "c1" } };
  await dispatch({ source: {}, origin: "https://vclick.example", data: ask });
  await dispatch({ source: win, origin: "https://evil.example", data: ask });
  await dispatch({ source: win, origin: "https://vclick.example", data: { ...ask, link: { answer: 5 } } });
  assert.deepEqual(asked, []);
  assert.equal(posted.length, 1, "only READY");
  assert.equal(relayCallIntents({ win: fakeWindow("/people").win, runtime: {} }), false);
  const framed = fakeWindow();
  framed.win.top = {};
  assert.equal(relayCallIntents({ win: framed.win, runtime: {} }), false);
});

/** A window whose message listeners can be removed, and a runtime whose onMessage the test drives. */
function relayWorld() {
  const listeners = new Set();
  const posted = [];
  const win = {
    location: { pathname: "/", origin: "https://vclick.example" },
    addEventListener: (type, l) => listeners.add(l),
    removeEventListener: (type, l) => listeners.delete(l),
    postMessage: (data, origin) => posted.push({ data, origin }),
  };
  win.top = win;
  let onMessage;
  const runtime = { id: "ext", onMessage: { addListener: (l) => (onMessage = l) } };
  const dispatch = (event) => [...listeners].forEach((l) => l(event));
  const deliver = (message, sender) =>
    new Promise((resolve) => {
      const async = onMessage(message, sender, resolve);
      if (async !== true) resolve("not answered");
    });
  return { win, posted, runtime, dispatch, deliver, listeners };
}

test("'Add to call': the worker's request reaches the page, the page's answer goes back", async () => {
  const w = relayWorld();
  assert.equal(relayAddToCall({ win: w.win, runtime: w.runtime }), true);
  const answer = w.deliver({ type: PUSH.ADD_TO_CALL, to: "carol@acme-bank.example" }, { id: "ext" });
  const [{ data, origin }] = w.posted;
  assert.equal(origin, "https://vclick.example");
  assert.equal(data.type, ADD_TO_CALL.ASK);
  assert.equal(data.to, "carol@acme-bank.example");
  // Another window's reply, or one for another request, is not the page's answer.
  w.dispatch({
    source: {},
    origin: "https://vclick.example",
    data: { type: ADD_TO_CALL.REPLY, id: data.id, ok: true },
  });
  w.dispatch({
    source: w.win,
    origin: "https://vclick.example",
    data: { type: ADD_TO_CALL.REPLY, id: "x", ok: true },
  });
  w.dispatch({
    source: w.win,
    origin: "https://vclick.example",
    data: { type: ADD_TO_CALL.REPLY, id: data.id, ok: false },
  });
  assert.deepEqual(await answer, { ok: false, error: "not-in-call" });
  assert.equal(w.listeners.size, 0, "the reply listener is gone");

  const yes = w.deliver({ type: PUSH.ADD_TO_CALL, to: "dave@acme-bank.example" }, { id: "ext" });
  w.dispatch({
    source: w.win,
    origin: "https://vclick.example",
    data: { type: ADD_TO_CALL.REPLY, id: w.posted[1].data.id, ok: true },
  });
  assert.deepEqual(await yes, { ok: true, error: undefined });
});

test("'Add to call' only from the worker (not a tab's script, not another extension), only in a top frame", async () => {
  const w = relayWorld();
  relayAddToCall({ win: w.win, runtime: w.runtime });
  const message = { type: PUSH.ADD_TO_CALL, to: "carol@acme-bank.example" };
  assert.equal(await w.deliver(message, { id: "ext", tab: { id: 3 } }), "not answered");
  assert.equal(await w.deliver(message, { id: "other" }), "not answered");
  assert.equal(await w.deliver({ ...message, to: 5 }, { id: "ext" }), "not answered");
  assert.deepEqual(w.posted, []);
  const framed = relayWorld();
  framed.win.top = {};
  assert.equal(relayAddToCall({ win: framed.win, runtime: framed.runtime }), false);
});
