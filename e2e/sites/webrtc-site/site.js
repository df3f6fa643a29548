// MeetNow's call page, written like a small real site: its own WebSocket signaling (/signal),
// trickle ICE, camera and microphone, no framework. Nothing here knows about Vclick.
//
// index.html?room=R&role=caller|callee&variant=addTrack|addTransceiver&iframe=0|1
//   &media=video|audio|data&ice=stun|none&stun=PORT&autostart=1|0&upgrade=0|1
//
// trickle=0: no candidates on their own; the offer/answer goes out once gathering is complete, with
// every candidate inside (older sites and SIP gateways work this way).
// upgrade=1: once connected, the caller adds its camera to the call (a second offer/answer round
// over the same connection, as sites do when someone turns video on mid-call).
//
// For tests: window.site is plain data (state, error, candidates, descriptions, data messages) plus
// start(), hangUp(), stats() and rawStats(); see e2e/README.md.

import { iceConfiguration } from './ice.js';
import { CLIENT_TYPES, RELAYED, SERVER_TYPES, SIGNAL_PATH } from './protocol.js';

const params = new URLSearchParams(location.search);
const CHOICES = {
  role: ['caller', 'callee'],
  variant: ['addTrack', 'addTransceiver'],
  iframe: ['0', '1'],
  media: ['video', 'audio', 'data'],
  ice: ['stun', 'none'],
  autostart: ['1', '0'],
  upgrade: ['0', '1'],
  trickle: ['1', '0'],
};
const choice = (name) => params.get(name) ?? CHOICES[name][0];
const options = {
  room: params.get('room') ?? 'lobby',
  role: choice('role'),
  variant: choice('variant'),
  iframe: choice('iframe') === '1',
  media: choice('media'),
  ice: choice('ice'),
  autostart: choice('autostart') !== '0',
  upgrade: choice('upgrade') === '1',
  trickle: choice('trickle') !== '0',
};

const statusLine = document.getElementById('status');
const localVideo = document.getElementById('local');
const remoteVideo = document.getElementById('remote');
const chat = document.getElementById('chat');
const startButton = document.getElementById('start');
const hangUpButton = document.getElementById('hangup');
document.getElementById('room').textContent = options.room;
document.getElementById('role').textContent = options.role;

/** What the page publishes (plain data, read by tests through page.evaluate). */
const site = {
  state: 'idle',
  error: null,
  options,
  /** 'top' or 'iframe': whose RTCPeerConnection constructor made the connection. */
  realm: null,
  rtcConfiguration: null,
  iceConnectionState: null,
  connectionState: null,
  iceGatheringState: null,
  localCandidates: [],
  remoteCandidates: [],
  localDescription: null,
  remoteDescription: null,
  dataMessages: [],
  /** Who else is in the room: [{ id, role }]. */
  peers: [],
  /** 'local' or 'remote' once the call has been hung up. */
  endReason: null,
  /** Offer/answer rounds completed after the first one (upgrade=1 adds video in one). */
  renegotiations: 0,
  /**
   * When the steps of the call happened, in ms since the epoch with sub-ms precision
   * (performance.timeOrigin + performance.now(): comparable between pages on one machine); the first
   * offer/answer round only. started, joined; the caller's offerStart (createOffer called),
   * offerCreated, offerSent (set locally and sent), answerReceived, answerSet; the callee's
   * offerReceived, offerSet, answerCreated, answerSent; both: iceConnected, connected, hangUp (this
   * side hung up).
   */
  timing: {},
  start,
  hangUp,
  stats,
  rawStats,
  addCamera: () => {
    upgraded = true;
    return addCamera();
  },
};
window.site = site;

/** An error thrown by one step of the call, with the step's name. */
class StepFailure extends Error {
  constructor(where, cause) {
    super(cause?.message ?? String(cause));
    this.where = where;
    this.cause = cause;
  }
}

async function step(where, fn) {
  try {
    return await fn();
  } catch (e) {
    throw e instanceof StepFailure ? e : new StepFailure(where, e);
  }
}

let pc = null;
let ws = null;
let frame = null;
let localStream = null;
let remoteStream = null;
let channel = null;
let offered = false;
const pendingCandidates = [];
// Signaling messages are handled one after the other: a candidate never overtakes its offer.
let inbox = Promise.resolve();

/** Records the first time of `step` in site.timing. */
function mark(step) {
  site.timing[step] ??= performance.timeOrigin + performance.now();
}

function setState(state, text) {
  site.state = state;
  statusLine.dataset.state = state;
  statusLine.textContent = text;
  hangUpButton.disabled = !['joining', 'connecting', 'connected'].includes(state);
  startButton.disabled = state !== 'idle';
}

