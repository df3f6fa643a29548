// Regulated recording (decision `record`): the media server becomes the man in the middle
// (ARCHITECTURE.md). The browser's real connection negotiates with the media server (leg
// "enterprise"); the page — and through the site's own signaling the far end — sees only the media
// server's descriptions and candidates (leg "far-end"):
//   the page offers:        real offer A, set locally → server → X for the page; the far
//                           end's answer B (setRemoteDescription) → server → Y, set as the real
//                           remote description;
//   the page is offered:    setRemoteDescription(B') → server → X' set as the real remote offer;
//                           real answer A', set → server → Y' for the page.
// Every way a page negotiates maps onto these two rounds: createOffer/createAnswer then
// setLocalDescription(description), implicit setLocalDescription() (perfect negotiation), explicit
// and implicit rollback (glare: an offer arriving in have-local-offer), renegotiation and ICE
// restarts (later rounds), trickle or not. The page's view of the signaling state and of the
// descriptions is kept here (pageView), apart from the real connection's.
// Candidates the page adds (the far end's) go to the server, never to the real connection; the
// page gets the media server's candidates from its description, also as icecandidate events.
// Every step is bounded (the bridge's requests time out): no promise the page gets waits forever.
// The real connection's candidates trickle to the media server after its description. If the call cannot be recorded the server's fail mode applies: blocked
// (NotAllowedError) or, when allowed, an unrecorded relayed call the server audited. A call the
// server stops mid-call (its recording failed under `block`, the media server was lost) is told
// through the bridge (`record.stopped`): `onStopped(pc, state, reason)` fails the page's connection.
import { natives, domError, indexIn, own, splitOn, str, then, weakSet, record, resolved } from "./natives.js";

