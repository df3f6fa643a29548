// IP addresses as the Secure Edge policy sees them: which are non-public (the server's
// AddressRange.NON_PUBLIC, same list) and whether one is inside an allowed CIDR range. Pure
// functions on strings: used by the MAIN-world wrapper and by the unit tests. Only captured
// built-ins and index loops (natives.js): a page cannot change what they answer.
import { natives, exec, list, splitOn, str } from "./natives.js";

const { Number, parseInt } = natives;

const NON_PUBLIC = list(
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "::/128",
  "::1/128",
  "fc00::/7",
  "fe80::/10",
);

/** The literal without brackets and zone id ("[fe80::1%eth0]" → "fe80::1"). */
function bare(text) {
  let literal = text;
  if (str.startsWith(literal, "[")) literal = str.slice(literal, 1);
  if (str.endsWith(literal, "]")) literal = str.slice(literal, 0, -1);
  const zone = str.indexOf(literal, "%");
  return zone >= 0 ? str.slice(literal, 0, zone) : literal;
}

/** The bytes of an IPv4 or IPv6 literal (brackets and a zone id allowed), or null. */
export function parseIp(text) {
  if (typeof text !== "string" || text.length > 64) return null;
  const literal = bare(text);
  return str.includes(literal, ":") ? parseIpv6(literal) : parseIpv4(literal);
}

function parseIpv4(text) {
  const parts = splitOn(text, ".");
  if (parts.length !== 4) return null;
  const bytes = list();
  for (let i = 0; i < parts.length; i++) {
    if (!exec(/^\d{1,3}$/, parts[i]) || Number(parts[i]) > 255) return null;
    bytes[bytes.length] = Number(parts[i]);
  }
  return bytes;
}

function parseIpv6(text) {
  let head = text;
  let tail = "";
  const gap = str.indexOf(text, "::");
  if (gap >= 0) {
    if (str.indexOf(text, "::", gap + 1) >= 0) return null;
    head = str.slice(text, 0, gap);
    tail = str.slice(text, gap + 2);
  }
  const groups = (part) => (part === "" ? list() : splitOn(part, ":"));
  const toBytes = (groupList) => {
    const bytes = list();
    for (let i = 0; i < groupList.length; i++) {
      const group = groupList[i];
      if (i === groupList.length - 1 && str.includes(group, ".")) {
        const v4 = parseIpv4(group);
        if (!v4) return null;
        for (let j = 0; j < v4.length; j++) bytes[bytes.length] = v4[j];
      } else if (exec(/^[0-9a-fA-F]{1,4}$/, group)) {
        const value = parseInt(group, 16);
        bytes[bytes.length] = value >> 8;
        bytes[bytes.length] = value & 0xff;
      } else {
        return null;
      }
    }
    return bytes;
  };
  const first = toBytes(groups(head));
  const last = toBytes(groups(tail));
  if (!first || !last) return null;
  const missing = 16 - first.length - last.length;
  if (gap < 0 ? missing !== 0 : missing < 2) return null;
  const bytes = list();
  for (let i = 0; i < first.length; i++) bytes[bytes.length] = first[i];
  for (let i = 0; i < missing; i++) bytes[bytes.length] = 0;
  for (let i = 0; i < last.length; i++) bytes[bytes.length] = last[i];
  return bytes;
}

/** A CIDR range `10.1.0.0/16` or `fd00::/8` as {bytes, prefix}, or null. */
export function parseRange(text) {
  const match = exec(/^([^/]+)\/(\d{1,3})$/, typeof text === "string" ? str.trim(text) : "");
  if (!match) return null;
  const bytes = parseIp(match[1]);
  const prefix = Number(match[2]);
  if (!bytes || prefix > bytes.length * 8) return null;
  return { __proto__: null, bytes, prefix };
}

function contains(range, bytes) {
  if (range.bytes.length !== bytes.length) return false;
  for (let bit = 0; bit < range.prefix; bit++) {
    const mask = 0x80 >> bit % 8;
    if ((range.bytes[bit >> 3] & mask) !== (bytes[bit >> 3] & mask)) return false;
  }
  return true;
}

const NON_PUBLIC_RANGES = list();
for (let i = 0; i < NON_PUBLIC.length; i++) NON_PUBLIC_RANGES[i] = parseRange(NON_PUBLIC[i]);

/** IPv4-mapped IPv6 (::ffff:a.b.c.d) judged as the IPv4 address it carries. */
function unmapped(bytes) {
  if (bytes.length !== 16 || bytes[10] !== 255 || bytes[11] !== 255) return bytes;
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return bytes;
  return list(bytes[12], bytes[13], bytes[14], bytes[15]);
}

function inAny(ranges, bytes) {
  for (let i = 0; i < ranges.length; i++) if (contains(ranges[i], bytes)) return true;
  return false;
}

/** Whether `address` is non-public; anything that is not an IP literal (an mDNS name) counts as non-public. */
export function isNonPublic(address) {
  const bytes = parseIp(address);
  if (!bytes) return true;
  return inAny(NON_PUBLIC_RANGES, unmapped(bytes));
}

/** Whether `address` is inside one of the parsed ranges. */
export function inRanges(address, ranges) {
  const bytes = parseIp(address);
  if (!bytes) return false;
  return inAny(ranges, unmapped(bytes)) || inAny(ranges, bytes);
}

/** The unspecified address (0.0.0.0 or ::): SDP's "no address yet", which reveals nothing. */
export function isUnspecified(address) {
  const bytes = parseIp(address);
  if (!bytes) return false;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

export const isIpv4 = (address) => parseIpv4(natives.String(address)) !== null;
