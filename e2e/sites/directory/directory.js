// The directory page's own script (no framework): renders ?rows=N people (default 520), appends
// 20 more 300 ms after load (then sets document.body.dataset.ready = "1"), 30 more per "Load more",
// sorts on a column header click, filters rows on the search box, keeps the row counter.
//
// For tests: window.directory.expected({ region }) → { emails, phones }, how many contacts the page
// rendered (mailto: links included, form fields / editable text / code excluded), with phone region
// 'GB' (default: UK numbers written without +44 count) or another region (they do not).
import { EXTRA_SECTIONS, cellsOf, contactsIn, peopleUpTo, personAt, DEMO_PEOPLE } from './people.js';

const DEFAULT_ROWS = 520;
const MAX_ROWS = 50_000;
const DYNAMIC_ROWS = 20;
const DYNAMIC_DELAY_MS = 300;
const LOAD_MORE_ROWS = 30;

const params = new URLSearchParams(location.search);
const requested = Number.parseInt(params.get('rows') ?? '', 10);
const initialRows = Number.isFinite(requested) ? Math.max(0, Math.min(requested, MAX_ROWS)) : DEFAULT_ROWS;

const tbody = document.querySelector('#people tbody');
const search = document.getElementById('search');
const counter = document.getElementById('count');
/** Every person with a row in the table (shown or filtered out), in the order added. */
const rendered = [];
let nextGenerated = Math.max(0, initialRows - DEMO_PEOPLE.length);

/** Appends a cell's parts: consecutive plain texts as one text node, links as <a>. */
function renderParts(container, parts) {
  let text = '';
  const flush = () => {
    if (text) container.append(document.createTextNode(text));
    text = '';
  };
  for (const part of parts) {
    if (part.mailto || part.tel) {
      flush();
      const link = document.createElement('a');
      link.href = part.mailto ? `mailto:${part.mailto}` : `tel:${part.tel}`;
      link.textContent = part.text;
      container.append(link);
    } else {
      text += part.text;
    }
  }
  flush();
}

function rowOf(person, dynamic) {
  const row = document.createElement('tr');
  row.dataset.id = person.id;
  if (dynamic) row.dataset.dynamic = '';
  for (const parts of cellsOf(person)) {
    const cell = document.createElement('td');
    renderParts(cell, parts);
    row.append(cell);
  }
  return row;
}

function matchesSearch(row) {
  const query = search.value.trim().toLowerCase();
  return query === '' || row.textContent.toLowerCase().includes(query);
}

function addPeople(people, { dynamic = false } = {}) {
  const fragment = document.createDocumentFragment();
  for (const person of people) {
    const row = rowOf(person, dynamic);
    row.hidden = !matchesSearch(row);
    fragment.append(row);
    rendered.push(person);
  }
  tbody.append(fragment);
  updateCount();
}

function generate(count) {
  const people = [];
  for (let i = 0; i < count; i++) people.push(personAt(nextGenerated++));
  return people;
}

function updateCount() {
  const rows = tbody.rows.length;
  let shown = 0;
  for (const row of tbody.rows) if (!row.hidden) shown++;
  counter.textContent = shown === rows ? `${rows} people` : `${shown} of ${rows} people`;
}

function filterRows() {
  for (const row of tbody.rows) row.hidden = !matchesSearch(row);
  updateCount();
}

const collator = new Intl.Collator('en-GB', { numeric: true, sensitivity: 'base' });

function sortBy(column, button) {
  const ascending = button.getAttribute('aria-sort') !== 'ascending';
  for (const other of document.querySelectorAll('th button')) other.removeAttribute('aria-sort');
  button.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
  const rows = [...tbody.rows];
  const key = (row) => row.cells[column].textContent.trim();
  rows.sort((a, b) => (ascending ? 1 : -1) * collator.compare(key(a), key(b)));
  tbody.append(...rows);
}

for (const button of document.querySelectorAll('th button')) {
  button.addEventListener('click', () => sortBy(Number(button.dataset.sort), button));
}
search.addEventListener('input', filterRows);
document.getElementById('load-more').addEventListener('click', () => addPeople(generate(LOAD_MORE_ROWS), { dynamic: true }));

renderParts(document.querySelector('#escalation .contacts'), EXTRA_SECTIONS.escalation);
renderParts(document.querySelector('footer .contacts'), EXTRA_SECTIONS.footer);
addPeople(peopleUpTo(initialRows));
performance.mark('directory-rendered');

let resolveReady;
const ready = new Promise((resolve) => (resolveReady = resolve));
function whenLoaded() {
  setTimeout(() => {
    addPeople(generate(DYNAMIC_ROWS), { dynamic: true });
    performance.mark('directory-ready');
    document.body.dataset.ready = '1';
    resolveReady();
  }, DYNAMIC_DELAY_MS);
}
if (document.readyState === 'complete') whenLoaded();
else addEventListener('load', whenLoaded, { once: true });

function allContacts(region = 'GB') {
  const parts = [...EXTRA_SECTIONS.escalation, ...rendered.flatMap((p) => cellsOf(p).flat()), ...EXTRA_SECTIONS.footer];
  return contactsIn(parts, region);
}

window.directory = Object.freeze({
  /** How many contacts the page rendered, as click-to-call with phone region `region` finds them. */
  expected({ region = 'GB' } = {}) {
    const contacts = allContacts(region);
    return {
      emails: contacts.filter((c) => c.kind === 'email').length,
      phones: contacts.filter((c) => c.kind === 'phone').length,
    };
  },
  /** Those contacts: [{ kind, value }] (email lower-cased, phone in E.164), table rows in the order added. */
  contacts({ region = 'GB' } = {}) {
    return allContacts(region).map(({ kind, value }) => ({ kind, value }));
  },
  /** Rows in the table, and those the search shows. */
  rowCount: () => tbody.rows.length,
  visibleRowCount: () => [...tbody.rows].filter((r) => !r.hidden).length,
  /** Resolves when the dynamic rows have landed (document.body.dataset.ready === '1'). */
  ready,
  initialRows,
});
