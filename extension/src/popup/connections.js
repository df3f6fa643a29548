// The popup's Secure Edge monitor: the peer connections of the current tab as the worker recorded
// them from the page's wrapper (origin, state, candidate types, addresses as the page sees them,
// bytes, duration, decision) and, when the other end also runs Vclick, who that is. Refreshed
// every second while the popup is open. `popup.html?tab=<id>` shows another tab (tests).
import { askWorker } from "../shared/ask-worker.js";
import { byId } from "../shared/dom.js";
import { PAGE } from "../shared/messages.js";

const REFRESH_MS = 1000;
const list = byId("edge-connections");

async function tabId() {
  const asked = Number(new URLSearchParams(location.search).get("tab"));
  if (Number.isInteger(asked) && asked > 0) return asked;
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

/** "1.2 MB", "340 B". */
export function formatBytes(n) {
  if (!Number.isFinite(n)) return "–";
  const units = ["B", "KB", "MB", "GB"];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** "1:05" from two ISO instants (the end defaults to now). */
export function formatDuration(fromIso, toIso) {
  const seconds = Math.max(
    0,
    Math.round(((toIso ? Date.parse(toIso) : Date.now()) - Date.parse(fromIso)) / 1000),
  );
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function row(label, value) {
  const line = document.createElement("div");
  const name = document.createElement("span");
  name.className = "edge-label";
  name.textContent = label;
  const text = document.createElement("span");
  text.textContent = value;
  line.append(name, text);
  return line;
}

function item(c) {
  const li = document.createElement("li");
  const state = c.closedAt ? "closed" : (c.state ?? "new");
  Object.assign(li.dataset, {
    connectionId: c.connectionId,
    state,
    decision: c.decision ?? "",
    localType: c.localCandidateType ?? "",
    remoteType: c.remoteCandidateType ?? "",
    peerUsername: c.peer?.username ?? "",
  });
  const title = document.createElement("div");
  title.className = "edge-origin";
  title.textContent = `${c.origin} — ${state}`;
  li.append(title);
  const peer = c.peer
    ? `${c.peer.displayName ?? c.peer.username} (${c.peer.email ?? c.peer.username})`
    : c.connectedAt
      ? "not known as an enterprise user"
      : "–";
  li.append(
    row("Other end", peer),
    row(
      "Path",
      c.localCandidateType
        ? `${c.localCandidateType} ↔ ${c.remoteCandidateType} (${c.protocol ?? "?"})`
        : "–",
    ),
    row("Addresses", c.localAddress ? `${c.localAddress} ↔ ${c.remoteAddress}` : "–"),
    row("Data", `↑ ${formatBytes(c.bytesSent ?? 0)} ↓ ${formatBytes(c.bytesReceived ?? 0)}`),
    row("Duration", c.connectedAt ? formatDuration(c.connectedAt, c.closedAt) : "–"),
    row("Policy", c.decision ? `${c.decision}${c.rule ? ` (${c.rule})` : ""}` : "–"),
  );
  if (c.endReason) li.append(row("Ended", c.endReason));
  return li;
}

async function refresh(id) {
  const reply = await askWorker(PAGE.EDGE_CONNECTIONS, { tabId: id }, { timeoutMs: 3000 });
  if (!reply.ok) return;
  byId("edge").hidden = false;
  byId("edge-empty").hidden = reply.connections.length > 0;
  list.replaceChildren(...reply.connections.map(item));
}

tabId().then((id) => {
  if (id === null) return;
  refresh(id);
  setInterval(() => refresh(id), REFRESH_MS);
});
