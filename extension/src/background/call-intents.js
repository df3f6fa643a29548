// Call pages this extension opened on the user's click, and what for: answer one call (the
// notification's Answer) or call one person (a click-to-call icon). Any site can navigate a browser
// to a call link, so the call page acts on its link by itself only when this tab's intent is here:
// it asks once through its content script (router: CONTENT.CALL_INTENT); the answer is yes for that
// tab, that very link, within INTENT_TTL_MS, once. Everything else waits for a click on the page.

const KEY = "callIntents";
export const INTENT_TTL_MS = 60_000;

// Written before the page can ask (it loads, signs in, then asks); a page asking meanwhile waits
// for the write. Lost with the worker: then the page asks in vain and waits for the user's click.
let written = Promise.resolve();

/**
 * Opens the call page in a new tab and remembers why.
 *
 * @param {string} url the call link
 * @param {{answer:string}|{to:string, media:'video'|'audio'}} intent what the click asked for
 * @param {number} [index] where the tab goes
 */
export async function openCallPage(url, intent, index) {
  const open = (async () => {
    const tab = await chrome.tabs.create({ url, ...(Number.isInteger(index) ? { index } : {}) });
    if (Number.isInteger(tab?.id)) await remember(tab.id, intent);
  })();
  written = open.catch(() => {});
  await open;
}

/**
 * Whether this tab was opened for exactly this link; a yes is used up.
 *
 * @param {number} tabId the asking tab (from the message's sender, not from the page)
 * @param {unknown} link what the page's link says
 */
export async function takeIntent(tabId, link, now = Date.now()) {
  await written;
  const { [KEY]: intents = {} } = await chrome.storage.session.get(KEY);
  const intent = intents[tabId];
  const live = Object.fromEntries(Object.entries(intents).filter(([, i]) => i.expires > now));
  delete live[tabId];
  await chrome.storage.session.set({ [KEY]: live });
  return Boolean(intent && intent.expires > now && sameLink(intent.link, link));
}

async function remember(tabId, link) {
  const { [KEY]: intents = {} } = await chrome.storage.session.get(KEY);
  intents[tabId] = { link, expires: Date.now() + INTENT_TTL_MS };
  await chrome.storage.session.set({ [KEY]: intents });
}

function sameLink(a, b) {
  if (!b || typeof b !== "object") return false;
  if ("answer" in a) return b.answer === a.answer && !("to" in b);
  return (
    typeof b.to === "string" &&
    b.to.toLowerCase() === a.to &&
    (b.media ?? "video") === a.media &&
    !("answer" in b)
  );
}
