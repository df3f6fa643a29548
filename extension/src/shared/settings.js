// The extension's settings, in three layers: built-in defaults < the user's values (storage.local
// 'settings', written by the options page and the popup) < the administrator's values (storage.managed,
// from enterprise policy through managed_schema.json). A key the administrator sets wins and is locked:
// the pages show it disabled and saveSettings refuses to change it. Invalid stored values, user's or
// administrator's, are ignored (the next layer down applies) so a bad policy never breaks the extension.
//
// Used by the worker and by the extension's pages; pure except the storage helpers at the end.

/** Every setting, in the order the options page shows them. */
export const SETTING_KEYS = Object.freeze([
  "serverUrl",
  "telephonyGateway",
  "actions",
  "emailDomains",
  "phoneRegion",
  "disabledSites",
]);

/** The click-to-call actions the content script can offer next to an address or number. */
export const ACTION_KEYS = Object.freeze(["video", "audio", "email", "copy", "phone"]);

/** Where the user's values live in storage.local. */
export const STORAGE_KEY = "settings";

const MAX_LIST = 500;

/** The region of the browser's language (en-GB → GB), else US: a phone number's default country. */
function defaultPhoneRegion() {
  const nav = globalThis.navigator;
  const languages = [...(nav?.languages ?? []), nav?.language].filter((l) => typeof l === "string");
  for (const language of languages) {
    try {
      const region = new Intl.Locale(language).region;
      if (region && /^[A-Z]{2}$/.test(region)) return region;
    } catch {
      // Not a BCP 47 tag (the browser would not report one); try the next.
    }
  }
  return "US";
}

export const DEFAULTS = Object.freeze({
  serverUrl: "http://127.0.0.1:8080",
  telephonyGateway: "",
  actions: Object.freeze({ video: true, audio: true, email: true, copy: true, phone: true }),
  emailDomains: Object.freeze([]),
  phoneRegion: defaultPhoneRegion(),
  disabledSites: Object.freeze([]),
});

/** A deep, mutable copy (settings are plain JSON). */
const copy = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

const isPlainObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);

/** Raised by saveSettings and setSiteEnabled; `errors` maps each refused key to a sentence. */
export class SettingsError extends Error {
  constructor(errors) {
    super(Object.values(errors).join(" "));
    this.name = "SettingsError";
    this.errors = errors;
  }
}

// Each validator returns { value } (normalized) or { error } (a sentence for the user).

