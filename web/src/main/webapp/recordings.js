// The recordings page (/recordings, for recording-reviewer): lists GET api/recordings newest first with
// filters (participant's user id, origin, from/to) and "Load more" (before= the startedAt of the last one
// shown); plays a recording in a <video>, downloads it, verifies its hash and puts it on legal hold or
// takes it off (PUT api/recordings/{id}/legal-hold with a reason). The API is in web/RECORDINGS-API.md;
// everything from the server is shown as text, never as HTML.
//
// Playing: the media endpoint needs the bearer token, which a <video src> cannot send. The page fetches
// the whole file with the token (one audited `recording.played`), makes a blob: URL of it and plays that
// (the CSP allows media-src blob:); seeking then needs no more requests. That holds the file in memory,
// so recordings larger than PLAYER_MAX_BYTES are offered for download only. (The alternative, a
// short-lived signed media URL the <video> would stream with Range requests, needs a signing secret
// shared by the cluster: not done yet.) Download fetches ?download=1 the same way and saves it.

import { ApiError } from "./api.js";
import { reasonOf, startSession } from "./session.js";
import { $, PagedTable, bytesText, durationText, el, setStatus, when } from "./page-dom.js";

/** Recordings per page; a full page means there may be more. */
const PAGE_SIZE = 50;
/** Larger recordings are not loaded into the page to play: download them. */
const PLAYER_MAX_BYTES = 512 * 1024 * 1024;
/** Codecs the browser's WebM demuxer plays; a Matroska file of these is handed to it as video/webm. */
const WEBM_CODECS = new Set(["vp8", "vp9", "av1", "opus", "vorbis"]);

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

/** A participant with when they took part, if the recording says (a conference's): "Bob (bob) 10:00:05–10:02:00". */
function participantText(person, attendance) {
  const clock = (instant) => new Date(instant).toLocaleTimeString();
  const stretches = (Array.isArray(attendance) ? attendance : []).filter((a) => a.userId === person.userId);
  const times = stretches.map((a) => `${clock(a.joinedAt)}–${clock(a.leftAt)}`).join(", ");
  return times ? `${personText(person)} ${times}` : personText(person);
}

function codecsText(recording) {
  const streams = recording.codecs?.streams ?? [];
  if (!streams.length) {
    return recording.probeError ? `unknown: ${recording.probeError}` : "unknown";
  }
  return streams
    .map((s) => {
      const size = s.width && s.height ? ` ${s.width}×${s.height}` : "";
      const audio = s.sampleRate ? ` ${s.sampleRate} Hz` : "";
      return `${s.type ?? "?"}: ${s.codec ?? "?"}${size}${audio}`;
    })
    .join(", ");
}

/** The type to give the blob: video/webm when the browser's WebM demuxer plays every stream. */
function playableType(recording) {
  const codecs = (recording.codecs?.streams ?? []).map((s) => s.codec);
  return codecs.length && codecs.every((codec) => WEBM_CODECS.has(codec))
    ? "video/webm"
    : recording.mediaType;
}

class Recordings {
  #api;
  #keycloak;
  /** The filters the list was loaded with, without empty ones. */
  #filters = {};
  /** The list, page by page (#recordings[data-loads] counts the answers shown). */
  #table;
  /** The recording in the player, as last answered by the API. */
  #current = null;
  #objectUrl = null;

