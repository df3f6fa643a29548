// The calling state of this tab: at most one call, from invite or incoming to ended. It turns
// signaling messages and button presses into the call's life, tells the view what to show and
// publishes the state for tests on <body>: data-call, data-call-id, data-end-reason, data-media-path,
// and for a call with more than two parties data-parties and data-conference (SIGNALING.md).
// A call that grows past two parties goes onto the media server (conference.js), make before
// break: the peer-to-peer connection stays until the conference carries the former peer's media.

import { CallConnection } from "./call.js";
import { addEndedText, endMessage, errorText } from "./call-texts.js";
import { namesText } from "./names.js";
import { Conference } from "./conference.js";
import { Type } from "./signaling.js";

/** States in which a call holds this tab (no second call can start). */
const LIVE = new Set(["outgoing", "incoming", "active"]);

/** Error codes that mean "this invite was refused" when the error does not say what it answers. */
const INVITE_ERRORS = new Set(["unknown-user", "in-call", "invalid", "forbidden", "call-full"]);
/**
 * Make before break, both ways: once this browser receives the former peer through the conference it
 * shows that, but keeps sending on the direct path at least this long, and at least as long again as
 * its own switch took from conference.join (the peer's conference stream of us is set up in the same
 * steps and, on a loaded machine, took over 10 s), so that the peer never sees a gap. (Either side's
 * close ends it sooner.)
 */
const DIRECT_GRACE_MS = 10_000;

/** A two-party call's TURN credentials are reused for its conference while they live at least this long. */
const ICE_REUSE_MIN_LIFE_MS = 2 * 60_000;

/** A correlation id for call.invite (crypto.randomUUID needs a secure context; this does not). */
function randomRef() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * One entry of welcome.calls in a known shape: {callId, state: "ringing"|"active", role:
 * "caller"|"callee", peer, peerName, media}. Accepts the usual spellings of each field.
 */
export function normaliseWelcomeCall(entry, myId) {
  const lower = (value) => (typeof value === "string" ? value.toLowerCase() : "");
  let role = lower(entry.role ?? entry.direction);
  if (role === "incoming") role = "callee";
  if (role === "outgoing") role = "caller";
  if (!role && entry.caller) {
    role = (entry.caller.userId ?? entry.caller.id ?? entry.caller) === myId ? "caller" : "callee";
  }
  const peer = entry.peer && typeof entry.peer === "object" ? entry.peer : null;
  return {
    callId: entry.callId ?? entry.id,
    state: lower(entry.state ?? entry.status),
    role,
    peer: peer ? (peer.id ?? peer.userId) : entry.peer,
    peerName: entry.peerName ?? peer?.name ?? peer?.displayName ?? "",
    media: lower(entry.media) === "audio" ? "audio" : "video",
  };
}

/** Events: `change` (the state changed), `historychanged` (a call ended: the call log moved). */
export class CallController extends EventTarget {
  #signaling;
  #view;
  #iceConfiguration;
  #call = null;
  #state = "idle";
  #autoAnswer = null;
  #myId;

