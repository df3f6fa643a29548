// The Secure Edge call log page (/edge/calls, any signed-in user): lists the calls of GET api/edge/calls
// newest first, each with its connections; filters by origin and time (and, for edge-admin, by user id),
// pages on with `before=` (the startedAt of the last call shown) and exports the same filters as CSV
// (format=csv, fetched with the bearer token and saved as vclick-edge-calls.csv). Calls whose pairing is
// disputed and connections the server ended as lost are flagged. The API decides who sees what
// (web/EDGE-API.md); everything from the server is shown as text, never as HTML.

import { reasonOf, startSession } from "./session.js";
import { $, PagedTable, bytesText, durationText, el, setStatus, when } from "./page-dom.js";

/** Calls per page; a full page means there may be more. */
const PAGE_SIZE = 50;
/** The CSV export takes as many calls as the API gives at once. */
const CSV_LIMIT = 500;
const CSV_NAME = "vclick-edge-calls.csv";

/** A datetime-local input's value as an ISO instant (its time is local), or null when empty. */
function instantOf(input) {
  if (!input.value) {
    return null;
  }
  const date = new Date(input.value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

const personText = (p) =>
  p.displayName && p.displayName !== p.username ? `${p.displayName} (${p.username})` : p.username;

class EdgeCalls {
  #api;
  #isAdmin;
  /** The filters the list was loaded with: {origin, from, to, user}, without empty ones. */
  #filters = {};
  /** The list, page by page (#edge-calls[data-loads] counts the answers shown). */
  #table;

  constructor(api, isAdmin) {
    this.#api = api;
    this.#table = new PagedTable({
      prefix: "edge-calls",
      path: "edge/calls",
      noun: "call",
      columns: 5,
      pageSize: PAGE_SIZE,
      row: (item) => this.#row(item),
      showError: (text) => this.#showError(text),
      hideError: () => this.#hideError(),
    });
    this.#isAdmin = isAdmin;
    $("edge-calls-filter-user").hidden = !isAdmin;
    $("edge-calls-filter-user-label").hidden = !isAdmin;
    $("edge-calls-scope").textContent = isAdmin
      ? "As a Secure Edge administrator you see every call."
      : "The calls you take part in, with every connection of each call.";
    $("edge-calls-filters").addEventListener("submit", (event) => {
      event.preventDefault();
      this.load();
    });
    $("edge-calls-more").addEventListener("click", () => this.#fetchPage(false));
    $("edge-calls-csv").addEventListener("click", () => this.#exportCsv());
  }

  /** Reads the filters from the form and loads the first page. */
  async load() {
    const filters = {
      origin: $("edge-calls-filter-origin").value.trim(),
      from: instantOf($("edge-calls-filter-from")),
      to: instantOf($("edge-calls-filter-to")),
      user: this.#isAdmin ? $("edge-calls-filter-user").value.trim() : "",
    };
    this.#filters = Object.fromEntries(Object.entries(filters).filter(([, value]) => value));
    await this.#fetchPage(true);
    $("edge-calls").hidden = false;
  }

  #query(extra) {
    return new URLSearchParams({ ...this.#filters, ...extra }).toString();
  }

  #fetchPage(first) {
    return this.#table.load(this.#api, this.#filters, first);
  }

  #row(call) {
    const connections = call.connections ?? [];
    const participants = el(
      "ul",
      { className: "edge-call-participants" },
      ...(call.participants ?? []).map((p) =>
        el("li", { text: personText(p), dataset: { userId: p.userId ?? "" } }),
      ),
    );
    const list = el(
      "ul",
      { className: "edge-call-connections" },
      ...connections.map((c) => this.#connection(c)),
    );
    const started = el("td", { className: "call-started", text: when(call.startedAt) });
    started.title = call.startedAt ?? "";
    const duration = durationText(call.durationSeconds);
    return el(
      "tr",
      {
        dataset: {
          callId: call.callId,
          connections: String(connections.length),
          origin: call.origin ?? "",
          startedAt: call.startedAt ?? "",
          ended: String(call.endedAt !== null && call.endedAt !== undefined),
          disputed: String(call.disputed === true),
        },
      },
      started,
      el("td", { className: "call-duration", text: call.endedAt ? duration : `${duration} (ongoing)` }),
      el(
        "td",
        { className: "call-origin" },
        call.origin ?? "—",
        ...(call.disputed
          ? [
              " ",
              el("span", {
                className: "call-disputed",
                text: "disputed",
                attrs: {
                  title:
                    "Someone claimed the certificates of one of its connections who cannot have: it is paired with nobody (see the audit trail).",
                },
              }),
            ]
          : []),
      ),
      el("td", { className: "call-participants" }, participants),
      el("td", { className: "call-connections" }, list),
    );
  }

  #connection(c) {
    const path = `${c.localCandidateType ?? "?"} ↔ ${c.remoteCandidateType ?? "?"}`;
    const parts = [
      el("span", { className: "connection-user", text: c.username ?? c.userId ?? "?" }),
      el("span", { className: "connection-path", text: path }),
      el("span", { className: "connection-protocol", text: c.protocol ?? "—" }),
      el("span", {
        className: "connection-bytes",
        text: `↑ ${bytesText(c.bytesSent)} ↓ ${bytesText(c.bytesReceived)}`,
        attrs: { title: "bytes sent / received" },
      }),
      el("span", {
        className: `connection-end${c.endReason === "lost" ? " lost" : ""}`,
        text: c.endReason ?? (c.closedAt ? "closed" : "open"),
        attrs:
          c.endReason === "lost"
            ? { title: "Its browser went away: ended by the server with the last figures known." }
            : {},
      }),
    ];
    if (c.pairingDisputed) {
      parts.push(el("span", { className: "connection-disputed", text: "pairing disputed" }));
    }
    if (c.decision) {
      const rule = c.rule ? ` by ${c.rule.name}` : "";
      parts.push(el("span", { className: `decision-badge ${c.decision}`, text: `${c.decision}${rule}` }));
    }
    for (const recordingId of c.recordingIds ?? []) {
      // Reviewers play it on /recordings; anyone else sees that the connection was recorded.
      parts.push(
        el("a", {
          className: "connection-recording",
          text: "recorded",
          attrs: { href: `../recordings?recording=${encodeURIComponent(recordingId)}`, title: recordingId },
          dataset: { recordingId },
        }),
      );
    }
    const item = el("li", { dataset: { connectionId: c.connectionId, userId: c.userId ?? "" } });
    parts.forEach((part, index) => {
      if (index > 0) {
        item.append(" · ");
      }
      item.append(part);
    });
    return item;
  }

  async #exportCsv() {
    const button = $("edge-calls-csv");
    button.disabled = true;
    this.#hideError();
    try {
      const blob = await this.#api.blob(
        `edge/calls?${this.#query({ format: "csv", limit: String(CSV_LIMIT) })}`,
        "text/csv",
      );
      const url = URL.createObjectURL(blob);
      const link = el("a", { attrs: { href: url, download: CSV_NAME } });
      link.hidden = true;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      this.#showError(`The CSV export failed (HTTP ${error.status ?? "?"}): ${error.message}`);
    } finally {
      button.disabled = false;
    }
  }

  #showError(text) {
    $("edge-calls-error").textContent = text;
    $("edge-calls-error").hidden = false;
  }

  #hideError() {
    $("edge-calls-error").hidden = true;
    $("edge-calls-error").textContent = "";
  }
}

async function start() {
  // Straight to the sign-in page, and back here.
  const { api, me } = await startSession({ loginRequired: true });
  if (!me) {
    setStatus("Sign in with your enterprise account.");
    return;
  }
  const isAdmin = me.roles.includes("edge-admin");
  setStatus(isAdmin ? "Signed in as a Secure Edge administrator." : "Signed in.");
  await new EdgeCalls(api, isAdmin).load();
}

start().catch((error) => setStatus(`The Secure Edge call log could not start: ${reasonOf(error)}`, true));
