// The Secure Edge admin page (/admin/edge, for edge-admin): shows the policy (GET api/edge/policy),
// edits it in the page (rules in order and the default) and saves it whole with the version it was read
// at (PUT api/edge/policy: 400 names the field, 409 means someone else saved first), and tries a decision
// for an origin (POST api/edge/decision, with the explanation edge-admin gets). The API is in
// web/EDGE-API.md; everything from the server is shown as text, never as HTML.

import { reasonOf, startSession } from "./session.js";
import { $, el, setStatus } from "./page-dom.js";

const DECISIONS = ["deny", "relay", "allow", "record"];
const CANDIDATE_FILTERS = ["relay-only", "mode-1", "mode-2", "mode-3", "mode-4"];
const DAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];
const FULL_DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];
const DEFAULT_FAKE_IP = "192.0.2.1";
const BLOCKS = [
  ["blockCamera", "settings-block-camera", "camera"],
  ["blockMicrophone", "settings-block-microphone", "microphone"],
  ["blockScreenCapture", "settings-block-screen", "screen capture"],
  ["blockDataChannels", "settings-block-data", "data channels"],
];

function fillSelect(select, values) {
  select.replaceChildren(...values.map((value) => el("option", { text: value, attrs: { value } })));
}

/** "a, b\nc" → ["a", "b", "c"]: commas or line breaks separate, blanks dropped. */
const parseList = (text) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

const defaultSettings = () => ({
  candidateFilter: "relay-only",
  fakeLocalIp: DEFAULT_FAKE_IP,
  allowedLocalRanges: [],
  blockCamera: false,
  blockMicrophone: false,
  blockScreenCapture: false,
  blockDataChannels: false,
});

const dayCode = (day) => {
  const upper = String(day).toUpperCase();
  const full = FULL_DAYS.indexOf(upper);
  return full >= 0 ? DAYS[full] : upper;
};

// --- summaries (the table) ------------------------------------------------------------------------

function whoText(rule) {
  const parts = [];
  if (rule.roles.length) {
    parts.push(`roles: ${rule.roles.join(", ")}`);
  }
  if (rule.groups.length) {
    parts.push(`groups: ${rule.groups.join(", ")}`);
  }
  return parts.join("; ") || "everyone";
}

function windowText(window) {
  return `${window.days.map(dayCode).join(" ")} ${window.from}–${window.to} ${window.zone}`;
}

const whenText = (rule) => rule.timeWindows.map(windowText).join("; ") || "any time";

function settingsText(settings) {
  const parts = [settings.candidateFilter];
  if (settings.fakeLocalIp !== DEFAULT_FAKE_IP) {
    parts.push(`fake IP ${settings.fakeLocalIp}`);
  }
  if (settings.allowedLocalRanges.length) {
    parts.push(`local ranges ${settings.allowedLocalRanges.join(", ")}`);
  }
  const blocked = BLOCKS.filter(([key]) => settings[key]).map(([, , label]) => label);
  if (blocked.length) {
    parts.push(`blocks ${blocked.join(", ")}`);
  }
  return parts.join(" · ");
}

// --- the page ---------------------------------------------------------------------------------------

class EdgeAdmin {
  #api;
  /** The policy as edited: {version, default: {decision, settings}, rules: [...]}. */
  #policy = null;
  /** The rule object the editor shows, "default" for the default's settings, or null. */
  #editing = null;
  #dirty = false;
  #saving = false;
  #newRules = 0;

  constructor(api) {
    this.#api = api;
    fillSelect($("edge-default-decision"), DECISIONS);
    fillSelect($("rule-decision"), DECISIONS);
    fillSelect($("settings-candidate-filter"), CANDIDATE_FILTERS);
    this.#wire();
  }

  /** Whether there are changes not saved yet. */
  get dirty() {
    return this.#dirty;
  }

  async load() {
    this.#hideError();
    try {
      this.#policy = await this.#api.get("edge/policy");
    } catch (error) {
      if (error.status === 403) {
        $("edge-policy").hidden = true;
        $("edge-forbidden").hidden = false;
        return;
      }
      this.#showError(`The policy could not be read: ${error.message}`);
      return;
    }
    this.#editing = null;
    this.#setDirty(false);
    $("edge-editor").hidden = true;
    this.#render();
    $("edge-policy").hidden = false;
    $("edge-try-section").hidden = false;
  }

