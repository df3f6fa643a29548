// Recorded calls (decision `record`): the wrapper's requests to the server's recorded-call API
// (web/EDGE-API.md "Recorded calls"), checked here because the page controls the MAIN world: an op
// of a known kind, a call id shaped like one, SDP and candidates within limits. The server checks
// the rest (the decision is the user's own `record` one; the call is the user's).
// The worker also remembers which frame holds each recorded call (session storage: the worker may
// restart mid-call), so that a call the server stops (`recording.stopped` on the signaling socket)
// reaches that frame's wrapper, which fails the page's connection at once.
import { accessToken } from "./auth.js";
import { callApi } from "./server.js";
import { PUSH } from "../shared/messages.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_SDP = 32_768;
const LEGS = ["enterprise", "far-end"];

const bad = (message) => ({ ok: false, status: 400, message });
const holderKey = (id) => `edge:recorded:${id}`;

/** The API request for one wrapper request, or a refusal. */
export function apiRequestOf(request) {
  if (!request || typeof request !== "object") return bad("Bad request.");
  const base = "edge/recorded-calls";
  const id = request.id;
  const withCall = () => typeof id === "string" && UUID.test(id);
  const leg = () => LEGS.includes(request.from);
  const sdp = () =>
    typeof request.sdp === "string" && request.sdp.length <= MAX_SDP && request.sdp.startsWith("v=0");
  switch (request.op) {
    case "open":
      if (typeof request.decisionId !== "string" || !UUID.test(request.decisionId))
        return bad("Bad decision.");
      // The page's connection in the connection log: what the compliance view links the recorded
      // call to (the server counts it only for the same user's connection).
      if (typeof request.connectionId === "string" && UUID.test(request.connectionId))
        return {
          method: "POST",
          path: base,
          body: { decisionId: request.decisionId, connectionId: request.connectionId },
        };
      return { method: "POST", path: base, body: { decisionId: request.decisionId } };
    case "offer":
    case "answer":
      if (!withCall() || !leg() || !sdp()) return bad("Bad description.");
      return {
        method: "POST",
        path: `${base}/${id}/${request.op}`,
        body: { from: request.from, sdp: request.sdp },
      };
    case "candidates": {
      const list = request.candidates;
      const valid =
        Array.isArray(list) &&
        list.length > 0 &&
        list.length <= 50 &&
        list.every(
          (c) =>
            c &&
            typeof c.candidate === "string" &&
            c.candidate.length <= 1024 &&
            (c.sdpMid === null || (typeof c.sdpMid === "string" && c.sdpMid.length <= 32)) &&
            (c.sdpMLineIndex === null || Number.isInteger(c.sdpMLineIndex)),
        );
      if (!withCall() || !leg() || !valid) return bad("Bad candidates.");
      const candidates = list.map((c) => ({
        candidate: c.candidate,
        sdpMid: c.sdpMid,
        sdpMLineIndex: c.sdpMLineIndex,
      }));
      return { method: "POST", path: `${base}/${id}/candidates`, body: { from: request.from, candidates } };
    }
    case "hangup":
      if (!withCall()) return bad("Bad call.");
      return { method: "DELETE", path: `${base}/${id}` };
    default:
      return bad("Unknown recording request.");
  }
}

/** Runs one wrapper request of `sender`'s frame against the server. */
export async function recordedCallRequest(request, sender = null) {
  const api = apiRequestOf(request);
  if (api.ok === false) return api;
  const token = await accessToken();
  if (!token) return { ok: false, status: 401, message: "Sign in to Vclick." };
  const answer = await callApi(api.method, api.path, api.body, token);
  if (!answer.ok)
    return { ok: false, status: answer.status, message: answer.detail ?? `HTTP ${answer.status}` };
  const value = answer.json ?? {};
  await rememberHolder(request, value, sender);
  return { ok: true, value };
}

/** Which frame holds a recorded call: kept from its opening to its hang-up. */
async function rememberHolder(request, value, sender) {
  if (request.op === "hangup") {
    await chrome.storage.session.remove(holderKey(request.id));
    return;
  }
  const id = value.recordedCallId;
  if (request.op !== "open" || value.recorded !== true || typeof id !== "string" || !UUID.test(id)) return;
  if (!Number.isInteger(sender?.tab?.id)) return;
  await chrome.storage.session.set({
    [holderKey(id)]: {
      tabId: sender.tab.id,
      frameId: sender.frameId ?? 0,
      documentId: sender.documentId ?? null,
    },
  });
}

/**
 * The server stopped a recorded call (`recording.stopped {recordedCallId, reason}`): tells the
 * frame that holds it (its wrapper fails the page's connection). Returns whether a frame was told.
 */
export async function recordingStopped(message) {
  const id = message?.recordedCallId;
  if (typeof id !== "string" || !UUID.test(id)) return false;
  const key = holderKey(id);
  const { [key]: holder } = await chrome.storage.session.get(key);
  if (!holder) return false;
  await chrome.storage.session.remove(key);
  const reason = typeof message.reason === "string" ? message.reason.slice(0, 100) : "stopped";
  const target = holder.documentId ? { documentId: holder.documentId } : { frameId: holder.frameId };
  const reply = await chrome.tabs
    .sendMessage(holder.tabId, { type: PUSH.EDGE_RECORDING_STOPPED, recordedCallId: id, reason }, target)
    .catch(() => null);
  return reply?.ok === true;
}

/** Forgets the holders of recorded calls whose tab is gone (the keepalive alarm calls it). */
export async function forgetGoneHolders(openTabIds) {
  const all = await chrome.storage.session.get(null);
  const gone = Object.entries(all)
    .filter(([key, holder]) => key.startsWith("edge:recorded:") && !openTabIds.has(holder?.tabId))
    .map(([key]) => key);
  if (gone.length) await chrome.storage.session.remove(gone);
}
