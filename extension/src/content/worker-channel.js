// The content script's line to the service worker: one CONTENT message, one reply. The worker may
// be starting or restarting (a message wakes it; the first one can fail), or gone for good when
// the extension was updated or reloaded ("Extension context invalidated": this script is an
// orphan and must stop talking). No DOM.

/** The extension was reloaded or removed: this content script can never reach it again. */
export class ContextInvalidated extends Error {
  constructor(cause) {
    super("Vclick was updated or restarted", { cause });
    this.name = "ContextInvalidated";
  }
}

/** The worker did not answer after the retries. */
export class WorkerUnavailable extends Error {
  constructor(type, cause) {
    super(`the Vclick service worker did not answer ${type}`, { cause });
    this.name = "WorkerUnavailable";
  }
}

const INVALIDATED = /extension context invalidated/i;

/**
 * @param {object} runtime chrome.runtime (or a fake in tests)
 * @param {object} [options]
 * @param {number[]} [options.retryDelaysMs] waits before the 2nd, 3rd... attempts
 * @param {number} [options.timeoutMs] one attempt's limit
 * @param {(ms: number) => Promise<void>} [options.sleep]
 */
export function createWorkerChannel(runtime, options = {}) {
  const { retryDelaysMs = [250, 1000, 3000], timeoutMs = 15_000 } = options;
  const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  let invalidated = false;

  function isAlive() {
    if (invalidated) return false;
    try {
      // runtime.id disappears from an orphaned content script.
      if (runtime?.id) return true;
    } catch (e) {
      console.debug("vclick: runtime.id unreadable, extension context gone", e);
    }
    invalidated = true;
    return false;
  }

  async function attempt(message) {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([runtime.sendMessage(message), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Sends { type, ...payload }; resolves to the worker's reply ({ ok: true, ... } or { ok: false,
   * error, message }). Rejects with ContextInvalidated, or WorkerUnavailable after the retries.
   */
  async function send(type, payload = {}, { retries = retryDelaysMs.length } = {}) {
    const message = { type, ...payload };
    let lastError;
    for (let i = 0; i <= retries; i++) {
      if (i > 0) await sleep(retryDelaysMs[Math.min(i - 1, retryDelaysMs.length - 1)]);
      if (!isAlive()) throw new ContextInvalidated(lastError);
      try {
        const reply = await attempt(message);
        if (reply && typeof reply === "object" && typeof reply.ok === "boolean") return reply;
        lastError = new Error(`malformed reply to ${type}`);
      } catch (e) {
        if (INVALIDATED.test(String(e?.message ?? e))) {
          invalidated = true;
          throw new ContextInvalidated(e);
        }
        lastError = e;
      }
      console.debug(`vclick: ${type} attempt ${i + 1} failed:`, String(lastError?.message ?? lastError));
    }
    throw new WorkerUnavailable(type, lastError);
  }

  /** Calls `listener(message)` for every message from this extension; returns an unsubscribe. */
  function onPush(listener) {
    const wrapped = (message, sender) => {
      if (sender?.id !== runtime.id || !message || typeof message.type !== "string") return;
      try {
        listener(message);
      } catch (e) {
        console.debug("vclick: a push could not be handled", message.type, e);
      }
    };
    runtime.onMessage.addListener(wrapped);
    return () => {
      try {
        runtime.onMessage.removeListener(wrapped);
      } catch (e) {
        console.debug("vclick: could not remove the push listener", e);
      }
    };
  }

  return { send, onPush, isAlive };
}
