// The compliance view (/compliance, for recording-reviewer): GET api/recordings/compliance for a period
// (default the last 30 days): the totals, the counts per user and origin, and every connection of the
// gap with what explains it; "Export CSV" downloads one line per connection (?format=csv). The API is in
// web/RECORDINGS-API.md; everything from the server is shown as text, never as HTML.

import { reasonOf, startSession } from "./session.js";
import { $, el, setStatus, when } from "./page-dom.js";

const DAY = 24 * 60 * 60 * 1000;
const CSV_NAME = "vclick-compliance.csv";

/** A datetime-local input's value as an ISO instant (its time is local), or null when empty. */
function instantOf(input) {
  if (!input.value) return null;
  const date = new Date(input.value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** An instant as a datetime-local value in local time. */
function localValue(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const personText = (p) =>
  p.displayName && p.displayName !== p.username ? `${p.displayName} (${p.username})` : p.username;

class Compliance {
  #api;

  constructor(api) {
    this.#api = api;
    const now = new Date();
    $("compliance-to").value = localValue(new Date(now.getTime() + 60_000));
    $("compliance-from").value = localValue(new Date(now.getTime() - 30 * DAY));
    $("compliance-filters").addEventListener("submit", (event) => {
      event.preventDefault();
      this.load();
    });
    $("compliance-export").addEventListener("click", () => this.#export());
  }

  #query(extra = {}) {
    const params = new URLSearchParams();
    const from = instantOf($("compliance-from"));
    const to = instantOf($("compliance-to"));
    if (from) params.set("from", from);
    if (to) params.set("to", to);
    for (const [key, value] of Object.entries(extra)) params.set(key, value);
    return params.toString();
  }

  async load() {
    this.#error(null);
    $("compliance").hidden = false;
    try {
      this.#show(await this.#api.get(`recordings/compliance?${this.#query()}`));
    } catch (failure) {
      this.#error(
        `The compliance view could not be loaded (HTTP ${failure.status ?? "?"}): ${failure.message}`,
      );
    }
  }

  #show(report) {
    const t = report.totals;
    $("total-connections").textContent = String(t.connections);
    $("total-recorded").textContent = String(t.recorded);
    $("total-stored").textContent = String(t.stored);
    $("total-failed").textContent = String(t.failed);
    $("total-in-progress").textContent = String(t.inProgress);
    $("total-gap").textContent = `${t.gap} (${t.explained} explained / ${t.unexplained} unexplained)`;
    $("total-gap").classList.toggle("error", t.unexplained > 0);
    $("compliance-truncated").hidden = !report.truncated;
    const groups = $("compliance-groups").querySelector("tbody");
    groups.replaceChildren(
      ...report.groups.map((g) =>
        el(
          "tr",
          { dataset: { userId: g.userId } },
          el("td", { text: personText(g) }),
          el("td", { text: g.origin }),
          el("td", { text: String(g.connections) }),
          el("td", { text: String(g.recorded) }),
          el("td", { text: String(g.stored) }),
          el("td", { text: String(g.failed) }),
          el("td", { text: String(g.gap) }),
          el("td", {
            text: String(g.unexplained),
            className: g.unexplained > 0 ? "error" : "",
          }),
        ),
      ),
    );
    const gaps = $("compliance-gaps").querySelector("tbody");
    gaps.replaceChildren(
      ...report.gaps.map((item) => {
        const recording = item.recordingId
          ? el("a", {
              text: "Open",
              attrs: {
                href: `recordings?recording=${encodeURIComponent(item.recordingId)}`,
              },
            })
          : document.createTextNode("—");
        return el(
          "tr",
          { dataset: { connectionId: item.connectionId, status: item.status } },
          el("td", { text: when(item.startedAt) }),
          el("td", { text: personText(item) }),
          el("td", { text: item.origin }),
          el("td", {
            text: item.status,
            className: item.status === "unexplained" ? "error" : "",
          }),
          el("td", { text: item.explanation ?? "" }),
          el("td", {}, recording),
        );
      }),
    );
    $("compliance-no-gap").hidden = report.gaps.length > 0;
  }

  async #export() {
    this.#error(null);
    try {
      const blob = await this.#api.blob(
        `recordings/compliance?${this.#query({ format: "csv" })}`,
        "text/csv",
      );
      const url = URL.createObjectURL(blob);
      const link = el("a", { attrs: { href: url, download: CSV_NAME } });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (failure) {
      this.#error(`The export failed (HTTP ${failure.status ?? "?"}): ${failure.message}`);
    }
  }

  #error(text) {
    $("compliance-error").textContent = text ?? "";
    $("compliance-error").hidden = !text;
  }
}

async function start() {
  const { api, me } = await startSession({ loginRequired: true });
  if (!me) {
    setStatus("Sign in with your enterprise account.");
    return;
  }
  if (!me.roles.includes("recording-reviewer")) {
    setStatus("Signed in.");
    $("compliance-forbidden").hidden = false;
    return;
  }
  setStatus("Signed in as a recording reviewer.");
  await new Compliance(api).load();
}

start().catch((error) => setStatus(`The compliance page could not start: ${reasonOf(error)}`, true));
