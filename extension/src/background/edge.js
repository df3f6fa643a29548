// Secure Edge in the worker: decisions for the pages' wrappers (asked from the server per origin,
// briefly cached), the connections each tab's wrappers report (kept per tab in session storage
// for the popup), and their lifecycle forwarded to the server's connection log, whose answer
// names the enterprise user at the other end when both ends run Vclick. Every event for the log
// waits in the outbox (edge-outbox.js) until the server has it; open connections are sampled for
// the server now and then (the server ends as `lost` what it stops hearing of), and the open
// connections of a tab that is gone are reported closed.
import { accessToken } from "./auth.js";
import { callApi, postApi, serverUrl } from "./server.js";
import { FRAME_PORT, PUSH } from "../shared/messages.js";
import { checkPcReport } from "../shared/edge-reports.js";
import { createOutbox } from "./edge-outbox.js";
import { forgetGoneHolders } from "./recorded-calls.js";

const DECISION_CACHE_MS = 5_000;
const MAX_CONNECTIONS_PER_TAB = 50;
const PEER_RETRY_MS = 4_000;
const SERVER_EVENTS = ["created", "connected", "closed"];
/** How often to sample open connections for the server until it says (answer sampleEverySeconds). */
const DEFAULT_SAMPLE_MS = 60_000;
/** After a frame's port disconnects, how long its own `closed` reports (pagehide) may still come. */
export const FRAME_GONE_GRACE_MS = 1_000;
const SAMPLE_EVERY_KEY = "edge:sampleEveryMs";
const tabKey = (tabId) => `edge:tab:${tabId}`;

const decisions = new Map(); // origin → { at, promise }
const lastDecisionOf = new Map(); // origin → { decisionId, decision, rule }
const tabQueues = new Map();

const outbox = createOutbox({
  storage: chrome.storage.session,
  send: async (events) => {
    const token = await accessToken().catch(() => null);
    if (!token) return { ok: false, status: 401, json: null, detail: "not signed in" };
    return callApi("POST", "edge/connections", { events }, token);
  },
  onAnswer: (answer) => {
    const every = Number(answer?.sampleEverySeconds);
    const changes = Number.isFinite(every) && every > 0 ? { [SAMPLE_EVERY_KEY]: every * 1000 } : null;
    return Promise.all([rememberPeers(answer?.peers ?? {}), changes && chrome.storage.session.set(changes)]);
  },
});

/**
 * The origin a frame's policy is decided for: the frame's own http(s) origin; for about:blank,
 * srcdoc and other local documents the origin they inherit (sender.origin), else the URL's, else
 * the tab's. null when none is http(s) (the server then denies).
 */
export function pageOriginOf(sender) {
  const httpOrigin = (text) => {
    try {
      const origin = new URL(text).origin;
      return /^https?:\/\//.test(origin) ? origin : null;
    } catch {
      return null;
    }
  };
  return httpOrigin(sender.origin) ?? httpOrigin(sender.url) ?? httpOrigin(sender.tab?.url) ?? null;
}

/** The decision for `sender`'s frame, as the wrapper takes it. */
export async function decisionFor(sender) {
  const origin = pageOriginOf(sender) ?? "null";
  const server = await serverUrl();
  if (origin === new URL(server).origin) {
    // Vclick's own pages already follow the policy (they ask for relay credentials themselves).
    return {
      ok: true,
      decision: { decision: "allow", decisionId: null, settings: { candidateFilter: "mode-1" } },
    };
  }
  const token = await accessToken();
  if (!token) {
    return { ok: false, error: "unauthenticated", message: "Sign in to Vclick to use calls on this site." };
  }
  const cached = decisions.get(origin);
  if (cached && Date.now() - cached.at < DECISION_CACHE_MS) return cached.promise;
  const promise = fetchDecision(origin, token);
  decisions.set(origin, { at: Date.now(), promise });
  promise.then((reply) => reply.ok || decisions.delete(origin));
  return promise;
}

