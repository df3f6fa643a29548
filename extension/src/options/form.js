// The options form ⇄ settings, without the DOM (tested in test/options-form.test.js).
import { ACTION_KEYS } from "../shared/settings.js";

/** The form fields of each setting, for error messages and locks. */
export const FIELD_IDS = Object.freeze({
  serverUrl: "server-url",
  telephonyGateway: "gateway",
  actions: "actions",
  emailDomains: "email-domains",
  phoneRegion: "phone-region",
  disabledSites: "disabled-sites",
});

/** Checkbox id of each click-to-call action. */
export const ACTION_FIELD_IDS = Object.freeze(Object.fromEntries(ACTION_KEYS.map((a) => [a, `action-${a}`])));

/** The domains typed one per line (commas, semicolons and spaces separate too). */
export function parseDomains(text) {
  return String(text ?? "")
    .split(/[\s,;]+/)
    .filter(Boolean);
}

export function formatDomains(domains) {
  return (domains ?? []).join("\n");
}

/**
 * The settings to save from what the form shows, leaving out what the administrator set.
 *
 * @param {{ serverUrl: string, telephonyGateway: string, actions: object, emailDomainsText: string,
 *   phoneRegion: string, disabledSites: string[] }} form
 * @param {string[]} locked as mergeSettings reports it
 */
export function settingsFromForm(form, locked = []) {
  const partial = {
    serverUrl: form.serverUrl,
    telephonyGateway: form.telephonyGateway,
    emailDomains: parseDomains(form.emailDomainsText),
    phoneRegion: form.phoneRegion,
    disabledSites: [...form.disabledSites],
  };
  for (const key of Object.keys(partial)) if (locked.includes(key)) delete partial[key];
  const actions = Object.fromEntries(
    ACTION_KEYS.filter((a) => !locked.includes(`actions.${a}`)).map((a) => [a, Boolean(form.actions[a])]),
  );
  if (Object.keys(actions).length) partial.actions = actions;
  return partial;
}

/**
 * The telephony gateway choices: None, what the server offers, and the current choice even when the
 * server does not offer it (any more) or could not be asked, so saving never drops it silently.
 *
 * @param {{ id: string, name: string }[] | null} gateways null when the list could not be loaded
 * @returns {{ value: string, label: string }[]}
 */
export function gatewayOptions(gateways, current) {
  const options = [{ value: "", label: "None" }];
  for (const g of gateways ?? []) {
    if (typeof g?.id !== "string" || !g.id || options.some((o) => o.value === g.id)) continue;
    options.push({ value: g.id, label: typeof g.name === "string" && g.name ? g.name : g.id });
  }
  if (current && !options.some((o) => o.value === current)) {
    const why = gateways ? "not offered by the server" : "current";
    options.push({ value: current, label: `${current} (${why})` });
  }
  return options;
}
