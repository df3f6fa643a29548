// Holds back icon insertions on big pages until their place comes near the viewport.
//
// Every batch of icons inserted into a big page costs the page one frame of relayout, prepaint,
// paint and compositing over the whole page, whatever the batch's size: on the 5,000-row
// directory ~60–100 ms (~250 ms when the icons widen a column), so inserting its 10,569 icons at
// load cost 13 long frames (2.6 s, 1.9 s of it blocking input). Above a threshold of matches in
// a scan (LAZY_ABOVE, see idle-queue.js) the scan still walks the whole page, but hands each
// insertion here instead of making it: the element that will hold the icon (the match's parent
// element or the link, or the table row around either) is watched by two IntersectionObservers,
// and its insertions are released when it comes near the viewport:
//
//   - NEAR (two viewport heights above and below the viewport): an element entering it releases
//     its own insertions and those of every element in
//   - AHEAD (thirty viewport heights above and below), so that one frame's relayout brings the
//     icons of the next thirty viewports, and the next release comes after 28 more viewports of
//     scrolling: one expensive frame per ~28 viewports scrolled instead of one per frame. (Such a
//     frame costs about the same for 50 icons or 1,000: the relayout of the whole page is the
//     cost. Measured on the 5,000-row directory, bench/extension-scan.mjs: with ten viewport
//     heights a scroll-through had ~48 long animation frames, see BENCHMARKS.md.)
//
// Elements are watched wherever they move (a sort moves rows: the observers follow the elements),
// and hidden ones (display: none, a closed <details>) are released when shown. An element without
// a box of its own (display: contents) would never intersect: its parent is watched instead.
// Nothing here touches the page; the caller applies the released insertions (and re-checks them:
// the text may have changed or become editable meanwhile).
//
// Presence is looked up when an icon is made (click-to-call.js makeIcon), so only for the icons
// released: fewer look-ups for the worker and the server (each looked-up person is also watched
// over the socket), and the icons are made two viewports ahead, so their colour is normally in
// before they scroll into view.

/** Insertions start to be held back above this many matches in one scan (see idle-queue.js). */
export const LAZY_ABOVE = 1500;
/** The margins around the viewport, in viewport heights (above and below) and widths (sides). */
export const NEAR = { heights: 2, widths: 0.5 };
/**
 * A "wide" element: more element children than this (a 5,000-row table body, a long feed). Its
 * children after the first EAGER_CHILDREN are not even walked until they come near the viewport:
 * each is held here as a walk (see idle-queue.js deferChildren). The first ones are walked at once:
 * at the top of a freshly loaded page they are what the first viewport shows.
 */
export const WIDE_CHILDREN = 1000;
export const EAGER_CHILDREN = 100;
export const AHEAD = { heights: 30, widths: 1 };

/**
 * The observer options for a margin of `heights` viewport heights and `widths` widths around the
 * frame's viewport. scrollMargin (Chromium 120+) widens every scroll container's clip on the way,
 * the frame's own scrolling included, so a list in a scrolling panel gets the same look-ahead as
 * a scrolling page (rootMargin alone widens only the viewport, and its percentages would stack
 * with scrollMargin's). It takes pixels only: the margin is fixed for the viewport's size now.
 */
export function observerOptions(doc, { heights, widths }, scrollMarginSupported = true) {
  const view = doc.defaultView;
  const height = Math.max(600, view?.innerHeight || 0);
  const width = Math.max(800, view?.innerWidth || 0);
  const margin = `${Math.round(heights * height)}px ${Math.round(widths * width)}px`;
  return scrollMarginSupported ? { root: doc, scrollMargin: margin } : { root: doc, rootMargin: margin };
}

/**
 * The element to watch for an icon that goes into `element` (the match's parent, or the link): the
 * table row when it is in a cell (a table's contacts are its rows': half as many elements to
 * watch, and a row's icons come together), else the element itself.
 */
export function watchedElement(element) {
  let el = element;
  for (let depth = 0; el && depth < 3; depth++, el = el.parentElement) {
    if (el.localName === "td" || el.localName === "th") {
      return el.parentElement?.localName === "tr" ? el.parentElement : element;
    }
    if (el.localName === "tr" || el.localName === "table") break;
  }
  return element;
}

