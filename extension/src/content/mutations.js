// Watches the page for added nodes, changed text and the few attributes that matter (a link's
// href, contenteditable, role) and hands the records over in batches: the document and every open
// shadow root the scans found (observe), with one observer. Our own DOM writes run in
// withoutObserving: the page's pending records are handed over first, and the records our writes
// made are taken and dropped afterwards, so that the observer only ever reports the page's changes
// (nothing else runs in between: the page cannot change anything during our synchronous write).

const OPTIONS = {
  childList: true,
  subtree: true,
  characterData: true,
  attributes: true,
  attributeFilter: ["href", "contenteditable", "role"],
};

export class MutationWatcher {
  /**
   * @param {Node} target what to observe first (the document)
   * @param {(records: MutationRecord[]) => void} onRecords called inside withoutObserving: it may write
   */
  constructor(target, onRecords) {
    this.target = target;
    this.onRecords = onRecords;
    this.active = false;
    this.writing = 0;
    /** shadow roots observed besides the target */
    this.roots = new WeakSet();
    this.observer = new MutationObserver((records) => this.withoutObserving(() => this.onRecords(records)));
  }

  start() {
    if (this.active) return;
    this.active = true;
    this.observer.observe(this.target, OPTIONS);
  }

  /** Observes a shadow root as the document is (once; until stop). */
  observe(root) {
    if (!this.active || this.roots.has(root)) return;
    this.roots.add(root);
    this.observer.observe(root, OPTIONS);
  }

  stop() {
    this.active = false;
    this.observer.takeRecords();
    this.observer.disconnect();
    this.roots = new WeakSet();
  }

  /** Runs `write` without observing it; the page's changes made before it are handled first. */
  withoutObserving(write) {
    if (!this.active) return write();
    const outermost = this.writing === 0;
    this.writing++;
    try {
      if (outermost) {
        const earlier = this.observer.takeRecords();
        if (earlier.length > 0) this.onRecords(earlier);
      }
      return write();
    } finally {
      this.writing--;
      if (outermost && this.active) this.observer.takeRecords(); // ours
    }
  }
}
