// Runs scans in the page's idle time (requestIdleCallback with a timeout), in slices of a few
// milliseconds, so that a 5,000-row table or a burst of added nodes never blocks input for long.
//
// Walking the page and searching its text (most of our own work) only reads the page. The icons
// go in by separate "apply" slices, in batches sized for the page's rendering: inserting icons
// costs the page a style recalculation and relayout on its next frame, about a fixed cost (a big
// table relayouts every row) plus a cost per icon. After each batch the next frame's rendering
// time is measured (requestAnimationFrame, then a message that runs after that frame) and the
// next batch is sized to keep a frame near TARGET_FRAME_MS: a small page gets all its icons in
// one or two frames; a page whose every relayout is expensive (a 5,000-row table) gets them in
// frames of about 3 times its own relayout time (see resize).
//
// Big pages (more than LAZY_ABOVE matches in a scan, see viewport-gate.js): a relayout per batch
// is what costs there, so insertions are not made for the whole page. The walk still reads the
// whole page, but nothing is inserted until it is done or has found more than LAZY_ABOVE matches;
// past that, every insertion is handed to the ViewportGate, which releases those near the
// viewport, now and as the user scrolls; they go in at once, not at idle time (one batch, one
// relayout; see released). Below that, everything is inserted in frame-sized batches as above.
//
// Wide elements (a table body of thousands of rows: WIDE_CHILDREN, see viewport-gate.js) are not
// even walked whole: past their first EAGER_CHILDREN children (what the top of the page shows),
// each child is handed to the gate as a walk, walked when it comes near the viewport and its icons
// inserted at once (walkNear). On the 5,000-row directory the first scan so reads ~100 rows
// instead of 5,000, and the first viewport's icons go in with that scan.
//
// The first slice of the first scan runs as soon as the page's configuration is in (not at idle
// time), and when it finds everything and few matches (ONE_FRAME_ICONS: the top of a big page, a
// small page) its icons go in at once: before the page's first frame when the content script ran
// early enough, so that they cost no relayout of their own.
//
// A "scan" is everything queued from the moment the queue stops being empty until it is empty
// again (insertions held back by the gate do not count; those it releases later start a scan of
// their own, reason "viewport"); its figures go to onScanDone.
import { LAZY_ABOVE, WIDE_CHILDREN, insertionMode, watchedElement } from "./viewport-gate.js";

/** The rendering time per frame that batches aim at (a long task is over 50 ms). */
const TARGET_FRAME_MS = 35;
const FIRST_BATCH = 50;
const MIN_BATCH = 20;
const MAX_BATCH = 5000;
const ELEMENT_NODE = 1;
/** The first scan's icons go in at once, in its first slice, if they are no more than this. */
const ONE_FRAME_ICONS = 400;
/**
 * The first slice of the first scan (at DOMContentLoaded, before the page's first frame) on a page
 * with a wide element (its rows wait for the viewport): long enough to walk the top of the page and
 * insert its icons before that frame is drawn, as long as it has found no more than
 * ONE_FRAME_ICONS. Any other page gets the usual slice (a walk that long would be a long task).
 */
const FIRST_SLICE_MS = 50;
/** A wide element's children are held back in chunks of this many (see deferChildren). */
const CHUNK = 8;
/**
 * How long a release may wait for the walks of rows already within the AHEAD margin (see
 * walkBeforeRelease): rows two viewport heights away are not on screen yet.
 */
const COALESCE_MS = 250;