function fail(e, where = 'unknown') {
  if (site.state === 'failed' || site.state === 'closed') return;
  const failure = e instanceof StepFailure ? e : new StepFailure(where, e);
  const cause = failure.cause;
  site.error = { name: cause?.name ?? 'Error', message: cause?.message ?? String(cause), where: failure.where };
  console.warn(`call failed in ${site.error.where}:`, cause);
  setState('failed', `Call failed: ${site.error.name}: ${site.error.message}`);
  teardown();
}

function validateOptions() {
  for (const [name, allowed] of Object.entries(CHOICES)) {
    if (!allowed.includes(choice(name))) {
      const e = new Error(`${name}=${choice(name)} is not one of ${allowed.join(', ')}`);
      e.name = 'ConfigError';
      throw e;
    }
  }
}

async function start() {
  if (site.state !== 'idle') return;
  mark('started');
  setState('joining', `Joining room ${options.room}…`);
  try {
    const configuration = await step('config', () => {
      validateOptions();
      return iceConfiguration(params);
    });
    site.rtcConfiguration = configuration;
    if (options.media !== 'data') {
      localStream = await step('getUserMedia', () =>
        navigator.mediaDevices.getUserMedia({ video: options.media === 'video', audio: true }),
      );
      localVideo.srcObject = localStream;
    }
    pc = await step('constructor', () => createPeerConnection(configuration));
    watch(pc);
    if (options.media === 'data' && options.role === 'caller') {
      useChannel(await step('createDataChannel', () => pc.createDataChannel('chat')));
    }
    if (localStream && options.variant === 'addTrack') {
      for (const track of localStream.getTracks()) await step('addTrack', () => pc.addTrack(track, localStream));
    }
    if (localStream && options.variant === 'addTransceiver' && options.role === 'caller') {
      // Transceivers first, the camera later: how sites that show the call before the camera do it.
      for (const kind of kinds()) {
        const transceiver = await step('addTransceiver', () => pc.addTransceiver(kind, { direction: 'sendrecv' }));
        await step('replaceTrack', () => transceiver.sender.replaceTrack(trackOf(kind)));
      }
    }
    await step('signaling', joinRoom);
    mark('joined');
  } catch (e) {
    fail(e);
  }
}

const kinds = () => (options.media === 'video' ? ['video', 'audio'] : ['audio']);
const trackOf = (kind) => localStream.getTracks().find((t) => t.kind === kind) ?? null;

/**
 * The site's RTCPeerConnection. With iframe=1 it comes from a fresh <iframe>'s window, made by
 * script right before: how some sites get an RTCPeerConnection nobody wrapped.
 */
function createPeerConnection(configuration) {
  if (!options.iframe) {
    site.realm = 'top';
    return new RTCPeerConnection(configuration);
  }
  frame = document.createElement('iframe');
  frame.id = 'rtc-frame';
  frame.title = 'rtc';
  frame.hidden = true;
  document.body.append(frame);
  const FramePeerConnection = frame.contentWindow.RTCPeerConnection;
  site.realm = 'iframe';
  return new FramePeerConnection(configuration);
}

function watch(connection) {
  const describeLocal = () => {
    site.localDescription = connection.localDescription?.sdp ?? null;
  };
  connection.onicecandidate = (e) => {
    describeLocal();
    if (!e.candidate || !e.candidate.candidate) return;
    const { candidate, sdpMid, sdpMLineIndex, usernameFragment } = e.candidate;
    site.localCandidates.push(candidate);
    if (options.trickle) {
      signal({ type: RELAYED.CANDIDATE, candidate: { candidate, sdpMid, sdpMLineIndex, usernameFragment } });
    }
  };
  connection.addEventListener('icegatheringstatechange', () => {
    site.iceGatheringState = connection.iceGatheringState;
    describeLocal();
  });
  connection.addEventListener('iceconnectionstatechange', () => {
    site.iceConnectionState = connection.iceConnectionState;
    if (['connected', 'completed'].includes(connection.iceConnectionState)) mark('iceConnected');
  });
  connection.addEventListener('connectionstatechange', () => {
    site.connectionState = connection.connectionState;
    if (connection.connectionState === 'connected') mark('connected');
    if (connection.connectionState === 'connected' && site.state === 'connecting') {
      setState('connected', 'Connected.');
      if (options.upgrade && options.role === 'caller' && !upgraded) {
        upgraded = true;
        addCamera().catch((e) => fail(e, 'upgrade'));
      }
    } else if (connection.connectionState === 'failed') {
      const e = new Error(`the connection failed (ICE ${connection.iceConnectionState})`);
      e.name = 'ConnectionFailed';
      fail(e, 'connection');
    }
  });
  connection.ontrack = (e) => {
    const [stream] = e.streams;
    if (stream) {
      remoteVideo.srcObject = stream;
    } else {
      // Tracks sent without a stream (addTransceiver + replaceTrack on the other side).
      remoteStream ??= new MediaStream();
      remoteStream.addTrack(e.track);
      remoteVideo.srcObject = remoteStream;
    }
  };
  connection.ondatachannel = (e) => useChannel(e.channel);
}

