// Regulated recording (decision `record`): the media server becomes the man in the middle
// (ARCHITECTURE.md). The browser's real connection negotiates with the media server (leg
// "enterprise"); the page — and through the site's own signaling the far end — sees only the media
// server's descriptions and candidates (leg "far-end"):
//   the page offers first:  createOffer → real offer A, set locally, gathered → server → X for the
//                           page; the far end's answer B (setRemoteDescription) → server → Y, set
//                           as the real remote description;
//   the page is offered:    setRemoteDescription(B') → server → X' set as the real remote offer;
//                           createAnswer → real answer A', set, gathered → server → Y' for the page.
// Candidates the page adds (the far end's) go to the server, never to the real connection; the
// page gets the media server's candidates from its description, also as icecandidate events.
// If the call cannot be recorded the server's fail mode applies: blocked (the page's connection
// fails with NotAllowedError) or, when allowed, an unrecorded relayed call the server audited.
import { natives, domError } from "./natives.js";

const GATHERING_TIMEOUT_MS = 5_000;

/** The media sections of an SDP: their mids and candidate lines (for the page's icecandidate events). */
export function candidatesOf(sdp) {
  const found = [];
  let index = -1;
  let mid = null;
  for (const line of String(sdp).split(/\r?\n/)) {
    if (line.startsWith("m=")) {
      index++;
      mid = null;
    } else if (line.startsWith("a=mid:")) {
      mid = line.slice(6).trim();
    } else if (line.startsWith("a=candidate:") && index >= 0) {
      found.push({ candidate: line.slice(2).trim(), sdpMid: mid, sdpMLineIndex: index });
    }
  }
  return found;
}

/**
 * The recorder of one frame. `request(op, payload)` asks the server through the bridge and
 * resolves with its answer or rejects with {status, message}. `native` holds the browser's own
 * methods (captured before the page ran).
 */