async function fetchDecision(origin, token) {
  try {
    const answer = await postApi("edge/decision", { origin }, token);
    lastDecisionOf.set(origin, {
      decisionId: answer.decisionId,
      decision: answer.decision,
      rule: answer.rule,
    });
    return {
      ok: true,
      decision: {
        decision: answer.decision,
        decisionId: answer.decisionId,
        settings: answer.settings,
        turn: answer.turn
          ? { username: answer.turn.username, credential: answer.turn.credential, uris: answer.turn.uris }
          : null,
      },
    };
  } catch (e) {
    return {
      ok: false,
      error: e.code ?? "unavailable",
      message: e.message ?? "The Vclick server cannot be reached.",
    };
  }
}

/** Forgets the cached decisions (the next page asks the server again; tests call it after a policy change). */
export function forgetDecisions() {
  decisions.clear();
}

/** One checked connection report of a frame in `sender.tab` (`pulled`: a sample the worker asked for). */
export function connectionReport(report, sender, { pulled = false } = {}) {
  const tabId = sender.tab.id;
  const previous = tabQueues.get(tabId) ?? Promise.resolve();
  const next = previous
    .then(() => record(report, sender, pulled))
    .catch((e) => console.warn("Vclick: edge report", e));
  tabQueues.set(tabId, next);
  return next;
}

async function record(report, sender, pulled) {
  const tabId = sender.tab.id;
  const origin = pageOriginOf(sender) ?? "null";
  const key = tabKey(tabId);
  const { [key]: stored } = await chrome.storage.session.get(key);
  // A pulled sample only updates a connection the tab's page already reported.
  if (pulled && !stored?.connections?.[report.connectionId]) return;
  const page = pulled ? stored : currentPage(stored, sender);
  const known = page.connections[report.connectionId];
  const decided = lastDecisionOf.get(origin) ?? null;
  const entry = known ?? {
    connectionId: report.connectionId,
    frameId: sender.frameId ?? 0,
    documentId: sender.documentId ?? null,
    origin,
    frameUrl: String(sender.url ?? "").slice(0, 200),
    decisionId: decided?.decisionId ?? null,
    decision: decided?.decision ?? null,
    rule: decided?.rule?.name ?? null,
    createdAt: report.at,
    peer: null,
  };
  if (!entry.decisionId && decided) {
    // Reported before the page's decision arrived (the wrapper fails closed meanwhile).
    Object.assign(entry, {
      decisionId: decided.decisionId,
      decision: decided.decision,
      rule: decided.rule?.name ?? null,
    });
  }
  Object.assign(entry, withoutMeta(report));
  if (report.event === "connected") entry.connectedAt = report.at;
  if (report.event === "closed") entry.closedAt = report.at;
  entry.lastEvent = report.event;
  page.connections[report.connectionId] = entry;
  trim(page.connections);
  // A connected one without a known other end asks again now and then: the other end may
  // report its side later (the server pairs them when both are in).
  const askPeer = report.event === "sample" && entry.connectedAt && !entry.peer && !entry.closedAt;
  const askNow = askPeer && Date.now() - (entry.peerAskedAt ?? 0) > PEER_RETRY_MS;
  if (askNow) entry.peerAskedAt = Date.now();
  // An open connection's figures go to the server now and then: they are what it ends with if lost.
  const { [SAMPLE_EVERY_KEY]: every = DEFAULT_SAMPLE_MS } =
    await chrome.storage.session.get(SAMPLE_EVERY_KEY);
  const sampleNow =
    report.event === "sample" && !entry.closedAt && Date.now() - (entry.serverSampleAt ?? 0) >= every;
  if (sampleNow) entry.serverSampleAt = Date.now();
  await chrome.storage.session.set({ [key]: page });
  if (SERVER_EVENTS.includes(report.event)) await queueForServer(entry, report, page.pageId);
  else if (askNow)
    await queueForServer(entry, { ...entry, event: "connected", at: entry.connectedAt }, page.pageId);
  if (sampleNow) await queueForServer(entry, report, page.pageId);
}

