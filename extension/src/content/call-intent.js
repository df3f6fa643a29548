// On the Vclick call page: relays the page's one question to the worker, whether this extension
// opened the tab for the page's call link on the user's click (background/call-intents.js). Only
// messages the page posts to itself are taken (a framing or opening site's are not), and the answer
// goes back to the page's own origin. The page asks as it starts and again on READY, whichever of
// the two scripts runs first.

import { CONTENT } from "../shared/messages.js";

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
