// The "Sign in" / "Sign out" buttons of the popup and the options page: one request at a time, a
// busy label while the worker works, the worker's sentence when it refuses.
import { askWorker } from "./ask-worker.js";
import { PAGE } from "./messages.js";

/**
 * @param {object} parts
 * @param {HTMLButtonElement} parts.signIn
 * @param {HTMLButtonElement} parts.signOut
 * @param {() => Promise<void>} parts.refresh shows the account state again
 * @param {(message: string) => void} parts.showError shows (or, with "", hides) an error
 * @returns {{ isBusy: () => boolean }} a page's periodic refresh waits while a request runs
 */
export function wireAccountButtons({ signIn, signOut, refresh, showError }) {
  let busy = false;
  async function run(button, type, busyText) {
    if (busy) return;
    busy = true;
    const label = button.textContent;
    button.disabled = true;
    button.textContent = busyText;
    showError("");
    // Sign-in waits for the user at the login page: allow them a few minutes.
    const reply = await askWorker(type, {}, { timeoutMs: type === PAGE.LOGIN ? 5 * 60_000 : 15_000 });
    busy = false;
    button.disabled = false;
    button.textContent = label;
    await refresh();
    if (!reply.ok) showError(reply.message);
  }
  signIn.addEventListener("click", () => run(signIn, PAGE.LOGIN, "Signing in…"));
  signOut.addEventListener("click", () => run(signOut, PAGE.LOGOUT, "Signing out…"));
  return { isBusy: () => busy };
}
