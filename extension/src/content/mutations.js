// Watches the page for added nodes, changed text and the few attributes that matter (a link's
// href, contenteditable, role) and hands the records over in batches. Our own DOM writes run
// unobserved (withoutObserving), after the page's pending records were handed over, so that the
// observer only ever reports the page's changes.

const OPTIONS = {
  childList: true,
  subtree: true,
  characterData: true,
  attributes: true,
  attributeFilter: ["href", "contenteditable", "role"],
};

export class MutationWatcher {
  /**
   * @param {Node} target what to observe (the document)
   * @param {(records: MutationRecord[]) => void} onRecords called unobserved: it may write
   */
  constructor(target, onRecords) {
    this.target = target;
    this.onRecords = onRecords;
    this.active = false;
    this.observer = new MutationObserver((records) => this.withoutObserving(() => this.onRecords(records)));
  }

  start() {
    if (this.active) return;
    this.active = true;
    this.observer.observe(this.target, OPTIONS);
  }

  stop() {
    this.active = false;
    this.observer.takeRecords();
    this.observer.disconnect();
  }

  /** Runs `write` without observing it; the page's changes made before it are handled first. */
  withoutObserving(write) {
    if (!this.active) return write();
    const earlier = this.observer.takeRecords();
    this.observer.disconnect();
    try {
      if (earlier.length > 0) this.onRecords(earlier);
      return write();
    } finally {
      if (this.active) this.observer.observe(this.target, OPTIONS);
    }
  }
}
