// Presence of the enterprise addresses a page shows. Each distinct address in page.config's email
// domains is asked from the worker once per page, in batches of at most MAX_LOOKUP; pushes update
// it afterwards. Addresses outside those domains are never sent and stay 'unknown'. No DOM: the
// caller recolours icons from onChange.
import { MAX_LOOKUP } from "../shared/messages.js";
import { normalisePresence } from "./actions.js";
import { isEnterpriseEmail, normaliseDomains } from "../shared/domains.js";

const UNKNOWN = Object.freeze({ presence: "unknown" });

export class PresenceBook {
  /**
   * @param {object} options
   * @param {(emails: string[]) => Promise<object>} options.lookUp sends one presence.lookup and
   *   resolves to the reply ({ ok, people }); rejects when the worker cannot be reached
   * @param {string[]} [options.domains] page.config.emailDomains
   * @param {number} [options.maxBatch]
   * @param {number} [options.flushDelayMs] how long addresses gather before a look-up
   * @param {(fn: Function, ms: number) => any} [options.setTimer]
   * @param {(handle: any) => void} [options.clearTimer]
   */
  constructor({ lookUp, domains = [], maxBatch = MAX_LOOKUP, flushDelayMs = 100, setTimer, clearTimer }) {
    this.lookUp = lookUp;
    this.domains = normaliseDomains(domains);
    this.maxBatch = Math.max(1, Math.min(maxBatch, MAX_LOOKUP));
    this.flushDelayMs = flushDelayMs;
    this.setTimer = setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = clearTimer ?? ((handle) => clearTimeout(handle));
    /** email → { presence, name? } for every enterprise address asked or being asked */
    this.people = new Map();
    /** every address seen on the page (enterprise or not) */
    this.seen = new Set();
    this.queue = [];
    this.queued = new Set();
    this.timer = null;
    this.flushing = null;
    this.generation = 0;
    this.listeners = new Set();
    this.stopped = false;
  }

  /** Calls `listener(email, person)` whenever an address's presence or name changes. */
  onChange(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  isEnterprise(email) {
    return isEnterpriseEmail(email, this.domains);
  }

  /** The presence known for `email` now; queues its look-up when it is new and in the domains. */
  track(email) {
    if (this.stopped) return UNKNOWN;
    this.seen.add(email);
    if (!this.isEnterprise(email)) return UNKNOWN;
    const known = this.people.get(email);
    if (known) return known;
    this.people.set(email, UNKNOWN);
    this.enqueue(email);
    return UNKNOWN;
  }

  /** What is known for `email` without asking. */
  get(email) {
    return this.people.get(email) ?? UNKNOWN;
  }

  /** A presence.changed push. */
  applyPush(email, presence) {
    if (this.stopped || typeof email !== "string") return;
    const address = email.toLowerCase();
    if (!this.seen.has(address) || !this.isEnterprise(address)) return;
    this.set(address, { ...this.get(address), presence: normalisePresence(presence) });
  }

  /**
   * New email domains: addresses that left them go back to 'unknown', addresses that joined
   * them are asked. Returns whether anything changed.
   */
  setDomains(domains) {
    const next = normaliseDomains(domains);
    if (next.length === this.domains.length && next.every((d) => this.domains.includes(d))) return false;
    this.domains = next;
    for (const email of [...this.people.keys()]) {
      if (!this.isEnterprise(email)) {
        this.people.delete(email);
        this.emit(email, UNKNOWN);
      }
    }
    for (const email of this.seen) this.track(email);
    return true;
  }

  /** Asks everything again (after sign-in or sign-out): what is shown stays until the answers land. */
  relookUp() {
    if (this.stopped) return;
    this.generation++;
    this.queue = [];
    this.queued.clear();
    for (const email of this.people.keys()) this.enqueue(email);
  }

  /** Forgets everything and sends nothing more. */
  stop() {
    this.stopped = true;
    this.generation++;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.queue = [];
    this.queued.clear();
    this.people.clear();
    this.seen.clear();
    this.listeners.clear();
  }

  enqueue(email) {
    if (this.queued.has(email)) return;
    this.queued.add(email);
    this.queue.push(email);
    this.scheduleFlush();
  }

  scheduleFlush() {
    if (this.flushing || this.stopped) return;
    if (this.queue.length >= this.maxBatch) {
      this.flush(); // a full batch goes now
      return;
    }
    if (this.timer !== null) return;
    this.timer = this.setTimer(() => {
      this.timer = null;
      this.flush();
    }, this.flushDelayMs);
  }

  /** Sends the queued addresses now, one batch at a time; resolves when the queue is empty. */
  flush() {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.flushing ??= this.drain().finally(() => {
      this.flushing = null;
      if (this.queue.length > 0) this.scheduleFlush(); // queued while the last batch was answered
    });
    return this.flushing;
  }

  async drain() {
    while (this.queue.length > 0 && !this.stopped) {
      const generation = this.generation;
      const batch = this.queue.splice(0, this.maxBatch);
      let reply;
      try {
        reply = await this.lookUp(batch);
      } catch (e) {
        // The worker is gone or keeps failing: these stay 'unknown' (grey), nothing is retried
        // until the configuration changes (relookUp).
        console.debug("vclick: presence look-up failed", e?.name ?? e);
        reply = null;
      }
      if (generation !== this.generation) continue; // asked again meanwhile: that answer wins
      for (const email of batch) this.queued.delete(email);
      const people = reply?.ok && reply.people && typeof reply.people === "object" ? reply.people : {};
      for (const email of batch) {
        if (!this.people.has(email)) continue; // left the domains meanwhile
        const answer = Object.hasOwn(people, email) ? people[email] : null;
        const person = { presence: normalisePresence(answer?.presence) };
        if (typeof answer?.name === "string" && answer.name.trim())
          person.name = answer.name.trim().slice(0, 200);
        this.set(email, person);
      }
      if (reply && !reply.ok) console.debug("vclick: presence look-up refused:", reply.error);
    }
  }

  set(email, person) {
    const before = this.people.get(email);
    this.people.set(email, person);
    if (before?.presence !== person.presence || before?.name !== person.name) this.emit(email, person);
  }

  emit(email, person) {
    for (const listener of this.listeners) {
      try {
        listener(email, person);
      } catch (e) {
        console.debug("vclick: presence listener failed", e);
      }
    }
  }
}
