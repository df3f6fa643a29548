// The Vclick web app: sign in with Keycloak (authorization code + PKCE through keycloak-js), show who
// you are, search the directory with everyone's presence, make and take calls, list recent calls.
// This file wires the parts together; each lives in its own module.

import { CallController } from "./call-controller.js";
import {
  acceptExtensionAdds,
  callLink,
  confirmCall,
  extensionOpenedFor,
  forgetCallLink,
} from "./call-link.js";
import { CallView } from "./call-view.js";
import { DirectoryView } from "./directory.js";
import { HistoryView } from "./history.js";
import { iceConfiguration } from "./ice.js";
import { namesText } from "./names.js";
import { reasonOf, startSession } from "./session.js";
import { SignalingClient, Type, signalingUrl } from "./signaling.js";

const $ = (id) => document.getElementById(id);

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

function showMe(me) {
  $("me-display").textContent = me.displayName;
  $("me-email").textContent = me.email || "—";
  $("me-phone").textContent = me.phoneNumber || "—";
  $("me-roles").textContent = [...me.roles].sort().join(", ") || "none";
  $("profile").hidden = false;
  // The Secure Edge admin page (/admin/edge) only for those who may use it.
  $("admin-link").hidden = !me.roles.includes("edge-admin");
  // The Secure Edge call log (/edge/calls) for everyone signed in: the API shows each their own calls.
  $("edge-calls-link").hidden = false;
  // The recordings page (/recordings) for compliance reviewers only.
  $("recordings-link").hidden = !me.roles.includes("recording-reviewer");
}

const CONNECTION_TEXT = {
  connecting: "Connecting…",
  open: "",
  closed: "Offline — reconnecting…",
};

function showConnection(state) {
  document.body.dataset.ws = state;
  $("connection").textContent = CONNECTION_TEXT[state];
  $("connection").hidden = state === "open";
}

/** Places the call of a `/call?to=` link, named from the directory when it knows the person. */
async function placeLinkedCall(link, directory, controller) {
  let name = link.to;
  try {
    const person = await directory.find(link.to);
    name = person?.displayName ?? name;
  } catch (error) {
    console.warn("directory lookup for the call link:", error);
  }
  controller.call({ to: link.to, media: link.media, name });
}

/** The bar over the directory while two or more people are picked for one call. */
function showSelection(people) {
  const many = people.length >= 2;
  $("directory-selection").hidden = !many;
  document.body.dataset.selected = String(people.length);
  if (many) {
    $("directory-selected").textContent = namesText(people.map((p) => p.displayName));
    $("call-many-video").textContent = `Video call ${people.length} people`;
    $("call-many-audio").textContent = `Audio call ${people.length} people`;
  }
}

