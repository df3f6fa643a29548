// The site's own signaling protocol (NOT Vclick's): JSON text messages over one WebSocket at
// /signal, each an object with a `type`. Shared by the page (site.js) and the server
// (e2e/lib/webrtc-site.js), so both sides spell every message the same way.
//
// client -> server   { type: 'join', room, role }              room: 1-64 of [A-Za-z0-9_.-]
//                    { type: 'leave' }
//                    { type: <anything else>, ... }            relayed to the other member(s) of the room
// server -> client   { type: 'joined', room, id, peers: [{ id, role }] }   the members already there
//                    { type: 'peer-joined', peer: { id, role } }
//                    { type: 'peer-left', peer: { id, role } }
//                    { type: 'error', code, message }          a malformed or refused message (the
//                                                              socket stays open; over MAX_MESSAGE_BYTES: closed, 1009)
//                    relayed messages as sent, plus `from` (the sender's id)
// The page relays: { type: 'offer' | 'answer', sdp }, { type: 'candidate', candidate: {candidate,
// sdpMid, sdpMLineIndex, usernameFragment} }, { type: 'bye' }.

export const SIGNAL_PATH = '/signal';
export const MAX_ROOM_MEMBERS = 2;
export const MAX_MESSAGE_BYTES = 64 * 1024;
export const ROOM_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** Message types the server answers itself; a client may not relay them. */
export const SERVER_TYPES = Object.freeze({
  JOINED: 'joined',
  PEER_JOINED: 'peer-joined',
  PEER_LEFT: 'peer-left',
  ERROR: 'error',
});

export const CLIENT_TYPES = Object.freeze({ JOIN: 'join', LEAVE: 'leave' });

/** Messages the page relays to the other member. */
export const RELAYED = Object.freeze({ OFFER: 'offer', ANSWER: 'answer', CANDIDATE: 'candidate', BYE: 'bye' });

/** `code` of an error reply. */
export const ERRORS = Object.freeze({
  BAD_JSON: 'bad-json',
  BAD_MESSAGE: 'bad-message',
  BAD_ROOM: 'bad-room',
  ROOM_FULL: 'room-full',
  ALREADY_JOINED: 'already-joined',
  NOT_JOINED: 'not-joined',
});
