// The people of Acme Bank's corporate directory test page, as data: every row is the same for a
// given index whatever the row count (seeded per row), so the page, the end-to-end tests and the
// benchmark all see the same text. Pure: no DOM (the extension's unit tests import it to check that
// the click-to-call detection finds exactly what expected() announces).
//
// A cell is a list of parts: a string (plain text, which may hold contacts), or
// { text, mailto } (a mailto: link), or { text, tel } (a tel: link). Each part lists the contacts it
// holds, so counting them needs no phone-number library:
//   { kind: 'email', value }               value lower-cased
//   { kind: 'phone', value, national }     value in E.164; national: written without the country
//                                          code (a UK number), found only with phone region GB

const DOMAIN = 'acme-bank.example';

/** The demo users of the realm (keycloak-realm/README.md), with UK numbers +44 20 7946 000N. */
export const DEMO_PEOPLE = [
  ['alice', 'Alice Archer', 'Traders', 'Head of FX trading desk', false],
  ['bob', 'Bob Baker', 'Staff', 'Branch operations', true],
  ['carol', 'Carol Chen', 'Staff', 'Payments', false],
  ['dave', 'Dave Dlamini', 'Contractors', 'Contract ends 2025-03-31', true],
  ['erin', 'Erin Evans', 'Compliance', 'Recording reviews', false],
  ['frank', 'Frank Fischer', 'IT Security', 'Edge administrator', true],
  ['eve', 'Eve Ellis', 'Unassigned', 'No roles yet', false],
].map(([username, name, department, note, national], i) => {
  const n = i + 1;
  const email = `${username}@${DOMAIN}`;
  const phone = phonePart(national ? `020 7946 000${n}` : `+44 20 7946 000${n}`, `+44207946000${n}`, national);
  return {
    id: `demo-${username}`,
    name,
    department,
    // carol's address is a mailto: link, the others plain text
    email: username === 'carol' ? [mailtoPart(email, email)] : [emailPart(email)],
    phone: [phone],
    notes: [plain(note)],
  };
});

const FIRST = [
  'Amara',
  'Bruno',
  'Chloe',
  'Dmitri',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemi',
  'Luca',
  'Maya',
  'Nikhil',
  'Olga',
  'Pablo',
  'Quinn',
  'Rosa',
  'Sven',
  'Tariq',
  'Uma',
  'Viktor',
  'Wen',
  'Ximena',
  'Yusuf',
  'Zara',
];
const LAST = [
  'Abbott',
  'Becker',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fontaine',
  'Garcia',
  'Hoffmann',
  'Ito',
  'Jensen',
  'Kowalski',
  'Laurent',
  'Meyer',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Quispe',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Usman',
  'Varga',
  'Weber',
  'Xu',
  'Yilmaz',
  'Zhang',
];
const DEPARTMENTS = [
  'Trading',
  'Treasury',
  'Compliance',
  'Retail Banking',
  'Risk',
  'IT Security',
  'Operations',
  'Wealth Management',
  'Legal',
  'Human Resources',
];
const CUSTOMER_DOMAINS = ['example.com', 'example.org', 'example.net'];

/** A small deterministic generator (mulberry32) for row `index`. */
function randomFor(index) {
  let a = (index * 2654435761 + 0x9e3779b9) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n, width) => String(n).padStart(width, '0');

function emailPart(text) {
  return { text, contacts: [{ kind: 'email', value: text.toLowerCase() }] };
}
function mailtoPart(address, text) {
  return { text, mailto: address, contacts: [{ kind: 'email', value: address.toLowerCase() }] };
}
function phonePart(text, e164, national = false) {
  return { text, contacts: [{ kind: 'phone', value: e164, national }] };
}
function plain(text) {
  return { text, contacts: [] };
}

/** A phone number in one of several formats and countries; n picks the number. */
function phoneFor(random, n) {
  const x3 = pad(n % 1000, 3);
  const x2 = pad(n % 100, 2);
  const formats = [
    () => phonePart(`+44 20 7946 0${x3}`, `+442079460${x3}`),
    () => phonePart(`020 7946 0${x3}`, `+442079460${x3}`, true),
    () => phonePart(`+44 161 496 0${x3}`, `+441614960${x3}`),
    () => phonePart(`0161 496 0${x3}`, `+441614960${x3}`, true),
    () => phonePart(`+1 (212) 555-01${x2}`, `+121255501${x2}`),
    () => phonePart(`+1 646-555-01${x2}`, `+164655501${x2}`),
    () => phonePart(`+49 30 901820${pad(n % 10, 1)}`, `+4930901820${pad(n % 10, 1)}`),
    () => phonePart(`+49 89 2019 33${x2}`, `+4989201933${x2}`),
    () => phonePart(`+33 1 42 68 53 ${x2}`, `+331426853${x2}`),
    () => phonePart(`+44 7911 123${x3}`, `+447911123${x3}`),
  ];
  return formats[Math.floor(random() * formats.length)]();
}

