// Presence of the people whose addresses pages show: email → {userId, name, presence}, which tabs
// asked about whom, and the pushes to those tabs when a presence changes. Kept in session storage
// (the worker may be stopped at any time); updates are serialized so concurrent look-ups and
// updates never lose each other's writes.
//
// A tab's frames each run their own content script (a portal and the directory it embeds, a
// component's srcdoc frame): their look-ups arriving within GATHER_MS of each other go to the
// server as one request (in batches of at most MAX_LOOKUP addresses), and an address the worker
// knows already (asked by any frame or tab before) is not asked again. Pushes go to the whole tab:
// every frame showing the person hears of a change.
import { MAX_LOOKUP, PUSH } from "../shared/messages.js";

const PEOPLE_KEY = "people"; // { [email]: { userId: string|null, name?: string, presence } }
const TABS_KEY = "interest"; // { [tabId]: string[] emails }
/** How long a tab's look-ups gather before one goes to the server. */
export const GATHER_MS = 40;

let queue = Promise.resolve();

/** Runs one read-modify-write of the people state at a time. */
function serialized(task) {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

async function read() {
  const stored = await chrome.storage.session.get([PEOPLE_KEY, TABS_KEY]);
  return { people: stored[PEOPLE_KEY] ?? {}, tabs: stored[TABS_KEY] ?? {} };
}

/** tabId → the look-ups of its frames waiting to go together: { emails, waiters, lookUp } */
const gathering = new Map();

/**
 * Answers a frame's look-up: known addresses from the cache, the others asked from the server,
 * together with the look-ups of the tab's other frames that arrive within `gatherMs`.
 *
 * @param {number} tabId
 * @param {string[]} emails lower-cased enterprise addresses
 * @param {(emails:string[]) => Promise<{email,userId,displayName,presence}[]>} lookUp the server
 *   (≤ MAX_LOOKUP addresses a call)
 * @param {object} [options]
 * @param {number} [options.gatherMs]
 * @param {(fn: Function, ms: number) => any} [options.setTimer]
 * @returns {Promise<{people: Object<string, {presence, name?}>, watch: string[]}>} the answer and
 *   the user ids to watch over the socket
 */
export function lookUpFor(tabId, emails, lookUp, { gatherMs = GATHER_MS, setTimer = setTimeout } = {}) {
  return new Promise((resolve, reject) => {
    let batch = gathering.get(tabId);
    if (!batch) {
      batch = { emails: new Set(), waiters: [], lookUp };
      gathering.set(tabId, batch);
      setTimer(() => {
        gathering.delete(tabId);
        answerBatch(tabId, batch);
      }, gatherMs);
    }
    for (const e of emails) batch.emails.add(e);
    batch.waiters.push({ emails, resolve, reject });
  });
}

/** Looks the gathered addresses up once and gives each frame its part of the answer. */
async function answerBatch(tabId, { emails, waiters, lookUp }) {
  let found;
  try {
    found = await lookUpNow(tabId, [...emails], lookUp);
  } catch (e) {
    for (const waiter of waiters) waiter.reject(e);
    return;
  }
  for (const waiter of waiters) {
    const people = {};
    const watch = new Set();
    for (const e of waiter.emails) {
      people[e] = found.people[e];
      if (found.userIds[e]) watch.add(found.userIds[e]);
    }
    waiter.resolve({ people, watch: [...watch] });
  }
}

/** One look-up of `emails` for a tab: the cache, then the server for the rest. */
function lookUpNow(tabId, emails, lookUp) {
  return serialized(async () => {
    const { people, tabs } = await read();
    const unknown = emails.filter((e) => !(e in people));
    if (unknown.length > 0) {
      for (const e of unknown) people[e] = { userId: null, presence: "unknown" };
      for (let i = 0; i < unknown.length; i += MAX_LOOKUP) {
        for (const found of await lookUp(unknown.slice(i, i + MAX_LOOKUP))) {
          people[found.email] = { userId: found.userId, name: found.displayName, presence: found.presence };
        }
      }
    }
    tabs[tabId] = [...new Set([...(tabs[tabId] ?? []), ...emails])];
    await chrome.storage.session.set({ [PEOPLE_KEY]: people, [TABS_KEY]: tabs });
    const answer = {};
    const userIds = {};
    for (const e of emails) {
      answer[e] = { presence: people[e].presence, name: people[e].name };
      if (people[e].userId) userIds[e] = people[e].userId;
    }
    return { people: answer, userIds };
  });
}

/** Every user id pages asked about (to watch again on a new socket). */
export async function watchedUserIds() {
  const { people } = await read();
  return [
    ...new Set(
      Object.values(people)
        .map((p) => p.userId)
        .filter(Boolean),
    ),
  ];
}

/** Records a presence change and tells the tabs that show this person. */
export function presenceChanged(userId, presence) {
  return serialized(async () => {
    const { people, tabs } = await read();
    const emails = Object.keys(people).filter((e) => people[e].userId === userId);
    if (emails.length === 0) return;
    for (const e of emails) people[e].presence = presence;
    await chrome.storage.session.set({ [PEOPLE_KEY]: people });
    for (const [tabId, shown] of Object.entries(tabs)) {
      for (const email of emails.filter((e) => shown.includes(e))) {
        chrome.tabs.sendMessage(Number(tabId), { type: PUSH.PRESENCE_CHANGED, email, presence }).catch(() =>
          // Closed or navigated away (a new page asks again). No tabs.onRemoved listener: it would
          // wake the worker for every tab closed in the browser.
          tabClosed(Number(tabId)),
        );
      }
    }
  });
}

/** Marks everyone unknown (signed out, or the server changed) and forgets the cache. */
export function forgetAll() {
  return serialized(() => chrome.storage.session.remove([PEOPLE_KEY, TABS_KEY]));
}

function tabClosed(tabId) {
  return serialized(async () => {
    const { tabs } = await read();
    if (tabId in tabs) {
      delete tabs[tabId];
      await chrome.storage.session.set({ [TABS_KEY]: tabs });
    }
  });
}

/** The tabs that asked about anyone (to tell them when the configuration changes). */
export async function interestedTabs() {
  const { tabs } = await read();
  return Object.keys(tabs).map(Number);
}
