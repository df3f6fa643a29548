// Which addresses belong to the enterprise: only those are ever sent to the server for presence
// (the content script filters before asking the worker; the worker filters again). Pure.

/** The domains of page.config.emailDomains, lower-cased, without a leading "@" or ".", distinct. */
export function normaliseDomains(domains) {
  if (!Array.isArray(domains)) return [];
  const clean = domains
    .filter((d) => typeof d === "string")
    .map((d) =>
      d
        .trim()
        .toLowerCase()
        .replace(/^[@.]+/, "")
        .replace(/\.$/, ""),
    )
    .filter((d) => d.includes(".") && !/\s/.test(d));
  return [...new Set(clean)];
}

/** Whether `email` is in one of `domains` (normalised) or a subdomain of one. */
export function isEnterpriseEmail(email, domains) {
  if (typeof email !== "string") return false;
  const at = email.lastIndexOf("@");
  if (at < 1) return false;
  const host = email.slice(at + 1).toLowerCase();
  return domains.some((d) => host === d || host.endsWith(`.${d}`));
}

/** Whether two domain lists hold the same domains (order and case aside). */
export function sameDomains(a, b) {
  const x = normaliseDomains(a);
  const y = new Set(normaliseDomains(b));
  return x.length === y.size && x.every((d) => y.has(d));
}
