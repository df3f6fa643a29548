// What the call screens say: one human sentence per way a call ends and per signaling error.

import { formatDuration } from "./call-view.js";

/** The human sentence for an ended call. */
export function endMessage(reason, { name, role, byMe, duration }) {
  const after = duration === null ? "" : ` after ${formatDuration(duration)}`;
  switch (reason) {
    case "hangup":
      return byMe ? `You ended the call with ${name}${after}.` : `${name} ended the call${after}.`;
    case "busy":
      return `${name} is in another call.`;
    case "offline":
      return `${name} is not available right now; they will see a missed call.`;
    case "declined":
      return byMe ? `You declined the call from ${name}.` : `${name} declined the call.`;
    case "cancelled":
      return role === "caller" ? `You cancelled the call to ${name}.` : `You missed a call from ${name}.`;
    case "no-answer":
      return role === "caller" ? `${name} did not answer; they will see a missed call.` : `You missed a call from ${name}.`;
    case "connection-lost":
      return `The connection to ${name} was lost${after}.`;
    case "server-restart":
      return `The call with ${name} was interrupted by a server restart.`;
    default:
      return `The call with ${name} ended.`;
  }
}

/** The human sentence for a signaling `error`. */
export function errorText({ code, detail }, to) {
  switch (code) {
    case "unknown-user":
      return to ? `Nobody called “${to}” is in the directory.` : "That person is not in the directory.";
    case "in-call":
      return "You are already in a call (perhaps in another window).";
    case "invalid":
      return detail || "That call cannot be made.";
    case "forbidden":
      return "Your account may not make calls.";
    case "rate-limited":
      return "Too many requests at once; please wait a moment.";
    default:
      return detail || `The server refused a request (${code}).`;
  }
}
