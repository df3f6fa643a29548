// Finds email addresses and phone numbers in plain text. Pure: no DOM, no chrome.* (unit-tested
// in test/detection.test.js).
//
// Phones: libphonenumber-js (Google's PhoneNumberMatcher, leniency "valid") with the small "min"
// metadata, then our own filters for what a bank page is full of and libphonenumber happily
// accepts as a valid number: reference/order/account numbers, bare digit runs, prices, IBANs,
// thousands-separated amounts. A missed number costs a click; a false icon next to an account
// number misleads, so the filters err on the side of no icon.
import {
  findPhoneNumbersInText,
  isSupportedCountry,
  parsePhoneNumberFromString,
} from "libphonenumber-js/min";

/**
 * @typedef {object} Match
 * @property {'email'|'phone'} kind
 * @property {number} start index of the first character in the text
 * @property {number} end index after the last character
 * @property {string} value emails: the address lower-cased; phones: the text as written
 * @property {string} [e164] phones: the number in E.164 (+442079460001)
 */

// Local part: starts and ends with a letter or digit, no quoted forms. Domain: labels of letters
// (any script), digits and inner hyphens, and a top-level domain of letters only.
const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+'-]{0,62}[A-Za-z0-9_%+-])?@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\p{L}\p{N}_-]|@)/gu;
const WHOLE_EMAIL = new RegExp(`^${EMAIL.source}$`, "u");

/** Email addresses in `text`, in order. */
export function findEmails(text) {
  if (typeof text !== "string" || !text.includes("@")) return [];
  const found = [];
  for (const m of text.matchAll(EMAIL)) {
    const address = m[0];
    const start = m.index;
    if (address.length > 254 || address.indexOf("@") > 64 || address.includes("..")) continue;
    if (insideUrl(text, start)) continue;
    found.push({ kind: "email", start, end: start + address.length, value: address.toLowerCase() });
  }
  return found;
}

/** `user:password@host` in a URL is not an address to call. */
function insideUrl(text, start) {
  let i = start;
  while (i > 0 && !/\s/.test(text[i - 1])) i--;
  return text.slice(i, start).includes("://");
}

/** The address if `text` is exactly one email address (lower-cased), else null. */
export function parseEmail(text) {
  const trimmed = typeof text === "string" ? text.trim() : "";
  return WHOLE_EMAIL.test(trimmed) && !trimmed.includes("..") ? trimmed.toLowerCase() : null;
}

/** The addresses of a `mailto:` URL (`mailto:a@x.com,b@y.com?subject=...`), lower-cased, distinct. */
export function emailsFromMailto(href) {
  if (typeof href !== "string" || !/^mailto:/i.test(href)) return [];
  let to = href.slice("mailto:".length).split("?")[0];
  try {
    to = decodeURIComponent(to);
  } catch {
    return []; // a malformed %-escape: not an address we could call
  }
  const emails = to.split(/[,;]/).map(parseEmail).filter(Boolean);
  return [...new Set(emails)];
}

/** The ISO 3166 region libphonenumber knows (upper-cased), or undefined. */
export function normaliseRegion(region) {
  if (typeof region !== "string") return undefined;
  const upper = region.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(upper) && isSupportedCountry(upper) ? upper : undefined;
}

/** The E.164 number of a `tel:` URL when it is a valid number, else null. */
export function phoneFromTel(href, region) {
  if (typeof href !== "string" || !/^tel:/i.test(href)) return null;
  let raw = href.slice("tel:".length).split(/[;?]/)[0];
  try {
    raw = decodeURIComponent(raw);
  } catch {
    return null; // a malformed %-escape
  }
  const number = parsePhoneNumberFromString(raw, normaliseRegion(region));
  return number && number.isValid() ? number.number : null;
}

// Words before a number that say what it is. A phone word wins over a reference word
// ("Phone number: ..."); a reference word wins over libphonenumber ("Order no. 0201234567").
const PHONE_WORD =
  /(?:^|[^\p{L}])(?:tel|t[ée]l[ée]phone|telefon|phone|mobile?|mob|cell|fax|call|hotline|switchboard|desk|dial|ring|whatsapp|contact)\b(?:\s*(?:number|no|nr|num)\b)?[^\p{L}\p{N}]{0,6}$|(?:^|[^\p{L}])[TMFP]\s?:\s*$|[☎📞]\s*$/iu;
