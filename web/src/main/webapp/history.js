// The call history section: the signed-in user's last calls (GET api/calls), missed ones marked;
// a call of more than two lists everyone who was in it with their join and leave times.

import { formatDuration } from "./call-view.js";
import { namesText } from "./names.js";

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

/** "14:05:09" in the browser's language (a stretch within a call). */
function clock(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? "—"
    : date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/** One person's stretch: "Bob: 14:05:09–14:07:30", "Dave: Busy" when never joined. */
function stretchText(participant) {
  const name = participant.name ?? "Someone";
  if (!participant.joinedAt) {
    const reason = participant.reason ? (RESULTS[participant.reason] ?? participant.reason) : "Ringing";
    return `${name}: ${reason}`;
  }
  const until = participant.leftAt ? clock(participant.leftAt) : "now";
  return `${name}: ${clock(participant.joinedAt)}–${until}`;
}

/** A call that had more than two people in it (several called at once, or someone added). */
function isConference(call) {
  const people = new Set((call.participants ?? []).map((p) => p.id));
  return people.size > 2 || (call.participants ?? []).length > 2;
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) {
    td.className = className;
  }
  return td;
}

/** Everyone else ever in the call (each once, in the order invited), for "Call" again. */
function othersOf(call, myId) {
  const seen = new Map();
  for (const participant of call.participants ?? []) {
    if (participant.id !== myId && !seen.has(participant.id)) {
      seen.set(participant.id, { id: participant.id, name: participant.name });
    }
  }
  return [...seen.values()];
}

export class HistoryView {
  #api;
  #onCall;
  #onCallMany;
  #myId;
  #loading = null;
  #again = false;
  #callsEnabled = true;

  /**
   * @param {object} options
   * @param {{get(path: string): Promise<any>}} options.api
   * @param {(peer: {id: string, name: string}, media: string) => void} options.onCall "Call back"
   * @param {(people: {id: string, name: string}[], names: string, media: string) => void} [options.onCallMany]
   *   "Call" again everyone else of a call that had more than two people
   * @param {string} [options.myId] the signed-in user's id
   */
  constructor({ api, onCall, onCallMany = () => {}, myId = null }) {
    this.#api = api;
    this.#onCall = onCall;
    this.#onCallMany = onCallMany;
    this.#myId = myId;
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
    const call = {
      ...entry,
      media: lower(entry.media),
      mediaPath: lower(entry.mediaPath),
      endReason: lower(entry.endReason),
    };
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
    // A recorded call links its recordings (recording reviewers open them on the recordings page).
    for (const recordingId of Array.isArray(call.recordingIds) ? call.recordingIds : []) {
      const link = document.createElement("a");
      link.className = "call-recording";
      link.dataset.recordingId = recordingId;
      link.href = `recordings?recording=${encodeURIComponent(recordingId)}`;
      link.textContent = "Recorded";
      result.append(" · ", link);
    }
    const duration = call.answeredAt ? formatDuration((call.durationSeconds ?? 0) * 1000) : "—";
    const path = call.mediaPath === "relay" ? "Relayed" : call.mediaPath === "direct" ? "Direct" : "—";

    const conference = isConference(call);
    const others = conference ? othersOf(call, this.#myId) : [];
    const actions = document.createElement("td");
    actions.className = "actions";
    if (conference && others.length > 0) {
      const again = document.createElement("button");
      again.type = "button";
      again.className = "call-back";
      again.textContent = "Call";
      const names = namesText(others.map((p) => p.name));
      again.setAttribute("aria-label", `Call ${names} again`);
      again.disabled = !this.#callsEnabled;
      const media = call.media === "audio" ? "audio" : "video";
      again.addEventListener("click", () => this.#onCallMany(others, names, media));
      actions.append(again);
    } else if (call.peer?.id) {
      const again = document.createElement("button");
      again.type = "button";
      again.className = "call-back";
      again.textContent = "Call";
      again.setAttribute("aria-label", `Call ${call.peer.name} again`);
      again.disabled = !this.#callsEnabled;
      again.addEventListener("click", () =>
        this.#onCall(call.peer, call.media === "audio" ? "audio" : "video"),
      );
      actions.append(again);
    }

    const who = cell(conference ? namesText(others.map((p) => p.name)) || "—" : (call.peer?.name ?? "—"));
    if (conference) {
      row.dataset.participants = String(call.participants.length);
      const list = document.createElement("ul");
      list.className = "participants";
      for (const participant of call.participants) {
        const item = document.createElement("li");
        item.dataset.userId = participant.id;
        item.dataset.joined = String(Boolean(participant.joinedAt));
        if (participant.joinedAt) item.dataset.joinedAt = participant.joinedAt;
        if (participant.leftAt) item.dataset.leftAt = participant.leftAt;
        item.textContent = stretchText(participant);
        list.append(item);
      }
      who.append(list);
    }
    row.append(
      time,
      direction,
      who,
      cell(call.media === "audio" ? "Audio" : "Video"),
      cell(duration, "duration"),
      result,
      cell(path),
      actions,
    );
    return row;
  }
}