export class IdleScanQueue {
  /**
   * @param {object} options
   * @param {import('./scanner.js').Scanner} options.scanner
   * @param {Window} options.view the page's window (requestIdleCallback, rAF, performance)
   * @param {(work: () => void) => void} options.inSlice runs one slice's DOM work (unobserved)
   * @param {(scan: object) => void} options.onScanDone
   * @param {import('./viewport-gate.js').ViewportGate} [options.gate] holds insertions back on big
   *   pages (without one, everything is inserted); call released() when it releases some
   * @param {number} [options.lazyAbove] matches in a scan above which the gate is used
   * @param {number} [options.sliceMs] the longest walking slice
   * @param {number} [options.applyMs] the longest applying slice
   * @param {number} [options.releaseMs] the longest slice applying what the gate released: longer,
   *   since each slice of a release costs a big page a relayout of its own on the next frame
   * @param {number} [options.timeoutMs] the longest wait for idle time
   */
  constructor({
    scanner,
    view,
    inSlice,
    onScanDone,
    gate = null,
    lazyAbove = LAZY_ABOVE,
    sliceMs = 12,
    applyMs = 30,
    releaseMs = 150,
    timeoutMs = 300,
  }) {
    this.scanner = scanner;
    this.view = view;
    this.inSlice = inSlice;
    this.onScanDone = onScanDone;
    this.gate = gate;
    this.lazyAbove = lazyAbove;
    this.sliceMs = sliceMs;
    this.applyMs = applyMs;
    this.releaseMs = releaseMs;
    this.timeoutMs = timeoutMs;
    this.batch = FIRST_BATCH;
    this.jobs = [];
    /** how many of the first jobs are walks of rows within the AHEAD margin (see walkAhead) */
    this.frontJobs = 0;
    /** when the gate's release began to wait for those walks (see walkBeforeRelease) */
    this.releaseWaitSince = null;
    this.pending = new Set(); // roots queued and not started
    this.handle = null;
    this.urgent = null; // the timer of released() under way, if any
    this.measuring = null; // the frame measurement under way, if any
    this.scan = null;
    /** held walks to make in idle time once the current scan is done (see deferChildren) */
    this.backlog = [];
    if (gate) {
      scanner.deferChildren = (element, from) => this.deferChildren(from);
      gate.onAheadWalks = (walks) => this.walkAhead(walks, { front: true });
    }
  }

  /** Queues a scan of `node` (see Scanner.scanRootFor); `reason` names the first cause in the figures. */
  add(node, reason, { front = false } = {}) {
    const root = this.scanner.scanRootFor(node);
    if (!root || this.pending.has(root)) return;
    if (reason === "mutation" && this.gate && root.parentElement?.childElementCount > WIDE_CHILDREN) {
      // A row added to (or moved in) a wide element: walked when it comes near the viewport.
      if (root.nodeType === ELEMENT_NODE) {
        this.holdWalk([root]);
        return;
      }
    }
    // A root inside one of the first few big roots not yet started is covered by it.
    for (let i = 0; i < Math.min(this.jobs.length, 4); i++) {
      const job = this.jobs[i];
      if (job.next === job.root && job.root.contains(root)) return;
    }
    this.pending.add(root);
    // Walks of rows near the viewport go before the rest (after those queued the same way).
    if (front) this.jobs.splice(this.frontJobs++, 0, this.scanner.job(root));
    else this.jobs.push(this.scanner.job(root));
    const scan = this.begin(reason);
    scan.roots++;
    if (reason === "ahead") scan.ahead = true;
    // The page is waiting for its first icons: no waiting for idle time (then as usual).
    this.schedule({ soon: reason === "initial" });
  }

  /** Runs the next slice now (the first scan's first one: see click-to-call.js activate). */
  runNow() {
    if (this.handle === null || this.measuring) return;
    this.cancelSchedule();
    this.slice(null);
  }

