// The call screens: outgoing ("Calling…"), incoming (Answer/Decline), in call (videos, mute, camera,
// hang up, timer) and ended (why). Only shows what it is told; call-controller.js decides.

import { namesText } from "./names.js";

const $ = (id) => document.getElementById(id);

/** How long a tile's new stream may take to present a frame before it replaces the old one anyway. */
const TILE_SWAP_LIMIT_MS = 3000;

const SCREENS = ["call-outgoing", "call-incoming", "call-active", "call-ended"];

/** 65 s → "01:05"; an hour or more → "1:01:05". */
export function formatDuration(milliseconds) {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = String(Math.floor((total % 3600) / 60)).padStart(2, "0");
  const seconds = String(total % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${minutes}:${seconds}` : `${minutes}:${seconds}`;
}

/** Up to two initials of a name, for the avatar of an audio call or a ringing screen. */
function initials(name) {
  const words = String(name)
    .split(/[\s@._-]+/)
    .filter(Boolean);
  return words
    .slice(0, 2)
    .map((w) => w[0].toUpperCase())
    .join("");
}

const mediaLabel = (media) => (media === "audio" ? "Audio call" : "Video call");

const PARTY_STATE_TEXT = { ringing: "ringing…", joined: "in the call" };

export class CallView {
  #timer = null;
  #titleBefore = document.title;

  #actions;

  /**
   * @param {object} actions what the buttons do: cancel, answer, decline, hangup, toggleMute,
   *   toggleCamera, dismiss, callAgain, openAddPerson (the "Add person" search opened), cancelAdd(userId)
   */
  constructor(actions) {
    this.#actions = actions;
    $("call-add").addEventListener("click", () => this.#toggleAddPerson());
    $("call-cancel").addEventListener("click", () => actions.cancel());
    $("call-answer").addEventListener("click", () => actions.answer());
    $("call-decline").addEventListener("click", () => actions.decline());
    $("call-hangup").addEventListener("click", () => actions.hangup());
    $("call-mute").addEventListener("click", () => actions.toggleMute());
    $("call-camera").addEventListener("click", () => actions.toggleCamera());
    $("call-dismiss").addEventListener("click", () => actions.dismiss());
    $("call-again").addEventListener("click", () => actions.callAgain());
    $("call-sound").addEventListener("click", () => this.#unmuteRemote());
    $("error-dismiss").addEventListener("click", () => this.clearError());
  }

  showOutgoing({ name, media, ringing }) {
    $("call-outgoing-name").textContent = name;
    $("call-outgoing-avatar").textContent = initials(name);
    $("call-outgoing-detail").textContent = `${mediaLabel(media)} · ${ringing ? "Ringing…" : "Connecting…"}`;
    this.#show("call-outgoing", `Calling ${name}…`);
    $("call-cancel").focus();
  }

  /** `parties`: the names of those already in the call when `name` invites into one ("… invites you to join …"). */
  showIncoming({ name, media, parties = [] }) {
    $("call-incoming-name").textContent = name;
    const joining = parties.length > 0 ? ` invites you to join ${namesText(parties)}` : " is calling";
    $("call-incoming-what").textContent = joining;
    $("call-incoming-avatar").textContent = initials(name);
    $("call-incoming-media").textContent = mediaLabel(media);
    this.setAnswering(false);
    this.#show("call-incoming", `${name}${joining}…`);
    $("call-answer").focus();
  }

  /** While the camera and microphone open after Answer. */
  setAnswering(answering) {
    $("call-answer").disabled = answering;
    $("call-answer").textContent = answering ? "Answering…" : "Answer";
  }

  showActive({ name, media, answeredAt }) {
    $("call-active-name").textContent = name;
    $("call-active-avatar").textContent = initials(name);
    $("call-stage").classList.toggle("audio-only", media === "audio");
    $("call-path").textContent = "";
    $("call-path").hidden = true;
    this.setConnection("Connecting…");
    this.setMuted(false);
    this.setCameraOff(false, media === "video");
    this.#resetConference();
    this.#show("call-active", `In call with ${name}`);
    this.#startTimer(answeredAt);
    $("call-hangup").focus();
  }

  /** The call's title: whom you talk with. */
  setActiveName(name) {
    $("call-active-name").textContent = name;
    $("call-active-avatar").textContent = initials(name);
    document.title = `In call with ${name} — Vclick`;
  }

  /**
   * Who is in the call: one entry per party (you first), its state, and Cancel on a ringing
   * invitee you invited. Published for tests as data-parties (how many have joined).
   */
  setParties(parties, { myId, cancellable = new Set() }) {
    const items = parties
      .filter((p) => p.state !== "left")
      .sort((a, b) => (a.userId === myId ? -1 : b.userId === myId ? 1 : 0))
      .map((party) => {
        const item = document.createElement("li");
        item.dataset.userId = party.userId;
        item.dataset.state = party.state;
        const name = document.createElement("span");
        name.className = "party-name";
        name.textContent = party.userId === myId ? `${party.name} (you)` : party.name;
        const state = document.createElement("span");
        state.className = "party-state";
        state.textContent = PARTY_STATE_TEXT[party.state] ?? party.state;
        item.append(name, state);
        if (party.state === "ringing" && cancellable.has(party.userId)) {
          const cancel = document.createElement("button");
          cancel.type = "button";
          cancel.className = "party-cancel";
          cancel.textContent = "Cancel";
          cancel.setAttribute("aria-label", `Cancel the invitation to ${party.name}`);
          cancel.addEventListener("click", () => this.#actions.cancelAdd(party.userId));
          item.append(cancel);
        }
        return item;
      });
    $("call-parties").replaceChildren(...items);
    $("call-parties").hidden = items.length === 0;
    document.body.dataset.parties = String(parties.filter((p) => p.state === "joined").length);
  }

  #toggleAddPerson() {
    if ($("add-person").hidden) {
      $("add-person").hidden = false;
      $("call-add").setAttribute("aria-expanded", "true");
      this.#actions.openAddPerson();
      $("add-query").focus();
    } else {
      this.#closeAddPerson();
    }
  }

  #closeAddPerson() {
    $("add-person").hidden = true;
    $("call-add").setAttribute("aria-expanded", "false");
  }

  /**
   * The stage becomes a grid of the others' videos (the call went onto the media server). The
   * two-party video keeps playing until a tile takes its stream over (setTile).
   */
  showConference() {
    $("call-stage").classList.add("conference");
    $("call-grid").hidden = false;
  }

  /**
   * One party's tile in the grid: made on first use, its name and stream set. Resolves with the
   * performance.now() at which the tile shows `stream` (null without a video frame, or when
   * replaced before). What is on screen never blanks in between: the two-party video element is
   * taken over as it plays; a new stream plays over the old one (transparent until it has a
   * frame), which it replaces (sound included) only on its first presented frame (or after TILE_SWAP_LIMIT_MS without one).
   */
  setTile(userId, { name, stream }) {
    let tile = $("call-grid").querySelector(`figure[data-user-id="${CSS.escape(userId)}"]`);
    if (!tile) {
      tile = document.createElement("figure");
      tile.className = "tile";
      tile.dataset.userId = userId;
      const video = document.createElement("video");
      video.autoplay = true;
      video.playsInline = true;
      const avatar = document.createElement("div");
      avatar.className = "avatar";
      avatar.setAttribute("aria-hidden", "true");
      const caption = document.createElement("figcaption");
      tile.append(video, avatar, caption);
      $("call-grid").append(tile);
    }
    if (name) {
      tile.querySelector("figcaption").textContent = name;
      tile.querySelector(".avatar").textContent = initials(name);
    }
    if (!stream) {
      return Promise.resolve(null);
    }
    tile.classList.toggle("no-video", stream.getVideoTracks().length === 0);
    const video = tile.querySelector("video:not(.tile-next)");
    tile.querySelector("video.tile-next")?.remove(); // a newer stream supersedes one still loading
    if (video.srcObject === stream) {
      return Promise.resolve(performance.now());
    }
    if ($("remote-video").srcObject === stream) {
      this.#takeOverRemoteVideo(video);
      return Promise.resolve(performance.now());
    }
    if (!video.srcObject) {
      video.srcObject = stream;
      this.#play(video);
      return this.#firstFrame(video);
    }
    return this.#replaceOnFirstFrame(video, stream);
  }

  /**
   * The two-party video element moves into the tile as it plays (moved in one task, it neither
   * pauses nor reloads: no frame lost); a new empty element takes its place on the stage.
   */
  #takeOverRemoteVideo(placeholder) {
    const playing = $("remote-video");
    const fresh = document.createElement("video");
    fresh.id = "remote-video";
    fresh.autoplay = true;
    fresh.playsInline = true;
    playing.replaceWith(fresh);
    playing.removeAttribute("id");
    placeholder.replaceWith(playing);
  }

  #replaceOnFirstFrame(current, stream) {
    const next = document.createElement("video");
    next.className = "tile-next";
    next.autoplay = true;
    next.playsInline = true;
    next.muted = true; // the current element is heard until the swap
    next.srcObject = stream;
    current.after(next);
    next.play().catch(() => {});
    return this.#firstFrame(next, TILE_SWAP_LIMIT_MS).then((at) => {
      if (!next.isConnected) {
        return null; // superseded or the tile left
      }
      const hadSound = !current.muted;
      current.srcObject = null;
      current.remove();
      next.classList.remove("tile-next");
      if (hadSound) {
        this.#play(next);
      }
      return at ?? performance.now();
    });
  }

  /** performance.now() of the first frame `video` presents, or null (no video track, or none within `limitMs`). */
  #firstFrame(video, limitMs = 5000) {
    if (!video.requestVideoFrameCallback || !video.srcObject?.getVideoTracks().length) {
      return Promise.resolve(null);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), limitMs);
      video.requestVideoFrameCallback((now) => {
        clearTimeout(timer);
        resolve(now);
      });
    });
  }

  removeTile(userId) {
    $("call-grid")
      .querySelector(`figure[data-user-id="${CSS.escape(userId)}"]`)
      ?.remove();
  }

  #play(video) {
    video.muted = false;
    video.play().catch(() => {
      video.muted = true;
      video.play().catch(() => {});
      $("call-sound").hidden = false;
    });
  }

  attachLocal(stream) {
    $("local-video").srcObject = stream;
  }

  attachRemote(stream) {
    const video = $("remote-video");
    if (video.srcObject !== stream) {
      video.srcObject = stream;
    }
    video.muted = false;
    // Without a click on this page first (an answer from a link), the browser may refuse sound.
    video.play().catch(() => {
      video.muted = true;
      video.play().catch(() => {});
      $("call-sound").hidden = false;
    });
  }

  #unmuteRemote() {
    for (const video of [$("remote-video"), ...$("call-grid").querySelectorAll("video:not(.tile-next)")]) {
      video.muted = false;
      video.play().catch(() => {});
    }
    $("call-sound").hidden = true;
  }

  /** A line under the videos: "Connecting…", "Reconnecting…", or nothing once media flows. */
  setConnection(text) {
    $("call-connection").textContent = text;
  }

  setMediaPath(path) {
    $("call-path").textContent = path === "relay" ? "Relayed" : "Direct";
    $("call-path").title =
      path === "relay" ? "Media goes through the Vclick relay server" : "Media goes straight between you";
    $("call-path").hidden = false;
  }

  setMuted(muted) {
    $("call-mute").setAttribute("aria-pressed", String(muted));
    $("call-mute").textContent = muted ? "Unmute" : "Mute";
  }

  setCameraOff(off, available) {
    $("call-camera").setAttribute("aria-pressed", String(off));
    $("call-camera").textContent = off ? "Camera on" : "Camera off";
    $("call-camera").disabled = !available;
    $("call-stage").classList.toggle("camera-off", off);
  }

  showEnded({ message, canCallAgain }) {
    this.#stopTimer();
    $("call-message").textContent = message;
    $("call-again").hidden = !canCallAgain;
    this.#show("call-ended", null);
    $("call-dismiss").focus();
  }

  hide() {
    this.#stopTimer();
    this.#show(null, null);
  }

  /** The error line (signaling `error`s, media problems); stays until dismissed or replaced. */
  showError(text) {
    $("error-text").textContent = text;
    $("call-error").hidden = false;
  }

  clearError() {
    $("error-text").textContent = "";
    $("call-error").hidden = true;
  }

  #show(screen, title) {
    for (const id of SCREENS) {
      $(id).hidden = id !== screen;
    }
    $("call-panel").hidden = screen === null;
    if (screen !== "call-active") {
      $("remote-video").srcObject = null;
      $("local-video").srcObject = null;
      $("call-sound").hidden = true;
      this.#resetConference();
    }
    document.title = title ? `${title} — Vclick` : this.#titleBefore;
  }

  /** Back to a two-party stage: no grid, no list of parties, the search closed. */
  #resetConference() {
    $("call-stage").classList.remove("conference");
    $("call-grid").replaceChildren();
    $("call-grid").hidden = true;
    $("call-parties").replaceChildren();
    $("call-parties").hidden = true;
    delete document.body.dataset.parties;
    this.#closeAddPerson();
  }

  #startTimer(since) {
    this.#stopTimer();
    const tick = () => {
      $("call-timer").textContent = formatDuration(Date.now() - since);
    };
    tick();
    this.#timer = setInterval(tick, 1000);
  }

  #stopTimer() {
    clearInterval(this.#timer);
    this.#timer = null;
  }
}
