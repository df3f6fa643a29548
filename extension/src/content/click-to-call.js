// Click-to-call on one page (one frame): asks the worker for the page's configuration, scans the
// page for addresses and numbers when enabled, keeps the icons' presence current, turns clicks
// into calls, and takes everything away again when the page gets disabled.
import { CONTENT, PUSH } from "../shared/messages.js";
import { allows, defaultAction, kindsShown, menuItems } from "./actions.js";
import { copyText } from "./clipboard.js";
import { normaliseRegion } from "./detection.js";
import { normaliseDomains, sameDomains } from "../shared/domains.js";
import { ICON_TAG, createIcon, iconRecord, paintIcon } from "./icons.js";
import { IdleScanQueue } from "./idle-queue.js";
import { closeMenu, openMenu } from "./menu.js";
import { MutationWatcher } from "./mutations.js";
import { PendingDefinitions } from "./pending-definitions.js";
import { PresenceBook } from "./presence.js";
import { recordScan } from "./scan-stats.js";
import { Scanner, isSkippedElement } from "./scanner.js";
import { hideToast, showToast } from "./toast.js";
import { ViewportGate } from "./viewport-gate.js";
import { ContextInvalidated } from "./worker-channel.js";

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const RELOAD = "Vclick was updated or restarted — reload this page to use click-to-call.";
const NOT_ANSWERING = "Vclick is not answering right now — try again in a moment.";
/** A second plain click on the same icon within this time does not call again. */
const REPEAT_GUARD_MS = 1500;

/** page.config as the worker sent it → what this script uses (anything malformed is dropped). */
export function readConfig(reply) {
  const actions = reply?.actions && typeof reply.actions === "object" ? { ...reply.actions } : {};
  const gateway =
    reply?.gateway && typeof reply.gateway.name === "string"
      ? { id: String(reply.gateway.id ?? ""), name: reply.gateway.name.slice(0, 80) }
      : null;
  const config = {
    enabled: reply?.ok === true && reply.enabled === true,
    region: normaliseRegion(reply?.phoneRegion),
    domains: normaliseDomains(reply?.emailDomains),
    actions,
    gateway,
    signedIn: reply?.signedIn === true,
    inCall: reply?.inCall === true,
  };
  config.kinds = kindsShown(config);
  return config;
}

export class ClickToCall {
  /**
   * @param {object} options
   * @param {Document} options.doc
   * @param {ReturnType<import('./worker-channel.js').createWorkerChannel>} options.channel
   */
  constructor({ doc, channel }) {
    this.doc = doc;
    this.view = doc.defaultView;
    this.channel = channel;
    this.config = null;
    this.active = false;
    this.orphan = false;
    /** every icon we believe is in the page */
    this.icons = new Set();
    /** email → its icons */
    this.byEmail = new Map();
    /** the open shadow roots the scans found (observed like the document) */
    this.shadowRoots = new Set();
    this.pruneAbove = 2000;
    this.pruneRootsAbove = 1000;
    this.refreshing = null;
    this.refreshAgain = false;
    this.onIconEvent = this.onIconEvent.bind(this);
  }

  async start() {
    this.unsubscribe = this.channel.onPush((message) => this.onPush(message));
    for (const type of ["click", "dblclick", "auxclick", "contextmenu"]) {
      this.view.addEventListener(type, this.onIconEvent, true);
    }
    // Back from the back/forward cache: the settings may have changed meanwhile.
    this.view.addEventListener("pageshow", (event) => event.persisted && this.refreshConfig("config"));
    await this.refreshConfig("initial");
  }

  /** Asks for page.config and applies it; concurrent calls collapse into one more round. */
  refreshConfig(reason) {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        if (this.orphan) return;
        let reply;
        try {
          reply = await this.channel.send(CONTENT.PAGE_CONFIG);
        } catch (e) {
          this.failed(e, "page.config");
          return; // nothing is shown until the worker pushes page.config.changed
        }
        if (!reply.ok) console.debug("vclick: page.config refused:", reply.error);
        this.apply(readConfig(reply), reason);
      } while (this.refreshAgain);
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  apply(next, reason) {
    const previous = this.config;
    this.config = next;
    if (!next.enabled) {
      if (this.active) this.deactivate();
      return;
    }
    if (!this.active) {
      if (this.beforeContentLoaded()) this.activateWhenParsed(reason);
      else this.activate(reason);
      return;
    }
    const kindsChanged = [...previous.kinds].join() !== [...next.kinds].join();
    if (kindsChanged || previous.region !== next.region) {
      // What counts as a match changed: start again from a clean page (and forget what was found).
      this.queue.clear();
      this.removeAllIcons();
      this.scanner.configure({ region: next.region, kinds: next.kinds });
      this.queue.add(this.doc.body ?? this.doc.documentElement, "config");
    }
    if (!sameDomains(previous.domains, next.domains)) this.presence.setDomains(next.domains);
    if (previous.signedIn !== next.signedIn) this.presence.relookUp();
    if (
      previous.gateway?.name !== next.gateway?.name ||
      JSON.stringify(previous.actions) !== JSON.stringify(next.actions)
    ) {
      this.repaintAll();
    }
  }

