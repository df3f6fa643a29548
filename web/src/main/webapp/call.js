// One call's media: the local camera/microphone, the RTCPeerConnection and its SDP/ICE exchange over
// the signaling socket. The caller offers once the callee answered; candidates are trickled both ways
// and the remote ones are held until the remote description is set. Which call, who and when is the
// controller's business (call-controller.js); this only moves media.

import { Type } from "./signaling.js";

const TURN_REFRESH_BEFORE_MS = 60_000;
const MAX_ICE_RESTARTS = 3;
const PAIR_LOOKUPS = 10;
const PAIR_LOOKUP_INTERVAL_MS = 300;

/** The camera and microphone for `media` ("video" or "audio"), with fallbacks; never throws. */
async function openLocalMedia(media) {
  if (!navigator.mediaDevices?.getUserMedia) {
    return {
      stream: new MediaStream(),
      warning: "This page cannot use a camera or microphone (it needs HTTPS).",
    };
  }
  if (media === "video") {
    try {
      return {
        stream: await navigator.mediaDevices.getUserMedia({ audio: true, video: true }),
        warning: null,
      };
    } catch (error) {
      console.warn("camera and microphone:", error);
    }
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    return {
      stream,
      warning: media === "video" ? "No camera: the other side hears you but cannot see you." : null,
    };
  } catch (error) {
    console.warn("microphone:", error);
    return { stream: new MediaStream(), warning: "No microphone: you can hear and see, but not be heard." };
  }
}

/**
 * The selected candidate pair of a connection, as {local, remote} candidate stats, or null if none is
 * selected yet.
 */
export async function selectedCandidatePair(pc) {
  const stats = await pc.getStats();
  let pair = null;
  stats.forEach((report) => {
    if (report.type === "transport" && report.selectedCandidatePairId) {
      pair = stats.get(report.selectedCandidatePairId) ?? pair;
    }
  });
  if (!pair) {
    stats.forEach((report) => {
      if (!pair && report.type === "candidate-pair" && report.nominated && report.state === "succeeded") {
        pair = report;
      }
    });
  }
  if (!pair) {
    return null;
  }
  return { local: stats.get(pair.localCandidateId), remote: stats.get(pair.remoteCandidateId) };
}

/** "relay" when either end of the pair is a TURN relay candidate, else "direct". */
export function mediaPathOf(pair) {
  return pair.local?.candidateType === "relay" || pair.remote?.candidateType === "relay" ? "relay" : "direct";
}

/**
 * The media of one call. Events: `localstream`, `remotestream` (detail: MediaStream), `connection`
 * (detail: the connectionState), `mediapath` (detail: "relay" | "direct"), `warning` (detail: text),
 * `failure` (detail: Error: the call cannot go on).
 */
export class CallConnection extends EventTarget {
  /** The server's call id (null for a caller until call.ringing). */
  callId = null;
  media;
  pc = null;
  localStream = null;
  remoteStream = new MediaStream();
  mediaPath = null;
  /** The ICE configuration ({rtc, expiresAt}) the peer connection uses, once prepared. */
  ice = null;

  #send;
  #iceConfiguration;
  #ready = null;
  #closed = false;
  #peerClosed = false;
  #pendingCandidates = [];
  #sdpQueue = Promise.resolve();
  #turnTimer = null;
  #iceRestarts = 0;

  /**
   * @param {object} options
   * @param {string} options.media "video" or "audio"
   * @param {(type: string, fields: object) => boolean} options.send sends a signaling message
   * @param {() => Promise<{rtc: RTCConfiguration, expiresAt: number}>} options.iceConfiguration
   */
  constructor({ media, send, iceConfiguration }) {
    super();
    this.media = media;
    this.#send = send;
    this.#iceConfiguration = iceConfiguration;
  }

  /** True once closed, or once its peer connection was closed while the conference took over. */
  get closed() {
    return this.#closed || this.#peerClosed;
  }

  /** Opens the camera/microphone and creates the peer connection (once; later calls share it). */
  prepare() {
    this.#ready ??= this.#setUp();
    return this.#ready;
  }

  async #setUp() {
    const [ice, local] = await Promise.all([this.#iceConfiguration(), openLocalMedia(this.media)]);
    if (this.#closed) {
      local.stream.getTracks().forEach((track) => track.stop());
      throw new Error("the call is over");
    }
    this.localStream = local.stream;
    this.dispatchEvent(new CustomEvent("localstream", { detail: local.stream }));
    if (local.warning) {
      this.#emit("warning", local.warning);
    }
    this.ice = ice;
    const pc = new RTCPeerConnection(ice.rtc);
    pc.addEventListener("icecandidate", (event) => this.#localCandidate(event.candidate));
    pc.addEventListener("track", (event) => this.#remoteTrack(event));
    pc.addEventListener("connectionstatechange", () => this.#connectionChanged());
    for (const track of local.stream.getTracks()) {
      pc.addTrack(track, local.stream);
    }
    this.pc = pc;
    this.#scheduleTurnRefresh(ice.expiresAt);
  }

  /** Caller: creates and sends the offer (again with an ICE restart when the connection failed). */
  offer({ iceRestart = false } = {}) {
    return this.#serially(async () => {
      await this.prepare();
      const pc = this.pc;
      // Without a local track of a kind, still ask to receive it.
      const kinds = this.media === "video" ? ["audio", "video"] : ["audio"];
      for (const kind of kinds) {
        if (!pc.getTransceivers().some((t) => t.receiver.track.kind === kind)) {
          pc.addTransceiver(kind, { direction: "recvonly" });
        }
      }
      await pc.setLocalDescription(await pc.createOffer({ iceRestart }));
      this.#send(Type.SDP, { callId: this.callId, kind: "offer", sdp: pc.localDescription.sdp });
    });
  }

  /** An `sdp` message of the other party: an offer is answered, an answer is applied. */
  receiveSdp({ kind, sdp }) {
    return this.#serially(async () => {
      await this.prepare();
      const pc = this.pc;
      if (kind === "offer") {
        await pc.setRemoteDescription({ type: "offer", sdp });
        await this.#flushCandidates();
        await pc.setLocalDescription(await pc.createAnswer());
        this.#send(Type.SDP, { callId: this.callId, kind: "answer", sdp: pc.localDescription.sdp });
      } else if (kind === "answer") {
        await pc.setRemoteDescription({ type: "answer", sdp });
        await this.#flushCandidates();
      } else {
        console.warn(`sdp of unknown kind '${kind}' ignored`);
      }
    });
  }