/** The media sections of an SDP: their mids and candidate lines (for the page's icecandidate events). */
export function candidatesOf(sdp) {
  const found = [];
  let index = -1;
  let mid = null;
  const lines = splitOn(natives.String(sdp), "\n");
  for (let i = 0; i < lines.length; i++) {
    const line = str.endsWith(lines[i], "\r") ? str.slice(lines[i], 0, -1) : lines[i];
    if (str.startsWith(line, "m=")) {
      index++;
      mid = null;
    } else if (str.startsWith(line, "a=mid:")) {
      mid = str.trim(str.slice(line, 6));
    } else if (str.startsWith(line, "a=candidate:") && index >= 0) {
      natives.defineProperty(found, found.length, {
        __proto__: null,
        value: { candidate: str.trim(str.slice(line, 2)), sdpMid: mid, sdpMLineIndex: index },
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
  }
  return found;
}

/**
 * The page's view of a recorded connection's negotiation (W3C signaling states, JSEP rules):
 * what it set, what it was given, which state it is in. Pure bookkeeping, no I/O.
 */
export function createPageView() {
  return {
    state: "stable",
    local: null,
    remote: null,
    /** The last descriptions of a completed round (currentLocal/RemoteDescription). */
    stableLocal: null,
    stableRemote: null,
    /** What createOffer/createAnswer handed the page and it has not set yet. */
    made: null,
    /** A round has completed: media flows through the media server. */
    established: false,
  };
}

/** Throws the browser's InvalidStateError unless `view.state` is one of `states`. */
export function expectState(view, states, what) {
  if (indexIn(states, view.state) < 0) {
    throw domError("InvalidStateError", `Failed to ${what}: Called in wrong state: ${view.state}`);
  }
}

/** Moves the page's view to `state`; a completed round becomes the current descriptions. */
export function enter(view, state) {
  view.state = state;
  if (state === "stable") {
    view.stableLocal = view.local;
    view.stableRemote = view.remote;
    view.established = true;
  }
}

/** The view after a rollback: back to the last stable descriptions. */
export function rollBack(view) {
  view.state = "stable";
  view.local = view.stableLocal;
  view.remote = view.stableRemote;
  view.made = null;
}

/**
 * The recorder of one frame. `request(op, payload)` asks the server through the bridge and
 * resolves with its answer or rejects with {status, message} (it has a deadline). `native` holds
 * the browser's own methods (captured before the page ran). `calls` ({watch(id, onStop),
 * forget(id)}: requests.js) learns of the recorded calls the server stops, and `onStopped(pc,
 * state, reason)` is what happens to such a connection.
 */
export function createRecorder({ win, request, native, calls = null, onStopped = () => {} }) {
  const { apply } = natives;
  const synthetic = weakSet();

  const call = (state) => state.mitm;

  /**
   * The page's DOMException for a refused or unanswered request: NotAllowedError (the connection is
   * blocked, never unrecorded) unless the server refused one exchange as out of order.
   */
  const refusal = (error) => {
    if (error?.name) return error;
    const status = error?.status;
    const why = error?.message ?? "error";
    if (status === 409) return domError("OperationError", `The media server refused this exchange (${why}).`);
    return domError(
      "NotAllowedError",
      status === 503
        ? "This call must be recorded and the recording service is unavailable: it is blocked by your organisation's policy."
        : status === 504
          ? `This call must be recorded and the recording service did not answer in time (${why}).`
          : `This call must be recorded and Vclick could not set that up (${why}).`,
    );
  };

  /** A request to the server whose refusal becomes the page's DOMException. */
  const ask = (op, payload) =>
    then(
      request(op, payload),
      (value) => value,
      (error) => {
        throw refusal(error);
      },
    );

  /** Opens the recorded call once per connection (again after a first-round rollback). */
  const ensureCall = (pc, state, decision) => {
    const m = call(state);
    m.opening ??= then(ask("open", { decisionId: decision.decisionId, connectionId: state.id }), (answer) => {
      if (answer.recorded !== true) {
        m.unrecorded = true;
        return false;
      }
      const id = answer.recordedCallId;
      m.id = id;
      calls?.watch(id, (reason) => {
        if (m.ended || m.id !== id) return;
        m.ended = true; // the server released it already: no hang-up to send
        onStopped(pc, state, reason);
      });
      return true;
    });
    return m.opening;
  };

  /** Runs the exchanges of one call one after the other (offer, answer, candidates in order). */
  const inOrder = (state, step) => {
    const m = call(state);
    const next = then(m.chain, step, step);
    m.chain = then(
      next,
      () => {},
      () => {},
    );
    return next;
  };

  // The browser's constructors, taken now: a page may replace window.RTCSessionDescription later.
  const Description = win.RTCSessionDescription;
  const IceEvent = win.RTCPeerConnectionIceEvent;
  const Candidate = win.RTCIceCandidate;
  /** A description for the page. */
  const description = (type, sdp) => new Description({ type, sdp });
  /**
   * A description for the browser's connection: a record, never an RTCSessionDescription (the
   * browser would read it through RTCSessionDescription.prototype's getters, which a page may replace).
   */
  const forBrowser = (type, sdp) => record({ type, sdp });
  /**
   * `type` or `sdp` of a description the browser made: an RTCSessionDescription (read through the
   * captured getters) or the plain {type, sdp} Chromium resolves createOffer/createAnswer with.
   */
  const partOf = (made, part) => (made instanceof Description ? native[part](made) : own(made, part));
  /**
   * An internal result as a null-prototype box: an async function resolving with a description
   * would look up its `then` (a page can define RTCSessionDescription.prototype.then) and let the
   * page choose what the wrapper continues with.
   */
  const boxed = (made) => record({ made });

  /**
   * The real side offers or answers: set it and hand it to the server at once; its candidates
   * follow as they are gathered (trickleReal), after the description reached the server. Waiting
   * for the whole gathering (~120 ms through a relay) would only delay the call.
   */
  const realSide = async (pc, state, make, args, op) => {
    const m = call(state);
    const real = await apply(make, pc, args);
    await apply(native.setLocalDescription, pc, [forBrowser(partOf(real, "type"), partOf(real, "sdp"))]);
    const sent = ask(op, { id: m.id, from: "enterprise", sdp: native.sdp(native.localDescription(pc)) });
    m.described = then(
      sent,
      () => m.id,
      () => null,
    );
    const answer = await sent;
    return answer.sdp;
  };

  /** A candidate of the real connection: to the media server, after its description. */
  const trickleReal = (state, candidate) => {
    const m = call(state);
    const text = candidate?.candidate;
    if (!text || !m?.described) return;
    const init = {
      candidate: String(text),
      sdpMid: candidate.sdpMid ?? null,
      sdpMLineIndex: candidate.sdpMLineIndex ?? null,
    };
    const described = m.described;
    m.trickle = then(m.trickle, () =>
      then(
        described,
        (id) =>
          id && then(request("candidates", { id, from: "enterprise", candidates: [init] }), null, () => {}),
      ),
    );
  };

  /** After the page set the media server's description, its candidates arrive as events too. */
  const announceCandidates = (pc, sdp) => {
    natives.setTimeout(() => {
      const found = candidatesOf(sdp);
      for (let i = 0; i < found.length; i++) {
        const init = found[i];
        const event = new IceEvent("icecandidate", {
          candidate: new Candidate(found[i]),
        });
        synthetic.add(event);
        apply(native.dispatchEvent, pc, [event]);
      }
      const end = new IceEvent("icecandidate", { candidate: null });
      synthetic.add(end);
      apply(native.dispatchEvent, pc, [end]);
    }, 0);
  };

  /** The media server's offer for the page (made once per round; unchained: callers hold the chain). */
  const makeOffer = async (pc, state, decision, args) => {
    const m = call(state);
    expectState(m.view, ["stable", "have-local-offer"], "execute 'createOffer' on 'RTCPeerConnection'");
    if (m.view.made?.type === "offer") return boxed(m.view.made);
    if (!(await ensureCall(pc, state, decision))) return boxed(null);
    const sdp = await realSide(pc, state, native.createOffer, args, "offer");
    m.view.made = description("offer", sdp);
    return boxed(m.view.made);
  };

  /** The media server's answer for the page (its offer was set by setRemoteDescription). */
  const makeAnswer = async (pc, state, decision, args) => {
    const m = call(state);
    expectState(m.view, ["have-remote-offer"], "execute 'createAnswer' on 'RTCPeerConnection'");
    if (m.view.made?.type === "answer") return boxed(m.view.made);
    if (!(await ensureCall(pc, state, decision))) return boxed(null);
    const sdp = await realSide(pc, state, native.createAnswer, args, "answer");
    m.view.made = description("answer", sdp);
    return boxed(m.view.made);
  };

  /**
   * Undoes the page's open round (glare). The real connection rolls back too. In the first round
   * nothing flows yet: the media server's half-made call is ended and the next description opens a
   * fresh one. In a later round the media server keeps its exchange; a far-end offer then is its
   * answer's replacement, which the adapter refuses clearly (see extension/README.md).
   */
  const rollback = async (pc, state) => {
    const m = call(state);
    expectState(m.view, ["have-local-offer", "have-remote-offer"], "rollback");
    if (native.signalingState(pc) !== "stable") {
      await apply(native.setLocalDescription, pc, [record({ type: "rollback" })]);
    }
    if (!m.view.established && m.id) {
      const id = m.id;
      m.id = null;
      m.opening = null;
      calls?.forget(id);
      then(request("hangup", { id }), null, () => {});
    }
    rollBack(m.view);
  };

  /** The page gets no recording: its own description goes to the browser unchanged. */
  const unrecorded = (pc, method, args) => apply(method, pc, args);

  return {
    /** Whether `state`'s connection runs through the media server. */
    active(state, decision) {
      return decision?.decision === "record" && !call(state)?.unrecorded;
    },
    /** A fresh connection's recording state. */
    attach(state) {
      state.mitm = {
        id: null,
        opening: null,
        unrecorded: false,
        chain: resolved(undefined),
        trickle: resolved(undefined),
        described: null,
        view: createPageView(),
        ended: false,
      };
    },
    isSynthetic: (event) => synthetic.has(event),
    trickleReal,
    createOffer(pc, state, decision, args) {
      return inOrder(state, () => then(makeOffer(pc, state, decision, args), (box) => box.made));
    },
    createAnswer(pc, state, decision, args) {
      return inOrder(state, () => then(makeAnswer(pc, state, decision, args), (box) => box.made));
    },
    /**
     * The page sets a local description: what createOffer/createAnswer gave it, or nothing
     * (implicit: the one its signaling state calls for), or a rollback.
     */
    setLocalDescription(pc, state, decision, given) {
      const m = call(state);
      return inOrder(state, async () => {
        const view = m.view;
        const type = given?.type || (view.state === "have-remote-offer" ? "answer" : "offer");
        if (type === "rollback") return rollback(pc, state);
        const what = "execute 'setLocalDescription' on 'RTCPeerConnection'";
        if (type === "offer") expectState(view, ["stable", "have-local-offer"], what);
        else if (type === "answer" || type === "pranswer") expectState(view, ["have-remote-offer"], what);
        else throw new TypeError(`The provided value '${type}' is not a valid RTCSdpType.`);
        // An implicit offer again while ours waits for its answer (two negotiationneeded handlers
        // racing): the browser would make the same offer again; the media server keeps its own.
        if (type === "offer" && view.state === "have-local-offer" && !given?.sdp && !view.made) return;
        const handed = view.made?.type === type;
        const { made } =
          type === "offer"
            ? await makeOffer(pc, state, decision, [])
            : await makeAnswer(pc, state, decision, []);
        if (made === null) return unrecorded(pc, native.setLocalDescription, given ? [given] : []);
        // A page may munge the SDP it was handed (bandwidth lines...): it signals what it set. An
        // SDP it made up itself cannot reach the media server: it gets the media server's.
        view.local = handed && given?.sdp ? description(made.type, given.sdp) : made;
        view.made = null;
        enter(view, type === "offer" ? "have-local-offer" : "stable");
        announceCandidates(pc, view.local.sdp);
      });
    },
    /** The far end's description, from the site's signaling, goes to the media server. */
    setRemoteDescription(pc, state, decision, given) {
      const m = call(state);
      return inOrder(state, async () => {
        const view = m.view;
        const type = given?.type;
        if (type === "rollback") return rollback(pc, state);
        const what = "execute 'setRemoteDescription' on 'RTCPeerConnection'";
        if (typeof given?.sdp !== "string" || !given.sdp) {
          throw domError("InvalidAccessError", `Failed to ${what}: The remote description has no SDP.`);
        }
        if (type === "offer") {
          // An offer arriving while the page's own waits: implicit rollback (the polite peer).
          if (view.state === "have-local-offer") await rollback(pc, state);
          expectState(view, ["stable", "have-remote-offer"], what);
          if (!(await ensureCall(pc, state, decision)))
            return unrecorded(pc, native.setRemoteDescription, [given]);
          const answer = await ask("offer", { id: m.id, from: "far-end", sdp: given.sdp });
          await apply(native.setRemoteDescription, pc, [forBrowser("offer", answer.sdp)]);
          view.remote = description("offer", given.sdp);
          view.made = null;
          enter(view, "have-remote-offer");
        } else if (type === "answer" || type === "pranswer") {
          expectState(view, ["have-local-offer"], what);
          const answer = await ask("answer", { id: m.id, from: "far-end", sdp: given.sdp });
          await apply(native.setRemoteDescription, pc, [forBrowser("answer", answer.sdp)]);
          view.remote = description(type, given.sdp);
          enter(view, "stable");
        } else {
          throw new TypeError(`The provided value '${type}' is not a valid RTCSdpType.`);
        }
      });
    },
    /**
     * A far-end candidate: for the media server, not for the browser's real connection. Waits for
     * the descriptions set before it (like the browser's operations chain); before any remote
     * description it fails as the browser does; end-of-candidates is accepted.
     */
    addIceCandidate(state, candidate) {
      return inOrder(state, async () => {
        const m = call(state);
        const text = candidate?.candidate;
        if (candidate !== undefined && candidate !== null && typeof candidate !== "object") {
          throw new TypeError("Failed to execute 'addIceCandidate': candidate is not an object.");
        }
        if (!m.view.remote) {
          throw domError(
            "InvalidStateError",
            "Failed to execute 'addIceCandidate' on 'RTCPeerConnection': The remote description was null",
          );
        }
        if (!text || !m.id) return;
        const init = {
          candidate: natives.String(text),
          sdpMid: candidate.sdpMid ?? null,
          sdpMLineIndex: candidate.sdpMLineIndex ?? null,
        };
        if (init.sdpMid === null && init.sdpMLineIndex === null) {
          throw new TypeError(
            "Failed to execute 'addIceCandidate': Candidate missing values for both sdpMid and sdpMLineIndex",
          );
        }
        await ask("candidates", { id: m.id, from: "far-end", candidates: [init] });
      });
    },
    /** The page's view of the descriptions and of the signaling state. */
    localDescription: (state) => call(state).view.local,
    remoteDescription: (state) => call(state).view.remote,
    currentLocalDescription: (state) => call(state).view.stableLocal,
    currentRemoteDescription: (state) => call(state).view.stableRemote,
    pendingLocalDescription: (state) =>
      call(state).view.state === "have-local-offer" ? call(state).view.local : null,
    pendingRemoteDescription: (state) =>
      call(state).view.state === "have-remote-offer" ? call(state).view.remote : null,
    signalingState: (state) => call(state).view.state,
    /** Ends the recorded call on the server (once). */
    hangUp(state) {
      const m = call(state);
      if (!m || m.ended || !m.opening) return;
      m.ended = true;
      then(
        m.opening,
        () => {
          if (!m.id) return;
          calls?.forget(m.id);
          then(request("hangup", { id: m.id }), null, () => {});
        },
        () => {},
      );
    },
  };
}