  /** Whether the page's DOMContentLoaded is still to come (its deferred and module scripts too). */
  beforeContentLoaded() {
    if (this.doc.readyState === "loading") return true;
    if (this.doc.readyState !== "interactive") return false;
    const navigation = this.view.performance.getEntriesByType?.("navigation")?.[0];
    return navigation?.domContentLoadedEventStart === 0;
  }

  /**
   * The script runs at document_start, so that the configuration is in when the page's DOM is:
   * the first scan runs at DOMContentLoaded, before the page's first frame shows its content when
   * it can (its icons then cost the page no relayout of their own). It listens on the window, so
   * that the page's own handlers on the document run first.
   */
  activateWhenParsed(reason) {
    if (this.waitingForDom) return;
    this.waitingForDom = true;
    this.view.addEventListener(
      "DOMContentLoaded",
      () => {
        this.waitingForDom = false;
        if (this.config?.enabled && !this.active && !this.orphan) this.activate(reason);
      },
      { once: true },
    );
  }

  activate(reason) {
    if (!(this.doc.documentElement instanceof this.view.HTMLElement)) return; // XML, SVG documents
    this.active = true;
    const config = this.config;
    this.presence = new PresenceBook({
      domains: config.domains,
      lookUp: (emails) => this.send(CONTENT.PRESENCE_LOOKUP, { emails }),
    });
    this.presence.onChange((email, person) => this.repaintEmail(email, person));
    this.scanner = new Scanner(this.doc, {
      makeIcon: (contact, where) => this.makeIcon(contact, where),
      keptIcon: (host) => this.keptIcon(host),
      droppedIcon: (host, record) => this.forget(host, record),
      foundShadowRoot: (root) => this.foundShadowRoot(root),
      undefinedElement: (element) => this.definitions.watch(element),
    });
    this.scanner.configure({ region: config.region, kinds: config.kinds });
    this.watcher = new MutationWatcher(this.doc, (records) => this.onMutations(records));
    this.definitions = new PendingDefinitions(this.doc, (element) => this.upgraded(element));
    // Big pages get icons near the viewport only, the others as they come near (viewport-gate.js).
    this.gate =
      typeof this.view.IntersectionObserver === "function"
        ? new ViewportGate({ doc: this.doc, onReady: () => this.queue.released() })
        : null;
    this.queue = new IdleScanQueue({
      scanner: this.scanner,
      view: this.view,
      gate: this.gate,
      inSlice: (work) => this.slice(work),
      onScanDone: (scan) => recordScan(this.view.performance, scan),
    });
    this.watcher.start();
    this.queue.add(this.doc.body ?? this.doc.documentElement, reason);
    if (reason === "initial") this.queue.runNow(); // its first slice, before the page's next frame
  }

  deactivate() {
    this.active = false;
    closeMenu();
    hideToast();
    this.watcher.stop();
    this.definitions.stop();
    this.queue.clear();
    this.presence.stop();
    this.removeAllIcons();
  }

  /** Removes every icon of ours, restoring the text nodes that were split for them. */
  removeAllIcons() {
    closeMenu();
    const hosts = new Set(this.icons);
    for (const root of [this.doc, ...this.shadowRoots]) {
      for (const el of root.querySelectorAll(ICON_TAG)) if (iconRecord(el)) hosts.add(el);
    }
    this.watcher.withoutObserving(() => this.scanner.removeIcons([...hosts]));
    this.icons.clear();
    this.byEmail.clear();
  }