  constructor(api, keycloak) {
    this.#api = api;
    this.#table = new PagedTable({
      prefix: "recordings",
      path: "recordings",
      noun: "recording",
      columns: 7,
      pageSize: PAGE_SIZE,
      row: (item) => this.#row(item),
      showError: (text) => this.#showError(text),
      hideError: () => this.#hideError(),
    });
    this.#keycloak = keycloak;
    $("recordings-filters").addEventListener("submit", (event) => {
      event.preventDefault();
      this.load();
    });
    $("recordings-more").addEventListener("click", () => this.#fetchPage(false));
    $("player-download").addEventListener("click", () => this.#download(this.#current));
    $("player-verify").addEventListener("click", () => this.#verify());
    $("legal-hold-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.#toggleHold();
    });
  }

  /** Reads the filters from the form and loads the first page. */
  async load() {
    const filters = {
      user: $("recordings-filter-user").value.trim(),
      origin: $("recordings-filter-origin").value.trim(),
      from: instantOf($("recordings-filter-from")),
      to: instantOf($("recordings-filter-to")),
    };
    this.#filters = Object.fromEntries(Object.entries(filters).filter(([, value]) => value));
    await this.#fetchPage(true);
    $("recordings").hidden = false;
  }

  /** Opens one recording's details (the call log links here with ?recording=<id>). */
  async show(recordingId) {
    await this.#open(recordingId, false);
  }

  #fetchPage(first) {
    return this.#table.load(this.#api, this.#filters, first);
  }

  #row(recording) {
    const deleted = Boolean(recording.deletedAt);
    const participants = el(
      "ul",
      { className: "recording-participants-list" },
      ...recording.participants.map((p) => el("li", { text: personText(p), dataset: { userId: p.userId } })),
    );
    const started = el("td", { className: "recording-started", text: when(recording.startedAt) });
    started.title = recording.startedAt;
    const actions = el("td", { className: "actions recording-actions" });
    if (deleted) {
      actions.append(el("span", { className: "muted", text: `deleted ${when(recording.deletedAt)}` }));
    } else {
      const play = el("button", { className: "recording-play", text: "Play", attrs: { type: "button" } });
      play.addEventListener("click", () => this.#open(recording.recordingId, true));
      const details = el("button", {
        className: "recording-open",
        text: "Details",
        attrs: { type: "button" },
      });
      details.addEventListener("click", () => this.#open(recording.recordingId, false));
      const download = el("button", {
        className: "recording-download",
        text: "Download",
        attrs: { type: "button" },
      });
      download.addEventListener("click", () => this.#download(recording));
      actions.append(play, details, download);
    }
    return el(
      "tr",
      {
        dataset: {
          recordingId: recording.recordingId,
          callId: recording.callId,
          legalHold: String(recording.legalHold),
          deleted: String(deleted),
          startedAt: recording.startedAt,
        },
      },
      started,
      el("td", { className: "recording-duration", text: durationText(recording.durationSeconds) }),
      el("td", { className: "recording-origin", text: recording.origin }),
      el("td", { className: "recording-participants" }, participants),
      el("td", { className: "recording-size", text: bytesText(recording.sizeBytes) }),
      el("td", { className: "recording-hold", text: recording.legalHold ? "on hold" : "—" }),
      actions,
    );
  }

  /** Shows a recording in the player section; `play` also fetches its media and starts it. */
  async #open(recordingId, play) {
    this.#hideError();
    try {
      const recording = await this.#api.get(`recordings/${recordingId}`);
      this.#show(recording);
      if (play) {
        await this.#play(recording);
      }
    } catch (error) {
      this.#showError(`The recording could not be opened (HTTP ${error.status ?? "?"}): ${error.message}`);
    }
  }

  #show(recording) {
    this.#current = recording;
    const player = $("recording-player");
    player.dataset.recordingId = recording.recordingId;
    player.dataset.legalHold = String(recording.legalHold);
    player.dataset.deleted = String(Boolean(recording.deletedAt));
    $("player-title").textContent = `Recording of ${when(recording.startedAt)}`;
    $("player-state").textContent = recording.deletedAt
      ? "deleted"
      : recording.legalHold
        ? "on legal hold"
        : "";
    $("player-id").textContent = recording.recordingId;
    $("player-call").textContent = recording.callId;
    $("player-origin").textContent = recording.origin;
    $("player-participants").textContent = recording.participants
      .map((p) => participantText(p, recording.attendance))
      .join("; ");
    $("player-times").textContent =
      `${when(recording.startedAt)} – ${when(recording.endedAt)} (${durationText(recording.durationSeconds)})`;
    $("player-file").textContent = `${bytesText(recording.sizeBytes)}, ${recording.container}`;
    $("player-sha256").textContent = recording.sha256;
    $("player-codecs").textContent = codecsText(recording);
    $("player-retention").textContent = recording.deletedAt
      ? `file deleted ${when(recording.deletedAt)}`
      : `kept until ${when(recording.retentionEndsAt)}${recording.legalHold ? ", and while on legal hold" : ""}`;
    $("player-download").disabled = Boolean(recording.deletedAt);
    $("player-verify").disabled = Boolean(recording.deletedAt);
    $("verify-result").hidden = true;
    $("legal-hold-state").textContent = recording.legalHold
      ? `On legal hold since ${when(recording.legalHoldChangedAt)}: ${recording.legalHoldReason ?? ""}`
      : "Not on legal hold: retention deletes it when its time is up.";
    $("legal-hold-toggle").textContent = recording.legalHold
      ? "Release the legal hold"
      : "Place on legal hold";
    $("legal-hold-toggle").disabled = Boolean(recording.deletedAt);
    $("legal-hold-error").hidden = true;
    player.hidden = false;
  }

  async #play(recording) {
    const video = $("recording-video");
    this.#releaseVideo();
    if (recording.sizeBytes > PLAYER_MAX_BYTES) {
      $("player-message").textContent = "This recording is too large to play in the page; download it.";
      return;
    }
    $("player-message").textContent = "Loading…";
    const blob = await this.#media(recording, false);
    this.#objectUrl = URL.createObjectURL(new Blob([blob], { type: playableType(recording) }));
    video.src = this.#objectUrl;
    $("player-message").textContent = "";
    $("recording-player").dataset.loaded = recording.recordingId;
    await video.play().catch(() => {
      // autoplay may be refused: the controls are there
    });
  }

  #releaseVideo() {
    const video = $("recording-video");
    video.pause();
    video.removeAttribute("src");
    video.load();
    if (this.#objectUrl) {
      URL.revokeObjectURL(this.#objectUrl);
      this.#objectUrl = null;
    }
    delete $("recording-player").dataset.loaded;
  }

  /** The media with the bearer token, as a Blob; `download` asks for the attachment (audited so). */
  async #media(recording, download) {
    await this.#keycloak.updateToken(30);
    const url = new URL(
      `api/recordings/${recording.recordingId}/media${download ? "?download=1" : ""}`,
      import.meta.url,
    );
    const response = await fetch(url, { headers: { Authorization: `Bearer ${this.#keycloak.token}` } });
    if (!response.ok) {
      throw new ApiError(response.status, await response.json().catch(() => null));
    }
    return response.blob();
  }

  async #download(recording) {
    if (!recording) {
      return;
    }
    this.#hideError();
    try {
      const blob = await this.#media(recording, true);
      const url = URL.createObjectURL(blob);
      const link = el("a", { attrs: { href: url, download: `recording-${recording.recordingId}.mkv` } });
      link.hidden = true;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      this.#showError(`The download failed (HTTP ${error.status ?? "?"}): ${error.message}`);
    }
  }

  async #verify() {
    const result = $("verify-result");
    const button = $("player-verify");
    button.disabled = true;
    try {
      const verification = await this.#api.get(`recordings/${this.#current.recordingId}/verify`);
      result.dataset.intact = String(verification.intact);
      result.className = verification.intact ? "" : "error";
      result.textContent = verification.intact
        ? `Intact: the file's SHA-256 is the one stored (${when(verification.verifiedAt)}).`
        : `NOT intact: the file is missing or differs from what was stored (${when(verification.verifiedAt)}).`;
    } catch (error) {
      result.dataset.intact = "error";
      result.className = "error";
      result.textContent = `The verification failed (HTTP ${error.status ?? "?"}): ${error.message}`;
    } finally {
      result.hidden = false;
      button.disabled = false;
    }
  }

  async #toggleHold() {
    const reason = $("legal-hold-reason").value.trim();
    const error = $("legal-hold-error");
    error.hidden = true;
    if (!reason) {
      error.textContent = "Give a reason.";
      error.hidden = false;
      return;
    }
    const hold = !this.#current.legalHold;
    $("legal-hold-toggle").disabled = true;
    try {
      const updated = await this.#api.put(`recordings/${this.#current.recordingId}/legal-hold`, {
        hold,
        reason,
      });
      $("legal-hold-reason").value = "";
      this.#show(updated);
      const row = $("recordings-table").querySelector(`tr[data-recording-id="${updated.recordingId}"]`);
      row?.replaceWith(this.#row(updated));
    } catch (failure) {
      error.textContent = `The legal hold could not be changed (HTTP ${failure.status ?? "?"}): ${failure.message}`;
      error.hidden = false;
    } finally {
      $("legal-hold-toggle").disabled = Boolean(this.#current.deletedAt);
    }
  }

  #showError(text) {
    $("recordings-error").textContent = text;
    $("recordings-error").hidden = false;
  }

  #hideError() {
    $("recordings-error").hidden = true;
    $("recordings-error").textContent = "";
  }
}

async function start() {
  // Straight to the sign-in page, and back here.
  const { api, keycloak, me } = await startSession({ loginRequired: true });
  if (!me) {
    setStatus("Sign in with your enterprise account.");
    return;
  }
  if (!me.roles.includes("recording-reviewer")) {
    setStatus("Signed in.");
    $("recordings-forbidden").hidden = false;
    return;
  }
  setStatus("Signed in as a recording reviewer.");
  const page = new Recordings(api, keycloak);
  await page.load();
  const linked = new URLSearchParams(location.search).get("recording");
  if (linked && /^[0-9a-f-]{36}$/.test(linked)) await page.show(linked);
}

start().catch((error) => setStatus(`The recordings page could not start: ${reasonOf(error)}`, true));