/** Notes: mostly look-alikes that are NOT contacts (dates, amounts, addresses, references). */
function notesFor(random, index) {
  const r = () => Math.floor(random() * 1e9);
  const d2 = (n) => pad(n, 2);
  const day = 1 + (index % 28);
  const month = 1 + (index % 12);
  const notes = [
    () => [plain(`Order #${pad(r(), 9)} shipped ${2024}-${d2(month)}-${d2(day)}`)],
    () => [plain(`INV-2024-${pad(index % 1000000, 6)} paid`)],
    () => [plain(`Last review ${2023 + (index % 3)}-${d2(month)}-${d2(day)}`)],
    () => [plain(`Meeting ${d2(day)}/${d2(month)}/2024 at ${d2(8 + (index % 10))}:${d2((index * 7) % 60)}`)],
    () => [plain(`Limit $${1 + (index % 9)},${pad(index % 1000, 3)}.${d2(index % 100)}`)],
    () => [plain(`Fee ${1 + (index % 9)} ${pad(index % 1000, 3)},${d2(index % 100)} €`)],
    () => [plain(`VPN 10.0.${index % 256}.${(index * 3) % 256}, gateway 192.168.1.20`)],
    () => [plain('IBAN GB82 WEST 1234 5698 7654 32')],
    () => [plain(`Client app v2.${index % 20}.${index % 7}, build 2024${d2(month)}${d2(day)}`)],
    () => [plain(`Branch ZIP ${pad(10000 + (index % 89999), 5)}`)],
    () => [plain(`Ref ${pad(2000000000 + (index % 99999999), 10)}`)],
    () => [plain(`Account ${pad(31926819 + index, 8)}, sort code 12-34-56`)],
    () => [plain(`Joined in ${2000 + (index % 24)}; desk ${1 + (index % 9)}.${d2(index % 40)}`)],
    () => [plain(`Case 2024-${pad(index, 6)}-7, ticket ${pad(index, 8)}`)],
    () => [plain('Assistant: '), emailPart(`assistant${index}@${DOMAIN}`)],
    () => [plain('Out of hours: '), phonePart('+44 20 7946 0999', '+442079460999')],
    () => [plain('Prefers '), mailtoPart(`desk${index % 50}@${DOMAIN}`, 'email'), plain(' over calls')],
    () => [],
  ];
  return notes[Math.floor(random() * notes.length)]();
}

/**
 * The generated person of row `index` (0-based, after the demo people), the same for a given
 * index whatever the number of rows.
 */
export function personAt(index) {
  const random = randomFor(index);
  const first = FIRST[index % FIRST.length];
  const last = LAST[Math.floor(index / FIRST.length) % LAST.length];
  const local = `${first}.${last}${index}`;
  const customer = random() < 0.3;
  let email;
  if (customer) {
    const domain = CUSTOMER_DOMAINS[index % CUSTOMER_DOMAINS.length];
    email = [emailPart(`${local.toLowerCase()}@${domain}`)];
  } else if (random() < 0.15) {
    email = [mailtoPart(`${local.toLowerCase()}@${DOMAIN}`, `${local.toLowerCase()}@${DOMAIN}`)];
  } else if (random() < 0.1) {
    email = [emailPart(`${local}@Acme-Bank.example`)]; // mixed case: the icon's value is lower-cased
  } else if (random() < 0.05) {
    const second = `${last.toLowerCase()}.team@${DOMAIN}`;
    email = [emailPart(`${local.toLowerCase()}@${DOMAIN}`), plain('; '), emailPart(second)];
  } else {
    email = [emailPart(`${local.toLowerCase()}@${DOMAIN}`)];
  }
  const phone = random() < 0.08 ? [plain('—')] : [phoneFor(random, index)];
  return {
    id: `p${index}`,
    name: `${first} ${last}`,
    department: customer ? 'Customer (external)' : DEPARTMENTS[index % DEPARTMENTS.length],
    email,
    phone,
    notes: notesFor(random, index),
  };
}

/** The first `count` rows of the directory: the demo people, then generated ones. */
export function peopleUpTo(count) {
  const people = DEMO_PEOPLE.slice(0, count);
  for (let i = 0; people.length < count; i++) people.push(personAt(i));
  return people;
}

/** Contact blocks outside the table (footer, escalation details), in page order. */
export const EXTRA_SECTIONS = {
  escalation: [plain('Duty manager: '), emailPart(`duty.manager@${DOMAIN}`), plain(', '), phonePart('+44 20 7946 0998', '+442079460998')],
  footer: [
    plain('Questions about the directory? '),
    mailtoPart(`servicedesk@${DOMAIN}`, 'Service desk'),
    plain(' · '),
    phonePart('+44 20 7946 0999', '+442079460999'),
    plain(' · Updated 2024-05-01 · Version 3.2.1'),
  ],
};

/** The contacts of some parts that a click-to-call finds with phone region `region`. */
export function contactsIn(parts, region = 'GB') {
  return parts.flatMap((part) => part.contacts).filter((c) => c.kind === 'email' || !c.national || region === 'GB');
}

/** Every cell of a person, in column order. */
export function cellsOf(person) {
  return [[plain(person.name)], [plain(person.department)], person.email, person.phone, person.notes];
}