function withoutMeta(report) {
  const { event, at, connectionId, ...rest } = report;
  return rest;
}

/** The tab's page record; a new top-level document starts a new page (a new pageId). */
function currentPage(stored, sender) {
  const topDocument = sender.frameId === 0 ? sender.documentId : (stored?.documentId ?? sender.documentId);
  if (stored && (sender.frameId !== 0 || stored.documentId === topDocument)) return stored;
  return {
    pageId: crypto.randomUUID(),
    documentId: topDocument ?? null,
    origin: pageOriginOf({ url: sender.tab.url }) ?? pageOriginOf(sender),
    connections: {},
  };
}

function trim(connections) {
  const ids = Object.keys(connections);
  if (ids.length <= MAX_CONNECTIONS_PER_TAB) return;
  ids
    .sort((a, b) => connections[a].createdAt.localeCompare(connections[b].createdAt))
    .slice(0, ids.length - MAX_CONNECTIONS_PER_TAB)
    .forEach((id) => delete connections[id]);
}

function queueForServer(entry, report, pageId) {
  const event = {
    connectionId: entry.connectionId,
    pageId,
    decisionId: entry.decisionId,
    origin: entry.origin,
    event: report.event,
    at: report.at,
  };
  if (report.event === "connected") {
    Object.assign(event, {
      localFingerprint: report.localFingerprint ?? null,
      remoteFingerprint: report.remoteFingerprint ?? null,
      localCandidateType: report.localCandidateType ?? null,
      remoteCandidateType: report.remoteCandidateType ?? null,
      protocol: report.protocol ?? null,
    });
  }
  if (report.event === "closed" || report.event === "sample") {
    Object.assign(event, {
      bytesSent: report.bytesSent ?? 0,
      bytesReceived: report.bytesReceived ?? 0,
    });
  }
  if (report.event === "closed") event.endReason = report.endReason ?? "unknown";
  return outbox.add(event);
}

/**
 * A frame's port (FRAME_PORT, held by its bridge once the frame made a connection): when it
 * disconnects the frame is gone — unloaded, removed, or crashed and saying nothing — and its
 * connections still open a moment later end (`page-unloaded`, with the last figures sampled), at
 * once rather than when the server's silence limit ends them as lost.
 */
export function watchFrame(port) {
  const sender = port.sender;
  if (port.name !== FRAME_PORT || sender?.id !== chrome.runtime.id || !Number.isInteger(sender?.tab?.id)) {
    port.disconnect();
    return;
  }
  port.onDisconnect.addListener(() => setTimeout(() => frameGone(sender), FRAME_GONE_GRACE_MS));
}

/** Ends the connections of `sender`'s frame (its document) still open; returns how many. */
export function frameGone(sender) {
  const tabId = sender.tab.id;
  const previous = tabQueues.get(tabId) ?? Promise.resolve();
  const next = previous.then(async () => {
    const key = tabKey(tabId);
    const { [key]: page } = await chrome.storage.session.get(key);
    const frameId = sender.frameId ?? 0;
    const ofFrame = (c) =>
      !c.closedAt &&
      (c.frameId ?? 0) === frameId &&
      (!c.documentId || !sender.documentId || c.documentId === sender.documentId);
    const open = Object.values(page?.connections ?? {}).filter(ofFrame);
    if (open.length === 0) return 0;
    const at = new Date().toISOString();
    for (const entry of open)
      Object.assign(entry, { closedAt: at, lastEvent: "closed", endReason: "page-unloaded" });
    await chrome.storage.session.set({ [key]: page });
    for (const entry of open) {
      await queueForServer(
        entry,
        {
          event: "closed",
          at,
          bytesSent: entry.bytesSent,
          bytesReceived: entry.bytesReceived,
          endReason: "page-unloaded",
        },
        page.pageId,
      );
    }
    return open.length;
  });
  tabQueues.set(
    tabId,
    next.catch((e) => console.warn("Vclick: frame gone", e)),
  );
  return next;
}

