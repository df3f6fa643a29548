// The browser's own right-click menu: "Video call … with Vclick" / "Audio call …" on a selected
// email address or phone number (also where no icon is shown: form fields, code, other
// extensions' pages) and on mailto: links. Every click goes through handleContextMenu (headless
// Chromium cannot click a context menu: tests call it). While the user is in a call, "Add … to
// the call" invites the selected or linked colleague into it.
import { emailsFromMailto, findContacts, phoneFromTel } from "../content/detection.js";

export const MENU = Object.freeze({ VIDEO: "vclick-video", AUDIO: "vclick-audio", ADD: "vclick-add" });

/** (Re)creates the menu entries; call on install and at browser start. */
export async function createContextMenu() {
  await chrome.contextMenus.removeAll();
  const common = { contexts: ["selection", "link"], targetUrlPatterns: ["mailto:*", "tel:*"] };
  chrome.contextMenus.create({ id: MENU.VIDEO, title: "Video call “%s” with Vclick", ...common });
  chrome.contextMenus.create({ id: MENU.AUDIO, title: "Audio call “%s” with Vclick", ...common });
  chrome.contextMenus.create({ id: MENU.ADD, title: "Add “%s” to the call", visible: false, ...common });
}

/** Shows "Add … to the call" only while the user is in a call. */
export async function showAddToCall(visible) {
  try {
    await chrome.contextMenus.update(MENU.ADD, { visible });
  } catch (e) {
    console.debug("Vclick: the context menu is not made yet", e);
  }
}

/**
 * What a menu click calls: the first email address (or else phone number) of the selection or
 * link.
 *
 * @param {{menuItemId: string, selectionText?: string, linkUrl?: string}} info
 * @param {{phoneRegion: string, startCall(to: string, media: string): Promise<object>,
 *   addToCall(to: string): Promise<object>, callNumber(e164: string): Promise<object>,
 *   tell(message: string): Promise<void>}} actions
 * @returns {Promise<{ok: boolean, error?: string}>}
 */
export async function handleContextMenu(info, actions) {
  const media = info.menuItemId === MENU.AUDIO ? "audio" : info.menuItemId === MENU.VIDEO ? "video" : null;
  const adding = info.menuItemId === MENU.ADD;
  if (!media && !adding) return { ok: false, error: "unknown-item" };
  const text = (info.selectionText ?? "").slice(0, 1000);
  const linkPhone = phoneFromTel(info.linkUrl ?? "", actions.phoneRegion);
  const contacts = [
    ...emailsFromMailto(info.linkUrl ?? "").map((value) => ({ kind: "email", value })),
    ...(linkPhone ? [{ kind: "phone", e164: linkPhone }] : []),
    ...findContacts(text, actions.phoneRegion),
  ];
  const email = contacts.find((c) => c.kind === "email");
  if (adding) {
    const reply = email ? await actions.addToCall(email.value) : null;
    if (reply?.ok) return reply;
    await actions.tell(reply?.message ?? "Vclick found no email address there to add to the call.");
    return reply ?? { ok: false, error: "nothing-to-add" };
  }
  if (email) return actions.startCall(email.value, media);
  const phone = contacts.find((c) => c.kind === "phone");
  const reply = phone ? await actions.callNumber(phone.e164 ?? phone.value) : null;
  if (reply?.ok) return reply;
  await actions.tell(reply?.message ?? "Vclick found no email address or phone number there to call.");
  return reply ?? { ok: false, error: "nothing-to-call" };
}