  /** The extension is gone (updated, reloaded): stop working, grey icons, explain on click. */
  becomeOrphan() {
    if (this.orphan) return;
    this.orphan = true;
    console.debug("vclick: the extension was reloaded; click-to-call stops on this page");
    if (this.active) {
      this.watcher.stop();
      this.definitions.stop();
      this.queue.clear();
      this.presence.stop();
      for (const host of this.icons) paintIcon(host, { presence: "unknown" }, this.config);
    }
    this.unsubscribe?.();
  }

  failed(error, what) {
    if (error instanceof ContextInvalidated) this.becomeOrphan();
    else console.debug(`vclick: ${what} failed:`, error?.message ?? error);
  }

  /** channel.send that notices when the extension is gone. */
  async send(type, payload, options) {
    try {
      return await this.channel.send(type, payload, options);
    } catch (e) {
      if (e instanceof ContextInvalidated) this.becomeOrphan();
      throw e;
    }
  }

  slice(work) {
    if (!this.channel.isAlive()) {
      this.becomeOrphan();
      return;
    }
    this.watcher.withoutObserving(work);
  }

  onPush(message) {
    if (message.type === PUSH.PRESENCE_CHANGED) {
      if (this.active) this.presence.applyPush(message.email, message.presence);
    } else if (message.type === PUSH.CONFIG_CHANGED) {
      this.refreshConfig("config");
    }
  }

  // --- shadow roots --------------------------------------------------------------------------

  /** An open shadow root a walk met: observed from now on, and walked. */
  foundShadowRoot(root) {
    if (!this.shadowRoots.has(root)) {
      if (this.shadowRoots.size >= this.pruneRootsAbove) this.pruneRoots();
      this.shadowRoots.add(root);
    }
    this.watcher.observe(root); // once per watcher (a new one after the page was turned off and on)
    this.queue.add(root, "shadow");
  }

  /** Forgets the shadow roots whose host left the page (found again if it comes back). */
  pruneRoots() {
    for (const root of this.shadowRoots) if (!root.host.isConnected) this.shadowRoots.delete(root);
    this.pruneRootsAbove = Math.max(1000, this.shadowRoots.size * 2);
  }

  /** A custom element met before its definition was upgraded: its shadow root may be new. */
  upgraded(element) {
    if (!this.active) return;
    this.watcher.withoutObserving(() => {
      if (element.shadowRoot) this.foundShadowRoot(element.shadowRoot);
      this.queue.add(element, "shadow");
    });
  }

  // --- icons ---------------------------------------------------------------------------------

  makeIcon(contact, where) {
    const person = contact.kind === "email" ? this.presence.track(contact.value) : undefined;
    const host = createIcon(this.doc, contact, where, { person, config: this.config });
    this.index(host);
    return host;
  }

  keptIcon(host) {
    if (this.icons.has(host)) return;
    // Back in the page after a while away (pruned from the index): catch up on presence.
    this.index(host);
    const record = iconRecord(host);
    const person = record.kind === "email" ? this.presence.track(record.value) : undefined;
    paintIcon(host, person, this.config);
  }

  index(host) {
    const record = iconRecord(host);
    this.icons.add(host);
    if (record.kind === "email") {
      let hosts = this.byEmail.get(record.value);
      if (!hosts) this.byEmail.set(record.value, (hosts = new Set()));
      hosts.add(host);
    }
    if (this.icons.size > this.pruneAbove) this.prune();
  }

  forget(host, record) {
    this.icons.delete(host);
    this.byEmail.get(record.value)?.delete(host);
  }

  /** Drops icons that left the page from the index (a scan re-indexes any that come back). */
  prune() {
    for (const host of this.icons) {
      if (!host.isConnected) this.forget(host, iconRecord(host) ?? { value: host.dataset.value });
    }
    this.pruneAbove = Math.max(2000, this.icons.size * 2);
  }

  repaintEmail(email, person) {
    for (const host of this.byEmail.get(email) ?? []) paintIcon(host, person, this.config);
  }

  repaintAll() {
    for (const host of this.icons) {
      const record = iconRecord(host);
      if (record)
        paintIcon(host, record.kind === "email" ? this.presence.get(record.value) : undefined, this.config);
    }
  }

  // --- page changes --------------------------------------------------------------------------

