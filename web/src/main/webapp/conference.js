// A call on the media server (web/SIGNALING.md, "Conferences"): one publish RTCPeerConnection that
// sends this browser's camera and microphone, and one RTCPeerConnection per receive session the
// server offers (the others' media; the offer's `sources` say whose each m-line is). Candidates
// trickle both ways tagged with their session. The ICE servers and relay policy are the two-party
// call's (ice.js): a participant whose policy forces the relay reaches the media server through TURN.
// Who is in the call is the controller's business (call-controller.js); this only moves media.

import { Type } from "./signaling.js";

/** The session id of the publish session in `conference.candidate`. */
export const PUBLISH = "publish";

const TURN_REFRESH_BEFORE_MS = 60_000;
const MAX_PUBLISH_RESTARTS = 3;
const FRAME_POLL_MS = 50;
const FRAME_POLL_LIMIT_MS = 10_000;

/** One negotiated connection with the media server: the publish session or a receive session. */
class Session {
  /** mid → {userId, kind} of the last offer (receive sessions). */
  sources = new Map();
  pending = [];
  queue = Promise.resolve();
  closed = false;

  constructor(id, pc) {
    this.id = id;
    this.pc = pc;
  }
}

/**
 * The media of one conference. Events: `remotestream` (detail: {userId, stream}: that party's
 * stream gained or lost a track), `media` (detail: {userId, kind}: the first audio packet or
 * decoded video frame from that party), `connection` (detail: {sessionId, state}), `failure`
 * (detail: Error: publishing failed for good).
 */
export class Conference extends EventTarget {
  callId;
  localStream;
  /** performance.now() of the first media per `${userId}/${kind}`. */
  firstMedia = new Map();
  /**
   * performance.now() of the first of each step, for tests and benchmarks: `publishOffer` (sent),
   * `published` (the answer), `publishConnected`, `offer` (a receive session's first), `answer`
   * (sent), `receiveConnected` (the first receive session's).
   */
  steps = {};

  #send;
  #iceConfiguration;
  #ice = null;
  #iceValue = null;
  #sessions = new Map();
  #early = new Map();
  #streams = new Map();
  #owners = new Map();
  #closed = false;
  #turnTimer = null;
  #publishRestarts = 0;

  /**
   * @param {object} options
   * @param {string} options.callId
   * @param {MediaStream} options.localStream the camera and microphone (the two-party call's own)
   * @param {(type: string, fields: object) => boolean} options.send sends a signaling message
   * @param {() => Promise<{rtc: RTCConfiguration, expiresAt: number}>} options.iceConfiguration
   */
  constructor({ callId, localStream, send, iceConfiguration }) {
    super();
    this.callId = callId;
    this.localStream = localStream;
    this.#send = send;
    this.#iceConfiguration = iceConfiguration;
  }

  get closed() {
    return this.#closed;
  }

