// The call history section: the signed-in user's last calls (GET api/calls), missed ones marked.

import { formatDuration } from "./call-view.js";

const $ = (id) => document.getElementById(id);

const LIMIT = 50;

const RESULTS = {
  hangup: "Completed",
  declined: "Declined",
  cancelled: "Cancelled",
  busy: "Busy",
  offline: "Unavailable",
  "no-answer": "No answer",
  "connection-lost": "Connection lost",
  "server-restart": "Interrupted",
};

function resultOf(call) {
  if (call.missed) {
    return "Missed";
  }
  if (!call.endReason) {
    return call.answeredAt ? "In progress" : "Ringing";
  }
  return RESULTS[call.endReason] ?? call.endReason;
}

/** Today: "14:05"; earlier: "12 Mar 2025, 14:05" in the browser's language. */
function when(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return "—";
  }
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) {
    td.className = className;
  }
  return td;
}

export class HistoryView {
  #api;
  #onCall;
  #loading = null;
  #again = false;
  #callsEnabled = true;

  /**
   * @param {object} options
   * @param {{get(path: string): Promise<any>}} options.api
   * @param {(peer: {id: string, name: string}, media: string) => void} options.onCall "Call back"
   */
  constructor({ api, onCall }) {
    this.#api = api;
    this.#onCall = onCall;
  }

  /** "Call" buttons work only while no call holds this tab. */
  setCallsEnabled(enabled) {
    this.#callsEnabled = enabled;
    $("history-results")
      .querySelectorAll("button")
      .forEach((b) => (b.disabled = !enabled));
  }

  start() {
    $("history").hidden = false;
    return this.refresh();
  }

  /** Reloads the list; calls while a load runs coalesce into one more load after it. */
  refresh() {
    if (this.#loading) {
      this.#again = true;
      return this.#loading;
    }
    this.#loading = this.#load().finally(() => {
      this.#loading = null;
      if (this.#again) {
        this.#again = false;
        this.refresh();
      }
    });
    return this.#loading;
  }

  async #load() {
    try {
      const calls = await this.#api.get(`calls?limit=${LIMIT}`);
      this.#render(calls);
      $("history-error").hidden = true;
    } catch (error) {
      $("history-error").textContent = `Call history: ${error.message}`;
      $("history-error").hidden = false;
    }
  }

  #render(calls) {
    const rows = calls.map((call) => this.#row(call));
    if (rows.length === 0) {
      const row = document.createElement("tr");
      const empty = cell("No calls yet.", "empty");
      empty.colSpan = 8;
      row.append(empty);
      rows.push(row);
    }
    $("history-results").replaceChildren(...rows);
  }

  #row(entry) {
    // Enum-like values compared in lower case, whatever the server's spelling.
    const lower = (value) => (typeof value === "string" ? value.toLowerCase() : value);
    const call = { ...entry, media: lower(entry.media), mediaPath: lower(entry.mediaPath), endReason: lower(entry.endReason) };
    const row = document.createElement("tr");
    row.dataset.callId = call.callId;
    row.classList.toggle("missed", Boolean(call.missed));

    const time = cell(when(call.startedAt));
    time.title = call.startedAt;

    const direction = document.createElement("td");
    const arrow = document.createElement("span");
    arrow.className = "direction-arrow";
    arrow.setAttribute("aria-hidden", "true");
    arrow.textContent = call.direction === "outgoing" ? "↗ " : "↙ ";
    direction.append(arrow, call.direction === "outgoing" ? "Outgoing" : "Incoming");

    const result = cell(resultOf(call), call.missed ? "result missed-label" : "result");
    const duration = call.answeredAt ? formatDuration((call.durationSeconds ?? 0) * 1000) : "—";
    const path = call.mediaPath === "relay" ? "Relayed" : call.mediaPath === "direct" ? "Direct" : "—";

    const actions = document.createElement("td");
    actions.className = "actions";
    if (call.peer?.id) {
      const again = document.createElement("button");
      again.type = "button";
      again.className = "call-back";
      again.textContent = "Call";
      again.setAttribute("aria-label", `Call ${call.peer.name} again`);
      again.disabled = !this.#callsEnabled;
      again.addEventListener("click", () => this.#onCall(call.peer, call.media === "audio" ? "audio" : "video"));
      actions.append(again);
    }

    row.append(
      time,
      direction,
      cell(call.peer?.name ?? "—"),
      cell(call.media === "audio" ? "Audio" : "Video"),
      cell(duration, "duration"),
      result,
      cell(path),
      actions,
    );
    return row;
  }
}