function validateServerUrl(raw) {
  const example =
    "Enter the server address as https://host or https://host:port, e.g. https://vclick.example.com.";
  if (typeof raw !== "string" || raw.trim() === "") return { error: example };
  let url;
  try {
    url = new URL(raw.trim());
  } catch {
    return { error: example };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { error: "The server address must start with https:// (or http://)." };
  }
  if (url.username || url.password) return { error: "The server address must not contain a user name." };
  if (url.pathname !== "/" || url.search || url.hash || /[?#]$/.test(raw.trim())) {
    return { error: "The server address must not have a path, query or fragment: only https://host[:port]." };
  }
  return { value: url.origin };
}

function validateGateway(raw) {
  if (raw === "" || raw === null) return { value: "" };
  if (typeof raw === "string" && /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/.test(raw.trim())) {
    return { value: raw.trim() };
  }
  return { error: "The telephony gateway must be one of the gateways the server offers, or none." };
}

function validateActions(raw) {
  if (!isPlainObject(raw)) return { error: "The click-to-call actions must be a set of on/off switches." };
  const unknown = Object.keys(raw).filter((k) => !ACTION_KEYS.includes(k));
  if (unknown.length) return { error: `Unknown click-to-call action: ${unknown.join(", ")}.` };
  const value = {};
  for (const key of ACTION_KEYS) {
    if (raw[key] === undefined) continue;
    if (typeof raw[key] !== "boolean") return { error: `The ${key} action must be switched on or off.` };
    value[key] = raw[key];
  }
  return { value };
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A DNS name with at least two labels and a non-numeric top-level label (no IP addresses). */
function isDomainName(name) {
  if (name.length > 253) return false;
  const labels = name.split(".");
  return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels.at(-1));
}

function validateEmailDomains(raw) {
  if (!Array.isArray(raw)) return { error: "The email domains must be a list of domain names." };
  if (raw.length > MAX_LIST) return { error: `At most ${MAX_LIST} email domains.` };
  const value = [];
  for (const entry of raw) {
    if (typeof entry !== "string") return { error: "The email domains must be a list of domain names." };
    const domain = entry.trim().toLowerCase();
    if (domain === "") continue;
    if (!isDomainName(domain)) {
      return {
        error: `“${entry.trim()}” is not a domain name: write just the part after the @, e.g. acme-bank.example.`,
      };
    }
    if (!value.includes(domain)) value.push(domain);
  }
  return { value };
}

function validatePhoneRegion(raw) {
  const region = typeof raw === "string" ? raw.trim().toUpperCase() : "";
  if (/^[A-Z]{2}$/.test(region)) return { value: region };
  return { error: "The phone region must be a two-letter country code, e.g. US, GB or DE." };
}

/** The origin (scheme://host[:port]) of an http(s) URL, or null for anything else. */
export function normalizeOrigin(raw) {
  if (typeof raw !== "string") return null;
  try {
    const url = new URL(raw.trim());
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}

function validateDisabledSites(raw) {
  if (!Array.isArray(raw))
    return { error: "The sites where click-to-call is off must be a list of web addresses." };
  if (raw.length > MAX_LIST) return { error: `At most ${MAX_LIST} sites where click-to-call is off.` };
  const value = [];
  for (const entry of raw) {
    const origin = normalizeOrigin(entry);
    if (!origin)
      return { error: `“${String(entry)}” is not a web site address such as https://www.example.com.` };
    if (!value.includes(origin)) value.push(origin);
  }
  return { value };
}

const VALIDATORS = {
  serverUrl: validateServerUrl,
  telephonyGateway: validateGateway,
  actions: validateActions,
  emailDomains: validateEmailDomains,
  phoneRegion: validatePhoneRegion,
  disabledSites: validateDisabledSites,
};

/**
 * Checks and normalizes some settings. Pure; never throws.
 *
 * `actions` may name only some of the five actions; the value keeps just those.
 *
 * @param {object} partial some settings (unknown keys are errors; undefined values are skipped)
 * @returns {{ values: object, errors: { [key: string]: string } }}
 */
export function validateSettings(partial) {
  const values = {};
  const errors = {};
  if (!isPlainObject(partial)) return { values, errors: { settings: "The settings must be an object." } };
  for (const [key, raw] of Object.entries(partial)) {
    if (raw === undefined) continue;
    const validate = VALIDATORS[key];
    if (!validate) {
      errors[key] = `Unknown setting “${key}”.`;
      continue;
    }
    const result = validate(raw);
    if (result.error) errors[key] = result.error;
    else values[key] = result.value;
  }
  return { values, errors };
}

/**
 * The effective settings. Pure; never throws.
 *
 * Precedence: DEFAULTS < local (the user's) < managed (the administrator's). Each key the
 * administrator sets is locked. `actions` merge action by action: an administrator may set only
 * some actions; each one set is locked as `actions.<name>` (e.g. `actions.phone`), and `actions` itself
 * is listed in `locked` once all five are set.
 *
 * @returns {{ values: object, locked: string[], ignored: { [layerDotKey: string]: string } }}
 *   `ignored`: the invalid stored values that were skipped, e.g. { 'managed.serverUrl': sentence }
 */
export function mergeSettings(local, managed) {
  const values = copy(DEFAULTS);
  const locked = [];
  const ignored = {};
  const layers = [
    ["local", local],
    ["managed", managed],
  ];
  for (const [layer, raw] of layers) {
    if (!isPlainObject(raw)) continue;
    const known = Object.fromEntries(Object.entries(raw).filter(([k]) => VALIDATORS[k]));
    const { values: valid, errors } = validateSettings(known);
    for (const [key, message] of Object.entries(errors)) ignored[`${layer}.${key}`] = message;
    for (const key of SETTING_KEYS) {
      if (!(key in valid)) continue;
      if (key === "actions") {
        Object.assign(values.actions, valid.actions);
        if (layer === "managed") locked.push(...Object.keys(valid.actions).map((a) => `actions.${a}`));
      } else {
        values[key] = valid[key];
        if (layer === "managed") locked.push(key);
      }
    }
  }
  if (ACTION_KEYS.every((a) => locked.includes(`actions.${a}`))) locked.push("actions");
  return { values, locked, ignored };
}

/** Whether a setting (`serverUrl`) or one action (`actions.phone`) is set by the administrator. */
export function isLocked(locked, key) {
  return locked.includes(key);
}

async function readManaged(storage) {
  try {
    const managed = await storage?.managed?.get(null);
    return isPlainObject(managed) ? managed : {};
  } catch {
    // No policy store on this platform (or the schema failed to load): nothing is managed.
    return {};
  }
}

async function readLocal(storage) {
  const stored = await storage.local.get(STORAGE_KEY);
  return isPlainObject(stored?.[STORAGE_KEY]) ? stored[STORAGE_KEY] : {};
}

/** The effective settings: mergeSettings of the user's and the administrator's stored values. */
export async function loadSettings(storage = chrome.storage) {
  const [local, managed] = await Promise.all([readLocal(storage), readManaged(storage)]);
  return mergeSettings(local, managed);
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Validates and stores some of the user's settings, then returns loadSettings().
 *
 * A locked key may be sent only with the value it already has (so a page may send a whole form).
 *
 * @throws {SettingsError} with `errors` per key, when a value is invalid or changes a locked key;
 *   nothing is written then
 */
export async function saveSettings(partial, storage = chrome.storage) {
  const { values, errors } = validateSettings(partial);
  const [local, managed] = await Promise.all([readLocal(storage), readManaged(storage)]);
  const current = mergeSettings(local, managed);
  for (const [key, value] of Object.entries(values)) {
    if (key === "actions") {
      const changed = Object.keys(value).filter(
        (a) => current.locked.includes(`actions.${a}`) && value[a] !== current.values.actions[a],
      );
      if (changed.length) errors.actions = `Set by your administrator: ${changed.join(", ")}.`;
    } else if (current.locked.includes(key) && !same(value, current.values[key])) {
      errors[key] = "Set by your administrator.";
    }
  }
  if (Object.keys(errors).length) throw new SettingsError(errors);

  // Keep only the user's valid values, so an old invalid value does not linger.
  const kept = validateSettings(
    Object.fromEntries(Object.entries(local).filter(([k]) => VALIDATORS[k])),
  ).values;
  const next = { ...kept };
  // A locked value sent unchanged is not the user's choice: storing it would outlive the policy.
  for (const [key, value] of Object.entries(values)) {
    if (key === "actions") {
      const own = Object.entries(value).filter(([a]) => !current.locked.includes(`actions.${a}`));
      if (own.length) next.actions = { ...kept.actions, ...Object.fromEntries(own) };
    } else if (!current.locked.includes(key)) {
      next[key] = value;
    }
  }
  await storage.local.set({ [STORAGE_KEY]: next });
  return loadSettings(storage);
}

/** Whether click-to-call runs on a page of this origin (false when the user or admin turned it off). */
export function siteEnabled(values, origin) {
  const normalized = normalizeOrigin(origin);
  return !(normalized && (values?.disabledSites ?? []).includes(normalized));
}

/**
 * Turns click-to-call on or off for one site (an origin or any URL of it) and returns loadSettings().
 *
 * @throws {SettingsError} when the address is not an http(s) site or the list is set by the administrator
 */
export async function setSiteEnabled(origin, enabled, storage = chrome.storage) {
  const site = normalizeOrigin(origin);
  if (!site)
    throw new SettingsError({ disabledSites: "Click-to-call can be turned off only for web sites." });
  const { values } = await loadSettings(storage);
  const others = values.disabledSites.filter((s) => s !== site);
  return saveSettings({ disabledSites: enabled ? others : [...others, site] }, storage);
}
