// The call page's relay: only messages the page posts to itself, only on a /call top frame.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CALL_INTENT, relayCallIntents } from "../src/content/call-intent.js";

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
