// The options page: the user's settings (saved straight to storage.local through settings.js; the
// worker follows storage.onChanged), the administrator's shown locked, and the account block.
import { askWorker, watchStatus } from "../shared/ask-worker.js";
import { byId, el } from "../shared/dom.js";
import { PAGE } from "../shared/messages.js";
import { wireAccountButtons } from "../shared/account-buttons.js";
import { ACTION_KEYS, STORAGE_KEY, SettingsError, loadSettings, saveSettings } from "../shared/settings.js";
import { ACTION_FIELD_IDS, FIELD_IDS, formatDomains, gatewayOptions, settingsFromForm } from "./form.js";
import { regionOptions } from "./regions.js";

const LABELS = {
  serverUrl: "Vclick server",
  telephonyGateway: "telephony gateway",
  actions: "click-to-call actions",
  emailDomains: "enterprise email domains",
  phoneRegion: "default phone region",
  disabledSites: "sites where click-to-call is off",
};

const form = byId("settings");
const status = byId("status");
const saveButton = byId("save");
const serverUrl = byId("server-url");
const gateway = byId("gateway");
const emailDomains = byId("email-domains");
const phoneRegion = byId("phone-region");
const sitesList = byId("disabled-sites");

const state = {
  values: null,
  locked: [],
  /** The sites the form shows (removals wait for Save). */
  sites: [],
  /** What the gateway select shows: kept across reloads of the gateway list. */
  gatewayChoice: "",
  /** null: not loaded (or failed); else the server's list. */
  gateways: null,
  dirty: false,
  saving: false,
};

// ---- Settings ------------------------------------------------------------------------------------

function render({ values, locked, ignored }) {
  state.values = values;
  state.locked = locked;
  state.sites = [...values.disabledSites];
  state.gatewayChoice = values.telephonyGateway;
  state.dirty = false;

  serverUrl.value = values.serverUrl;
  renderGateways();
  for (const action of ACTION_KEYS) byId(ACTION_FIELD_IDS[action]).checked = values.actions[action];
  emailDomains.value = formatDomains(values.emailDomains);
  phoneRegion.replaceChildren(
    ...regionOptions(navigator.language, values.phoneRegion).map((o) =>
      el("option", { value: o.value }, o.label),
    ),
  );
  phoneRegion.value = values.phoneRegion;
  renderSites();
  renderLocks(ignored ?? {});
}

function setLocked(field, isLocked) {
  field.disabled = isLocked;
  if (isLocked) field.dataset.locked = "true";
  else delete field.dataset.locked;
}

function renderLocks(ignored) {
  const { locked } = state;
  for (const key of ["serverUrl", "telephonyGateway", "emailDomains", "phoneRegion"]) {
    setLocked(byId(FIELD_IDS[key]), locked.includes(key));
  }
  for (const action of ACTION_KEYS)
    setLocked(byId(ACTION_FIELD_IDS[action]), locked.includes(`actions.${action}`));
  const actionsBox = byId(FIELD_IDS.actions);
  if (locked.includes("actions")) actionsBox.dataset.locked = "true";
  else delete actionsBox.dataset.locked;
  if (locked.includes("disabledSites")) sitesList.dataset.locked = "true";
  else delete sitesList.dataset.locked;
  for (const badge of document.querySelectorAll("[data-lock-for]")) {
    badge.hidden = !locked.includes(badge.dataset.lockFor);
  }

  // One badge per action unless the administrator set them all (then one on the group).
  if (locked.includes("actions")) {
    for (const badge of document.querySelectorAll('[data-lock-for^="actions."]')) badge.hidden = true;
  }

  const note = byId("managed-note");
  const problems = Object.keys(ignored)
    .filter((k) => k.startsWith("managed."))
    .map((k) => LABELS[k.slice("managed.".length)] ?? k.slice("managed.".length));
  note.hidden = locked.length === 0 && problems.length === 0;
  note.querySelector(".problems")?.remove();
  if (problems.length) {
    note.append(
      el(
        "span",
        { class: "problems" },
        ` Your administrator's value for the ${problems.join(", ")} is not valid and is ignored.`,
      ),
    );
  }
}

function renderGateways() {
  const options = gatewayOptions(state.gateways, state.gatewayChoice);
  gateway.replaceChildren(...options.map((o) => el("option", { value: o.value }, o.label)));
  gateway.value = state.gatewayChoice;
}

function renderSites() {
  const isLocked = state.locked.includes("disabledSites");
  sitesList.replaceChildren(
    ...state.sites.map((site) =>
      el(
        "li",
        { "data-site": site },
        el("span", { class: "site" }, site),
        isLocked
          ? null
          : el(
              "button",
              { type: "button", class: "remove", "aria-label": `Turn click-to-call back on for ${site}` },
              "Remove",
            ),
      ),
    ),
  );
  sitesList.hidden = state.sites.length === 0;
  byId("disabled-sites-empty").hidden = state.sites.length > 0;
}

sitesList.addEventListener("click", (event) => {
  const button = event.target.closest("button.remove");
  if (!button) return;
  const item = button.closest("li");
  const index = state.sites.indexOf(item.dataset.site);
  if (index < 0) return;
  state.sites.splice(index, 1);
  renderSites();
  // Keep the keyboard where it was: the next Remove button, else the previous, else Save.
  const buttons = sitesList.querySelectorAll("button.remove");
  (buttons[Math.min(index, buttons.length - 1)] ?? saveButton).focus();
  markDirty();
});

