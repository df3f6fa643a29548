// Recorded calls (decision `record`): the wrapper's requests to the server's recorded-call API
// (web/EDGE-API.md "Recorded calls"), checked here because the page controls the MAIN world: an op
// of a known kind, a call id shaped like one, SDP and candidates within limits. The server checks
// the rest (the decision is the user's own `record` one; the call is the user's).
import { accessToken } from "./auth.js";
import { callApi } from "./server.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_SDP = 32_768;
const LEGS = ["enterprise", "far-end"];

const bad = (message) => ({ ok: false, status: 400, message });

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

/** Runs one wrapper request against the server. */
export async function recordedCallRequest(request) {
  const api = apiRequestOf(request);
  if (api.ok === false) return api;
  const token = await accessToken();
  if (!token) return { ok: false, status: 401, message: "Sign in to Vclick." };
  const answer = await callApi(api.method, api.path, api.body, token);
  if (!answer.ok)
    return { ok: false, status: answer.status, message: answer.detail ?? `HTTP ${answer.status}` };
  return { ok: true, value: answer.json ?? {} };
}
