// Incoming calls as desktop notifications with Answer and Decline. Every click path goes through
// handleNotificationAction (headless Chromium never fires notification clicks: tests call it).
import { serverUrl } from "./server.js";
import { openCallPage } from "./call-intents.js";
import { namesText } from "../../../web/src/main/webapp/names.js";

const RINGING_KEY = "ringing";
const PREFIX = "call:";
const ACTIONS = ["answer", "decline"];

/**
 * What the notification of a ringing call says: "Alice is calling", or for an invitation into a
 * call with others "Alice invites you to join Alice and Bob" (`parties`: those already in it).
 */
export function incomingTitle({ peerName, parties }) {
  const names = Array.isArray(parties)
    ? parties.map((p) => p?.name).filter((n) => typeof n === "string")
    : [];
  return names.length > 0 ? `${peerName} invites you to join ${namesText(names)}` : `${peerName} is calling`;
}

/** Shows (or keeps) the notification of a call ringing at this user. */
export async function showIncomingCall({ callId, peerName, media, parties }) {
  const { [RINGING_KEY]: ringing = {} } = await chrome.storage.session.get(RINGING_KEY);
  const title = incomingTitle({ peerName, parties });
  ringing[callId] = { peerName, media, title };
  await chrome.storage.session.set({ [RINGING_KEY]: ringing });
  await chrome.notifications.create(PREFIX + callId, {
    type: "basic",
    iconUrl: chrome.runtime.getURL("icons/vclick-128.png"),
    title,
    message: media === "audio" ? "Audio call" : "Video call",
    contextMessage: "Vclick",
    buttons: [{ title: "Answer" }, { title: "Decline" }],
    requireInteraction: true,
    priority: 2,
  });
}

/** Removes the notification of a call that stopped ringing (answered, cancelled, ended). */
export async function clearCall(callId) {
  const { [RINGING_KEY]: ringing = {} } = await chrome.storage.session.get(RINGING_KEY);
  if (callId in ringing) {
    delete ringing[callId];
    await chrome.storage.session.set({ [RINGING_KEY]: ringing });
  }
  await chrome.notifications.clear(PREFIX + callId);
}

/** Keeps exactly the notifications of these ringing calls (after a (re)connect). */
export async function keepOnly(callIds) {
  const { [RINGING_KEY]: ringing = {} } = await chrome.storage.session.get(RINGING_KEY);
  await Promise.all(
    Object.keys(ringing)
      .filter((id) => !callIds.includes(id))
      .map(clearCall),
  );
}

/** Notification button index → action. */
export const buttonAction = (index) => ACTIONS[index] ?? null;

/**
 * What a click on a call notification does, whatever the source (button, body, test).
 *
 * @param {string} notificationId `call:<callId>`
 * @param {'answer'|'decline'|'show'} action answer: open the call page answering it; decline:
 *   tell the caller; show (a click on the notification's body): open the call page to decide there
 * @param {{decline(callId:string):boolean}} signaling sends call.decline
 * @returns {Promise<{ok:boolean, error?:string}>}
 */
export async function handleNotificationAction(notificationId, action, signaling) {
  if (typeof notificationId !== "string" || !notificationId.startsWith(PREFIX)) {
    return { ok: false, error: "not-a-call" };
  }
  const callId = notificationId.slice(PREFIX.length);
  const base = await serverUrl();
  switch (action) {
    case "answer":
      // The click on Answer is the user's: the page answers without a second one (call-intents.js).
      await openCallPage(`${base}/call?id=${encodeURIComponent(callId)}&answer=1`, { answer: callId });
      break;
    case "show":
      await chrome.tabs.create({ url: `${base}/call?id=${encodeURIComponent(callId)}` });
      break;
    case "decline":
      if (!signaling.decline(callId)) return { ok: false, error: "offline" };
      break;
    default:
      return { ok: false, error: "unknown-action" };
  }
  await clearCall(callId);
  return { ok: true };
}