function readForm() {
  return {
    serverUrl: serverUrl.value,
    telephonyGateway: gateway.value,
    actions: Object.fromEntries(ACTION_KEYS.map((a) => [a, byId(ACTION_FIELD_IDS[a]).checked])),
    emailDomainsText: emailDomains.value,
    phoneRegion: phoneRegion.value,
    disabledSites: state.sites,
  };
}

function clearErrors() {
  for (const id of Object.values(FIELD_IDS)) {
    const message = byId(`${id}-error`);
    message.hidden = true;
    message.textContent = "";
    byId(id).removeAttribute("aria-invalid");
  }
}

/** Shows each error under its field and focuses the first; returns the errors no field shows. */
function showErrors(errors) {
  const rest = [];
  let first = null;
  for (const [key, sentence] of Object.entries(errors)) {
    const id = FIELD_IDS[key];
    if (!id) {
      rest.push(sentence);
      continue;
    }
    const message = byId(`${id}-error`);
    message.textContent = sentence;
    message.hidden = false;
    const field = byId(id);
    field.setAttribute("aria-invalid", "true");
    first ??= key === "actions" ? field.querySelector("input:not(:disabled)") : field;
  }
  first?.focus();
  return rest;
}

function setStatus(text, kind = "") {
  status.textContent = text;
  status.className = kind;
}

function markDirty() {
  if (state.saving) return;
  state.dirty = true;
  setStatus("Unsaved changes.", "pending");
}

form.addEventListener("input", markDirty);
form.addEventListener("change", (event) => {
  if (event.target === gateway) state.gatewayChoice = gateway.value;
  markDirty();
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (state.saving) return;
  state.saving = true;
  saveButton.disabled = true;
  clearErrors();
  setStatus("Saving…");
  const previousServer = state.values.serverUrl;
  try {
    const saved = await saveSettings(settingsFromForm(readForm(), state.locked));
    render(saved);
    setStatus("Saved", "ok");
    if (saved.values.serverUrl !== previousServer) {
      loadGateways();
      refreshAccount();
    }
  } catch (e) {
    if (e instanceof SettingsError) {
      const rest = showErrors(e.errors);
      setStatus(["Not saved: correct the fields marked above.", ...rest].join(" "), "error");
    } else {
      console.error("Vclick: saving the settings failed", e);
      setStatus(`Not saved: ${e.message}`, "error");
    }
  } finally {
    state.saving = false;
    saveButton.disabled = false;
  }
});

async function loadGateways() {
  const note = byId("gateway-note");
  const reply = await askWorker(PAGE.GATEWAYS);
  if (reply.ok && Array.isArray(reply.gateways)) {
    state.gateways = reply.gateways;
    note.hidden = true;
    note.textContent = "";
  } else {
    state.gateways = null;
    note.textContent = `The server's gateways could not be listed: ${reply.ok ? "the answer had no list." : reply.message}`;
    note.hidden = false;
  }
  renderGateways();
}

// Another page (the popup, another options tab) or a new policy changed the settings.
chrome.storage.onChanged.addListener(async (changes, area) => {
  if (state.saving || !((area === "local" && STORAGE_KEY in changes) || area === "managed")) return;
  const settings = await loadSettings();
  if (!state.dirty) {
    render(settings);
  } else {
    // Keep the user's edits; only what the administrator now decides must change at once.
    state.locked = settings.locked;
    renderLocks(settings.ignored);
    setStatus(
      "Unsaved changes. The settings were also changed elsewhere: saving keeps what you see.",
      "pending",
    );
  }
});

// ---- Account -------------------------------------------------------------------------------------

const signIn = byId("sign-in");
const signOut = byId("sign-out");
const who = byId("signed-in-as");
const accountError = byId("account-error");

function showAccountError(message) {
  accountError.textContent = message ?? "";
  accountError.hidden = !message;
}

async function refreshAccount() {
  const reply = await askWorker(PAGE.STATUS, {}, { timeoutMs: 5000 });
  if (accountButtons.isBusy()) return;
  if (!reply.ok) {
    who.textContent = "Sign-in status unknown.";
    showAccountError(reply.message);
    signIn.hidden = false;
    signOut.hidden = true;
    return;
  }
  showAccountError("");
  const user = reply.user ?? {};
  if (reply.signedIn) {
    const name = user.displayName || user.username || "unknown user";
    who.replaceChildren(
      "Signed in as ",
      el("strong", {}, name),
      user.username && user.username !== name ? el("span", { class: "muted" }, ` (${user.username})`) : null,
    );
  } else {
    who.textContent = "Not signed in.";
  }
  signIn.hidden = Boolean(reply.signedIn);
  signOut.hidden = !reply.signedIn;
}

const accountButtons = wireAccountButtons({
  signIn,
  signOut,
  refresh: refreshAccount,
  showError: showAccountError,
});

// ---- Start ---------------------------------------------------------------------------------------

// Save stays disabled (in the HTML) until the form shows the stored settings: saving earlier
// would write a form that was never filled.
try {
  render(await loadSettings());
  form.setAttribute("aria-busy", "false");
  saveButton.disabled = false;
} catch (e) {
  console.error("Vclick: loading the settings failed", e);
  setStatus(`The settings could not be loaded: ${e.message}`, "error");
  saveButton.disabled = true;
}
loadGateways();
watchStatus(refreshAccount, 5000);
