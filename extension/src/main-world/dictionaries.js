// Page-supplied dictionaries (descriptions, candidates, offer options) are read exactly once into
// the wrapper's own plain copies: a page's getter cannot answer one thing to the policy check and
// another to the browser.

/** An RTCSessionDescriptionInit: undefined/null stay as they are (implicit description). */
export function readDescription(given) {
  if (given === undefined || given === null) return undefined;
  if (typeof given !== "object" && typeof given !== "function") return given;
  const type = given.type;
  const sdp = given.sdp;
  const copy = {};
  if (type !== undefined) copy.type = String(type);
  if (sdp !== undefined && sdp !== null) copy.sdp = String(sdp);
  return copy;
}

/** An RTCIceCandidateInit (or RTCIceCandidate): null/undefined is the end of candidates. */
export function readCandidate(given) {
  if (given === undefined || given === null) return given;
  if (typeof given !== "object" && typeof given !== "function") return given;
  const copy = {};
  for (const key of ["candidate", "sdpMid", "sdpMLineIndex", "usernameFragment"]) {
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
  const copy = {};
  for (const key of OFFER_OPTIONS) {
    const value = given[key];
    if (value !== undefined)
      copy[key] = key.startsWith("offerToReceive") && typeof value === "number" ? value : Boolean(value);
  }
  return copy;
}
