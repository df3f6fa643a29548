// The people finder's own script (no framework, but built like one): contact cards as web
// components rendering into open shadow roots (a panel of cards nested in another component's
// shadow root, a card type whose definition loads late, a card added after load, a form whose
// fields and editable note hold contacts that get no icon), a virtualised
// "on call" list of three rows whose text is replaced in place on "Next", and frames: the same
// origin, another origin (?peer=<origin> serving this folder too), a srcdoc frame and an
// about:blank frame this script fills. Sets document.body.dataset.ready = "1" when all is in.
//
// For tests: window.finder.expected() → { part: ["email x@y", "phone +44...", ...] } for every part
// of the page and every frame (the frames' parts named by their iframe's id), as click-to-call
// finds them (phone region GB); window.finder.listText() what the on-call list reads now;
// window.finder.nextPage() shows the next page of the list.

const PEOPLE = {
  alice: ['Alice Archer', '+44 20 7946 0001'],
  bob: ['Bob Baker', '+44 20 7946 0002'],
  carol: ['Carol Chen', '+44 20 7946 0003'],
  dave: ['Dave Dlamini', '+44 20 7946 0004'],
  erin: ['Erin Evans', '+44 20 7946 0005'],
  frank: ['Frank Fischer', '+44 20 7946 0006'],
};
const email = (user) => `${user}@acme-bank.example`;
const e164 = (phone) => phone.replaceAll(' ', '');
const contactsOf = (user) => [`email ${email(user)}`, `phone ${e164(PEOPLE[user][1])}`];

const CARD_CSS = `
  :host { display: inline-block; font-size: 13px; contain: content; }
  article { border: 1px solid #d0d7de; border-radius: 8px; padding: 0.5rem 0.75rem; min-width: 14rem; }
  h3 { margin: 0 0 0.25rem; font-size: 1rem; }
  p { margin: 0; color: #57606a; white-space: nowrap; }
`;

/** A contact card, rendered a microtask after it is connected (as Lit does). */
class ContactCard extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
  }
  connectedCallback() {
    queueMicrotask(() => this.render());
  }
  render() {
    if (this.shadowRoot.childElementCount > 0) return;
    const style = document.createElement('style');
    style.textContent = CARD_CSS;
    const article = document.createElement('article');
    const h3 = document.createElement('h3');
    h3.textContent = this.getAttribute('name');
    const mail = document.createElement('p');
    mail.textContent = this.getAttribute('email');
    const phone = document.createElement('p');
    phone.textContent = `Tel: ${this.getAttribute('phone')}`;
    article.append(h3, mail, phone);
    this.shadowRoot.append(style, article);
  }
}
customElements.define('contact-card', ContactCard);

/** A team: a heading and a contact card per member, all inside its own shadow root. */
class TeamPanel extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    const heading = document.createElement('h3');
    heading.textContent = this.getAttribute('team');
    root.append(heading);
    for (const user of this.getAttribute('members').split(',')) {
      const card = document.createElement('contact-card');
      card.setAttribute('name', PEOPLE[user][0]);
      card.setAttribute('email', email(user));
      card.setAttribute('phone', PEOPLE[user][1]);
      root.append(card);
    }
  }
}
customElements.define('team-panel', TeamPanel);

/** A call-back form: its fields and editable note hold contacts the user types, never icons. */
class CallbackForm extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    const label = document.createElement('label');
    label.textContent = 'Call back: ';
    const input = document.createElement('input');
    input.value = email('alice');
    label.append(input);
    const textarea = document.createElement('textarea');
    textarea.value = `Or ${PEOPLE.alice[1]}`;
    const note = document.createElement('div');
    note.contentEditable = 'true';
    note.textContent = `Cc ${email('frank')}, ${PEOPLE.frank[1]}`;
    root.append(label, textarea, note);
  }
}
customElements.define('callback-form', CallbackForm);

// The recycling list: three rows whose text nodes get new data on "Next" (a virtualised list
// reuses its row elements), a vacant row having no contact.
const PAGES = [
  ['alice', 'bob', 'carol'],
  ['dave', 'erin', null],
];
let pageIndex = 0;
const rows = [];
const list = document.getElementById('on-call');
for (let i = 0; i < 3; i++) {
  const li = document.createElement('li');
  const name = document.createElement('strong');
  name.append(document.createTextNode(''));
  const details = document.createTextNode('');
  li.append(name, ' — ', details);
  list.append(li);
  rows.push({ name: name.firstChild, details });
}
function showPage() {
  PAGES[pageIndex].forEach((user, i) => {
    rows[i].name.data = user ? PEOPLE[user][0] : '(vacant)';
    rows[i].details.data = user ? `${email(user)} · ${PEOPLE[user][1]}` : 'nobody on call';
  });
  document.getElementById('page-number').textContent = `page ${pageIndex + 1} of ${PAGES.length}`;
}
showPage();
document.getElementById('next-page').addEventListener('click', () => {
  pageIndex = (pageIndex + 1) % PAGES.length;
  showPage();
});

// Frames: another origin (given by the test), and an about:blank frame filled from here.
const peer = new URLSearchParams(location.search).get('peer');
if (peer) document.getElementById('cross-origin').src = `${new URL(peer).origin}/frame.html?part=cross-origin`;
const blank = document.getElementById('blank');
const blankDoc = blank.contentDocument;
const note = blankDoc.createElement('p');
note.dataset.part = 'blank';
note.textContent = 'Compliance desk: erin@acme-bank.example, +44 20 7946 0005';
blankDoc.body.append(note);

function whenLoaded() {
  // A card added after load, and the late card type defined (its elements upgrade in place).
  setTimeout(() => {
    const card = document.createElement('contact-card');
    card.setAttribute('name', PEOPLE.alice[0]);
    card.setAttribute('email', email('alice'));
    card.setAttribute('phone', PEOPLE.alice[1]);
    document.querySelector('.cards').append(card);
  }, 300);
  setTimeout(() => {
    customElements.define('late-card', class extends ContactCard {});
    // An element long in the page gets an open shadow root now, and its content at once (no
    // insertion into the document announces it; nested inside a section of the page).
    const host = document.getElementById('late-root');
    const root = host.attachShadow({ mode: 'open' });
    const line = document.createElement('p');
    line.textContent = `Duty officer: ${email('dave')}, ${PEOPLE.dave[1]}`;
    root.append(line);
    document.body.dataset.ready = '1';
  }, 600);
}
if (document.readyState === 'complete') whenLoaded();
else addEventListener('load', whenLoaded, { once: true });

window.finder = Object.freeze({
  expected() {
    const frame = [`email ${email('bob')}`, `phone ${e164(PEOPLE.bob[1])}`, `email ${email('carol')}`];
    return {
      components: ['carol', 'bob', 'frank', 'dave', 'alice'].flatMap(contactsOf),
      split: ['erin', 'frank']
        .flatMap((u) => [`phone ${e164(PEOPLE[u][1])}`])
        .concat(['phone +442079460007', 'email eve@acme-bank.example']),
      recycling: PAGES[pageIndex].filter(Boolean).flatMap(contactsOf),
      'same-origin': frame,
      'cross-origin': frame,
      srcdoc: contactsOf('carol'),
      blank: contactsOf('erin'),
      'late-root': contactsOf('dave'),
    };
  },
  /** What the on-call list reads now, as this script wrote it. */
  listText: () =>
    PAGES[pageIndex]
      .map((user) => (user ? `${PEOPLE[user][0]} — ${email(user)} · ${PEOPLE[user][1]}` : '(vacant) — nobody on call'))
      .join(''),
  nextPage: () => document.getElementById('next-page').click(),
});
