// The wrapper's requests to the server through the bridge (recorded calls: recording.js), each
// with a deadline: a bridge, worker or server that never answers fails the step with a 504-like
// refusal instead of leaving the page's promise waiting forever. The pending requests live in a
// captured Map (natives.js). An answer arrives in this realm as a structured clone: it is copied
// by own properties into a null-prototype record, so a page that wrote Object.prototype.then (or
// `sdp`, `recorded`...) can neither catch it as it resolves nor add members the server did not send.
import { natives, map, own, record } from "./natives.js";

export const REQUEST_TIMEOUT_MS = 20_000;

/** A server answer's own members, one level deep. */
function readValue(value) {
  const copy = record();
  if (!value || typeof value !== "object") return copy;
  const keys = natives.ownKeys(value);
  for (let i = 0; i < keys.length; i++) {
    if (typeof keys[i] === "string") copy[keys[i]] = own(value, keys[i]);
  }
  return copy;
}

/**
 * `send(message)` posts to the bridge. Returns { request(op, payload) → Promise, reply(message),
 * watch(id, onStop), forget(id), stopped(message) }: `reply` takes a `record.reply` message and
 * settles its request (unknown or late ids are ignored); `watch` names what to do when the server
 * stops the recorded call `id` (its recording failed under `block`, or the media server lost it),
 * `stopped` takes the bridge's `record.stopped` message and does it, once.
 */
export function createRequests(send, { timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
  const pending = map();
  const watched = map();
  let next = 1;
  const take = (id) => {
    const waiting = pending.get(id);
    pending.delete(id);
    return waiting;
  };
  return natives.freeze({
    request(op, payload) {
      return new natives.Promise((resolve, reject) => {
        const requestId = next++;
        const timer = natives.setTimeout(() => {
          take(requestId);
          reject(
            record({
              status: 504,
              message: `no answer from the recording service within ${timeoutMs / 1000} s`,
            }),
          );
        }, timeoutMs);
        pending.set(
          requestId,
          record({
            resolve: (value) => (natives.clearTimeout(timer), resolve(value)),
            reject: (error) => (natives.clearTimeout(timer), reject(error)),
          }),
        );
        send(record({ ...payload, type: "record", requestId, op }));
      });
    },
    watch(id, onStop) {
      watched.set(id, onStop);
    },
    forget(id) {
      watched.delete(id);
    },
    stopped(message) {
      const id = own(message, "recordedCallId");
      const onStop = watched.get(id);
      if (typeof onStop !== "function") return;
      watched.delete(id);
      const reason = own(message, "reason");
      onStop(typeof reason === "string" ? natives.String(reason) : "stopped");
    },
    reply(message) {
      const waiting = take(own(message, "requestId"));
      if (!waiting) return;
      if (own(message, "ok") === true) waiting.resolve(readValue(own(message, "value")));
      else {
        const status = own(message, "status");
        const why = own(message, "message");
        waiting.reject(
          record({
            status: typeof status === "number" ? status : 0,
            message: typeof why === "string" ? why : "failed",
          }),
        );
      }
    },
  });
}
