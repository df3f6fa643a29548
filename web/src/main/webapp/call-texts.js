// What the call screens say: one human sentence per way a call ends and per signaling error.

import { formatDuration } from "./call-view.js";

/** The human sentence for an ended call. */
export function endMessage(reason, { name, role, byMe, duration, conference = false }) {
  const after = duration === null ? "" : ` after ${formatDuration(duration)}`;
  switch (reason) {
    case "left":
      return `You left the call${after}.`;
    case "hangup":
      if (conference) {
        return byMe ? `You left the call${after}.` : `Everyone else left the call${after}.`;
      }
      return byMe ? `You ended the call with ${name}${after}.` : `${name} ended the call${after}.`;
    case "media-unavailable":
      return "The call could not go on: the media server is unavailable.";
    case "recording-unavailable":
      return "You could not join: this call must be recorded and recording is unavailable.";
    case "busy":
      return `${name} is in another call.`;
    case "offline":
      return `${name} is not available right now; they will see a missed call.`;
    case "declined":
      return byMe ? `You declined the call from ${name}.` : `${name} declined the call.`;
    case "cancelled":
      return role === "caller" ? `You cancelled the call to ${name}.` : `You missed a call from ${name}.`;
    case "no-answer":
      return role === "caller"
        ? `${name} did not answer; they will see a missed call.`
        : `You missed a call from ${name}.`;
    case "connection-lost":
      return `The connection to ${name} was lost${after}.`;
    case "server-restart":
      return `The call with ${name} was interrupted by a server restart.`;
    default:
      return `The call with ${name} ended.`;
  }
}

/** Why someone invited into a call will not join (`call.add.ended`). */
export function addEndedText(reason, name) {
  switch (reason) {
    case "declined":
      return `${name} declined to join the call.`;
    case "busy":
      return `${name} is in another call.`;
    case "offline":
      return `${name} is not available right now.`;
    case "no-answer":
      return `${name} did not answer.`;
    case "cancelled":
      return `The invitation to ${name} was cancelled.`;
    case "media-unavailable":
      return `${name} cannot join: the media server is unavailable. Your call goes on.`;
    case "recording-unavailable":
      return `${name} cannot join: the call would have to be recorded and recording is unavailable. Your call goes on.`;
    default:
      return `${name} will not join the call.`;
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
    case "call-full":
      return detail || "The call has as many people as it may have.";
    case "wrong-state":
      return detail || "Nobody can be added to this call right now.";
    case "rate-limited":
      return "Too many requests at once; please wait a moment.";
    default:
      return detail || `The server refused a request (${code}).`;
  }
}