  /**
   * Hands the walk of `from` and the elements after it to the gate (see the top), in chunks of
   * CHUNK consecutive elements: the gate watches the first element of each chunk (and the last
   * element), and a chunk is walked when the element starting it or the next chunk comes near the
   * viewport (consecutive children lie one after the other on the page: rows, list items). One
   * watched element per chunk instead of one per child: holding back 5,000 rows costs ~630
   * observations, not 5,000.
   */
  deferChildren(from) {
    const deferred = this.scanner.deferred;
    let previous = null;
    let last = null;
    for (let child = from; child; ) {
      const walk = { type: "walk", roots: [], done: false };
      const start = child;
      for (let i = 0; i < CHUNK && child; i++, child = child.nextElementSibling) {
        deferred.set(child, walk);
        walk.roots.push(child);
        last = child;
      }
      this.gate.hold(start, {}, walk);
      if (previous) this.gate.hold(start, {}, previous); // the chunk before ends where this one starts
      previous = walk;
    }
    if (previous) this.gate.hold(last, {}, previous);
    this.watchRows(from.parentElement);
    // Once the scan that found them is done (the first viewport's icons are in), the rest is
    // walked in idle time: by the time the user scrolls there, its icons only need inserting.
    for (let child = from, walk = null; child; child = child.nextElementSibling) {
      const chunk = this.scanner.deferred.get(child);
      if (chunk !== walk) this.backlog.push((walk = chunk));
    }
  }

  /**
   * Walks that came into the AHEAD margin (thirty viewport heights away): walked in idle time now,
   * their insertions held back (a scan with such a walk is lazy) until their rows come near: the
   * walking is done before the rows are needed, and their icons go in with the next release.
   * `front`: before the other walks queued (the backlog of a wide element, see deferChildren).
   */
  walkAhead(walks, { front = false } = {}) {
    for (const walk of walks) {
      if (walk.done) continue;
      walk.done = true;
      for (const root of walk.roots) {
        this.scanner.deferred.delete(root);
        if (root.isConnected) this.add(root, "ahead", { front });
      }
    }
  }

  /**
   * Whether a release waits for the walks queued of rows within the AHEAD margin (the page scrolled
   * faster than idle time walked them): they are walked first, in the next tasks, and the release
   * goes in once the observers reported what they held (two frames later), so that it brings their
   * icons too. Inserted on their own as each is walked, they would cost the page a relayout each.
   * At most COALESCE_MS: the rows that came near are two viewport heights away.
   */
  walkBeforeRelease(now) {
    if (this.frontJobs === 0) return false;
    this.releaseWaitSince ??= now;
    if (now - this.releaseWaitSince < COALESCE_MS) return true;
    this.releaseWaitSince = null;
    return false;
  }

  /** Holds the walk of `roots`, watched on the first of them. */
  holdWalk(roots) {
    const walk = { type: "walk", roots, done: false };
    for (const root of roots) this.scanner.deferred.set(root, walk);
    this.gate.hold(roots[0], {}, walk);
    return walk;
  }

  /**
   * A chunk is watched on its ends only: when the page hides or shows rows (a filter: hidden,
   * class or style changed) the rows of every chunk that changed are watched one by one from then
   * on, so that a row left visible among hidden ones still comes in when it is near.
   */
  watchRows(container) {
    if (!container || this.rowWatchers?.has(container)) return;
    this.rowWatchers ??= new Map();
    const observer = new this.view.MutationObserver((records) => {
      for (const { target } of records) {
        const walk = target.parentElement === container ? this.scanner.deferred.get(target) : undefined;
        if (!walk || walk.done || walk.roots.length === 1) continue;
        walk.done = true; // its holds become stale; each row gets its own
        const waiting = this.backlog.includes(walk); // still to be walked in idle time
        for (const root of walk.roots) {
          if (!root.isConnected) continue;
          const single = this.holdWalk([root]);
          if (waiting) this.backlog.push(single);
        }
      }
    });
    observer.observe(container, {
      attributes: true,
      attributeFilter: ["hidden", "class", "style"],
      subtree: true,
    });
    this.rowWatchers.set(container, observer);
  }

  /**
   * The gate released insertions: they are near the viewport, so they go in at once (in the task
   * after the observers' callbacks, which come right after a frame: they show in the next one),
   * not at idle time; unless the frame of the last batch is still being timed (then right after).
   */
  released() {
    this.begin("viewport");
    this.urgent ??= this.view.setTimeout(() => {
      this.urgent = null;
      if (this.measuring || !this.gate?.hasReady) return;
      this.cancelSchedule();
      this.slice(null);
    }, 0);
  }