/**
 * How a scan inserts its icons: "lazy" (near the viewport only) once it found more than
 * `threshold` matches or earlier insertions are still held back, "eager" (all, now) once its walk
 * is done below that, "undecided" while it walks (nothing is inserted until then).
 *
 * @param {object} state
 * @param {number} state.found matches the scan found so far
 * @param {number} state.held insertions held back (from earlier scans too)
 * @param {boolean} state.walking whether the scan still has something to walk
 * @param {boolean} [state.lazy] whether the scan already went lazy (it stays lazy)
 * @param {number} [threshold]
 */
export function insertionMode({ found, held, walking, lazy = false }, threshold = LAZY_ABOVE) {
  if (lazy || held > 0 || found > threshold) return "lazy";
  return walking ? "undecided" : "eager";
}

export class ViewportGate {
  /**
   * @param {object} options
   * @param {Document} options.doc whose viewport counts (the frame's own: margins apply in frames too)
   * @param {() => void} options.onReady insertions were released (takeReady them)
   * @param {(walks: object[]) => void} [options.onAheadWalks] held walks whose element came into
   *   the AHEAD margin, taken out of the gate: to be walked in idle time, ahead of need
   * @param {typeof IntersectionObserver} [options.Observer]
   * @param {(element: Element) => boolean} [options.contentShows] whether anything of an element
   *   that reports an empty box shows (then it has no box of its own: display: contents); asked
   *   once per such element
   * @param {{heights: number, widths: number}} [options.near]
   * @param {{heights: number, widths: number}} [options.ahead]
   * @param {(fn: Function, ms: number) => any} [options.setTimer]
   * @param {(handle: any) => void} [options.clearTimer]
   */
  constructor({
    doc,
    onReady,
    onAheadWalks = null,
    Observer = doc.defaultView.IntersectionObserver,
    contentShows = (element) => {
      // Layout only (no style computed for hidden subtrees): empty for display: none.
      const range = doc.createRange();
      range.selectNodeContents(element);
      const rect = range.getBoundingClientRect();
      return rect.width > 0 || rect.height > 0;
    },
    near = NEAR,
    ahead = AHEAD,
    setTimer = (fn, ms) => doc.defaultView.setTimeout(fn, ms),
    clearTimer = (handle) => doc.defaultView.clearTimeout(handle),
  }) {
    this.onReady = onReady;
    this.onAheadWalks = onAheadWalks;
    this.contentShows = contentShows;
    this.setTimer = setTimer;
    this.clearTimer = clearTimer;
    this.pruneTimer = null;
    /** element → (node → its insertion), for every element watched */
    this.held = new Map();
    /** node (a text node or link) → the element it is held under */
    this.placeOf = new Map();
    /** watched elements inside the AHEAD margin now */
    this.ahead = new Set();
    /** watched elements that entered NEAR, released at the next takeReady */
    this.nearing = new Set();
    /** elements already asked contentShows */
    this.checked = new WeakSet();
    /** released insertions, in order */
    this.ready = [];
    this.readyAt = 0;
    this.pruneAbove = 4000;
    /** held entries that are walks (idle-queue.js deferChildren), not insertions */
    this.walks = 0;
    const scrollMargin = "scrollMargin" in (Observer.prototype ?? {});
    this.aheadObserver = new Observer(
      (entries) => this.onAhead(entries),
      observerOptions(doc, ahead, scrollMargin),
    );
    this.near = new Observer((entries) => this.onNear(entries), observerOptions(doc, near, scrollMargin));
  }

  /** How many insertions (and walks) are held back. */
  get size() {
    return this.placeOf.size;
  }

  /** How many insertions are held back, walks not counted. */
  get insertionsHeld() {
    return this.placeOf.size - this.walks;
  }

  /** Whether insertions were released (takeReady them). */
  get hasReady() {
    return this.nearing.size > 0 || this.readyAt < this.ready.length;
  }

  /**
   * Holds back `edit` (the insertion for `node`) until `target` comes near the viewport; a newer
   * insertion for the same node replaces the older one.
   */
  hold(target, node, edit) {
    const previous = this.placeOf.get(node);
    if (previous !== undefined && previous !== target) this.held.get(previous)?.delete(node);
    let edits = this.held.get(target);
    if (!edits) {
      if (this.held.size >= this.pruneAbove) this.prune();
      this.held.set(target, (edits = new Map()));
      this.near.observe(target);
      this.aheadObserver.observe(target);
    }
    if (!edits.has(node) && edit.type === "walk") this.walks++;
    edits.set(node, edit);
    this.placeOf.set(node, target);
  }

