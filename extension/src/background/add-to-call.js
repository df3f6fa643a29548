// "Add to call": while the signed-in user is in a call, a colleague's click-to-call icon and the
// browser's context menu offer to invite them into it. Only the connection bound to the call (the
// Vclick page that holds it) may send call.add (web/SIGNALING.md), so the worker asks the Vclick
// server's tabs, top frame only, through their content script (content/call-intent.js
// relayAddToCall); the page whose call is active sends call.add and comes to the front, where the
// user sees the invitee ring.
import { PUSH } from "../shared/messages.js";

const NOT_IN_CALL = "You are not in a call in the Vclick app in this browser.";

/**
 * Invites `to` (an email address) into the call of the Vclick page that holds it.
 *
 * @param {string} to
 * @param {{server: string, tabs?: typeof chrome.tabs, windows?: typeof chrome.windows}} where
 *   `server`: the Vclick server's URL (only its tabs are asked)
 * @returns {Promise<{ok: boolean, error?: string, message?: string}>}
 */
export async function addToCall(to, { server, tabs = chrome.tabs, windows = chrome.windows }) {
  const origin = new URL(server).origin;
  const candidates = (await tabs.query({ url: ["http://*/*", "https://*/*"] })).filter((tab) => {
    try {
      return new URL(tab.url).origin === origin;
    } catch {
      return false;
    }
  });
  // The active tab first: that is where a call page usually is.
  candidates.sort((a, b) => Number(b.active) - Number(a.active));
  for (const tab of candidates) {
    const reply = await tabs
      .sendMessage(tab.id, { type: PUSH.ADD_TO_CALL, to }, { frameId: 0 })
      .catch(() => null); // no content script there (loaded before the extension)
    if (reply?.ok === true) {
      await tabs.update(tab.id, { active: true }).catch(() => {});
      await windows?.update(tab.windowId, { focused: true }).catch(() => {});
      return { ok: true };
    }
  }
  return { ok: false, error: "not-in-call", message: NOT_IN_CALL };
}

/** Whether the user is in a call, from the own presence the worker's socket reports. */
export const inCall = (status) => status?.presence === "busy";