  /** @param {{myId?: string}} options also: `signaling`, `view`, `iceConfiguration` */
  constructor({ signaling, view, iceConfiguration, myId = null }) {
    super();
    this.#signaling = signaling;
    this.#view = view;
    this.#iceConfiguration = iceConfiguration;
    this.#myId = myId;
    const on = (type, handler) =>
      signaling.addEventListener(type, (event) => handler.call(this, event.detail));
    on(Type.CALL_RINGING, this.#ringing);
    on(Type.CALL_MERGED, this.#merged);
    on(Type.CALL_INCOMING, this.#incoming);
    on(Type.CALL_ANSWERED, this.#answered);
    on(Type.SDP, this.#sdp);
    on(Type.CANDIDATE, this.#candidate);
    on(Type.CALL_ENDED, this.#ended);
    on(Type.CALL_PARTIES, this.#parties);
    on(Type.CALL_ADD_ENDED, this.#addEnded);
    on(Type.CONFERENCE_JOIN, this.#conferenceJoin);
    on(Type.CONFERENCE_PUBLISHED, (m) => this.#conferenceOf(m)?.published(m));
    on(Type.CONFERENCE_OFFER, (m) => this.#conferenceOf(m)?.offer(m));
    on(Type.CONFERENCE_CANDIDATE, (m) => this.#conferenceOf(m)?.candidate(m));
    on(Type.CONFERENCE_SESSION_CLOSED, (m) => this.#conferenceOf(m)?.sessionClosed(m));
    on(Type.ERROR, this.#error);
    on("welcome", this.#welcomed);
    on("state", this.#socketState);
    this.#publish();
  }

  get state() {
    return this.#state;
  }

  /** True while a call holds this tab. */
  get isBusy() {
    return LIVE.has(this.#state);
  }

  /** The current call's RTCPeerConnection, or null (for tests reading getStats). */
  get peerConnection() {
    const connection = this.#call?.connection;
    return connection && !connection.closed ? connection.pc : null;
  }

  /**
   * The conference of the current call, or null: its publish and receive RTCPeerConnections, how
   * the escalation went ({joinedAt, peerMediaAt, directClosedAt, firstFrameAfterSwitchAt}) and when
   * this tab answered and first got each party's media (`firstMedia`: {"<userId>/<kind>": time}),
   * and when each step toward the media server was first taken (`steps`: conference.join, then
   * conference.js' steps), all performance.now() times, for tests and benchmarks.
   */
  get conference() {
    const call = this.#call;
    if (!call?.conference || call.conference.closed) {
      return null;
    }
    return {
      ...call.conference.peerConnections(),
      escalation: { ...call.escalation },
      answeredAt: call.answeredPerf,
      firstMedia: Object.fromEntries(call.conference.firstMedia),
      steps: { joined: call.escalation?.joinedAt ?? null, ...call.conference.steps },
    };
  }

  /** Invites `person` ({id, displayName}) into the active call. */
  add(person) {
    const call = this.#call;
    if (this.#state !== "active" || !call.callId) {
      return false;
    }
    const ref = randomRef();
    call.invited.set(ref, person.id);
    call.inviteNames.set(person.id, person.displayName);
    if (!this.#signaling.send(Type.CALL_ADD, { callId: call.callId, ref, to: person.id })) {
      this.#view.showError("Not connected to Vclick right now; please try again in a moment.");
      return false;
    }
    this.#view.clearError();
    return true;
  }

  /** Gives up inviting `userId` into the call (before they answer). */
  cancelAdd(userId) {
    const call = this.#call;
    if (this.#state === "active") {
      this.#signaling.send(Type.CALL_ADD_CANCEL, { callId: call.callId, userId });
    }
  }

  /** The user ids in the current call (joined or ringing), for the "Add person" search. */
  get partyIds() {
    return (this.#call?.parties ?? []).filter((p) => p.state !== "left").map((p) => p.userId);
  }

  /**
   * Calls `to` (user id, username or email; or a list of them: several people at once, each rung;
   * the first to answer is the direct peer, the next one takes the call onto the media server);
   * `name` is shown until the server names the callee; `people` ({id, displayName}) name each of a
   * list in the texts of their invites' ends.
   */
  call({ to, media = "video", name = to, people = [] }) {
    if (this.isBusy) {
      this.#view.showError("You are already in a call.");
      return false;
    }
    if (!this.#signaling.isOpen) {
      this.#view.showError("Not connected to Vclick right now; please try again in a moment.");
      return false;
    }
    this.#view.clearError();
    const ref = randomRef();
    const call = this.#newCall({ ref, to, role: "caller", peerId: null, peerName: name, media });
    call.calledAs = { to, name, people };
    for (const person of people) {
      call.inviteNames.set(person.id, person.displayName);
    }
    this.#signaling.send(Type.CALL_INVITE, { ref, to, media });
    this.#setState("outgoing");
    this.#view.showOutgoing({ name: call.peerName, media, ringing: false });
    // Camera and relay credentials while it rings, so the offer can go out at once on the answer.
    call.connection.prepare().catch((error) => this.#failed(call, error));
    return true;
  }

  /** Answers `callId` as soon as it rings here (a link `/call?id=…&answer=1`). */
  answerWhenRinging(callId) {
    if (this.#state === "incoming" && this.#call.callId === callId) {
      this.answer();
    } else {
      this.#autoAnswer = callId;
    }
  }

  async answer() {
    const call = this.#call;
    if (this.#state !== "incoming" || call.answering) {
      return;
    }
    call.answering = true;
    call.answeredPerf = performance.now(); // the user's answer (the camera opens after it)
    this.#view.setAnswering(true);
    try {
      // Ready before the answer goes out: the caller's offer follows it at once.
      await call.connection.prepare();
    } catch (error) {
      call.answering = false;
      if (call === this.#call && this.#state === "incoming") {
        this.#view.setAnswering(false);
        this.#view.showError(`Could not answer: ${error.message}`);
      }
      return;
    }
    if (call !== this.#call || this.#state !== "incoming") {
      return; // cancelled while the camera opened
    }
    if (!this.#signaling.send(Type.CALL_ANSWER, { callId: call.callId })) {
      call.answering = false;
      this.#view.setAnswering(false);
      this.#view.showError("Not connected to Vclick right now; please try again in a moment.");
      return;
    }
    this.#activate(call);
  }

  decline() {
    if (this.#state !== "incoming") {
      return;
    }
    this.#signaling.send(Type.CALL_DECLINE, { callId: this.#call.callId });
    this.#finish(this.#call, "declined", { byMe: true });
  }

  cancel() {
    if (this.#state !== "outgoing") {
      return;
    }
    const call = this.#call;
    if (call.callId) {
      this.#signaling.send(Type.CALL_CANCEL, { callId: call.callId });
    } else {
      call.cancelWhenRinging = true; // the server has not named the call yet
    }
    this.#finish(call, "cancelled", { byMe: true });
  }

  /** Hangs up a two-party call; leaves a conference (the others go on). */
  hangup() {
    if (this.#state !== "active") {
      return;
    }
    const call = this.#call;
    if (call.conference) {
      this.#signaling.send(Type.CALL_LEAVE, { callId: call.callId });
      this.#finish(call, "left", { byMe: true });
    } else {
      this.#signaling.send(Type.CALL_HANGUP, { callId: call.callId });
      this.#finish(call, "hangup", { byMe: true });
    }
  }

  toggleMute() {
    const call = this.#call;
    if (this.#state !== "active") {
      return;
    }
    call.muted = !call.muted;
    call.connection.setMicrophoneEnabled(!call.muted);
    this.#view.setMuted(call.muted);
  }

  toggleCamera() {
    const call = this.#call;
    if (this.#state !== "active" || !call.connection.hasCamera) {
      return;
    }
    call.cameraOff = !call.cameraOff;
    call.connection.setCameraEnabled(!call.cameraOff);
    this.#view.setCameraOff(call.cameraOff, true);
  }

  dismiss() {
    if (this.#state === "ended") {
      this.#setState("idle");
      this.#view.hide();
    }
  }

  callAgain() {
    const call = this.#call;
    if (this.#state === "ended" && call) {
      if (Array.isArray(call.calledAs?.to) && call.calledAs.to.length > 1) {
        this.call({ ...call.calledAs, media: call.media }); // everyone called at once, again
        return;
      }
      this.call({ to: call.peerId ?? call.to, media: call.media, name: call.peerName });
    }
  }

  #newCall({ ref = null, to = null, callId = null, role, peerId, peerName, media }) {
    this.#call?.connection.close();
    const connection = new CallConnection({
      media,
      send: (type, fields) => this.#signaling.send(type, fields),
      iceConfiguration: this.#iceConfiguration,
    });
    connection.callId = callId;
    const call = { ref, to, callId, role, peerId, peerName: peerName || to || "Someone", media, connection };
    call.answeredAt = null;
    call.parties = null; // [{userId, name, state}] once the server lists them (call.parties)
    call.invited = new Map(); // call.add ref → user id
    call.inviteNames = new Map(); // user id → name, until call.parties names them
    call.conference = null;
    call.escalation = null;
    const mine = (handler) => (event) => {
      if (call === this.#call && !call.finished) {
        handler(event.detail);
      }
    };
    // Once the call is on the media server the peer-to-peer connection only bridges the switch:
    // its state, path and failure no longer concern the call.
    const direct = (handler) => mine((detail) => !call.conference && handler(detail));
    connection.addEventListener(
      "localstream",
      mine((stream) => this.#state === "active" && this.#view.attachLocal(stream)),
    );
    connection.addEventListener(
      "remotestream",
      direct((stream) => this.#state === "active" && this.#view.attachRemote(stream)),
    );
    connection.addEventListener(
      "connection",
      direct((state) => this.#connectionState(call, state)),
    );
    connection.addEventListener(
      "mediapath",
      direct((path) => this.#mediaPath(path)),
    );
    connection.addEventListener(
      "warning",
      mine((text) => this.#view.showError(text)),
    );
    connection.addEventListener(
      "failure",
      direct((error) => this.#failed(call, error)),
    );
    this.#call = call;
    delete document.body.dataset.endReason;
    delete document.body.dataset.mediaPath;
    this.#setCallId(callId);
    return call;
  }

  #setCallId(callId) {
    if (callId) {
      document.body.dataset.callId = callId;
    } else {
      delete document.body.dataset.callId;
    }
  }

  #setState(state) {
    this.#state = state;
    this.#publish();
    this.dispatchEvent(new Event("change"));
  }

  #publish() {
    document.body.dataset.call = this.#state;
  }

  #activate(call) {
    call.answeredAt = Date.now();
    call.answeredPerf ??= performance.now();
    this.#setState("active");
    this.#view.showActive({ name: call.peerName, media: call.media, answeredAt: call.answeredAt });
    if (call.connection.localStream) {
      this.#view.attachLocal(call.connection.localStream);
    }
    if (call.connection.remoteStream.getTracks().length > 0) {
      this.#view.attachRemote(call.connection.remoteStream);
    }
    if (call.parties) {
      this.#showParties(call);
    }
  }

  /**
   * Ends the call here: media off, the ended screen, or nothing (`dismiss`, a decline, another tab's
   * answer).
   */
  #finish(call, reason, { byMe, message, dismiss = false } = {}) {
    call.finished = true;
    call.conference?.close();
    call.connection.close();
    delete document.body.dataset.conference;
    const duration = call.answeredAt === null ? null : Date.now() - call.answeredAt;
    document.body.dataset.endReason = reason;
    if (dismiss || reason === "answered-elsewhere" || (reason === "declined" && byMe)) {
      this.#setState("idle");
      this.#view.hide();
    } else {
      this.#setState("ended");
      this.#view.showEnded({
        message:
          message ??
          endMessage(reason, {
            name: call.peerName,
            role: call.role,
            byMe,
            duration,
            conference: Boolean(call.conference),
          }),
        canCallAgain: Boolean(call.peerId ?? call.to),
      });
    }
    this.dispatchEvent(new Event("historychanged"));
  }

  /** The call cannot go on here (no relay credentials, an SDP step failed): leave it properly. */
  #failed(call, error) {
    if (call !== this.#call || call.finished) {
      return;
    }
    console.error("call failed:", error);
    const message = `The call could not go on: ${error.message}`;
    if (this.#state === "outgoing") {
      if (call.callId) {
        this.#signaling.send(Type.CALL_CANCEL, { callId: call.callId });
      } else {
        call.cancelWhenRinging = true;
      }
      this.#finish(call, "cancelled", { byMe: true, message });
    } else if (this.#state === "active") {
      this.#signaling.send(call.conference ? Type.CALL_LEAVE : Type.CALL_HANGUP, { callId: call.callId });
      this.#finish(call, call.conference ? "left" : "hangup", { byMe: true, message });
    } else {
      this.#view.showError(message); // incoming: the user may still decline
    }
  }

  #connectionState(call, state) {
    if (this.#state !== "active") {
      return;
    }
    if (state === "connected") {
      this.#view.setConnection("");
    } else if (state === "disconnected") {
      this.#view.setConnection("Connection interrupted; reconnecting…");
    } else if (state === "failed") {
      if (call.role !== "caller") {
        this.#view.setConnection("Connection lost; waiting for the other side to reconnect…");
      } else if (call.connection.mayRestartIce()) {
        this.#view.setConnection("Connection lost; reconnecting…");
        call.connection.offer({ iceRestart: true });
      } else {
        this.#signaling.send(Type.CALL_HANGUP, { callId: call.callId });
        this.#finish(call, "connection-lost", { byMe: false });
      }
    }
  }

  #mediaPath(path) {
    document.body.dataset.mediaPath = path;
    this.#view.setMediaPath(path);
  }

  #socketState(state) {
    if (state !== "open" && this.#state === "active") {
      this.#view.setConnection("Signaling connection lost; reconnecting… (the call goes on)");
    }
  }

  // --- signaling messages ---

  #ringing({ callId, ref, peer, peerName }) {
    const call = this.#call;
    if (!call || call.ref !== ref) {
      return;
    }
    call.callId = callId;
    call.connection.callId = callId;
    call.peerId = peer;
    if (!this.#callsSeveral(call)) {
      call.peerName = peerName || call.peerName; // several called: "Bob and Carol" until one answers
    }
    if (call.cancelWhenRinging) {
      this.#signaling.send(Type.CALL_CANCEL, { callId });
      return;
    }
    if (this.#state === "outgoing") {
      this.#setCallId(callId);
      this.#view.showOutgoing({ name: call.peerName, media: call.media, ringing: true });
    }
  }

  #callsSeveral(call) {
    return Array.isArray(call.to) && call.to.length > 1;
  }

  /** Our invite crossed the callee's invite to us: we are the callee of their call, already answered. */
  #merged({ ref, callId, peer, peerName, media }) {
    let call = this.#call;
    if (!call || call.ref !== ref) {
      return;
    }
    if (call.finished) {
      this.#signaling.send(Type.CALL_HANGUP, { callId }); // cancelled before the merge was known
      return;
    }
    if (media !== call.media) {
      call = this.#newCall({ ref, to: call.to, callId, role: "callee", peerId: peer, peerName, media });
      call.connection.prepare().catch((error) => this.#failed(call, error));
    }
    Object.assign(call, { callId, role: "callee", peerId: peer, peerName: peerName || call.peerName });
    call.connection.callId = callId;
    this.#setCallId(callId);
    this.#activate(call); // the offer comes from the other side
  }

  #incoming({ callId, peer, peerName, media, parties }) {
    if (this.isBusy) {
      if (this.#call.callId !== callId) {
        console.warn("an incoming call while in a call: ignored");
      }
      return;
    }
    const call = this.#newCall({ callId, role: "callee", peerId: peer, peerName, media });
    // An invitation into a call: `parties` are those already in it.
    const already = Array.isArray(parties) ? parties.filter((p) => p && p.userId !== this.#myId) : [];
    if (already.length > 0) {
      call.parties = already.map((p) => ({ userId: p.userId, name: p.name, state: "joined" }));
    }
    this.#setState("incoming");
    this.#view.showIncoming({ name: call.peerName, media, parties: already.map((p) => p.name) });
    if (this.#autoAnswer === callId) {
      this.#autoAnswer = null;
      this.answer();
    }
  }

  #answered({ callId }) {
    const call = this.#call;
    if (!call || call.callId !== callId || call.role !== "caller" || this.#state !== "outgoing") {
      return;
    }
    this.#activate(call);
    call.connection.offer();
  }

  #sdp(message) {
    const call = this.#call;
    if (call && call.callId === message.callId && !call.finished) {
      call.connection.receiveSdp(message);
    }
  }

  #candidate(message) {
    const call = this.#call;
    if (call && call.callId === message.callId && !call.finished) {
      call.connection.receiveCandidate(message);
    }
  }

  #ended({ callId, reason }) {
    const call = this.#call;
    // Busy and offline end an invite before any call.ringing named it.
    const unnamedInvite =
      call?.callId === null && this.#state === "outgoing" && reason !== "answered-elsewhere";
    const ours = call && !call.finished && this.isBusy && (call.callId === callId || unnamedInvite);
    if (!ours) {
      this.dispatchEvent(new Event("historychanged")); // e.g. the server's word on a call ended here
      return;
    }
    call.callId = callId;
    call.connection.callId = callId;
    this.#setCallId(callId);
    this.#finish(call, reason, { byMe: false });
  }

  // --- calls with more than two parties ---

  /** The conference of `message`'s call when it is this tab's live call. */
  #conferenceOf(message) {
    const call = this.#call;
    return call && !call.finished && call.callId === message.callId ? call.conference : null;
  }

  #parties({ callId, parties }) {
    const call = this.#call;
    if (!call || call.finished || call.callId !== callId || !Array.isArray(parties)) {
      return;
    }
    call.parties = parties.map((p) => ({
      userId: p.userId,
      name: p.name || call.inviteNames.get(p.userId) || "Someone",
      state: p.state,
    }));
    const others = call.parties.filter((p) => p.userId !== this.#myId && p.state === "joined");
    if (!call.conference && others.length === 1 && others[0].userId !== call.peerId) {
      // Before the conference the one other joined party is the direct peer (of an invite to several, the first who answered).
      call.peerId = others[0].userId;
      call.peerName = others[0].name;
    }
    if (this.#state !== "active") {
      return;
    }
    this.#showParties(call);
    for (const party of call.parties) {
      if (party.state === "left") {
        this.#view.removeTile(party.userId);
        if (this.#onDirectPath(call, party.userId)) {
          call.connection.closePeerConnection(); // gone before the conference carried them
          call.escalation.directClosedAt = performance.now();
        }
      } else if (call.conference && party.state === "joined" && party.userId !== this.#myId) {
        this.#view.setTile(party.userId, { name: party.name });
      }
    }
    this.dispatchEvent(new Event("change"));
  }

  #showParties(call) {
    const cancellable = new Set(call.invited.values());
    this.#view.setParties(call.parties, { myId: this.#myId, cancellable });
    const others = call.parties
      .filter((p) => p.userId !== this.#myId && p.state === "joined")
      .map((p) => p.name);
    if (others.length > 0) {
      this.#view.setActiveName(namesText(others));
    }
  }

  #addEnded({ callId, ref, userId, reason }) {
    const call = this.#call;
    if (!call || call.finished || call.callId !== callId) {
      return;
    }
    const mine = ref !== undefined && call.invited.has(ref);
    if (mine) {
      call.invited.delete(ref);
    }
    const name =
      call.parties?.find((p) => p.userId === userId)?.name ??
      call.inviteNames.get(userId) ??
      "The person you invited";
    if (mine || reason !== "cancelled") {
      this.#view.showError(addEndedText(reason, name));
    }
  }

  /** The call is a conference now: publish toward the media server, keep the direct path until it is replaced. */
  #conferenceJoin({ callId, parties }) {
    const call = this.#call;
    if (!call || call.finished || call.callId !== callId || this.#state !== "active" || call.conference) {
      return;
    }
    if (Array.isArray(parties)) {
      // Everyone listed here is in the conference (this message carries no states).
      this.#parties({ callId, parties: parties.map((p) => ({ ...p, state: p.state ?? "joined" })) });
    }
    const conference = new Conference({
      callId,
      localStream: call.connection.localStream ?? new MediaStream(),
      send: (type, fields) => this.#signaling.send(type, fields),
      iceConfiguration: this.#iceReusing(call.connection.ice),
    });
    call.conference = conference;
    const keepsDirect = call.connection.negotiated && !call.connection.closed;
    call.escalation = {
      joinedAt: performance.now(),
      keepsDirect,
      peerMediaAt: null,
      directClosedAt: null,
      firstFrameAfterSwitchAt: null,
    };
    if (!keepsDirect) {
      call.connection.closePeerConnection(); // an invitee's: never negotiated
    }
    document.body.dataset.conference = "joining";
    delete document.body.dataset.mediaPath;
    this.#view.setConnection("Connecting to the conference…");
    this.#view.showConference();
    for (const party of call.parties ?? []) {
      if (party.userId !== this.#myId && party.state === "joined") {
        this.#view.setTile(party.userId, { name: party.name });
      }
    }
    if (keepsDirect && call.peerId) {
      // The former peer stays on screen (and heard) through the direct path meanwhile.
      this.#view.setTile(call.peerId, {
        name: this.#nameOf(call, call.peerId),
        stream: call.connection.remoteStream,
      });
    }
    const mine = (handler) => (event) => {
      if (call === this.#call && !call.finished && call.conference === conference) {
        handler(event.detail);
      }
    };
    conference.addEventListener(
      "remotestream",
      mine(({ userId, stream }) => this.#conferenceStream(call, userId, stream)),
    );
    conference.addEventListener(
      "media",
      mine(({ userId, kind }) => this.#conferenceMedia(call, userId, kind)),
    );
    conference.addEventListener(
      "connection",
      mine((detail) => this.#conferenceConnection(call, detail)),
    );
    conference.addEventListener(
      "failure",
      mine((error) => this.#failed(call, error)),
    );
    conference.publish().catch((error) => this.#failed(call, error));
  }

  /**
   * The ICE configuration for a conference: first the two-party call's own while its TURN
   * credentials have a while to live (one server round trip less on the way to the media server),
   * fresh ones after that (the conference refreshes them before they expire).
   */
  #iceReusing(ice) {
    let first = true;
    return () => {
      const reuse =
        first && ice && Number.isFinite(ice.expiresAt) && ice.expiresAt - Date.now() > ICE_REUSE_MIN_LIFE_MS;
      first = false;
      return reuse ? Promise.resolve(ice) : this.#iceConfiguration();
    };
  }

  #nameOf(call, userId) {
    return (
      call.parties?.find((p) => p.userId === userId)?.name ??
      (userId === call.peerId ? call.peerName : call.inviteNames.get(userId)) ??
      "Someone"
    );
  }

  /** The former peer is shown through the direct path until the conference carries their media. */
  #onDirectPath(call, userId) {
    const escalation = call.escalation;
    return (
      userId === call.peerId &&
      escalation?.keepsDirect &&
      escalation.directClosedAt === null &&
      escalation.peerMediaAt === null
    );
  }

  #conferenceStream(call, userId, stream) {
    if (userId === this.#myId || this.#onDirectPath(call, userId) || this.#hasLeft(call, userId)) {
      return; // a late stream event of someone who left must not bring their tile back
    }
    this.#view.setTile(userId, { name: this.#nameOf(call, userId), stream });
  }

  #hasLeft(call, userId) {
    return call.parties?.some((p) => p.userId === userId && p.state === "left") ?? false;
  }

  #conferenceMedia(call, userId, kind) {
    if (this.#onDirectPath(call, userId)) {
      const wanted = call.conference.kindsOf(userId).has("video") ? "video" : "audio";
      if (kind === wanted) {
        this.#switchFromDirect(call, userId);
      }
    }
    this.#conferenceState(call);
  }

  /**
   * Make before break: the conference carries the former peer's media, which is shown from now on
   * (its tile switches on the first frame it presents); the direct path closes after the grace (the
   * peer may not receive us through the conference yet).
   */
  #switchFromDirect(call, userId) {
    const escalation = call.escalation;
    escalation.peerMediaAt = performance.now();
    // The tile keeps showing (and playing) the direct stream until the conference's presents a frame.
    this.#view
      .setTile(userId, { name: this.#nameOf(call, userId), stream: call.conference.streamOf(userId) })
      .then((at) => {
        escalation.firstFrameAfterSwitchAt = at;
      });
    const grace = Math.max(DIRECT_GRACE_MS, escalation.peerMediaAt - escalation.joinedAt);
    setTimeout(() => {
      if (escalation.directClosedAt === null) {
        call.connection.closePeerConnection();
        escalation.directClosedAt = performance.now();
      }
    }, grace);
  }

  #conferenceConnection(call, { sessionId, state }) {
    if (sessionId === "publish") {
      if (state === "disconnected" || state === "failed") {
        this.#view.setConnection("Connection to the conference interrupted; reconnecting…");
      }
    }
    this.#conferenceState(call);
  }

  /** "active" once this browser publishes (connected) and receives someone's media. */
  #conferenceState(call) {
    const publish = call.conference.peerConnections().publish;
    const receiving = call.conference.firstMedia.size > 0;
    if (publish?.connectionState === "connected" && receiving) {
      if (document.body.dataset.conference !== "active") {
        document.body.dataset.conference = "active";
        this.#view.setConnection("");
      }
    }
  }

  #error(error) {
    const call = this.#call;
    if (error.code === "not-in-call") {
      console.warn("signaling:", error.code, error.detail); // a late candidate after the end
      return;
    }
    const text = errorText(error, Array.isArray(call?.to) ? null : call?.to);
    const aboutInvite =
      this.#state === "outgoing" &&
      call.callId === null &&
      (error.inReplyTo === Type.CALL_INVITE ||
        error.inReplyTo === call.ref ||
        (!error.inReplyTo && INVITE_ERRORS.has(error.code)));
    if (aboutInvite) {
      // The invite was refused: no call happened, the error line says why.
      this.#finish(call, error.code, { byMe: false, dismiss: true });
    }
    this.#view.showError(text);
  }

  /** A new (or renewed) socket: rebind the call we hold, or show one that rings for us. */
  #welcomed(welcome) {
    const calls = (Array.isArray(welcome.calls) ? welcome.calls : []).map((c) =>
      normaliseWelcomeCall(c, welcome.userId),
    );
    const call = this.#call;
    if (this.isBusy) {
      const known = call.callId && calls.find((c) => c.callId === call.callId);
      if (!known) {
        // It ended while we were away (a ringing caller's call ends with its connection).
        this.#finish(call, "connection-lost", { byMe: false });
      } else if (this.#state !== "incoming") {
        this.#signaling.send(Type.CALL_RESUME, { callId: call.callId });
        this.#view.setConnection("");
      }
      return;
    }
    // A call link's call is taken even if the entry does not say whose it is: the server decides.
    const linked = (c) => c.callId === this.#autoAnswer && (c.state === "ringing" || c.state === "");
    const ringing = calls.find((c) => (c.state === "ringing" && c.role === "callee") || linked(c));
    if (ringing) {
      this.#incoming(ringing);
    }
  }
}