/** Sends what waits in the outbox now (the keepalive alarm calls it: retries survive a worker restart). */
export function flushReports() {
  return outbox.flush();
}

/** Puts the server's identities of the other ends into the tabs' connection records. */
async function rememberPeers(peers) {
  const ids = Object.keys(peers);
  if (ids.length === 0) return;
  const all = await chrome.storage.session.get(null);
  const changed = {};
  for (const [key, page] of Object.entries(all)) {
    if (!key.startsWith("edge:tab:")) continue;
    for (const id of ids) {
      const entry = page.connections?.[id];
      if (!entry) continue;
      const p = peers[id];
      entry.peer = {
        username: p.username ?? null,
        displayName: p.displayName ?? null,
        email: p.email ?? null,
      };
      changed[key] = page;
    }
  }
  if (Object.keys(changed).length) await chrome.storage.session.set(changed);
}

/** Pulls fresh samples of the tab's open connections from their frames (the popup is open). */
async function pullSamples(tabId) {
  const key = tabKey(tabId);
  const { [key]: page } = await chrome.storage.session.get(key);
  if (!page) return;
  const frames = new Set(
    Object.values(page.connections)
      .filter((c) => !c.closedAt)
      .map((c) => c.frameId ?? 0),
  );
  await Promise.all(
    [...frames].map(async (frameId) => {
      const reply = await chrome.tabs
        .sendMessage(tabId, { type: PUSH.EDGE_SAMPLES }, { frameId })
        .catch(() => null);
      for (const sample of Array.isArray(reply?.samples) ? reply.samples : []) {
        const report = checkPcReport({ ...sample, type: "pc" });
        if (report?.event === "sample") {
          await connectionReport(report, { tab: { id: tabId }, frameId }, { pulled: true });
        }
      }
    }),
  );
}

/** The connections of a tab, newest first (the popup's monitor), with fresh samples. */
export async function connectionsOf(tabId) {
  await pullSamples(tabId);
  const key = tabKey(tabId);
  const { [key]: page } = await chrome.storage.session.get(key);
  if (!page) return { ok: true, page: null, connections: [] };
  const connections = Object.values(page.connections).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return { ok: true, page: { pageId: page.pageId, origin: page.origin }, connections };
}

/**
 * Samples the open connections of every tab for the server (the keepalive alarm calls it; the
 * samples go out when due), and forgets the records of tabs that are gone, first reporting their
 * connections still open as closed (`page-unloaded`, with the last figures sampled): a tab that
 * crashed or was killed never said so itself.
 */
export async function sampleAndForgetClosedTabs() {
  const all = await chrome.storage.session.get(null);
  const open = new Set((await chrome.tabs.query({})).map((t) => t.id));
  const gone = [];
  for (const [key, page] of Object.entries(all)) {
    if (!key.startsWith("edge:tab:")) continue;
    const tabId = Number(key.slice("edge:tab:".length));
    const stillOpen = Object.values(page.connections ?? {}).filter((c) => !c.closedAt);
    if (open.has(tabId)) {
      if (stillOpen.length) await pullSamples(tabId).catch((e) => console.warn("Vclick: sampling", e));
      continue;
    }
    gone.push(key);
    const at = new Date().toISOString();
    for (const entry of stillOpen) {
      await queueForServer(
        entry,
        {
          event: "closed",
          at,
          bytesSent: entry.bytesSent,
          bytesReceived: entry.bytesReceived,
          endReason: "page-unloaded",
        },
        page.pageId,
      );
    }
  }
  if (gone.length) await chrome.storage.session.remove(gone);
  await forgetGoneHolders(open);
}
