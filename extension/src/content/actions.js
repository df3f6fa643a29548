// What an icon offers, from page.config: the menu items, the action of a plain click, the
// icon's accessible title. Pure.

export const PRESENCES = Object.freeze(["online", "busy", "offline", "unknown"]);

/** A presence the worker or a push reported, or 'unknown' for anything else. */
export function normalisePresence(presence) {
  return PRESENCES.includes(presence) ? presence : "unknown";
}

const EMAIL_ACTIONS = ["video", "audio", "email", "copy"];
const PHONE_ACTIONS = ["phone", "copy"];

/** Whether page.config allows `action` (an action the administrator did not mention is allowed). */
export function allows(config, action) {
  return config?.actions?.[action] !== false;
}

/** The kinds of icons worth showing: a kind with no enabled action gets no icon. */
export function kindsShown(config) {
  const kinds = new Set();
  if (EMAIL_ACTIONS.some((a) => allows(config, a))) kinds.add("email");
  if (PHONE_ACTIONS.some((a) => allows(config, a))) kinds.add("phone");
  return kinds;
}

/** The context menu of an icon: [{ action, label }] in display order ("Add to call" first while in a call). */
export function menuItems(kind, config) {
  if (kind === "email") {
    const labels = { video: "Video call", audio: "Audio call", email: "Email", copy: "Copy address" };
    const items = EMAIL_ACTIONS.filter((a) => allows(config, a)).map((action) => ({
      action,
      label: labels[action],
    }));
    const adding = config?.inCall === true && allows(config, "video") && allows(config, "add");
    return adding ? [{ action: "add", label: "Add to call" }, ...items] : items;
  }
  const gateway = typeof config?.gateway?.name === "string" && config.gateway.name.trim();
  const labels = { phone: `Call via ${gateway || "telephony gateway"}`, copy: "Copy number" };
  return PHONE_ACTIONS.filter((a) => allows(config, a)).map((action) => ({ action, label: labels[action] }));
}

/**
 * What a plain click does: a call when one is allowed, else null (the click opens the menu). In a
 * call, the menu: another call cannot start, and adding someone is the user's explicit choice.
 */
export function defaultAction(kind, config) {
  if (config?.inCall === true) return null;
  const order = kind === "email" ? ["video", "audio"] : ["phone"];
  return order.find((a) => allows(config, a)) ?? null;
}

const PRESENCE_WORDS = { online: "online", busy: "busy", offline: "offline", unknown: "presence unknown" };

/**
 * The icon's title and accessible name, e.g. "Call Alice Archer — online" or
 * "Call +44 20 7946 0001 via Acme Voice".
 *
 * @param {{kind: 'email'|'phone', value: string, text?: string}} contact
 * @param {{presence?: string, name?: string}} [person] what presence.lookup said
 * @param {object} [config] page.config
 */
export function iconTitle(contact, person = {}, config = {}) {
  if (contact.kind === "phone") {
    const gateway = typeof config.gateway?.name === "string" && config.gateway.name.trim();
    const number = (contact.text || contact.value).trim();
    return gateway ? `Call ${number} via ${gateway}` : `Call ${number}`;
  }
  const who = typeof person.name === "string" && person.name.trim() ? person.name.trim() : contact.value;
  return `Call ${who} — ${PRESENCE_WORDS[normalisePresence(person.presence)]}`;
}
