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

export class DirectoryView {
  #api;
  #myId;
  #onCall;
  #onPeople;
  #onError;
  #presence = new Map();
  #callsEnabled = true;
  #searchSeq = 0;

  /**
   * @param {object} options
   * @param {{get(path: string): Promise<any>}} options.api
   * @param {string} options.myId the signed-in user's id (no call buttons for yourself)
   * @param {(person: object, media: string) => void} options.onCall a call button was pressed
   * @param {(ids: string[]) => void} options.onPeople these people are shown (to watch their presence)
   * @param {(message: string) => void} options.onError
   */
  constructor({ api, myId, onCall, onPeople, onError }) {
    this.#api = api;
    this.#myId = myId;
    this.#onCall = onCall;
    this.#onPeople = onPeople;
    this.#onError = onError;
  }

  /** Shows the section and the first results. */
  start() {
    let pending;
    $("directory-query").addEventListener("input", () => {
      clearTimeout(pending);
      pending = setTimeout(() => this.search(), SEARCH_DELAY_MS);
    });
    $("directory").hidden = false;
    return this.search();
  }

  async search() {
    const seq = ++this.#searchSeq;
    try {
      const people = await this.#api.get(`directory?q=${encodeURIComponent($("directory-query").value)}`);
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
    return people.find((p) => [p.id, p.username, p.email].some((v) => v && v.toLowerCase() === wanted)) ?? null;
  }

  setPresence(userId, presence) {
    const value = presenceOf(presence);
    this.#presence.set(userId, value);
    const row = $("directory-results").querySelector(`tr[data-user-id="${CSS.escape(userId)}"]`);
    if (row) {
      this.#paintPresence(row.querySelector(".presence"), value);
    }
  }

  /** Call buttons work only while no call holds this tab. */
  setCallsEnabled(enabled) {
    this.#callsEnabled = enabled;
    for (const row of $("directory-results").querySelectorAll("tr[data-user-id]")) {
      const self = row.dataset.userId === this.#myId;
      row.querySelectorAll("button").forEach((b) => (b.disabled = self || !enabled));
    }
  }

  #render(people) {
    // Only an edge-admin's search carries groups (the server leaves them out for everyone else).
    const withGroups = people.some((person) => Array.isArray(person.groups));
    $("directory-groups-head").hidden = !withGroups;
    const rows = people.map((person) => this.#row(person, withGroups));
    if (rows.length === 0) {
      const row = document.createElement("tr");
      const cell = textCell("Nobody matches.");
      cell.colSpan = withGroups ? 6 : 5;
      cell.className = "empty";
      row.append(cell);
      rows.push(row);
    }
    $("directory-results").replaceChildren(...rows);
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
    for (const [media, text] of [
      ["video", "Video"],
      ["audio", "Audio"],
    ]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = `call-${media}`;
      button.textContent = text;
      button.setAttribute("aria-label", `${text} call ${person.displayName}`);
      button.disabled = self || !this.#callsEnabled;
      button.addEventListener("click", () => this.#onCall(person, media));
      actions.append(button);
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