function startCalling({ keycloak, api, config, me, link }) {
  const signaling = new SignalingClient({
    url: signalingUrl(),
    tokens: {
      async fresh(minValiditySeconds) {
        await keycloak.updateToken(minValiditySeconds);
        return keycloak.token;
      },
      expiresAt: () => (keycloak.tokenParsed.exp + (keycloak.timeSkew ?? 0)) * 1000,
    },
  });
  let controller = null;
  const view = new CallView({
    cancel: () => controller.cancel(),
    answer: () => controller.answer(),
    decline: () => controller.decline(),
    hangup: () => controller.hangup(),
    toggleMute: () => controller.toggleMute(),
    toggleCamera: () => controller.toggleCamera(),
    dismiss: () => controller.dismiss(),
    callAgain: () => controller.callAgain(),
    openAddPerson: () => addPerson.start(),
    cancelAdd: (userId) => controller.cancelAdd(userId),
  });
  controller = new CallController({
    signaling,
    view,
    iceConfiguration: () => iceConfiguration(api, config),
    myId: me.subject,
  });
  window.vclickCall = () => controller.peerConnection;
  window.vclickConference = () => controller.conference;
  acceptExtensionAdds((to) =>
    controller.state === "active" && controller.add({ id: to, displayName: to })
      ? { ok: true }
      : { ok: false, error: "not-in-call" },
  );

  const directory = new DirectoryView({
    api,
    myId: me.subject,
    onCall: (person, media) => controller.call({ to: person.id, media, name: person.displayName }),
    onPeople: (ids) => signaling.watch(ids),
    onError: (text) => view.showError(text),
    onSelection: (people) => showSelection(people),
  });
  // Several people picked: "Call N people" calls them all at once (the call's limit less yourself).
  directory.setMaxSelected(Number.isInteger(config.maxParties) ? config.maxParties - 1 : null);
  const callSelected = (media) => {
    const people = directory.selected;
    const name = namesText(people.map((p) => p.displayName));
    if (people.length >= 2 && controller.call({ to: people.map((p) => p.id), media, name, people })) {
      directory.clearSelection();
    }
  };
  $("call-many-video").addEventListener("click", () => callSelected("video"));
  $("call-many-audio").addEventListener("click", () => callSelected("audio"));
  $("directory-clear").addEventListener("click", () => directory.clearSelection());
  // "Add person" in a call: the same directory search, its rows' button invites into the call.
  const addPerson = new DirectoryView({
    api,
    myId: me.subject,
    onCall: (person) => controller.add(person),
    onPeople: (ids) => signaling.watch(ids),
    onError: (text) => view.showError(text),
    ids: { section: null, query: "add-query", results: "add-results", groupsHead: "add-groups-head" },
    buttons: [{ action: "add", text: "Add", label: (name) => `Add ${name} to the call` }],
  });
  const callHistory = new HistoryView({
    api,
    myId: me.subject,
    onCall: (peer, media) => controller.call({ to: peer.id, media, name: peer.name }),
    onCallMany: (people, name, media) =>
      controller.call({
        to: people.map((p) => p.id),
        media,
        name,
        people: people.map((p) => ({ id: p.id, displayName: p.name })),
      }),
  });

  signaling.addEventListener(Type.PRESENCE_UPDATE, ({ detail }) => {
    directory.setPresence(detail.user, detail.presence);
    addPerson.setPresence(detail.user, detail.presence);
  });
  signaling.addEventListener("state", ({ detail }) => showConnection(detail));
  signaling.addEventListener("fatal", ({ detail }) => {
    setStatus(
      detail.code === 4403
        ? "Your account may not make or take calls."
        : `Calling is unavailable (${detail.reason || detail.code}).`,
      true,
    );
  });
  signaling.addEventListener("sessionexpired", () => {
    setStatus("Your session has ended; sign in again to make and take calls.", true);
    $("login").hidden = false;
  });
  controller.addEventListener("change", () => {
    directory.setCallsEnabled(!controller.isBusy);
    $("call-many-video").disabled = controller.isBusy;
    $("call-many-audio").disabled = controller.isBusy;
    callHistory.setCallsEnabled(!controller.isBusy);
    addPerson.setCallsEnabled(controller.state === "active");
    addPerson.setExcluded(controller.partyIds);
  });
  controller.addEventListener("historychanged", () => callHistory.refresh());

  // A link answers or calls by itself only when the extension opened this tab on a click for it;
  // otherwise the user answers on the incoming call's screen, or confirms the call (call-link.js).
  if (link?.answer) {
    extensionOpenedFor(link).then((yes) => yes && controller.answerWhenRinging(link.answer));
  }
  if (link?.to) {
    const welcomed = new Promise((resolve) => signaling.addEventListener("welcome", resolve, { once: true }));
    Promise.all([confirmCall(link, extensionOpenedFor(link)), welcomed]).then(
      ([go]) => go && placeLinkedCall(link, directory, controller),
    );
  }
  if (link) {
    forgetCallLink();
  }

  signaling.connect();
  return Promise.all([directory.start(), callHistory.start()]);
}

async function start() {
  const link = callLink(window.location);
  // A call link goes straight to the sign-in page, and comes back to the same link.
  const { keycloak, api, config, me } = await startSession({ loginRequired: Boolean(link) });
  if (!me) {
    setStatus("Sign in with your enterprise account.");
    return;
  }
  showMe(me);
  setStatus("Signed in.");
  if (me.roles.includes("caller")) {
    await startCalling({ keycloak, api, config, me, link });
  } else if (link) {
    setStatus("Signed in, but your account may not make or take calls.", true);
  }
}

start().catch((error) => setStatus(`Vclick could not start: ${reasonOf(error)}`, true));