  #wire() {
    $("edge-add-rule").addEventListener("click", () => this.#addRule());
    $("edge-save").addEventListener("click", () => this.#save());
    $("edge-reload").addEventListener("click", () => this.load());
    $("edge-error-reload").addEventListener("click", () => this.load());
    $("edge-default-decision").addEventListener("change", (event) => {
      this.#policy.default.decision = event.target.value;
      this.#changed();
    });
    $("edge-default-edit").addEventListener("click", () => this.#edit("default"));
    $("edge-editor-close").addEventListener("click", () => this.#edit(null));
    $("edge-editor").addEventListener("submit", (event) => event.preventDefault());
    $("edge-rules").addEventListener("click", (event) => this.#onRowAction(event));
    $("edge-rules").addEventListener("change", (event) => {
      const box = event.target.closest(".rule-enabled");
      if (box) {
        this.#ruleOfRow(box).enabled = box.checked;
        this.#changed();
      }
    });

    // The editor writes into the rule (or the default) as you type.
    const rule = (apply) => () => {
      if (this.#editing && this.#editing !== "default") {
        apply(this.#editing);
        this.#changed();
      }
    };
    $("rule-name").addEventListener(
      "input",
      rule((r) => (r.name = $("rule-name").value)),
    );
    $("rule-id").addEventListener(
      "input",
      rule((r) => (r.id = $("rule-id").value.trim())),
    );
    $("rule-enabled").addEventListener(
      "change",
      rule((r) => (r.enabled = $("rule-enabled").checked)),
    );
    $("rule-roles").addEventListener(
      "input",
      rule((r) => (r.roles = parseList($("rule-roles").value))),
    );
    $("rule-groups").addEventListener(
      "input",
      rule((r) => (r.groups = parseList($("rule-groups").value))),
    );
    $("rule-origins").addEventListener(
      "input",
      rule((r) => (r.origins = parseList($("rule-origins").value))),
    );
    $("rule-decision").addEventListener(
      "change",
      rule((r) => (r.decision = $("rule-decision").value)),
    );
    $("rule-add-window").addEventListener(
      "click",
      rule((r) => {
        r.timeWindows.push({ days: DAYS.slice(0, 5), from: "08:00", to: "18:00", zone: defaultZone() });
        this.#renderWindows(r);
      }),
    );

    const settings = (apply) => () => {
      const target = this.#editedSettings();
      if (target) {
        apply(target);
        this.#changed();
      }
    };
    $("settings-candidate-filter").addEventListener(
      "change",
      settings((s) => (s.candidateFilter = $("settings-candidate-filter").value)),
    );
    $("settings-fake-ip").addEventListener(
      "input",
      settings((s) => (s.fakeLocalIp = $("settings-fake-ip").value.trim())),
    );
    $("settings-ranges").addEventListener(
      "input",
      settings((s) => (s.allowedLocalRanges = parseList($("settings-ranges").value))),
    );
    for (const [key, id] of BLOCKS) {
      $(id).addEventListener(
        "change",
        settings((s) => (s[key] = $(id).checked)),
      );
    }

    $("edge-try-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.#tryDecision();
    });
  }

  #editedSettings() {
    if (this.#editing === "default") {
      return this.#policy.default.settings;
    }
    return this.#editing?.settings ?? null;
  }

  #ruleOfRow(node) {
    const row = node.closest("tr[data-index]");
    return this.#policy.rules[Number(row.dataset.index)];
  }

  #onRowAction(event) {
    const button = event.target.closest("button");
    if (!button) {
      return;
    }
    const rules = this.#policy.rules;
    const index = Number(button.closest("tr[data-index]").dataset.index);
    const rule = rules[index];
    if (button.classList.contains("rule-edit")) {
      this.#edit(rule);
      return;
    }
    if (button.classList.contains("rule-up") && index > 0) {
      rules.splice(index - 1, 0, ...rules.splice(index, 1));
    } else if (button.classList.contains("rule-down") && index < rules.length - 1) {
      rules.splice(index + 1, 0, ...rules.splice(index, 1));
    } else if (button.classList.contains("rule-delete")) {
      rules.splice(index, 1);
      if (this.#editing === rule) {
        this.#edit(null);
      }
    } else {
      return;
    }
    this.#changed();
  }

  #addRule() {
    const taken = new Set(this.#policy.rules.map((r) => r.id));
    let id;
    do {
      this.#newRules += 1;
      id = `rule-${this.#policy.rules.length + this.#newRules}`;
    } while (taken.has(id));
    const rule = {
      id,
      name: "New rule",
      enabled: true,
      roles: [],
      groups: [],
      origins: [],
      timeWindows: [],
      decision: "deny",
      settings: defaultSettings(),
    };
    this.#policy.rules.push(rule);
    this.#changed();
    this.#edit(rule);
    $("rule-name").select();
    $("rule-name").focus();
  }

  /** Opens the editor on a rule, on "default" (its settings only), or closes it (null). */
  #edit(target) {
    this.#editing = target;
    $("edge-editor").hidden = target === null;
    this.#renderRows();
    if (target === null) {
      return;
    }
    const isDefault = target === "default";
    $("edge-rule-fields").hidden = isDefault;
    $("edge-editor-title").textContent = isDefault ? "Default: local settings" : "Rule";
    if (!isDefault) {
      $("rule-name").value = target.name;
      $("rule-id").value = target.id;
      $("rule-enabled").checked = target.enabled;
      $("rule-roles").value = target.roles.join(", ");
      $("rule-groups").value = target.groups.join(", ");
      $("rule-origins").value = target.origins.join("\n");
      $("rule-decision").value = target.decision;
      this.#renderWindows(target);
    }
    const settings = isDefault ? this.#policy.default.settings : target.settings;
    $("settings-candidate-filter").value = settings.candidateFilter;
    $("settings-fake-ip").value = settings.fakeLocalIp;
    $("settings-ranges").value = settings.allowedLocalRanges.join(", ");
    for (const [key, id] of BLOCKS) {
      $(id).checked = settings[key];
    }
  }