function useChannel(dataChannel) {
  channel = dataChannel;
  channel.onopen = () => {
    if (options.role === 'caller') say('hello');
  };
  channel.onmessage = (e) => {
    const text = String(e.data);
    site.dataMessages.push(text);
    addChatLine(`them: ${text}`);
    if (options.role === 'callee' && text === 'hello') say('hello back');
  };
}

function say(text) {
  channel.send(text);
  addChatLine(`you: ${text}`);
}

function addChatLine(text) {
  const li = document.createElement('li');
  li.textContent = text;
  chat.append(li);
}

// ----------------------------------------------------------------------------------------------
// Signaling over the site's own WebSocket.

function signal(msg) {
  if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
}

/** Opens the WebSocket and joins the room; resolves once the server said who is there. */
function joinRoom() {
  return new Promise((joined, refused) => {
    let inRoom = false;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    ws = new WebSocket(`${scheme}://${location.host}${SIGNAL_PATH}`);
    ws.onopen = () => signal({ type: CLIENT_TYPES.JOIN, room: options.room, role: options.role });
    ws.onmessage = (e) => {
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch {
        return fail(signalingError('the server sent something that is not JSON'), 'signaling');
      }
      if (!inRoom) {
        if (msg.type === SERVER_TYPES.ERROR) return refused(signalingError(`${msg.code}: ${msg.message}`));
        if (msg.type === SERVER_TYPES.JOINED) {
          inRoom = true;
          joined();
        }
      }
      inbox = inbox.then(() => onSignal(msg)).catch((err) => fail(err, 'signaling'));
    };
    ws.onclose = (e) => {
      if (!inRoom) return refused(signalingError(`the signaling server closed the connection (${e.code})`));
      // A call that is up does not need the server any more.
      if (site.state === 'joining' || site.state === 'connecting') {
        fail(signalingError(`lost the signaling server (${e.code})`), 'signaling');
      }
    };
  });
}

function signalingError(message) {
  const e = new Error(message);
  e.name = 'SignalingError';
  return e;
}

async function onSignal(msg) {
  if (site.state === 'failed' || site.state === 'closed') return;
  switch (msg.type) {
    case SERVER_TYPES.JOINED:
      site.peers = msg.peers;
      setState('joining', msg.peers.length ? 'Calling…' : `Waiting for someone to join room ${options.room}…`);
      if (options.role === 'caller' && msg.peers.length) await call();
      break;
    case SERVER_TYPES.PEER_JOINED:
      site.peers = [...site.peers, msg.peer];
      if (options.role === 'caller' && !offered) await call();
      break;
    case SERVER_TYPES.PEER_LEFT:
      site.peers = site.peers.filter((p) => p.id !== msg.peer.id);
      if (offered || site.remoteDescription) end('remote');
      break;
    case SERVER_TYPES.ERROR:
      throw signalingError(`${msg.code}: ${msg.message}`);
    case RELAYED.OFFER:
      await answer(msg.sdp);
      break;
    case RELAYED.ANSWER:
      mark('answerReceived');
      await step('setRemoteDescription', () => pc.setRemoteDescription({ type: 'answer', sdp: msg.sdp }));
      mark('answerSet');
      site.remoteDescription = pc.remoteDescription.sdp;
      await addPendingCandidates();
      if (site.state === 'connected') site.renegotiations += 1;
      break;
    case RELAYED.CANDIDATE:
      if (!msg.candidate?.candidate) break;
      site.remoteCandidates.push(msg.candidate.candidate);
      if (pc.remoteDescription) await step('addIceCandidate', () => pc.addIceCandidate(msg.candidate));
      else pendingCandidates.push(msg.candidate);
      break;
    case RELAYED.BYE:
      end('remote');
      break;
    default:
      console.warn('unknown signaling message', msg.type);
  }
}

let upgraded = false;

/** Without trickle ICE the description goes out only once gathering is complete (it then holds every candidate). */
function gatheringComplete() {
  if (options.trickle || pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (pc.iceGatheringState !== 'complete') return;
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    pc.addEventListener('icegatheringstatechange', check);
  });
}

/** Turns the camera on in a connected call: the new track needs a second offer/answer round. */
async function addCamera() {
  const camera = await step('getUserMedia', () => navigator.mediaDevices.getUserMedia({ video: true }));
  const [track] = camera.getVideoTracks();
  await step('addTrack', () => pc.addTrack(track, camera));
  localVideo.srcObject = camera;
  await call();
}

