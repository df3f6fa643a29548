// The toolbar icon shows the user's own state: online, busy, offline (no connection) or signed out.

const LOOK = {
  online: { text: " ", color: "#1e8e3e", title: "online" },
  busy: { text: " ", color: "#d93025", title: "busy (in a call)" },
  offline: { text: "off", color: "#80868b", title: "offline (connecting to the server…)" },
  "signed-out": { text: "!", color: "#f29900", title: "signed out" },
};

/**
 * @param {'online'|'busy'|'offline'|'signed-out'} state
 * @param {string} [who] the signed-in user's name
 */
export async function showOwnState(state, who) {
  const look = LOOK[state] ?? LOOK.offline;
  await Promise.all([
    chrome.action.setBadgeText({ text: look.text }),
    chrome.action.setBadgeBackgroundColor({ color: look.color }),
    chrome.action.setTitle({ title: who ? `Vclick — ${who}: ${look.title}` : `Vclick — ${look.title}` }),
  ]);
}