  cancelSchedule() {
    if (this.handle === null) return;
    if (this.view.cancelIdleCallback && !this.handleIsTimer) this.view.cancelIdleCallback(this.handle);
    else this.view.clearTimeout(this.handle);
    this.handle = null;
  }

  /** The scan in progress, or a new one. */
  begin(reason) {
    this.scan ??= {
      reason,
      start: this.view.performance.now(),
      roots: 0,
      busyMs: 0,
      slices: 0,
      batches: 0,
      longestSliceMs: 0,
      longestFrameMs: 0,
      lazy: false,
      base: { ...this.scanner.counters },
    };
    return this.scan;
  }

  get idle() {
    return this.jobs.length === 0 && this.scanner.pendingEdits === 0 && !this.gate?.hasReady;
  }

  /** How the scan in progress inserts: "eager", "lazy" or "undecided" (see insertionMode). */
  mode() {
    const scan = this.scan;
    if (!this.gate || !scan) return "eager";
    if (scan.ahead) return "lazy"; // walked ahead of need: held until near (see walkAhead)
    const mode = insertionMode(
      {
        found: this.scanner.counters.found - scan.base.found,
        held: this.gate.insertionsHeld,
        walking: this.jobs.length > 0,
        lazy: scan.lazy,
      },
      this.lazyAbove,
    );
    if (mode === "lazy") scan.lazy = true;
    return mode;
  }

  /** Drops everything queued and held back (the scan in progress is not reported). */
  clear() {
    for (const observer of this.rowWatchers?.values() ?? []) observer.disconnect();
    this.rowWatchers = null;
    this.scanner.deferred = new WeakMap();
    this.backlog = [];
    this.jobs = [];
    this.frontJobs = 0;
    this.releaseWaitSince = null;
    this.pending.clear();
    this.scanner.discardEdits();
    this.gate?.clear();
    this.scan = null;
    this.measuring?.cancel();
    this.measuring = null;
    this.cancelSchedule();
    if (this.urgent != null) this.view.clearTimeout(this.urgent);
    this.urgent = null;
  }

  /** Runs the next slice `frames` frames from now, unless another slice runs first. */
  afterFrames(frames) {
    if (this.handle !== null || this.measuring) return;
    const view = this.view;
    if (view.document.hidden || !view.requestAnimationFrame) {
      this.schedule({ soon: true });
      return;
    }
    const token = {}; // cancelSchedule() drops it; a stale chain then does nothing
    this.handle = token;
    this.handleIsTimer = true;
    const next = (left) => () => {
      if (this.handle !== token) return;
      if (left > 1) view.requestAnimationFrame(next(left - 1));
      else {
        this.handle = null;
        this.slice(null);
      }
    };
    view.requestAnimationFrame(next(frames));
  }

  /** Runs the next slice at idle time, or `soon` (the next task). */
  schedule({ soon = false } = {}) {
    if (this.handle !== null || this.measuring || this.idle) return;
    const run = (deadline) => {
      this.handle = null;
      this.slice(deadline);
    };
    this.handleIsTimer = soon || !this.view.requestIdleCallback;
    this.handle = this.handleIsTimer
      ? this.view.setTimeout(run, soon ? 0 : 16)
      : this.view.requestIdleCallback(run, { timeout: this.timeoutMs });
  }