export function createRecorder({ win, request, native }) {
  const { apply } = natives;
  const then = natives.Promise.prototype.then;
  const synthetic = new natives.WeakSet();

  const call = (state) => state.mitm;

  /** Opens the recorded call once per connection; false when the server let it go unrecorded. */
  const ensureCall = (state, decision) => {
    const m = call(state);
    m.opening ??= apply(then, request("open", { decisionId: decision.decisionId, connectionId: state.id }), [
      (answer) => {
        if (!answer.recorded) {
          m.unrecorded = true;
          return false;
        }
        m.id = answer.recordedCallId;
        return true;
      },
      (error) => {
        throw domError(
          "NotAllowedError",
          error?.status === 503
            ? "This call must be recorded and the recording service is unavailable: it is blocked by your organisation's policy."
            : `This call must be recorded and Vclick could not set that up (${error?.message ?? "error"}).`,
        );
      },
    ]);
    return m.opening;
  };

  /** Runs the exchanges of one call one after the other (offer, answer, candidates in order). */
  const inOrder = (state, step) => {
    const m = call(state);
    const next = apply(then, m.chain, [step, step]);
    m.chain = apply(then, next, [() => {}, () => {}]);
    return next;
  };

  const gathered = (pc) =>
    new natives.Promise((resolve) => {
      if (native.iceGatheringState(pc) === "complete") return resolve();
      const timer = natives.setTimeout(resolve, GATHERING_TIMEOUT_MS);
      apply(native.addEventListener, pc, [
        "icegatheringstatechange",
        () => {
          if (native.iceGatheringState(pc) === "complete") {
            clearTimeout(timer);
            resolve();
          }
        },
      ]);
    });

  const description = (type, sdp) => new win.RTCSessionDescription({ type, sdp });

  /** The real side offers or answers: set it, gather, hand the full SDP to the server. */
  const realSide = async (pc, state, make, args, op) => {
    const real = await apply(make, pc, args);
    await apply(native.setLocalDescription, pc, [real]);
    await gathered(pc);
    const full = native.localDescription(pc).sdp;
    const answer = await request(op, { id: call(state).id, from: "enterprise", sdp: full });
    return answer.sdp;
  };

  /** After the page set the media server's description, its candidates arrive as events too. */
  const announceCandidates = (pc, sdp) => {
    natives.setTimeout(() => {
      for (const init of candidatesOf(sdp)) {
        const event = new win.RTCPeerConnectionIceEvent("icecandidate", {
          candidate: new win.RTCIceCandidate(init),
        });
        synthetic.add(event);
        apply(native.dispatchEvent, pc, [event]);
      }
      const end = new win.RTCPeerConnectionIceEvent("icecandidate", { candidate: null });
      synthetic.add(end);
      apply(native.dispatchEvent, pc, [end]);
    }, 0);
  };

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
        chain: natives.Promise.resolve(),
        role: null,
        pageLocal: null,
        pageRemote: null,
        offered: null,
        ended: false,
      };
    },
    isSynthetic: (event) => synthetic.has(event),
    ensureCall,
    createOffer(pc, state, decision, args) {
      return inOrder(state, async () => {
        if (!(await ensureCall(state, decision))) return null;
        const sdp = await realSide(pc, state, native.createOffer, args, "offer");
        call(state).role = "offerer";
        call(state).offered = description("offer", sdp);
        return call(state).offered;
      });
    },
    createAnswer(pc, state, decision, args) {
      return inOrder(state, async () => {
        if (!(await ensureCall(state, decision))) return null;
        const sdp = await realSide(pc, state, native.createAnswer, args, "answer");
        call(state).offered = description("answer", sdp);
        return call(state).offered;
      });
    },
    /** The page sets what it got from createOffer/createAnswer (the media server's SDP). */
    setLocalDescription(pc, state, decision, given) {
      const m = call(state);
      return inOrder(state, async () => {
        if (!given || !given.sdp) {
          // Implicit description: make the one this signaling state calls for.
          const kind = native.signalingState(pc) === "have-remote-offer" ? "createAnswer" : "createOffer";
          m.offered = null;
          const made = await this[kind](pc, state, decision, []);
          if (made === null) return apply(native.setLocalDescription, pc, []);
          m.pageLocal = made;
        } else {
          m.pageLocal = description(given.type, given.sdp);
        }
        m.offered = null;
        announceCandidates(pc, m.pageLocal.sdp);
      });
    },
    /** The far end's description, from the site's signaling, goes to the media server. */
    setRemoteDescription(pc, state, decision, given) {
      const m = call(state);
      return inOrder(state, async () => {
        if (!(await ensureCall(state, decision))) return undefined;
        if (given.type === "offer") {
          const answer = await request("offer", { id: m.id, from: "far-end", sdp: given.sdp });
          await apply(native.setRemoteDescription, pc, [description("offer", answer.sdp)]);
          m.role = "answerer";
        } else {
          const answer = await request("answer", { id: m.id, from: "far-end", sdp: given.sdp });
          await apply(native.setRemoteDescription, pc, [description("answer", answer.sdp)]);
        }
        m.pageRemote = description(given.type, given.sdp);
      });
    },
    /** A far-end candidate: for the media server, not for the browser's real connection. */
    addIceCandidate(state, candidate) {
      if (!candidate || !candidate.candidate) return natives.Promise.resolve();
      const init = {
        candidate: String(candidate.candidate),
        sdpMid: candidate.sdpMid ?? null,
        sdpMLineIndex: candidate.sdpMLineIndex ?? null,
      };
      return inOrder(state, async () => {
        const m = call(state);
        if (!m.id) return;
        await request("candidates", { id: m.id, from: "far-end", candidates: [init] });
      });
    },
    /** The page's view of the descriptions. */
    localDescription: (state) => call(state).pageLocal,
    remoteDescription: (state) => call(state).pageRemote,
    /** Ends the recorded call on the server (once). */
    hangUp(state) {
      const m = call(state);
      if (!m || m.ended || !m.opening) return;
      m.ended = true;
      apply(then, m.opening, [
        () => m.id && apply(then, request("hangup", { id: m.id }), [null, () => {}]),
        () => {},
      ]);
    },
  };
}
