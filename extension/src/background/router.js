// Runtime messages by trust tier. Web pages' content scripts are untrusted: they may ask for their
// page's click-to-call configuration, presence of enterprise addresses, and to start a call (which
// only opens the call page: the user still sees whom they call). The extension's own pages (popup,
// options) may also sign in and out. Anything else, or anything malformed, is refused.
import { CONTENT, EDGE, MAX_LOOKUP, PAGE } from "../shared/messages.js";
import { checkPcReport } from "../shared/edge-reports.js";
import { connectionReport, connectionsOf, decisionFor } from "./edge.js";
import { recordedCallRequest } from "./recorded-calls.js";
import { loadSettings, siteEnabled } from "../shared/settings.js";
import { AuthError, currentSession, signIn, signOut, accessToken } from "./auth.js";
import { disconnect, ensureConnected, status, watch } from "./connection.js";
import { forgetAll, lookUpFor } from "./people.js";
import { isEnterpriseEmail } from "../shared/domains.js";
import { parseEmail } from "../content/detection.js";
import { ServerError, clientConfig, postApi, serverUrl } from "./server.js";
import { openCallPage, takeIntent } from "./call-intents.js";
import { addToCall, inCall } from "./add-to-call.js";

/**
 * The web origin whose click-to-call settings apply to a content script's frame: its URL's, or for
 * a local frame (about:blank, about:srcdoc, blob:) the one it inherited from the page that made
 * it (`sender.origin`, which Chromium sets from the frame itself); null for anything else (file:,
 * data:, a sandboxed frame's opaque origin).
 */
export function pageOriginOf(sender) {
  const url = sender.url ?? "";
  if (/^https?:/i.test(url)) return new URL(url).origin;
  if (/^(about|blob):/i.test(url) && /^https?:\/\/[^/]+$/i.test(sender.origin ?? "")) return sender.origin;
  return null;
}

/**
 * Which tier a sender is in: 'page' (our pages), 'content' (a web page's content script, also in
 * a local frame the page filled), 'frame' (the Secure Edge bridge in a tab's other documents:
 * data:, file:, sandboxed; it may send only the EDGE types) or null.
 */
export function tierOf(sender) {
  if (sender.id !== chrome.runtime.id) return null;
  const ours = chrome.runtime.getURL("");
  if (sender.url?.startsWith(ours) || sender.origin === ours.replace(/\/$/, "")) return "page";
  if (sender.tab && pageOriginOf(sender)) return "content";
  if (sender.tab && Number.isInteger(sender.tab.id)) return "frame";
  return null;
}

const refuse = (error, message) => ({ ok: false, error, message });

/** Handles one message; always resolves to a reply. */
export async function route(message, sender) {
  const tier = tierOf(sender);
  if (!tier || typeof message !== "object" || message === null || typeof message.type !== "string") {
    return refuse("forbidden", "Not accepted.");
  }
  try {
    if (tier === "page" && Object.values(PAGE).includes(message.type)) return await pageMessage(message);
    if (EDGE.includes(message.type) && tier !== "page") return await edgeMessage(message, sender);
    if (tier === "content" && Object.values(CONTENT).includes(message.type)) {
      return await contentMessage(message, sender);
    }
    return refuse("unknown-type", `Unknown message type ${String(message.type).slice(0, 40)}.`);
  } catch (e) {
    if (e instanceof AuthError || e instanceof ServerError) return refuse(e.code, e.message);
    console.error("Vclick: a message failed", message.type, e);
    return refuse("internal", "Something went wrong in Vclick.");
  }
}

async function pageMessage(message) {
  switch (message.type) {
    case PAGE.LOGIN: {
      const session = await signIn({ interactive: true });
      await forgetAll();
      await ensureConnected();
      await configChanged();
      return { ok: true, user: { username: session.user.username, displayName: session.user.displayName } };
    }
    case PAGE.LOGOUT:
      disconnect();
      await signOut();
      await forgetAll();
      await ensureConnected();
      await configChanged();
      return { ok: true };
    case PAGE.STATUS:
      return statusReply();
    case PAGE.GATEWAYS:
      return { ok: true, gateways: (await clientConfig({ fresh: true })).telephonyGateways ?? [] };
    case PAGE.EDGE_CONNECTIONS:
      if (!Number.isInteger(message.tabId)) return refuse("invalid", "Bad tab.");
      return connectionsOf(message.tabId);
  }
}

async function edgeMessage(message, sender) {
  switch (message.type) {
    case CONTENT.EDGE_DECISION:
      return decisionFor(sender);
    case CONTENT.EDGE_RECORD:
      return recordedCallRequest(message.request, sender);
    case CONTENT.EDGE_PC: {
      const report = checkPcReport({ ...message.report, type: "pc" });
      if (!report) return refuse("invalid", "Bad connection report.");
      await connectionReport(report, sender);
      return { ok: true };
    }
  }
}

/**
 * The enterprise's email domains: the configured ones, or else the signed-in user's own domain
 * (colleagues share it; nothing else is ever sent to the server).
 */
export function enterpriseDomains(configured, session) {
  if (configured.length > 0) return configured;
  const own = session?.user?.email?.split("@")[1];
  return own ? [own] : [];
}