  onMutations(records) {
    if (!this.active) return;
    const changed = new Set();
    const removedTexts = [];
    const removedRoots = [];
    let removedElements = false;
    for (const record of records) {
      if (record.type === "childList") {
        for (const node of record.removedNodes) {
          if (node.nodeType === ELEMENT_NODE) removedElements = true;
          if (node.nodeType !== TEXT_NODE) continue;
          removedTexts.push(node);
          this.scanner.partRemoved(node);
          if (this.scanner.isSplitRoot(node)) removedRoots.push([node, record.target]);
        }
        for (const node of record.addedNodes) this.queue.add(node, "mutation");
      } else if (record.type === "characterData") {
        changed.add(record.target);
      } else if (record.type === "attributes") {
        const element = record.target;
        if (record.attributeName !== "href" && isSkippedElement(element)) {
          // Became editable (or a text box): icons there would end up in what gets saved.
          this.scanner.removeIcons(this.scanner.iconsIn(element));
        } else {
          this.queue.add(element, "mutation");
        }
      }
    }
    for (const text of changed) {
      const merged = removedTexts.some((removed) => this.scanner.samePieces(removed, text));
      this.scanner.textChanged(text, { merged });
      this.queue.add(merged ? (text.parentNode ?? text) : text, "mutation");
    }
    for (const [text, parent] of removedRoots) {
      if (text.parentNode !== parent) this.scanner.textRemoved(text, parent);
    }
    // Insertions held back for what left the page go (rows moved by a sort are back by then).
    if (removedElements && this.gate?.size > 0) this.gate.pruneSoon();
  }

  // --- clicks --------------------------------------------------------------------------------

  onIconEvent(event) {
    // Inside a component the event is retargeted to its host by the time it reaches the window:
    // the path through open shadow roots says whether it started in one of our icons.
    const path = event.composedPath();
    const host = path.find((node) => iconRecord(node));
    const record = iconRecord(host);
    if (!record) return;
    const origin = path[0];
    // Menus, status bubbles and the mailto link in the shadow root handle their own events.
    if (origin !== host && origin !== record.button) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (!event.isTrusted) return;
    if (this.orphan) {
      showToast(host, RELOAD, { tone: "error" });
    } else if (event.type === "contextmenu") {
      this.openMenuOf(record);
    } else if (event.type === "click" && event.button === 0) {
      const action = defaultAction(record.kind, this.config);
      if (!action) {
        this.openMenuOf(record);
        return;
      }
      const now = this.view.performance.now();
      if (record.lastAction !== undefined && now - record.lastAction < REPEAT_GUARD_MS) return;
      record.lastAction = now;
      this.run(action, record);
    }
  }

  openMenuOf(record) {
    hideToast();
    openMenu(record.host, menuItems(record.kind, this.config), (action) => this.run(action, record));
  }

  async run(action, record) {
    if (!this.active || !allows(this.config, action)) return;
    const { host } = record;
    try {
      if ((action === "video" || action === "audio") && record.kind === "email") {
        const reply = await this.send(
          CONTENT.CALL_START,
          { to: record.value, media: action },
          { retries: 1 },
        );
        if (!reply.ok)
          showToast(host, reply.message || "Vclick could not start the call.", { tone: "error" });
      } else if (action === "add" && record.kind === "email") {
        const reply = await this.send(CONTENT.CALL_ADD, { to: record.value }, { retries: 1 });
        if (reply.ok) showToast(host, `Inviting ${record.value} into your call…`);
        else showToast(host, reply.message || "Vclick could not add them to the call.", { tone: "error" });
      } else if (action === "phone" && record.kind === "phone") {
        const reply = await this.send(CONTENT.PHONE_CALL, { number: record.value }, { retries: 1 });
        if (reply.ok) showToast(host, `Calling ${record.text}…`);
        else showToast(host, reply.message || "Vclick could not place the call.", { tone: "error" });
      } else if (action === "email" && record.kind === "email") {
        this.openMailto(record);
      } else if (action === "copy") {
        const copied = await copyText(record.value, host);
        if (copied) showToast(host, `Copied ${record.value}`, { durationMs: 2500 });
        else showToast(host, "Could not copy — select the text and copy it yourself.", { tone: "error" });
      }
    } catch (e) {
      console.debug(`vclick: ${action} failed`, e);
      showToast(host, this.orphan ? RELOAD : NOT_ANSWERING, { tone: "error" });
    }
  }

  openMailto(record) {
    const link = this.doc.createElement("a");
    link.href = `mailto:${encodeURI(record.value)}`;
    link.hidden = true;
    record.host.shadowRoot.append(link);
    link.click();
    link.remove();
  }
}
