// What the app's admin-style pages (Secure Edge policy, call log, recordings) share for drawing:
// element lookup, the status line, elements built from text (never from HTML) and the formats of
// instants, durations and sizes.

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** Shows `text` in the page's #status line, as an error when `isError`. */
export function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

/** An element with text content and attributes; children appended. Never parses HTML. */
export function el(tag, { text, className, attrs = {}, dataset = {} } = {}, ...children) {
  const node = document.createElement(tag);
  if (text !== undefined) {
    node.textContent = text;
  }
  if (className) {
    node.className = className;
  }
  Object.entries(attrs).forEach(([name, value]) => node.setAttribute(name, value));
  Object.assign(node.dataset, dataset);
  children.forEach((child) => node.append(child));
  return node;
}

/** An ISO instant in the user's locale, or a dash. */
export const when = (instant) => (instant ? new Date(instant).toLocaleString() : "—");

/** "1:05" or "1:02:05" from seconds (rounded), or a dash. */
export function durationText(seconds) {
  if (seconds === null || seconds === undefined) {
    return "—";
  }
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** "613.4 KB", "340 B", or a dash. */
export function bytesText(bytes) {
  if (bytes === null || bytes === undefined) {
    return "—";
  }
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * A table filled page by page from a list endpoint that answers newest first and pages with
 * `before=<startedAt of the last row>`. Its elements follow one naming: `<prefix>-table` (rows in
 * its tBody), `<prefix>-count`, `<prefix>-more`, `<prefix>-apply`, and the section `<prefix>`
 * whose `data-loads` counts the answers shown (tests wait for the next one).
 */
export class PagedTable {
  #loading = false;
  #shown = 0;
  #last = null;
  #loads = 0;

  /**
   * @param {object} o
   * @param {string} o.prefix the elements' id prefix
   * @param {string} o.path the API path, e.g. "edge/calls"
   * @param {string} o.noun one item, e.g. "call" ("calls shown", "No calls.")
   * @param {number} o.columns the table's columns
   * @param {number} o.pageSize items asked for at once
   * @param {(item: object) => Element} o.row one item's row
   * @param {(text: string) => void} o.showError @param {() => void} o.hideError
   */
  constructor({ prefix, path, noun, columns, pageSize, row, showError, hideError }) {
    Object.assign(this, { prefix, path, noun, columns, pageSize, row, showError, hideError });
  }

  /** Loads the first page (`first`) or the next one with these filters; one load at a time. */
  async load(api, filters, first) {
    if (this.#loading) {
      return;
    }
    this.#loading = true;
    $(`${this.prefix}-apply`).disabled = true;
    $(`${this.prefix}-more`).disabled = true;
    this.hideError();
    const extra = { limit: String(this.pageSize), ...(first || !this.#last ? {} : { before: this.#last }) };
    try {
      const list = await api.get(`${this.path}?${new URLSearchParams({ ...filters, ...extra })}`);
      const body = $(`${this.prefix}-table`).tBodies[0];
      if (first) {
        body.replaceChildren();
        this.#shown = 0;
        this.#last = null;
      }
      body.append(...list.map((item) => this.row(item)));
      this.#shown += list.length;
      if (list.length) {
        this.#last = list[list.length - 1].startedAt;
      }
      if (this.#shown === 0) {
        const empty = {
          className: "empty",
          text: `No ${this.noun}s.`,
          attrs: { colspan: String(this.columns) },
        };
        body.replaceChildren(el("tr", {}, el("td", empty)));
      }
      $(`${this.prefix}-count`).textContent =
        `${this.#shown} ${this.noun}${this.#shown === 1 ? "" : "s"} shown`;
      $(`${this.prefix}-more`).hidden = list.length < this.pageSize;
      this.#loads += 1;
      $(this.prefix).dataset.loads = String(this.#loads);
    } catch (error) {
      this.showError(`The ${this.noun}s could not be read (HTTP ${error.status ?? "?"}): ${error.message}`);
    } finally {
      this.#loading = false;
      $(`${this.prefix}-apply`).disabled = false;
      $(`${this.prefix}-more`).disabled = false;
    }
  }
}