  /** A `candidate` message of the other party; held until the remote description is set. */
  async receiveCandidate({ candidate, sdpMid, sdpMLineIndex }) {
    const init = { candidate, sdpMid, sdpMLineIndex };
    if (!this.pc?.remoteDescription) {
      this.#pendingCandidates.push(init);
      return;
    }
    await this.#addCandidate(init);
  }

  setMicrophoneEnabled(enabled) {
    this.localStream?.getAudioTracks().forEach((track) => (track.enabled = enabled));
  }

  setCameraEnabled(enabled) {
    this.localStream?.getVideoTracks().forEach((track) => (track.enabled = enabled));
  }

  get hasCamera() {
    return (this.localStream?.getVideoTracks().length ?? 0) > 0;
  }

  /**
   * Closes the peer connection but keeps the camera and microphone running: the call went onto the
   * media server (conference.js publishes the same tracks). close() stops them later.
   */
  closePeerConnection() {
    if (this.closed) {
      return;
    }
    this.#peerClosed = true;
    clearTimeout(this.#turnTimer);
    this.pc?.close();
  }

  /** Whether the other party's description was ever set (a conference's invitee never gets one). */
  get negotiated() {
    return Boolean(this.pc?.remoteDescription);
  }

  /** Stops everything; idempotent. */
  close() {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    clearTimeout(this.#turnTimer);
    this.localStream?.getTracks().forEach((track) => track.stop());
    if (!this.#peerClosed) {
      this.pc?.close();
    }
  }

  /** Runs SDP steps one after the other, in arrival order; a failure ends the call. */
  #serially(step) {
    const run = this.#sdpQueue.then(async () => {
      if (this.closed) {
        return;
      }
      try {
        await step();
      } catch (error) {
        if (!this.closed) {
          this.#emit("failure", error);
        }
      }
    });
    this.#sdpQueue = run;
    return run;
  }

  async #flushCandidates() {
    for (const init of this.#pendingCandidates.splice(0)) {
      await this.#addCandidate(init);
    }
  }

  async #addCandidate(init) {
    try {
      await this.pc.addIceCandidate(init);
    } catch (error) {
      // One bad candidate must not end the call: the others may still connect.
      console.warn("remote ICE candidate refused:", error);
    }
  }

  #localCandidate(candidate) {
    if (!candidate || !candidate.candidate || this.closed) {
      return; // end of gathering
    }
    this.#send(Type.CANDIDATE, {
      callId: this.callId,
      candidate: candidate.candidate,
      sdpMid: candidate.sdpMid,
      sdpMLineIndex: candidate.sdpMLineIndex,
    });
  }

  #remoteTrack(event) {
    if (!this.remoteStream.getTracks().includes(event.track)) {
      this.remoteStream.addTrack(event.track);
    }
    this.dispatchEvent(new CustomEvent("remotestream", { detail: this.remoteStream }));
  }

  #connectionChanged() {
    const state = this.pc.connectionState;
    this.#emit("connection", state);
    if (state === "connected") {
      this.#iceRestarts = 0;
      this.#reportMediaPath(PAIR_LOOKUPS);
    }
  }

  /** Whether the caller should try an ICE restart after the connection failed (a few times at most). */
  mayRestartIce() {
    this.#iceRestarts += 1;
    return this.#iceRestarts <= MAX_ICE_RESTARTS;
  }

  async #reportMediaPath(attemptsLeft) {
    if (this.closed) {
      return;
    }
    const pair = await selectedCandidatePair(this.pc).catch(() => null);
    if (!pair) {
      if (attemptsLeft > 1) {
        setTimeout(() => this.#reportMediaPath(attemptsLeft - 1), PAIR_LOOKUP_INTERVAL_MS);
      }
      return;
    }
    const path = mediaPathOf(pair);
    if (path !== this.mediaPath) {
      this.mediaPath = path;
      this.#send(Type.CALL_MEDIA, { callId: this.callId, path });
      this.#emit("mediapath", path);
    }
  }

  /** TURN credentials are short-lived: hand the connection new ones a minute before they expire. */
  #scheduleTurnRefresh(expiresAt) {
    if (!Number.isFinite(expiresAt)) {
      return;
    }
    const delay = Math.max(10_000, expiresAt - Date.now() - TURN_REFRESH_BEFORE_MS);
    this.#turnTimer = setTimeout(async () => {
      try {
        const ice = await this.#iceConfiguration();
        if (!this.closed) {
          this.ice = ice;
          this.pc.setConfiguration(ice.rtc);
          this.#scheduleTurnRefresh(ice.expiresAt);
        }
      } catch (error) {
        console.warn("could not refresh the TURN credentials:", error);
      }
    }, delay);
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