const REFERENCE_WORD =
  /(?:^|[^\p{L}])(?:order|invoice|inv|ref|reference|account|acct|a\/c|iban|bic|swift|sort\s*code|routing|aba|po|p\.o\.|ticket|case|incident|id|customer|client|member|contract|policy|transaction|txn|trade|deal|isin|cusip|sedol|lei|serial|s\/n|sku|part|tracking|parcel|shipment|booking|confirmation|reservation|zip|post\s*code|postal\s*code|version|ver|release|build|no|nr|num|number|batch|lot|receipt|card|cheque|check)\b[^\p{L}\p{N}]{0,6}$|[#№]\s*$/iu;
const CURRENCY_BEFORE = /(?:[$€£¥₹₣₤]|\b(?:USD|EUR|GBP|CHF|JPY|CAD|AUD|SEK|NOK|DKK|PLN)|\bR\$)\s*$/u;
const CURRENCY_OR_UNIT_AFTER = /^\s*(?:[$€£¥₹%‰]|(?:USD|EUR|GBP|CHF|JPY|CAD|AUD|SEK|NOK|DKK|PLN)\b)/u;
// Text glued to the candidate: a letter, a digit or joiner means it is part of a longer token
// (INV-2024-000123, ABC0201234567, 0201234567/2, user0201234567@...).
const GLUED_BEFORE = /[\p{L}\p{N}_\-/\\@.,:#=&]$/u;
const GLUED_AFTER = /^(?:[\p{L}\p{N}_\-/\\@=&#]|[.,]\p{N})/u;
// An IBAN or account number in groups of four (GB82 WEST 1234 5698 7654 32).
const IBAN_BEFORE = /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){0,7}\s?$/;
const DATE_SHAPE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$/;
const YEAR_RANGE = /^(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d$/;
const IP_SHAPE = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const THOUSANDS_SHAPE = /^\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?$|^[1-9]\d{0,2}(?: \d{3})+$/;
const ZIP_PLUS_FOUR = /^\d{5}-\d{4}$/;
// Another group of digits right before or after: the candidate is a piece of a longer figure
// (a card number, a list of amounts) that libphonenumber cut out.
const DIGITS_BEFORE = /\d[ \-.]?$/;
const DIGITS_AFTER = /^[ \-.]?\d/;
const BARE_DIGITS = /^\d+$/;

/**
 * Phone numbers in `text`, in order. `region` (ISO 3166, e.g. 'GB') is the country of numbers
 * written without an international prefix; without one, only international numbers are found.
 */
export function findPhones(text, region) {
  if (typeof text !== "string" || !hasDigits(text, 7)) return [];
  const defaultCountry = normaliseRegion(region);
  let found;
  try {
    found = findPhoneNumbersInText(text, defaultCountry ? { defaultCountry } : {});
  } catch (e) {
    // libphonenumber does not throw on text; if a future version does, the text has no icons.
    console.debug("vclick: phone search failed", e);
    return [];
  }
  const phones = [];
  for (const { number, startsAt, endsAt } of found) {
    let start = startsAt;
    let end = endsAt;
    // An unbalanced parenthesis belongs to the sentence: "bob (020 7946 0002)".
    if (text[start] === "(" && !text.slice(start, end).includes(")")) start++;
    if (text[end - 1] === ")" && !text.slice(start, end).includes("(")) end--;
    const raw = text.slice(start, end);
    if (!number?.number || !isPhoneInContext(text, start, end, raw)) continue;
    phones.push({ kind: "phone", start, end, value: raw, e164: number.number });
  }
  return phones;
}

function isPhoneInContext(text, start, end, raw) {
  const before = text.slice(Math.max(0, start - 32), start);
  const after = text.slice(end, end + 8);
  if (GLUED_BEFORE.test(before) && !/[:=]$/.test(before) && !PHONE_WORD.test(before)) return false;
  if (GLUED_AFTER.test(after)) return false;
  if (CURRENCY_BEFORE.test(before) || CURRENCY_OR_UNIT_AFTER.test(after)) return false;
  if (IBAN_BEFORE.test(before)) return false;
  if (DIGITS_BEFORE.test(before) || DIGITS_AFTER.test(after)) return false;
  const compact = raw.trim();
  if (DATE_SHAPE.test(compact) || YEAR_RANGE.test(compact) || IP_SHAPE.test(compact)) return false;
  if (THOUSANDS_SHAPE.test(compact) || ZIP_PLUS_FOUR.test(compact)) return false;
  const phoneWord = PHONE_WORD.test(before);
  if (!phoneWord && REFERENCE_WORD.test(before)) return false;
  // 0201234567 alone is as likely an account or reference number as a phone number.
  if (BARE_DIGITS.test(compact) && !phoneWord) return false;
  return true;
}

/** True when `text` has at least `count` ASCII digits (stops counting there). */
export function hasDigits(text, count) {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57 && ++n >= count) return true;
  }
  return false;
}

/** Cheap test before the real search: could `text` hold an address or a number? */
export function mightContainContact(text) {
  return text.length >= 6 && (text.includes("@") || hasDigits(text, 7));
}

/** Emails and phones in `text`, in order, never overlapping (an email wins over a number in it). */
export function findContacts(text, region) {
  if (!mightContainContact(text)) return [];
  const emails = findEmails(text);
  const phones = findPhones(text, region).filter(
    (p) => !emails.some((e) => p.start < e.end && e.start < p.end),
  );
  return [...emails, ...phones].sort((a, b) => a.start - b.start);
}