  slice(deadline) {
    const perf = this.view.performance;
    const started = perf.now();
    const scanner = this.scanner;
    let applied = -1;
    let releaseWaits = false;
    this.inSlice(() => {
      const applyEnd = started + this.applyMs;
      const applyOutOfTime = () => perf.now() >= applyEnd;
      if (this.gate?.hasReady && !(releaseWaits = this.walkBeforeRelease(started))) {
        this.releaseWaitSince = null;
        // A release goes in whole when it can: split over frames, it would relayout the page for each.
        applied = this.applyReady(() => perf.now() >= started + this.releaseMs);
        return;
      }
      if (
        scanner.pendingEdits > 0 &&
        this.mode() === "eager" &&
        (this.jobs.length === 0 || scanner.pendingIcons >= this.batch)
      ) {
        const before = scanner.counters.created;
        scanner.apply(applyOutOfTime, this.batch);
        applied = scanner.counters.created - before;
        return;
      }
      const idleLeft = deadline && !deadline.didTimeout ? deadline.timeRemaining() : this.sliceMs;
      // The page's first icons wait for the first scan's walk: it gets a longer first slice.
      const firstSlice = this.scan?.slices === 0 && this.scan.reason === "initial";
      const normalEnd = started + Math.max(4, Math.min(this.sliceMs, idleLeft));
      const end = firstSlice ? started + FIRST_SLICE_MS : normalEnd;
      // The longer first slice only while its icons can still all go in at once.
      const base = this.scan?.base.found ?? 0;
      const tooMany = () => scanner.counters.found - base > ONE_FRAME_ICONS; // links counted too
      const outOfTime = () => {
        const now = perf.now();
        // Only a big page whose rows wait for the viewport has a first viewport that is quick to walk.
        return now >= end || (now >= normalEnd && (tooMany() || !(this.gate?.walks > 0)));
      };
      while (this.jobs.length > 0) {
        const job = this.jobs[0];
        this.pending.delete(job.root);
        if (!scanner.run(job, outOfTime)) break;
        this.jobs.shift();
        if (this.frontJobs > 0) this.frontJobs--;
        if (outOfTime()) break;
      }
      // The first icons of the page (no batch made yet): all at once when they are few.
      const first = this.scan?.batches === 0 && this.scan.reason === "initial";
      if (
        first &&
        this.jobs.length === 0 &&
        scanner.pendingEdits > 0 &&
        !tooMany() &&
        this.mode() === "eager"
      ) {
        const before = scanner.counters.created;
        scanner.apply(() => false);
        applied = scanner.counters.created - before;
        return;
      }
      // A big page: what the walk found goes to the gate (removals are made now).
      if (scanner.pendingEdits > 0 && this.mode() === "lazy") {
        scanner.apply(
          () => perf.now() >= end + 4,
          Infinity,
          (edit) => this.hold(edit),
        );
      }
    });
    const ended = perf.now();
    const scan = this.scan;
    if (scan) {
      scan.slices++;
      scan.busyMs += ended - started;
      scan.longestSliceMs = Math.max(scan.longestSliceMs, ended - started);
      if (applied >= 0) scan.batches++;
    }
    if (applied > 0) {
      this.measureFrame(applied);
      return;
    }
    if (releaseWaits) {
      // Walking for a waiting release: on at once; once walked, the release after two frames.
      if (this.frontJobs > 0) this.schedule({ soon: true });
      else this.afterFrames(2);
      return;
    }
    if (!this.idle) {
      this.schedule();
      return;
    }
    this.scan = null;
    if (scan) this.finish(scan, ended);
  }

  /** Hands an insertion to the gate (false: it has no place to watch, make it now). */
  hold(edit) {
    const place = this.scanner.placeOf(edit);
    if (!place) return false;
    this.gate.hold(watchedElement(place.element), place.node, edit);
    return true;
  }

  /** Makes the insertions the gate released, until out of time; returns the icons made. */
  applyReady(outOfTime) {
    const scanner = this.scanner;
    const before = scanner.counters.created;
    const edits = this.gate.takeReady();
    const walks = [];
    let i = 0;
    while (i < edits.length) {
      const edit = edits[i++];
      if (edit.type !== "walk") scanner.applyEdit(edit);
      else if (!edit.done) {
        edit.done = true; // released by either end
        walks.push(...edit.roots);
      }
      if ((i & 7) === 0 && outOfTime()) break;
    }
    this.gate.putBack(edits.slice(i));
    if (walks.length > 0) this.walkNear(walks);
    return scanner.counters.created - before;
  }