async function call() {
  offered = true;
  if (site.state !== 'connected') setState('connecting', 'Calling…');
  mark('offerStart');
  const offer = await step('createOffer', () => pc.createOffer());
  mark('offerCreated');
  await step('setLocalDescription', () => pc.setLocalDescription(offer));
  await gatheringComplete();
  site.localDescription = pc.localDescription.sdp;
  signal({ type: RELAYED.OFFER, sdp: pc.localDescription.sdp });
  mark('offerSent');
}

async function answer(sdp) {
  const again = site.state === 'connected';
  if (!again) setState('connecting', 'Answering…');
  mark('offerReceived');
  await step('setRemoteDescription', () => pc.setRemoteDescription({ type: 'offer', sdp }));
  mark('offerSet');
  site.remoteDescription = pc.remoteDescription.sdp;
  if (localStream && options.variant === 'addTransceiver') {
    // The offer made the transceivers: send the camera on them.
    for (const kind of kinds()) {
      const transceiver = pc.getTransceivers().find((t) => t.receiver.track.kind === kind && !t.sender.track);
      if (!transceiver) continue;
      transceiver.direction = 'sendrecv';
      await step('replaceTrack', () => transceiver.sender.replaceTrack(trackOf(kind)));
    }
  }
  await addPendingCandidates();
  const reply = await step('createAnswer', () => pc.createAnswer());
  mark('answerCreated');
  await step('setLocalDescription', () => pc.setLocalDescription(reply));
  await gatheringComplete();
  site.localDescription = pc.localDescription.sdp;
  signal({ type: RELAYED.ANSWER, sdp: pc.localDescription.sdp });
  mark('answerSent');
  if (again) site.renegotiations += 1;
}

async function addPendingCandidates() {
  for (const candidate of pendingCandidates.splice(0)) {
    await step('addIceCandidate', () => pc.addIceCandidate(candidate));
  }
}

// ----------------------------------------------------------------------------------------------
// Ending, stats.

function hangUp() {
  if (!['joining', 'connecting', 'connected'].includes(site.state)) return;
  mark('hangUp');
  signal({ type: RELAYED.BYE });
  end('local');
}

function end(reason) {
  if (site.state === 'failed' || site.state === 'closed') return;
  site.endReason = reason;
  setState('closed', reason === 'local' ? 'You hung up.' : 'The other side hung up.');
  teardown();
}

function teardown() {
  if (pc) {
    pc.close();
    site.connectionState = pc.connectionState;
    site.iceConnectionState = pc.iceConnectionState;
  }
  for (const track of localStream?.getTracks() ?? []) track.stop();
  if (ws && ws.readyState <= WebSocket.OPEN) ws.close(1000, 'call ended');
}

/**
 * The call's numbers from getStats: the selected candidate pair (the transport's, else the
 * nominated succeeded one), video frames decoded and what went over the wire.
 */
async function stats() {
  const result = { pair: null, framesDecoded: 0, packetsReceived: 0, bytesReceived: 0, bytesSent: 0 };
  if (!pc) return result;
  const entries = new Map();
  (await pc.getStats()).forEach((report, id) => entries.set(report.id ?? id, report));
  const all = [...entries.values()];
  const transports = all.filter((r) => r.type === 'transport');
  const selectedId = transports.find((r) => r.selectedCandidatePairId)?.selectedCandidatePairId;
  const pair = entries.get(selectedId) ?? all.find((r) => r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded');
  const candidate = (id) => {
    const c = entries.get(id);
    if (!c) return null;
    const picked = {
      candidateType: c.candidateType,
      address: c.address ?? c.ip ?? null,
      port: c.port,
      protocol: c.protocol,
    };
    if (c.relayProtocol) picked.relayProtocol = c.relayProtocol;
    return picked;
  };
  if (pair) {
    result.pair = {
      state: pair.state,
      local: candidate(pair.localCandidateId),
      remote: candidate(pair.remoteCandidateId),
    };
  }
  for (const r of all) {
    if (r.type !== 'inbound-rtp') continue;
    result.packetsReceived += r.packetsReceived ?? 0;
    if (r.kind === 'video') result.framesDecoded += r.framesDecoded ?? 0;
  }
  for (const t of transports) {
    result.bytesReceived += t.bytesReceived ?? 0;
    result.bytesSent += t.bytesSent ?? 0;
  }
  return result;
}

/** Every report of pc.getStats() as plain data (outbound-rtp, inbound-rtp, transport…); [] before the call. */
async function rawStats() {
  if (!pc) return [];
  const reports = [];
  (await pc.getStats()).forEach((report) => reports.push({ ...report }));
  return reports;
}

startButton.addEventListener('click', () => start());
hangUpButton.addEventListener('click', () => hangUp());
if (options.autostart) start();
