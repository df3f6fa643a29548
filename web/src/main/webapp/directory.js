// The directory section: search people, see whether they can take a call, call them. Everything a
// person's entry holds is set as text, never as markup.

const $ = (id) => document.getElementById(id);

const SEARCH_DELAY_MS = 200;

export const PRESENCE_LABELS = Object.freeze({
  online: "Available",
  busy: "In a call",
  offline: "Offline",
  unknown: "Unknown",
});

function presenceOf(value) {
  return Object.hasOwn(PRESENCE_LABELS, value) ? value : "unknown";
}

function textCell(text) {
  const cell = document.createElement("td");
  cell.textContent = text;
  return cell;
}

/** The directory section's elements and its rows' call buttons. */
const MAIN_DIRECTORY = Object.freeze({
  ids: {
    section: "directory",
    query: "directory-query",
    results: "directory-results",
    groupsHead: "directory-groups-head",
  },
  buttons: [
    { action: "video", text: "Video", label: (name) => `Video call ${name}` },
    { action: "audio", text: "Audio", label: (name) => `Audio call ${name}` },
  ],
});

export class DirectoryView {
  #api;
  #myId;
  #onCall;
  #onPeople;
  #onError;
  #ids;
  #buttons;
  #presence = new Map();
  #callsEnabled = true;
  #excluded = new Set();
  #selectable;
  #onSelection;
  #maxSelected = Infinity;
  #selected = new Map(); // user id → {id, displayName}, across searches, in the order picked
  #searchSeq = 0;
  #started = null;

  /**
   * @param {object} options
   * @param {{get(path: string): Promise<any>}} options.api
   * @param {string} options.myId the signed-in user's id (no call buttons for yourself)
   * @param {(person: object, action: string) => void} options.onCall a row's button was pressed
   *   (its action: "video"/"audio" in the directory section)
   * @param {(ids: string[]) => void} options.onPeople these people are shown (to watch their presence)
   * @param {(message: string) => void} options.onError
   * @param {{section: string|null, query: string, results: string, groupsHead: string}} [options.ids]
   *   the elements (another search, e.g. the call's "Add person"; section null: shown by others)
   * @param {{action: string, text: string, label(name: string): string}[]} [options.buttons] each row's buttons
   * @param {(people: {id: string, displayName: string}[]) => void} [options.onSelection] when given, each row
   *   (not yours) has a checkbox to pick several people at once; called with everyone picked, in order
   */
  constructor({
    api,
    myId,
    onCall,
    onPeople,
    onError,
    ids = MAIN_DIRECTORY.ids,
    buttons = MAIN_DIRECTORY.buttons,
    onSelection = null,
  }) {
    this.#api = api;
    this.#myId = myId;
    this.#onCall = onCall;
    this.#onPeople = onPeople;
    this.#onError = onError;
    this.#ids = ids;
    this.#buttons = buttons;
    this.#selectable = typeof onSelection === "function";
    this.#onSelection = onSelection;
  }

  /** How many people may be picked at once (the call's limit less yourself). */
  setMaxSelected(max) {
    this.#maxSelected = Number.isInteger(max) && max > 0 ? max : Infinity;
    this.#paintButtons();
  }

  /** The people picked, in the order picked. */
  get selected() {
    return [...this.#selected.values()];
  }

  clearSelection() {
    this.#selected.clear();
    this.#paintButtons();
    this.#onSelection?.(this.selected);
  }

  #toggle(person, picked) {
    if (picked && this.#selected.size < this.#maxSelected) {
      this.#selected.set(person.id, { id: person.id, displayName: person.displayName });
    } else {
      this.#selected.delete(person.id);
    }
    this.#paintButtons();
    this.#onSelection(this.selected);
  }

  /** Shows the section and the first results (once; later calls search again). */
  start() {
    if (this.#started) {
      return this.search();
    }
    let pending;
    $(this.#ids.query).addEventListener("input", () => {
      clearTimeout(pending);
      pending = setTimeout(() => this.search(), SEARCH_DELAY_MS);
    });
    if (this.#ids.section) {
      $(this.#ids.section).hidden = false;
    }
    this.#started = this.search();
    return this.#started;
  }

  async search() {
    const seq = ++this.#searchSeq;
    try {
      const people = await this.#api.get(`directory?q=${encodeURIComponent($(this.#ids.query).value)}`);
      if (seq === this.#searchSeq) {
        this.#render(people); // a slower, older answer never overwrites a newer one
      }
    } catch (error) {
      this.#onError(`Directory: ${error.message}`);
    }
  }