  /**
   * Walks elements the gate released (wide elements' children near the viewport) and makes their
   * icons now, whatever else is queued (set aside meanwhile).
   */
  walkNear(roots) {
    const scanner = this.scanner;
    const saved = scanner.setAsideEdits();
    for (const element of roots) {
      scanner.deferred.delete(element);
      const root = scanner.scanRootFor(element);
      if (root) scanner.run(scanner.job(root), () => false);
    }
    scanner.apply(() => false);
    scanner.restoreEdits(saved);
  }

  /** Times the rendering of the next frame (which shows `icons` new icons), then goes on. */
  measureFrame(icons) {
    const view = this.view;
    const perf = view.performance;
    let cancelled = false;
    const done = (frameMs) => {
      if (cancelled) return;
      cancelled = true;
      view.clearTimeout(fallback);
      this.measuring = null;
      if (frameMs !== null) this.resize(icons, frameMs);
      if (this.idle) {
        // The last batch: the scan ends when its frame was drawn.
        const scan = this.scan;
        this.scan = null;
        if (scan) this.finish(scan, perf.now());
      } else if (this.gate?.hasReady) {
        this.slice(null); // released meanwhile: near the viewport, no waiting for idle time
      } else {
        this.schedule();
      }
    };
    // A hidden page draws no frames: go on without a figure.
    const fallback = view.setTimeout(() => done(null), view.document.hidden ? 0 : 250);
    this.measuring = { cancel: () => ((cancelled = true), view.clearTimeout(fallback)) };
    if (view.document.hidden || !view.requestAnimationFrame) return;
    view.requestAnimationFrame(() => {
      const frameStart = perf.now();
      const channel = new MessageChannel();
      // Runs as the next task: after this frame's style, layout and paint.
      channel.port1.onmessage = () => {
        channel.port1.close();
        done(perf.now() - frameStart);
      };
      channel.port2.postMessage(null);
    });
  }

  /**
   * Sizes the next batch from the last one's frame time. The aim is TARGET_FRAME_MS, or 3 times
   * the shortest frame seen when the page's own relayout already costs more (a 5,000-row table
   * takes ~40 ms to relayout for a single icon, and each relayout covers all its rows): there,
   * fewer, bigger frames cost the page far less in total than many small ones (measured with
   * bench/extension-scan.mjs: 12 frames and 2.6 s of long frames instead of 34 and 4 s).
   */
  resize(icons, frameMs) {
    if (this.scan) this.scan.longestFrameMs = Math.max(this.scan.longestFrameMs, frameMs);
    this.shortestFrameMs = Math.min(this.shortestFrameMs ?? frameMs, frameMs);
    const target = Math.max(TARGET_FRAME_MS, 3 * this.shortestFrameMs);
    const ratio = Math.max(0.5, Math.min(4, target / Math.max(frameMs, 1)));
    // A small last batch says little about bigger ones: it may only shrink the batch.
    const next = icons < this.batch / 2 ? Math.min(this.batch, icons * ratio) : this.batch * ratio;
    this.batch = Math.round(Math.max(MIN_BATCH, Math.min(MAX_BATCH, next)));
  }

  finish(scan, end) {
    const c = this.scanner.counters;
    const round = (ms) => Math.round(ms * 100) / 100;
    // Elements that left the page hold nothing back any more.
    if (this.gate?.size > 0) this.gate.prune();
    if (this.backlog.length > 0) this.walkAhead(this.backlog.splice(0));
    this.onScanDone({
      start: scan.start,
      end,
      detail: {
        reason: scan.reason,
        roots: scan.roots,
        slices: scan.slices,
        batches: scan.batches,
        busyMs: round(scan.busyMs),
        longestSliceMs: round(scan.longestSliceMs),
        longestFrameMs: round(scan.longestFrameMs),
        nodes: c.nodes - scan.base.nodes,
        texts: c.texts - scan.base.texts,
        found: c.found - scan.base.found,
        lazy: scan.lazy,
        held: this.gate?.size ?? 0,
        created: c.created - scan.base.created,
        removed: c.removed - scan.base.removed,
      },
    });
  }
}