  #renderWindows(rule) {
    const list = $("rule-windows");
    list.replaceChildren(
      ...rule.timeWindows.map((window, index) => {
        const days = DAYS.map((day) => {
          const box = el("input", { attrs: { type: "checkbox", value: day } });
          box.checked = window.days.map(dayCode).includes(day);
          box.addEventListener("change", () => {
            const chosen = new Set(window.days.map(dayCode));
            box.checked ? chosen.add(day) : chosen.delete(day);
            window.days = DAYS.filter((d) => chosen.has(d));
            this.#changed();
          });
          return el("label", { className: "inline day" }, box, ` ${day}`);
        });
        const field = (key, type, label) => {
          const input = el("input", { className: `window-${key}`, attrs: { type, "aria-label": label } });
          input.value = window[key];
          input.addEventListener("input", () => {
            window[key] = input.value.trim();
            this.#changed();
          });
          return input;
        };
        const remove = el("button", { text: "Remove", attrs: { type: "button" } });
        remove.addEventListener("click", () => {
          rule.timeWindows.splice(index, 1);
          this.#renderWindows(rule);
          this.#changed();
        });
        return el(
          "fieldset",
          { className: "time-window", dataset: { window: String(index) } },
          el("legend", { text: `Time window ${index + 1}` }),
          el("div", { className: "checks" }, ...days),
          el(
            "div",
            { className: "window-times" },
            el("label", { className: "inline", text: "from " }, field("from", "time", "From (inclusive)")),
            el("label", { className: "inline", text: "to " }, field("to", "time", "To (exclusive)")),
            el("label", { className: "inline", text: "zone " }, field("zone", "text", "Time zone (IANA id)")),
            remove,
          ),
        );
      }),
    );
  }

  #changed() {
    this.#setDirty(true);
    this.#renderRows();
  }

  #setDirty(dirty) {
    this.#dirty = dirty;
    $("edge-dirty").hidden = !dirty;
    $("edge-policy").dataset.dirty = String(dirty);
  }

  #render() {
    $("edge-version").textContent = `version ${this.#policy.version}`;
    $("edge-version").dataset.version = String(this.#policy.version);
    this.#renderRows();
  }

  #renderRows() {
    const rules = this.#policy.rules;
    const rows = rules.map((rule, index) => {
      const enabled = el("input", {
        className: "rule-enabled",
        attrs: { type: "checkbox", "aria-label": "Enabled" },
      });
      enabled.checked = rule.enabled;
      const button = (className, text, label, disabled = false) => {
        const b = el("button", {
          className,
          text,
          attrs: { type: "button", "aria-label": `${label}: ${rule.name}` },
        });
        b.disabled = disabled;
        return b;
      };
      const row = el(
        "tr",
        {
          className: [rule.enabled ? "" : "disabled", rule === this.#editing ? "editing" : ""]
            .join(" ")
            .trim(),
          dataset: {
            ruleId: rule.id,
            index: String(index),
            decision: rule.decision,
            enabled: String(rule.enabled),
          },
        },
        el("td", { text: String(index + 1) }),
        el("td", { className: "rule-name", text: rule.name }),
        el("td", {}, enabled),
        el("td", { className: "rule-who", text: whoText(rule) }),
        el("td", { className: "rule-origins", text: rule.origins.join(", ") || "any" }),
        el("td", { className: "rule-when", text: whenText(rule) }),
        el("td", {}, el("span", { className: `decision-badge ${rule.decision}`, text: rule.decision })),
        el("td", { className: "rule-settings", text: settingsText(rule.settings) }),
        el(
          "td",
          { className: "actions" },
          button("rule-edit", "Edit", "Edit"),
          button("rule-up", "↑", "Move up", index === 0),
          button("rule-down", "↓", "Move down", index === rules.length - 1),
          button("rule-delete danger", "Delete", "Delete"),
        ),
      );
      if (rule === this.#editing) {
        row.setAttribute("aria-current", "true");
      }
      return row;
    });
    if (!rows.length) {
      rows.push(
        el(
          "tr",
          {},
          el("td", { className: "empty", text: "No rules: the default decides.", attrs: { colspan: "9" } }),
        ),
      );
    }
    $("edge-rules").replaceChildren(...rows);
    $("edge-default-decision").value = this.#policy.default.decision;
    $("edge-default-summary").textContent = settingsText(this.#policy.default.settings);
    $("edge-default-row").classList.toggle("editing", this.#editing === "default");
  }

  async #save() {
    if (this.#saving) {
      return;
    }
    this.#saving = true;
    $("edge-save").disabled = true;
    this.#hideError();
    $("edge-saved").hidden = true;
    const { version, rules } = this.#policy;
    try {
      const saved = await this.#api.put("edge/policy", { version, default: this.#policy.default, rules });
      const editedIndex = rules.indexOf(this.#editing);
      this.#policy = saved;
      this.#setDirty(false);
      this.#render();
      this.#edit(this.#editing === "default" ? "default" : (saved.rules[editedIndex] ?? null));
      $("edge-saved").textContent = `Saved as version ${saved.version}.`;
      $("edge-saved").hidden = false;
    } catch (error) {
      if (error.status === 409) {
        this.#showError(
          "Someone else changed the policy — reload to see it (your changes here will be lost).",
          true,
        );
      } else if (error.status === 400) {
        this.#showError(`Not saved: ${error.message}`);
      } else {
        this.#showError(`Not saved (HTTP ${error.status ?? "?"}): ${error.message}`);
      }
    } finally {
      this.#saving = false;
      $("edge-save").disabled = false;
    }
  }

  #showError(text, offerReload = false) {
    $("edge-error-text").textContent = text;
    $("edge-error-reload").hidden = !offerReload;
    $("edge-error").hidden = false;
    $("edge-error").dataset.conflict = String(offerReload);
  }

  #hideError() {
    $("edge-error").hidden = true;
    $("edge-error-text").textContent = "";
  }

  async #tryDecision() {
    const origin = $("edge-try-origin").value.trim();
    $("edge-try-error").hidden = true;
    $("edge-try").disabled = true;
    try {
      const answer = await this.#api.post("edge/decision", { origin });
      this.#showDecision(answer);
    } catch (error) {
      $("edge-try-result").hidden = true;
      $("edge-try-error").textContent = `No decision: ${error.message}`;
      $("edge-try-error").hidden = false;
    } finally {
      $("edge-try").disabled = false;
    }
  }

  #showDecision(answer) {
    const rule = answer.rule;
    const ruleText = rule ? `${rule.name} (${rule.id})` : "none (not an http(s) origin: denied, fail closed)";
    const settings = answer.settings;
    const details = el(
      "dl",
      {},
      el("dt", { text: "Origin" }),
      el("dd", { className: "try-origin", text: answer.origin ?? "—" }),
      el("dt", { text: "Rule" }),
      el("dd", { className: "try-rule", text: ruleText, dataset: { ruleId: rule?.id ?? "" } }),
      el("dt", { text: "Settings" }),
      el("dd", { className: "try-settings", text: settings ? settingsText(settings) : "—" }),
      el("dt", { text: "Relay" }),
      el("dd", {
        text: answer.turn ? `credentials for ${answer.turn.ttl} s (${answer.turn.uris.join(", ")})` : "none",
      }),
      el("dt", { text: "Decision id" }),
      el("dd", { text: answer.decisionId ?? "—" }),
    );
    const explanation = el(
      "ol",
      { attrs: { id: "edge-try-explanation" } },
      ...(answer.explanation ?? []).map((line) => el("li", { text: line })),
    );
    $("edge-try-result").replaceChildren(
      el(
        "p",
        { className: "try-decision", dataset: { decision: answer.decision, rule: rule?.id ?? "" } },
        el("span", { className: `decision-badge ${answer.decision}`, text: answer.decision }),
        ` by ${rule ? rule.name : "no rule"}`,
      ),
      details,
      el("h3", { text: "Explanation" }),
      explanation,
    );
    $("edge-try-result").hidden = false;
  }
}

function defaultZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

async function start() {
  // An admin page: straight to the sign-in page, and back here.
  const { api, me } = await startSession({ loginRequired: true });
  if (!me) {
    setStatus("Sign in with your enterprise account.");
    return;
  }
  if (!me.roles.includes("edge-admin")) {
    setStatus("Signed in.");
    $("edge-forbidden").hidden = false;
    return;
  }
  setStatus("Signed in as a Secure Edge administrator.");
  const page = new EdgeAdmin(api);
  window.addEventListener("beforeunload", (event) => {
    if (page.dirty) {
      event.preventDefault();
    }
  });
  await page.load();
}

start().catch((error) => setStatus(`The Secure Edge admin page could not start: ${reasonOf(error)}`, true));
