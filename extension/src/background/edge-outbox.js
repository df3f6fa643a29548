// The connection log's outbox: every event for POST /api/edge/connections waits in
// chrome.storage.session until the server has it, so that a failed batch is tried again (with
// backoff) and a worker that stops and restarts picks up where it was. Bounded: beyond MAX_QUEUED
// the oldest samples go first (a later one replaces them), then the oldest events, counted.

export const OUTBOX_KEY = "edge:outbox";
/** Most events kept while the server cannot be reached (~300 bytes each in session storage). */
export const MAX_QUEUED = 1_000;
/** Events per request (the server takes 1 to 50). */
export const BATCH = 50;
export const FIRST_RETRY_MS = 1_000;
export const MAX_RETRY_MS = 60_000;
/** The server refuses events older than 24 h; older ones are dropped before sending. */
const MAX_AGE_MS = 23 * 3600_000;

/** Answers after which the batch is dropped, not retried: it can never be taken as it is. */
const REFUSED = new Set([400, 403, 413]);

/**
 * @param storage a chrome.storage area (session)
 * @param send (events) => Promise<{ ok, status, json }>: one POST (status 0 when unreachable)
 * @param onAnswer (json) => void: what the server answered a taken batch
 */
export function createOutbox({
  storage,
  send,
  onAnswer = () => {},
  now = Date.now,
  setTimer = setTimeout,
  clearTimer = clearTimeout,
  log = console,
}) {
  let chain = Promise.resolve();
  let timer = null;
  let timerDue = Infinity;
  let retryMs = 0;
  let flushing = null;

  /** Runs `change` on the stored outbox, one change at a time. */
  const change = (update) => {
    const run = chain.then(async () => {
      const { [OUTBOX_KEY]: stored } = await storage.get(OUTBOX_KEY);
      const box = stored ?? { next: 1, events: [], dropped: 0 };
      const result = update(box);
      await storage.set({ [OUTBOX_KEY]: box });
      return result;
    });
    chain = run.catch(() => {});
    return run;
  };

  function schedule(ms) {
    const due = now() + ms;
    if (timer !== null && timerDue <= due) return;
    if (timer !== null) clearTimer(timer);
    timerDue = due;
    timer = setTimer(() => {
      timer = null;
      timerDue = Infinity;
      flush();
    }, ms);
  }

  /** Queues one event and sends soon (a sample replaces the one of the same connection still queued). */
  async function add(event, delayMs = 300) {
    await change((box) => {
      if (event.event === "sample") {
        box.events = box.events.filter(
          (e) => !(e.event === "sample" && e.connectionId === event.connectionId),
        );
      }
      box.events.push({ ...event, seq: box.next++ });
      trim(box);
    });
    if (retryMs === 0) schedule(delayMs);
  }

  function trim(box) {
    let excess = box.events.length - MAX_QUEUED;
    if (excess <= 0) return;
    const before = box.events.length;
    box.events = box.events.filter((e) => !(excess > 0 && e.event === "sample" && excess-- > 0));
    if (box.events.length > MAX_QUEUED) box.events.splice(0, box.events.length - MAX_QUEUED);
    box.dropped += before - box.events.length;
    log.warn(`Vclick: the connection log's outbox is full; ${box.dropped} event(s) dropped so far`);
  }

  /** Sends what is queued, a batch at a time, until it is empty or the server cannot take it. */
  function flush() {
    if (!flushing) {
      flushing = sendAll().finally(() => {
        flushing = null;
      });
    }
    return flushing;
  }

  async function sendAll() {
    for (;;) {
      const oldest = now() - MAX_AGE_MS;
      const batch = await change((box) => {
        box.events = box.events.filter((e) => Date.parse(e.at) >= oldest);
        return box.events.slice(0, BATCH);
      });
      if (batch.length === 0) {
        retryMs = 0;
        return;
      }
      let answer;
      try {
        answer = await send(batch.map(({ seq, ...event }) => event));
      } catch (e) {
        answer = { ok: false, status: 0, json: null, detail: e.message };
      }
      if (!answer.ok && !REFUSED.has(answer.status)) {
        retryMs = Math.min(Math.max(retryMs * 2, FIRST_RETRY_MS), MAX_RETRY_MS);
        log.warn(
          `Vclick: the connection log did not take ${batch.length} event(s) (HTTP ${answer.status}); again in ${retryMs} ms`,
        );
        schedule(retryMs);
        return;
      }
      retryMs = 0;
      const sent = new Set(batch.map((e) => e.seq));
      await change((box) => {
        box.events = box.events.filter((e) => !sent.has(e.seq));
        if (!answer.ok) box.dropped += batch.length;
      });
      if (answer.ok) onAnswer(answer.json);
      else
        log.warn(
          `Vclick: the connection log refused ${batch.length} event(s) (HTTP ${answer.status}): ${answer.detail ?? ""}`,
        );
    }
  }

  /** The queued events (tests, the popup). */
  async function queued() {
    const { [OUTBOX_KEY]: stored } = await storage.get(OUTBOX_KEY);
    return stored ?? { next: 1, events: [], dropped: 0 };
  }

  return { add, flush, queued };
}