  /** Takes the released insertions (the caller applies them), at most `max`. */
  takeReady(max = Infinity) {
    if (this.nearing.size > 0) {
      // Whatever is in the AHEAD margin comes along: one relayout for the next few viewports.
      // (Released here, not when NEAR reported: AHEAD's report of the same frame may come after.)
      const released = [...this.nearing, ...this.ahead];
      this.nearing.clear();
      for (const target of released) this.release(target);
    }
    const end = Math.min(this.ready.length, this.readyAt + max);
    const taken = this.ready.slice(this.readyAt, end);
    this.readyAt = end;
    if (this.readyAt === this.ready.length) {
      this.ready = [];
      this.readyAt = 0;
    }
    return taken;
  }

  /** Puts insertions taken and not applied back at the front of the ready ones. */
  putBack(edits) {
    if (edits.length === 0) return;
    this.ready = [...edits, ...this.ready.slice(this.readyAt)];
    this.readyAt = 0;
  }

  onNear(entries) {
    let any = false;
    for (const entry of entries) {
      if (!entry.isIntersecting) this.notIntersecting(entry);
      else if (this.held.get(entry.target)?.size > 0) {
        this.nearing.add(entry.target);
        any = true;
      }
    }
    if (any) this.onReady();
  }

  onAhead(entries) {
    const walks = [];
    for (const entry of entries) {
      if (entry.isIntersecting) {
        if (this.held.has(entry.target)) this.ahead.add(entry.target);
        if (this.onAheadWalks) this.takeWalks(entry.target, walks);
      } else {
        this.ahead.delete(entry.target);
        this.notIntersecting(entry);
      }
    }
    if (walks.length > 0) this.onAheadWalks(walks);
  }

  /** Moves the walks held on `target` into `into`; stops watching it if nothing else is held. */
  takeWalks(target, into) {
    const edits = this.held.get(target);
    if (!edits) return;
    for (const [node, edit] of edits) {
      if (edit.type !== "walk") continue;
      edits.delete(node);
      this.placeOf.delete(node);
      this.walks--;
      into.push(edit);
    }
    if (edits.size === 0) this.unwatch(target);
  }

  /**
   * An element reported outside: forgotten if it left the page; if it has no box of its own
   * (display: contents: it never intersects), its parent is watched instead.
   */
  notIntersecting({ target, boundingClientRect: rect }) {
    if (!this.held.has(target)) return;
    if (!target.isConnected) {
      this.drop(target);
      return;
    }
    if (rect.width !== 0 || rect.height !== 0 || this.checked.has(target)) return;
    this.checked.add(target);
    const parent = target.parentElement;
    if (!parent || !this.contentShows(target)) return;
    const edits = this.held.get(target);
    this.drop(target);
    for (const [node, edit] of edits) this.hold(parent, node, edit);
  }

  /** Moves an element's insertions to the ready ones and stops watching it. */
  release(target) {
    const edits = this.held.get(target);
    this.unwatch(target);
    for (const [node, edit] of edits ?? []) {
      this.ready.push(edit);
      this.placeOf.delete(node);
      if (edit.type === "walk") this.walks--;
    }
  }

  drop(target) {
    for (const [node, edit] of this.held.get(target) ?? []) {
      this.placeOf.delete(node);
      if (edit.type === "walk") this.walks--;
    }
    this.unwatch(target);
  }

  unwatch(target) {
    this.held.delete(target);
    this.ahead.delete(target);
    this.nearing.delete(target);
    this.near.unobserve(target);
    this.aheadObserver.unobserve(target);
  }

  /** Forgets the elements that left the page (their insertions with them). */
  prune() {
    for (const target of [...this.held.keys()]) if (!target.isConnected) this.drop(target);
    this.pruneAbove = Math.max(4000, this.held.size * 2);
  }

  /** Prunes a second from now (once for a burst of removals). */
  pruneSoon() {
    this.pruneTimer ??= this.setTimer(() => {
      this.pruneTimer = null;
      this.prune();
    }, 1000);
  }

  /** Forgets everything held and released. */
  clear() {
    if (this.pruneTimer !== null) this.clearTimer(this.pruneTimer);
    this.pruneTimer = null;
    this.near.disconnect();
    this.aheadObserver.disconnect();
    this.held.clear();
    this.placeOf.clear();
    this.walks = 0;
    this.ahead.clear();
    this.nearing.clear();
    this.ready = [];
    this.readyAt = 0;
  }
}
