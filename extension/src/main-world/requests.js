// The wrapper's requests to the server through the bridge (recorded calls: recording.js), each
// with a deadline: a bridge, worker or server that never answers fails the step with a 504-like
// refusal instead of leaving the page's promise waiting forever. The pending requests live in a
// captured Map whose methods are called through captured functions (a page may replace
// Map.prototype.get and co. later).
import { natives } from "./natives.js";

export const REQUEST_TIMEOUT_MS = 20_000;

const { apply } = natives;
const mapGet = Map.prototype.get;
const mapSet = Map.prototype.set;
const mapDelete = Map.prototype.delete;

/**
 * `send(message)` posts to the bridge. Returns { request(op, payload) → Promise, reply(message) }:
 * `reply` takes a `record.reply` message and settles its request (unknown or late ids are ignored).
 */
export function createRequests(send, { timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
  const pending = new natives.Map();
  let next = 1;
  const take = (id) => {
    const waiting = apply(mapGet, pending, [id]);
    apply(mapDelete, pending, [id]);
    return waiting;
  };
  return {
    request(op, payload) {
      return new natives.Promise((resolve, reject) => {
        const requestId = next++;
        const timer = natives.setTimeout(() => {
          take(requestId);
          reject({
            status: 504,
            message: `no answer from the recording service within ${timeoutMs / 1000} s`,
          });
        }, timeoutMs);
        apply(mapSet, pending, [
          requestId,
          {
            resolve: (value) => (natives.clearTimeout(timer), resolve(value)),
            reject: (error) => (natives.clearTimeout(timer), reject(error)),
          },
        ]);
        send({ type: "record", requestId, op, ...payload });
      });
    },
    reply(message) {
      const waiting = take(message?.requestId);
      if (!waiting) return;
      if (message.ok) waiting.resolve(message.value ?? {});
      else waiting.reject({ status: message.status ?? 0, message: String(message.message ?? "failed") });
    },
  };
}
