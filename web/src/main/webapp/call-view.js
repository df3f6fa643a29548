// The call screens: outgoing ("Calling…"), incoming (Answer/Decline), in call (videos, mute, camera,
// hang up, timer) and ended (why). Only shows what it is told; call-controller.js decides.

const $ = (id) => document.getElementById(id);

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
  const words = String(name).split(/[\s@._-]+/).filter(Boolean);
  return words
    .slice(0, 2)
    .map((w) => w[0].toUpperCase())
    .join("");
}

const mediaLabel = (media) => (media === "audio" ? "Audio call" : "Video call");

export class CallView {
  #timer = null;
  #titleBefore = document.title;

  /**
   * @param {object} actions what the buttons do: cancel, answer, decline, hangup, toggleMute,
   *   toggleCamera, dismiss, callAgain
   */
  constructor(actions) {
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

  showIncoming({ name, media }) {
    $("call-incoming-name").textContent = name;
    $("call-incoming-avatar").textContent = initials(name);
    $("call-incoming-media").textContent = mediaLabel(media);
    this.setAnswering(false);
    this.#show("call-incoming", `${name} is calling…`);
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
    this.#show("call-active", `In call with ${name}`);
    this.#startTimer(answeredAt);
    $("call-hangup").focus();
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
    const video = $("remote-video");
    video.muted = false;
    video.play().catch(() => {});
    $("call-sound").hidden = true;
  }

  /** A line under the videos: "Connecting…", "Reconnecting…", or nothing once media flows. */
  setConnection(text) {
    $("call-connection").textContent = text;
  }

  setMediaPath(path) {
    $("call-path").textContent = path === "relay" ? "Relayed" : "Direct";
    $("call-path").title = path === "relay" ? "Media goes through the Vclick relay server" : "Media goes straight between you";
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
    }
    document.title = title ? `${title} — Vclick` : this.#titleBefore;
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
