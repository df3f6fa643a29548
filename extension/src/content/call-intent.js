// On the Vclick call page: relays the page's one question to the worker, whether this extension
// opened the tab for the page's call link on the user's click (background/call-intents.js). Only
// messages the page posts to itself are taken (a framing or opening site's are not), and the answer
// goes back to the page's own origin. The page asks as it starts and again on READY, whichever of
// the two scripts runs first.

import { CONTENT, PUSH } from "../shared/messages.js";

export const CALL_INTENT = Object.freeze({
  ASK: "vclick:call-intent?",
  REPLY: "vclick:call-intent",
  READY: "vclick:call-intent-ready",
});

function checkedLink(link) {
  if (!link || typeof link !== "object") return null;
  if (typeof link.answer === "string" && link.answer.length <= 64) return { answer: link.answer };
  if (typeof link.to === "string" && link.to.length <= 320 && ["video", "audio"].includes(link.media)) {
    return { to: link.to, media: link.media };
  }
  return null;
}

/** Starts the relay on a call page's top frame; false (and nothing done) anywhere else. */
export function relayCallIntents({ win = window, runtime = chrome.runtime } = {}) {
  if (win.top !== win || !/^\/call\/?$/.test(win.location.pathname)) return false;
  win.addEventListener("message", async (event) => {
    if (
      event.source !== win ||
      event.origin !== win.location.origin ||
      event.data?.type !== CALL_INTENT.ASK
    ) {
      return;
    }
    const link = checkedLink(event.data.link);
    if (!link) return;
    let confirmed = false;
    try {
      const reply = await runtime.sendMessage({ type: CONTENT.CALL_INTENT, link });
      confirmed = reply?.ok === true && reply.confirmed === true;
    } catch (e) {
      console.debug("vclick: no answer about the call link", e);
    }
    win.postMessage({ type: CALL_INTENT.REPLY, link, confirmed }, win.location.origin);
  });
  win.postMessage({ type: CALL_INTENT.READY }, win.location.origin);
  return true;
}

/** The "Add to call" messages with the Vclick page (web/src/main/webapp/call-link.js acceptExtensionAdds). */
export const ADD_TO_CALL = Object.freeze({ ASK: "vclick:add-to-call?", REPLY: "vclick:add-to-call" });
const ADD_REPLY_MS = 5000;

/**
 * Relays the worker's "Add to call" (PUSH.ADD_TO_CALL {to}) to the page of this top frame and its
 * answer back: the worker sends it only to the Vclick server's tabs (background/add-to-call.js),
 * and only the worker's messages are taken (not another tab's content script). The page answers
 * whether its active call took the invitation; no answer within 5 s is a no.
 */
export function relayAddToCall({ win = window, runtime = chrome.runtime } = {}) {
  if (win.top !== win) return false;
  let seq = 0;
  runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (sender?.id !== runtime.id || sender.tab || message?.type !== PUSH.ADD_TO_CALL) return false;
    if (typeof message.to !== "string" || message.to.length > 320) return false;
    const id = `${Date.now()}-${++seq}`;
    let timer;
    const onMessage = (event) => {
      if (event.source !== win || event.origin !== win.location.origin) return;
      if (event.data?.type !== ADD_TO_CALL.REPLY || event.data.id !== id) return;
      done({ ok: event.data.ok === true, error: event.data.ok === true ? undefined : "not-in-call" });
    };
    const done = (reply) => {
      clearTimeout(timer);
      win.removeEventListener("message", onMessage);
      sendResponse(reply);
    };
    win.addEventListener("message", onMessage);
    timer = setTimeout(() => done({ ok: false, error: "no-answer" }), ADD_REPLY_MS);
    win.postMessage({ type: ADD_TO_CALL.ASK, id, to: message.to }, win.location.origin);
    return true; // answers asynchronously
  });
  return true;
}