  /**
   * The publish connection, the receive connections, each receive session's connection and whose
   * each of its m-lines is (`sources`: {sessionId: {mid: userId}}), for tests reading getStats().
   */
  peerConnections() {
    const open = [...this.#sessions.values()].filter((s) => !s.closed);
    const receiving = open.filter((s) => s.id !== PUBLISH);
    return {
      publish: open.find((s) => s.id === PUBLISH)?.pc ?? null,
      receive: receiving.map((s) => s.pc),
      sessions: Object.fromEntries(receiving.map((s) => [s.id, s.pc])),
      sources: Object.fromEntries(
        receiving.map((s) => [
          s.id,
          Object.fromEntries([...s.sources].map(([mid, source]) => [mid, source.userId])),
        ]),
      ),
    };
  }

  /** The stream of one other party (empty until its media is offered). */
  streamOf(userId) {
    let stream = this.#streams.get(userId);
    if (!stream) {
      stream = new MediaStream();
      this.#streams.set(userId, stream);
    }
    return stream;
  }

  /** The kinds of media the server announced for `userId` in its receive offers. */
  kindsOf(userId) {
    const kinds = new Set();
    for (const session of this.#sessions.values()) {
      for (const source of session.sources.values()) {
        if (source.userId === userId) {
          kinds.add(source.kind);
        }
      }
    }
    return kinds;
  }

  /** Opens the publish session: the offer with the local tracks goes out as `conference.publish`. */
  async publish() {
    await this.#loadIce();
    if (this.#closed) {
      return;
    }
    const session = this.#session(PUBLISH);
    for (const track of this.localStream.getTracks()) {
      session.pc.addTransceiver(track, { direction: "sendonly", streams: [this.localStream] });
    }
    await this.#offerToPublish(session, {});
  }

  /** `conference.published`: the media server's answer to the publish offer. */
  published({ sdp }) {
    const session = this.#sessions.get(PUBLISH);
    if (!session) {
      return Promise.resolve();
    }
    return this.#serially(session, async () => {
      this.#step("published");
      await session.pc.setRemoteDescription({ type: "answer", sdp });
      await this.#flushCandidates(session);
    });
  }

  /** `conference.offer`: a receive session's offer (new, or again after someone came or went). */
  async offer({ sessionId, sdp, sources }) {
    if (sessionId === PUBLISH || typeof sessionId !== "string") {
      console.warn("conference: an offer for no receive session ignored");
      return;
    }
    await this.#loadIce();
    if (this.#closed) {
      return;
    }
    this.#step("offer");
    const session = this.#sessions.get(sessionId) ?? this.#session(sessionId);
    await this.#serially(session, async () => {
      // Set before the description: its track events need to know whose each m-line is.
      session.sources = new Map(
        (Array.isArray(sources) ? sources : []).map((s) => [
          String(s.mid),
          { userId: s.userId, kind: s.kind },
        ]),
      );
      await session.pc.setRemoteDescription({ type: "offer", sdp });
      await this.#flushCandidates(session);
      await session.pc.setLocalDescription(await session.pc.createAnswer());
      this.#send(Type.CONFERENCE_ANSWER, {
        callId: this.callId,
        sessionId,
        sdp: session.pc.localDescription.sdp,
      });
      this.#step("answer");
      this.#dropStaleTracks(session);
    });
  }

  /** `conference.candidate` of the media server; held until its session's remote description is set. */
  async candidate({ sessionId, candidate, sdpMid, sdpMLineIndex }) {
    const init = { candidate, sdpMid, sdpMLineIndex };
    const session = this.#sessions.get(sessionId);
    if (!session) {
      const early = this.#early.get(sessionId) ?? [];
      early.push(init);
      this.#early.set(sessionId, early);
      return;
    }
    if (!session.pc.remoteDescription) {
      session.pending.push(init);
      return;
    }
    await this.#addCandidate(session, init);
  }

  /** `conference.session.closed`: that receive session's publisher left. */
  sessionClosed({ sessionId }) {
    const session = this.#sessions.get(sessionId);
    if (!session || sessionId === PUBLISH) {
      return;
    }
    this.#closeSession(session);
  }

  /** Closes every connection (the camera and microphone belong to the call: not stopped); idempotent. */
  close() {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    clearTimeout(this.#turnTimer);
    for (const session of this.#sessions.values()) {
      session.closed = true;
      session.pc.close();
    }
  }

  /** The ICE servers, fetched once (then refreshed before the TURN credentials expire). */
  #loadIce() {
    this.#ice ??= this.#iceConfiguration().then((ice) => {
      this.#iceValue = ice;
      this.#scheduleTurnRefresh(ice.expiresAt);
      return ice;
    });
    return this.#ice;
  }

  #session(id) {
    // #loadIce resolved before any session is made.
    const pc = new RTCPeerConnection(this.#iceValue.rtc);
    const session = new Session(id, pc);
    this.#sessions.set(id, session);
    session.pending.push(...(this.#early.get(id) ?? []));
    this.#early.delete(id);
    pc.addEventListener("icecandidate", ({ candidate }) => this.#localCandidate(session, candidate));
    pc.addEventListener("connectionstatechange", () => this.#connectionChanged(session));
    if (id !== PUBLISH) {
      pc.addEventListener("track", (event) => this.#remoteTrack(session, event));
    }
    return session;
  }

  #offerToPublish(session, { iceRestart = false }) {
    return this.#serially(session, async () => {
      await session.pc.setLocalDescription(await session.pc.createOffer({ iceRestart }));
      this.#send(Type.CONFERENCE_PUBLISH, { callId: this.callId, sdp: session.pc.localDescription.sdp });
      this.#step("publishOffer");
    });
  }

  /** Runs one session's SDP steps in arrival order; a failed publish step is a failure of the call here. */
  #serially(session, step) {
    const run = session.queue.then(async () => {
      if (session.closed) {
        return;
      }
      try {
        await step();
      } catch (error) {
        if (session.closed) {
          return;
        }
        console.error(`conference session ${session.id}:`, error);
        if (session.id === PUBLISH) {
          this.#emit("failure", error);
        }
      }
    });
    session.queue = run;
    return run;
  }

  async #flushCandidates(session) {
    for (const init of session.pending.splice(0)) {
      await this.#addCandidate(session, init);
    }
  }

  async #addCandidate(session, init) {
    try {
      await session.pc.addIceCandidate(init);
    } catch (error) {
      console.warn(`conference session ${session.id}: remote ICE candidate refused:`, error);
    }
  }

  #localCandidate(session, candidate) {
    if (!candidate || !candidate.candidate || session.closed) {
      return;
    }
    this.#send(Type.CONFERENCE_CANDIDATE, {
      callId: this.callId,
      sessionId: session.id,
      candidate: candidate.candidate,
      sdpMid: candidate.sdpMid,
      sdpMLineIndex: candidate.sdpMLineIndex,
    });
  }

  #remoteTrack(session, { track, transceiver }) {
    const source = session.sources.get(String(transceiver?.mid));
    if (!source?.userId) {
      console.warn(`conference: a track on m-line ${transceiver?.mid} of no announced source`);
      return;
    }
    const stream = this.streamOf(source.userId);
    if (!stream.getTracks().includes(track)) {
      stream.addTrack(track);
    }
    this.#owners.set(track, { session, userId: source.userId, mid: String(transceiver.mid) });
    track.addEventListener("ended", () => this.#removeTrack(track));
    this.#emit("remotestream", { userId: source.userId, stream });
    this.#watchFirstMedia(session, track, source.userId, String(transceiver.mid));
  }

  /** The first audio packet (an unmuted track) or decoded video frame (inbound-rtp) of a source. */
  #watchFirstMedia(session, track, userId, mid) {
    const key = `${userId}/${track.kind}`;
    if (this.firstMedia.has(key)) {
      return;
    }
    const flowing = () => {
      if (track.kind === "audio") {
        this.#mediaFrom(userId, "audio");
      } else {
        this.#awaitDecodedFrame(session, mid, userId, performance.now() + FRAME_POLL_LIMIT_MS);
      }
    };
    if (track.muted) {
      track.addEventListener("unmute", flowing, { once: true });
    } else {
      flowing();
    }
  }

  async #awaitDecodedFrame(session, mid, userId, giveUpAt) {
    while (!session.closed && !this.#closed && !this.firstMedia.has(`${userId}/video`)) {
      const stats = await session.pc.getStats().catch(() => null);
      let decoded = false;
      stats?.forEach((report) => {
        if (
          report.type === "inbound-rtp" &&
          report.kind === "video" &&
          report.mid === mid &&
          report.framesDecoded > 0
        ) {
          decoded = true;
        }
      });
      if (decoded || performance.now() > giveUpAt) {
        // Past the limit the unmuted track is taken as media: stats without `mid` must not keep a call on two paths.
        this.#mediaFrom(userId, "video");
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, FRAME_POLL_MS));
    }
  }

  #mediaFrom(userId, kind) {
    const key = `${userId}/${kind}`;
    if (this.#closed || this.firstMedia.has(key)) {
      return;
    }
    this.firstMedia.set(key, performance.now());
    this.#emit("media", { userId, kind });
  }

  /** After a renegotiation: tracks of m-lines no longer announced, or inactive, leave their streams. */
  #dropStaleTracks(session) {
    for (const transceiver of session.pc.getTransceivers()) {
      const mid = transceiver.mid === null ? null : String(transceiver.mid);
      const gone =
        mid === null ||
        !session.sources.has(mid) ||
        transceiver.currentDirection === "inactive" ||
        transceiver.currentDirection === "stopped";
      const owner = this.#owners.get(transceiver.receiver.track);
      if (gone && owner) {
        this.#removeTrack(transceiver.receiver.track);
      } else if (!gone && !owner && mid !== null) {
        // A recycled m-line now carries someone else: it fires no new track event.
        this.#remoteTrack(session, { track: transceiver.receiver.track, transceiver });
      }
    }
  }

  #removeTrack(track) {
    const owner = this.#owners.get(track);
    if (!owner) {
      return;
    }
    this.#owners.delete(track);
    const stream = this.#streams.get(owner.userId);
    if (stream?.getTracks().includes(track)) {
      stream.removeTrack(track);
      this.#emit("remotestream", { userId: owner.userId, stream });
    }
  }

  #closeSession(session) {
    session.closed = true;
    this.#sessions.delete(session.id);
    for (const [track, owner] of [...this.#owners]) {
      if (owner.session === session) {
        this.#removeTrack(track);
      }
    }
    session.pc.close();
  }

  #connectionChanged(session) {
    if (session.closed) {
      return;
    }
    const state = session.pc.connectionState;
    if (state === "connected") {
      this.#step(session.id === PUBLISH ? "publishConnected" : "receiveConnected");
    }
    this.#emit("connection", { sessionId: session.id, state });
    if (session.id !== PUBLISH) {
      return; // the media server offers a receive session again (an ICE restart) when it must
    }
    if (state === "connected") {
      this.#publishRestarts = 0;
    } else if (state === "failed") {
      this.#publishRestarts += 1;
      if (this.#publishRestarts <= MAX_PUBLISH_RESTARTS) {
        this.#offerToPublish(session, { iceRestart: true });
      } else {
        this.#emit("failure", new Error("the connection to the media server failed"));
      }
    }
  }

  /** TURN credentials are short-lived: every connection gets new ones a minute before they expire. */
  #scheduleTurnRefresh(expiresAt) {
    if (!Number.isFinite(expiresAt)) {
      return;
    }
    const delay = Math.max(10_000, expiresAt - Date.now() - TURN_REFRESH_BEFORE_MS);
    this.#turnTimer = setTimeout(async () => {
      try {
        const ice = await this.#iceConfiguration();
        if (this.#closed) {
          return;
        }
        this.#iceValue = ice;
        for (const session of this.#sessions.values()) {
          session.pc.setConfiguration(ice.rtc);
        }
        this.#scheduleTurnRefresh(ice.expiresAt);
      } catch (error) {
        console.warn("could not refresh the TURN credentials:", error);
      }
    }, delay);
  }

  #step(name) {
    this.steps[name] ??= performance.now();
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
