// Secure Edge's bridge (isolated world, document_start, every frame, injected before the
// MAIN-world wrapper): accepts the wrapper's one hello (see main-world/channel.js), answers its
// decision request with the worker's decision for this page, and passes on the connection
// reports it sends, after checking each of them. Nothing the page can reach talks to it: the
// hello is accepted once, before any page script runs, and window messages are never read.
import { CONTENT, FRAME_PORT, PUSH } from "../shared/messages.js";
import { checkPcReport } from "../shared/edge-reports.js";

const HELLO_EVENT = "vclick-edge-hello";
const MAX_REPORTS_PER_MINUTE = 600;

let port = null;
let decisionAsked = false;
let reportsThisMinute = 0;
let minuteStarted = Date.now();

function onHello(event) {
  // Identified by its one port: an event's data does not cross from the MAIN world to this one.
  if (port || !(event instanceof MessageEvent) || event.ports.length !== 1) return;
  port = event.ports[0];
  document.removeEventListener(HELLO_EVENT, onHello, true);
  port.onmessage = (message) => onWrapperMessage(message.data);
  document.dispatchEvent(new MessageEvent(HELLO_EVENT));
}

function onWrapperMessage(message) {
  if (!message || typeof message !== "object") return;
  if (message.type === "decision.request") {
    if (!decisionAsked) {
      decisionAsked = true;
      askDecision();
    }
    return;
  }
  if (message.type === "record") {
    forwardRecording(message);
    return;
  }
  if (message.type === "pc.samples") {
    const waiting = sampleRequests.get(message.requestId);
    sampleRequests.delete(message.requestId);
    const samples = Array.isArray(message.samples)
      ? message.samples.slice(0, 50).map(checkPcReport).filter(Boolean)
      : [];
    waiting?.(samples);
    return;
  }
  if (message.type === "pc") {
    const report = checkPcReport(message);
    if (!report || !withinRate()) return;
    if (report.event === "created") holdFrameOpen();
    chrome.runtime.sendMessage({ type: CONTENT.EDGE_PC, report }).catch(() => {
      // The worker is restarting; a lost sample is replaced by the next one.
    });
  }
}

function withinRate() {
  const now = Date.now();
  if (now - minuteStarted > 60_000) {
    minuteStarted = now;
    reportsThisMinute = 0;
  }
  return ++reportsThisMinute <= MAX_REPORTS_PER_MINUTE;
}

/**
 * Once this frame has made a connection it holds a port to the worker until the frame is gone:
 * a frame that crashes or is killed says nothing, but its port disconnects at once, and the worker
 * then ends its connections still open (edge.js frameGone). A stopped worker disconnects it too:
 * reconnected a second later (which wakes the worker).
 */
let framePort = null;
function holdFrameOpen() {
  if (framePort) return;
  try {
    framePort = chrome.runtime.connect({ name: FRAME_PORT });
  } catch {
    return; // the extension was reloaded: this frame's scripts are orphaned
  }
  framePort.onDisconnect.addListener(() => {
    framePort = null;
    setTimeout(holdFrameOpen, 1000);
  });
}

/** A recorded call's request (main-world/recording.js): checked by the worker, answered to the wrapper. */
async function forwardRecording(message) {
  const requestId = Number.isInteger(message.requestId) ? message.requestId : -1;
  let reply;
  try {
    reply = await chrome.runtime.sendMessage({ type: CONTENT.EDGE_RECORD, request: message });
  } catch (e) {
    reply = { ok: false, status: 0, message: "Vclick is not running." };
  }
  port.postMessage({
    type: "record.reply",
    requestId,
    ok: Boolean(reply?.ok),
    value: reply?.value ?? null,
    status: reply?.status ?? 0,
    message: reply?.message ?? null,
  });
}

async function askDecision() {
  let reply;
  try {
    reply = await chrome.runtime.sendMessage({ type: CONTENT.EDGE_DECISION });
  } catch (e) {
    reply = { ok: false, message: "Vclick is not running." };
  }
  const decision = reply?.ok
    ? reply.decision
    : { decision: "unavailable", reason: reply?.message ?? "Vclick could not get the policy for this page." };
  port.postMessage({ type: "decision", decision });
}

// The popup's monitor pulls fresh samples of this frame's connections (nothing is pushed while
// connections are merely open, so they never keep the worker awake).
const sampleRequests = new Map();
let nextSampleRequest = 1;
chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id || sender.tab) return undefined;
  if (message?.type === PUSH.EDGE_RECORDING_STOPPED) {
    // The server stopped one of this frame's recorded calls: the wrapper fails its connection.
    port?.postMessage({
      type: "record.stopped",
      recordedCallId: String(message.recordedCallId),
      reason: String(message.reason),
    });
    sendResponse({ ok: Boolean(port) });
    return undefined;
  }
  if (message?.type !== PUSH.EDGE_SAMPLES) return undefined;
  if (!port) {
    sendResponse({ ok: true, samples: [] });
    return undefined;
  }
  const requestId = nextSampleRequest++;
  const timer = setTimeout(() => {
    sampleRequests.delete(requestId);
    sendResponse({ ok: true, samples: [] });
  }, 1000);
  sampleRequests.set(requestId, (samples) => {
    clearTimeout(timer);
    sendResponse({ ok: true, samples });
  });
  port.postMessage({ type: "sample.request", requestId });
  return true;
});

document.addEventListener(HELLO_EVENT, onHello, true);