  /** The first person whose id, username or email is `who` (case-insensitive), from a search. */
  async find(who) {
    const wanted = who.toLowerCase();
    const people = await this.#api.get(`directory?q=${encodeURIComponent(who)}&limit=10`);
    return (
      people.find((p) => [p.id, p.username, p.email].some((v) => v && v.toLowerCase() === wanted)) ?? null
    );
  }

  setPresence(userId, presence) {
    const value = presenceOf(presence);
    this.#presence.set(userId, value);
    const row = $(this.#ids.results).querySelector(`tr[data-user-id="${CSS.escape(userId)}"]`);
    if (row) {
      this.#paintPresence(row.querySelector(".presence"), value);
    }
  }

  /** Call buttons work only while no call holds this tab (the "Add person" search: only in a call). */
  setCallsEnabled(enabled) {
    this.#callsEnabled = enabled;
    this.#paintButtons();
  }

  /** No buttons for these people (already in the call). */
  setExcluded(userIds) {
    this.#excluded = new Set(userIds);
    this.#paintButtons();
  }

  #enabledFor(userId) {
    return this.#callsEnabled && userId !== this.#myId && !this.#excluded.has(userId);
  }

  #paintButtons() {
    const full = this.#selected.size >= this.#maxSelected;
    for (const row of $(this.#ids.results).querySelectorAll("tr[data-user-id]")) {
      const enabled = this.#enabledFor(row.dataset.userId);
      row.querySelectorAll("button").forEach((b) => (b.disabled = !enabled));
      const pick = row.querySelector("input.pick");
      if (pick) {
        pick.checked = this.#selected.has(row.dataset.userId);
        pick.disabled = !enabled || (full && !pick.checked);
      }
    }
  }

  #render(people) {
    // Only an edge-admin's search carries groups (the server leaves them out for everyone else).
    const withGroups = people.some((person) => Array.isArray(person.groups));
    $(this.#ids.groupsHead).hidden = !withGroups;
    const rows = people.map((person) => this.#row(person, withGroups));
    if (rows.length === 0) {
      const row = document.createElement("tr");
      const cell = textCell("Nobody matches.");
      cell.colSpan = (withGroups ? 6 : 5) + (this.#selectable ? 1 : 0);
      cell.className = "empty";
      row.append(cell);
      rows.push(row);
    }
    $(this.#ids.results).replaceChildren(...rows);
    this.#paintButtons();
    this.#onPeople(people.map((p) => p.id).filter((id) => id !== this.#myId));
  }

  #row(person, withGroups) {
    const row = document.createElement("tr");
    row.dataset.userId = person.id;
    const self = person.id === this.#myId;

    const status = document.createElement("td");
    const presence = document.createElement("span");
    presence.className = "presence";
    const dot = document.createElement("span");
    dot.className = "presence-dot";
    dot.setAttribute("aria-hidden", "true");
    const label = document.createElement("span");
    label.className = "presence-label";
    presence.append(dot, label);
    status.append(presence);
    this.#paintPresence(presence, self ? "online" : (this.#presence.get(person.id) ?? "unknown"));

    const name = textCell(person.displayName);
    name.className = "person-name";
    if (self) {
      const you = document.createElement("span");
      you.className = "you";
      you.textContent = " (you)";
      name.append(you);
    }

    const actions = document.createElement("td");
    actions.className = "actions";
    for (const { action, text, label } of this.#buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = `call-${action}`;
      button.textContent = text;
      button.setAttribute("aria-label", label(person.displayName));
      button.disabled = !this.#enabledFor(person.id);
      button.addEventListener("click", () => this.#onCall(person, action));
      actions.append(button);
    }

    if (this.#selectable) {
      const cell = document.createElement("td");
      cell.className = "select";
      if (!self) {
        const pick = document.createElement("input");
        pick.type = "checkbox";
        pick.className = "pick";
        pick.setAttribute("aria-label", `Select ${person.displayName} for a call with several people`);
        pick.addEventListener("change", () => this.#toggle(person, pick.checked));
        cell.append(pick);
      }
      row.append(cell);
    }
    row.append(status, name, textCell(person.email || "—"), textCell(person.phoneNumber || "—"));
    if (withGroups) {
      row.append(textCell([...(person.groups ?? [])].sort().join(", ")));
    }
    row.append(actions);
    return row;
  }

  #paintPresence(element, presence) {
    element.dataset.presence = presence;
    element.querySelector(".presence-label").textContent = PRESENCE_LABELS[presence];
  }
}
