// Call links: `/call?to=<id, username or email>[&media=audio]` calls someone, `/call?id=<callId>&answer=1`
// answers a call. Any site can send a browser to such a link, so a link never calls or answers by
// itself: it waits for the user's click (Call in the confirmation, Answer on the incoming call),
// unless the Vclick extension says that it opened this tab on the user's click for this very link
// (its notification's Answer, a click-to-call icon: extension/src/background/call-intents.js).

const $ = (id) => document.getElementById(id);

/** The messages with the extension's content script on this page (extension/src/content/call-intent.js). */
const ASK = "vclick:call-intent?";
const REPLY = "vclick:call-intent";
const READY = "vclick:call-intent-ready";

/** The link in this address, or null for any other address. */
export function callLink(location) {
  if (!/\/call\/?$/.test(location.pathname)) {
    return null;
  }
  const params = new URLSearchParams(location.search);
  const to = params.get("to")?.trim();
  if (to) {
    return { to, media: params.get("media") === "audio" ? "audio" : "video" };
  }
  const callId = params.get("id")?.trim();
  if (callId && params.get("answer") === "1") {
    return { answer: callId };
  }
  return null;
}

/** Drops the link's parameters from the address bar: reloading must not call again. */
export function forgetCallLink() {
  window.history.replaceState(window.history.state, "", window.location.pathname);
}

const wire = (link) =>
  link.answer ? { answer: link.answer } : { to: link.to.toLowerCase(), media: link.media };

/**
 * Resolves true when the extension confirms that it opened this tab for this link; false when it
 * says no. Without the extension it never resolves (the page waits for the user's click anyway).
 * Only replies this window posts to itself count: a site that framed or opened the page cannot
 * send one (its messages carry its own window and origin).
 */
export function extensionOpenedFor(link) {
  const asked = wire(link);
  const ask = () => window.postMessage({ type: ASK, link: asked }, window.location.origin);
  return new Promise((resolve) => {
    window.addEventListener("message", function onMessage(event) {
      if (event.source !== window || event.origin !== window.location.origin) {
        return;
      }
      if (event.data?.type === READY) {
        ask();
      } else if (event.data?.type === REPLY && JSON.stringify(event.data.link) === JSON.stringify(asked)) {
        window.removeEventListener("message", onMessage);
        resolve(event.data.confirmed === true);
      }
    });
    ask();
  });
}

/**
 * Asks the user whether to place the call of a `to` link (the bar #call-link). Resolves true on
 * Call, or at once when the extension opened the tab for it; false on Cancel.
 */
export function confirmCall(link, openedByExtension) {
  $("call-link-text").textContent = `Call ${link.to}${link.media === "audio" ? " (audio)" : ""}?`;
  $("call-link").hidden = false;
  return new Promise((resolve) => {
    const done = (go) => {
      $("call-link").hidden = true;
      $("call-link-call").removeEventListener("click", onCall);
      $("call-link-cancel").removeEventListener("click", onCancel);
      resolve(go);
    };
    const onCall = () => done(true);
    const onCancel = () => done(false);
    $("call-link-call").addEventListener("click", onCall);
    $("call-link-cancel").addEventListener("click", onCancel);
    openedByExtension.then((yes) => yes && !$("call-link").hidden && done(true));
  });
}

/** The extension's "Add to call" (extension/src/content/call-intent.js relayAddToCall). */
export const ADD_TO_CALL = Object.freeze({ ASK: "vclick:add-to-call?", REPLY: "vclick:add-to-call" });

/**
 * Takes the Vclick extension's "Add to call" requests: its worker asks the content script of this
 * page (the one tab whose connection is bound to the call may send call.add), which posts
 * `{type: ASK, id, to}` here. Only messages this window posts to itself count (a site that framed
 * or opened the page cannot send one); the reply goes back to this origin only.
 *
 * @param {(to: string) => {ok: boolean, error?: string}} add invites `to` (an email) into the active call
 */
export function acceptExtensionAdds(add) {
  window.addEventListener("message", (event) => {
    if (
      event.source !== window ||
      event.origin !== window.location.origin ||
      event.data?.type !== ADD_TO_CALL.ASK
    ) {
      return;
    }
    const { id, to } = event.data;
    if (typeof id !== "string" || typeof to !== "string" || to.length > 320) {
      return;
    }
    const result = add(to);
    window.postMessage(
      { type: ADD_TO_CALL.REPLY, id, ok: result.ok === true, error: result.error ?? null },
      window.location.origin,
    );
  });
}
