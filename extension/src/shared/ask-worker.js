// How the extension's pages (popup, options) talk to the service worker: one PAGE message, one reply
// that is always { ok: true, ... } or { ok: false, error, message }, even when the worker is not
// listening, answers nothing or takes too long.
import { PAGE } from "./messages.js";

const NO_ANSWER =
  "The Vclick background service is not answering. Try again in a moment, or reload the extension.";

/**
 * Sends a PAGE message ({ type, ...payload }) to the worker.
 *
 * @param {string} type one of PAGE
 * @param {object} [payload]
 * @param {{ timeoutMs?: number }} [options] 0 for no time limit (sign-in waits for the user)
 * @returns {Promise<{ ok: boolean, error?: string, message?: string }>}
 */
export async function askWorker(type, payload = {}, { timeoutMs = 10_000 } = {}) {
  if (!Object.values(PAGE).includes(type)) throw new Error(`not a page message: ${type}`);
  let timer;
  const timeout = new Promise((resolve) => {
    if (timeoutMs > 0)
      timer = setTimeout(() => resolve({ ok: false, error: "timeout", message: NO_ANSWER }), timeoutMs);
  });
  try {
    const reply = await Promise.race([chrome.runtime.sendMessage({ type, ...payload }), timeout]);
    if (reply && typeof reply === "object" && typeof reply.ok === "boolean") {
      if (!reply.ok && typeof reply.message !== "string") {
        return {
          ...reply,
          message: `The Vclick background service refused (${reply.error ?? "no reason given"}).`,
        };
      }
      return reply;
    }
    return { ok: false, error: "no-answer", message: NO_ANSWER };
  } catch (e) {
    // "Receiving end does not exist": the worker has no listener (yet).
    console.warn(`Vclick: ${type} failed`, e);
    return { ok: false, error: "no-answer", message: NO_ANSWER };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Calls `refresh` now, whenever the worker's session state changes, and every `intervalMs` while the
 * page is visible (a fallback for state the worker does not keep in storage.session, such as the
 * socket's connection). Returns a function that stops watching.
 */
export function watchStatus(refresh, intervalMs) {
  let pending = false;
  const run = async () => {
    if (pending) return;
    pending = true;
    try {
      await refresh();
    } finally {
      pending = false;
    }
  };
  const onChanged = (_changes, area) => {
    if (area === "session") run();
  };
  chrome.storage.onChanged.addListener(onChanged);
  const timer = setInterval(() => {
    if (document.visibilityState === "visible") run();
  }, intervalMs);
  run();
  return () => {
    chrome.storage.onChanged.removeListener(onChanged);
    clearInterval(timer);
  };
}
