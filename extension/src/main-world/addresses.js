// IP addresses as the Secure Edge policy sees them: which are non-public (the server's
// AddressRange.NON_PUBLIC, same list) and whether one is inside an allowed CIDR range. Pure
// functions on strings: used by the MAIN-world wrapper and by the unit tests.

const NON_PUBLIC = [
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
];

/** The bytes of an IPv4 or IPv6 literal (brackets and a zone id allowed), or null. */
export function parseIp(text) {
  if (typeof text !== "string" || text.length > 64) return null;
  const literal = text.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  return literal.includes(":") ? parseIpv6(literal) : parseIpv4(literal);
}

function parseIpv4(text) {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    bytes.push(Number(part));
  }
  return bytes;
}

function parseIpv6(text) {
  let head = text;
  let tail = "";
  const gap = text.indexOf("::");
  if (gap >= 0) {
    if (text.indexOf("::", gap + 1) >= 0) return null;
    head = text.slice(0, gap);
    tail = text.slice(gap + 2);
  }
  const groups = (part) => (part === "" ? [] : part.split(":"));
  const toBytes = (list) => {
    const bytes = [];
    for (let i = 0; i < list.length; i++) {
      const group = list[i];
      if (i === list.length - 1 && group.includes(".")) {
        const v4 = parseIpv4(group);
        if (!v4) return null;
        bytes.push(...v4);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(group)) {
        const value = parseInt(group, 16);
        bytes.push(value >> 8, value & 0xff);
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
  return [...first, ...new Array(missing).fill(0), ...last];
}

/** A CIDR range `10.1.0.0/16` or `fd00::/8` as {bytes, prefix}, or null. */
export function parseRange(text) {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(typeof text === "string" ? text.trim() : "");
  if (!match) return null;
  const bytes = parseIp(match[1]);
  const prefix = Number(match[2]);
  if (!bytes || prefix > bytes.length * 8) return null;
  return { bytes, prefix };
}

function contains(range, bytes) {
  if (range.bytes.length !== bytes.length) return false;
  for (let bit = 0; bit < range.prefix; bit++) {
    const mask = 0x80 >> bit % 8;
    if ((range.bytes[bit >> 3] & mask) !== (bytes[bit >> 3] & mask)) return false;
  }
  return true;
}

const NON_PUBLIC_RANGES = NON_PUBLIC.map(parseRange);

/** IPv4-mapped IPv6 (::ffff:a.b.c.d) judged as the IPv4 address it carries. */
function unmapped(bytes) {
  const mapped = bytes.length === 16 && bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255;
  return mapped && bytes[11] === 255 ? bytes.slice(12) : bytes;
}

/** Whether `address` is non-public; anything that is not an IP literal (an mDNS name) counts as non-public. */
export function isNonPublic(address) {
  const bytes = parseIp(address);
  if (!bytes) return true;
  const plain = unmapped(bytes);
  return NON_PUBLIC_RANGES.some((range) => contains(range, plain));
}

/** Whether `address` is inside one of the parsed ranges. */
export function inRanges(address, ranges) {
  const bytes = parseIp(address);
  if (!bytes) return false;
  const plain = unmapped(bytes);
  return ranges.some((range) => contains(range, plain) || contains(range, bytes));
}

/** The unspecified address (0.0.0.0 or ::): SDP's "no address yet", which reveals nothing. */
export function isUnspecified(address) {
  const bytes = parseIp(address);
  return Boolean(bytes) && bytes.every((b) => b === 0);
}

export const isIpv4 = (address) => parseIpv4(String(address)) !== null;