async function contentMessage(message, sender) {
  if (message.type === CONTENT.CALL_INTENT) return callIntent(message, sender);
  const { values } = await loadSettings();
  const session = await currentSession();
  const emailDomains = enterpriseDomains(values.emailDomains, session);
  // Off when the user turned it off for the frame's site or for the tab's (a portal embedding it).
  const tabUrl = sender.tab.url;
  const enabled =
    siteEnabled(values, pageOriginOf(sender)) &&
    (!/^https?:/i.test(tabUrl ?? "") || siteEnabled(values, new URL(tabUrl).origin));
  switch (message.type) {
    case CONTENT.PAGE_CONFIG:
      return {
        ok: true,
        enabled,
        emailDomains,
        phoneRegion: values.phoneRegion,
        actions: values.actions,
        gateway: await selectedGateway(values.telephonyGateway),
        signedIn: Boolean(session),
        inCall: Boolean(session) && inCall(await status()),
      };
    case CONTENT.PRESENCE_LOOKUP: {
      const emails = message.emails;
      if (!Array.isArray(emails) || emails.length > MAX_LOOKUP) return refuse("invalid", "Bad look-up.");
      const wanted = [
        ...new Set(emails.filter((e) => typeof e === "string").map((e) => e.toLowerCase())),
      ].filter((e) => parseEmail(e) === e && isEnterpriseEmail(e, emailDomains));
      const token = enabled ? await accessToken() : null;
      if (!token || wanted.length === 0) return { ok: true, people: unknownAll(wanted) };
      const { people, watch: userIds } = await lookUpFor(sender.tab.id, wanted, async (unknown) => {
        const answer = await postApi("presence/lookup", { emails: unknown }, token);
        return Array.isArray(answer?.people) ? answer.people : [];
      });
      watch(userIds);
      return { ok: true, people };
    }
    case CONTENT.CALL_START: {
      const to = parseEmail(message.to);
      if (!to || !["video", "audio"].includes(message.media)) return refuse("invalid", "Bad call request.");
      if (!enabled) return refuse("disabled", "Click-to-call is off on this site.");
      return startCall(to, message.media, sender.tab.index + 1);
    }
    case CONTENT.PHONE_CALL:
      return callNumber(message.number);
    case CONTENT.CALL_ADD: {
      const to = parseEmail(message.to);
      if (!to) return refuse("invalid", "Bad address.");
      if (!enabled) return refuse("disabled", "Click-to-call is off on this site.");
      return addToCall(to.toLowerCase(), { server: await serverUrl() });
    }
  }
}

/**
 * Opens the call page placing a call to `to` (an email address) in a new tab: the icon's click is
 * the user's, so the page calls without asking again (call-intents.js).
 */
export async function startCall(to, media, index) {
  const url = new URL("/call", await serverUrl());
  url.searchParams.set("to", to.toLowerCase());
  if (media === "audio") url.searchParams.set("media", "audio");
  await openCallPage(url.toString(), { to: to.toLowerCase(), media }, index);
  return { ok: true };
}

/** The Vclick call page (top frame, the server's origin) asks whether this extension opened it. */
async function callIntent(message, sender) {
  const server = new URL(await serverUrl()).origin;
  if (sender.frameId !== 0 || new URL(sender.url).origin !== server) {
    return refuse("forbidden", "Not the Vclick call page.");
  }
  return { ok: true, confirmed: await takeIntent(sender.tab.id, message.link) };
}

/** A phone call through the selected gateway (gateways arrive with the telephony issue). */
export async function callNumber(number) {
  if (typeof number !== "string" || !/^\+[1-9]\d{4,14}$/.test(number)) {
    return refuse("invalid", "Bad phone number.");
  }
  const { values } = await loadSettings();
  const gateway = await selectedGateway(values.telephonyGateway);
  if (!gateway) {
    return refuse("no-gateway", "No telephony gateway is configured — choose one in the Vclick options.");
  }
  return refuse("gateway-unavailable", `Calls through ${gateway.name} are not available yet.`);
}

/** Who is signed in, the connection and the own presence (the popup's view; tests read it too). */
export async function statusReply() {
  const session = await currentSession();
  return {
    ok: true,
    signedIn: Boolean(session),
    user: session ? { username: session.user.username, displayName: session.user.displayName } : null,
    ...(session ? await status() : { connection: "offline", presence: "offline" }),
    serverUrl: await serverUrl(),
  };
}

function unknownAll(emails) {
  return Object.fromEntries(emails.map((e) => [e, { presence: "unknown" }]));
}

/** The selected gateway if the server still offers it. */
async function selectedGateway(id) {
  if (!id) return null;
  try {
    const offered = (await clientConfig()).telephonyGateways ?? [];
    return offered.find((g) => g.id === id) ?? null;
  } catch (e) {
    return null;
  }
}

/** Tells every tab with a content script to ask for its configuration again. */
export async function configChanged() {
  const tabs = await chrome.tabs.query({ url: ["http://*/*", "https://*/*"] });
  for (const tab of tabs) {
    chrome.tabs.sendMessage(tab.id, { type: "page.config.changed" }).catch(() => {
      // No content script in that tab (restricted page, or loaded before the extension).
    });
  }
}
