// Page-supplied dictionaries (descriptions, candidates, offer options, capture constraints) are
// read exactly once into the wrapper's own null-prototype copies: a page's getter cannot answer
// one thing to the policy check and another to the browser, and a member the page left out is
// never found on a page-written Object.prototype.
import { natives, record, str } from "./natives.js";

const { String, Number, Boolean } = natives;

/** An RTCSessionDescriptionInit: undefined/null stay as they are (implicit description). */
export function readDescription(given) {
  if (given === undefined || given === null) return undefined;
  if (typeof given !== "object" && typeof given !== "function") return given;
  const type = given.type;
  const sdp = given.sdp;
  const copy = record();
  if (type !== undefined) copy.type = String(type);
  if (sdp !== undefined && sdp !== null) copy.sdp = String(sdp);
  return copy;
}

const CANDIDATE_KEYS = ["candidate", "sdpMid", "sdpMLineIndex", "usernameFragment"];

/** An RTCIceCandidateInit (or RTCIceCandidate): null/undefined is the end of candidates. */
export function readCandidate(given) {
  if (given === undefined || given === null) return given;
  if (typeof given !== "object" && typeof given !== "function") return given;
  const copy = record();
  for (let i = 0; i < CANDIDATE_KEYS.length; i++) {
    const key = CANDIDATE_KEYS[i];
    const value = given[key];
    if (value === undefined) continue;
    copy[key] = value === null ? null : key === "sdpMLineIndex" ? Number(value) : String(value);
  }
  return copy;
}

const OFFER_OPTIONS = ["iceRestart", "offerToReceiveAudio", "offerToReceiveVideo", "voiceActivityDetection"];

/** RTCOfferOptions / RTCAnswerOptions: the known members only. */
export function readOptions(given) {
  if (given === undefined || given === null || typeof given !== "object") return undefined;
  const copy = record();
  for (let i = 0; i < OFFER_OPTIONS.length; i++) {
    const key = OFFER_OPTIONS[i];
    const value = given[key];
    if (value !== undefined)
      copy[key] = str.startsWith(key, "offerToReceive") && typeof value === "number" ? value : Boolean(value);
  }
  return copy;
}

const CONSTRAINT_KEYS = ["audio", "video", "peerIdentity", "preferCurrentTab"];

/**
 * getUserMedia's MediaStreamConstraints, read once: `audio` and `video` (a boolean, or a
 * constraints object passed on as the page gave it: whatever it holds, it asks for the device),
 * and the other members the browser knows. The browser then reads only this copy.
 */
export function readConstraints(given) {
  const copy = record();
  if (given === null || (typeof given !== "object" && typeof given !== "function")) return copy;
  for (let i = 0; i < CONSTRAINT_KEYS.length; i++) {
    const value = given[CONSTRAINT_KEYS[i]];
    if (value !== undefined) copy[CONSTRAINT_KEYS[i]] = value;
  }
  return copy;
}
