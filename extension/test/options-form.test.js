// The options page's form ⇄ settings logic and its phone region list, without a browser.
import assert from "node:assert/strict";
import { test } from "node:test";
import { getCountries } from "libphonenumber-js";
import { gatewayOptions, parseDomains, settingsFromForm, formatDomains } from "../src/options/form.js";
import { PHONE_REGIONS, regionOptions } from "../src/options/regions.js";
import { validateSettings } from "../src/shared/settings.js";

const form = {
  serverUrl: "https://vclick.example",
  telephonyGateway: "sip-main",
  actions: { video: true, audio: false, email: true, copy: true, phone: false },
  emailDomainsText: " acme-bank.example\n\nEU.acme-bank.example, other.example ",
  phoneRegion: "GB",
  disabledSites: ["https://mail.example.com"],
};

test("the email domains are typed one per line", () => {
  assert.deepEqual(parseDomains(form.emailDomainsText), [
    "acme-bank.example",
    "EU.acme-bank.example",
    "other.example",
  ]);
  assert.deepEqual(parseDomains(""), []);
  assert.equal(formatDomains(["a.example", "b.example"]), "a.example\nb.example");
});

test("the whole form becomes valid settings", () => {
  const partial = settingsFromForm(form);
  assert.deepEqual(partial.actions, form.actions);
  const { values, errors } = validateSettings(partial);
  assert.deepEqual(errors, {});
  assert.deepEqual(values.emailDomains, ["acme-bank.example", "eu.acme-bank.example", "other.example"]);
});

test("locked settings and actions are left out", () => {
  const partial = settingsFromForm(form, ["serverUrl", "disabledSites", "actions.phone", "actions.video"]);
  assert.deepEqual(Object.keys(partial).sort(), [
    "actions",
    "emailDomains",
    "phoneRegion",
    "telephonyGateway",
  ]);
  assert.deepEqual(partial.actions, { audio: false, email: true, copy: true });
  const all = ["actions", ...["video", "audio", "email", "copy", "phone"].map((a) => `actions.${a}`)];
  assert.equal(settingsFromForm(form, all).actions, undefined);
});

test("the form's site list is copied, not shared", () => {
  const partial = settingsFromForm(form);
  partial.disabledSites.push("https://x.example");
  assert.deepEqual(form.disabledSites, ["https://mail.example.com"]);
});

test("gateway choices: None first, the server's list, and the current one kept", () => {
  const offered = [
    { id: "sip-main", name: "Main PBX" },
    { id: "sip-dr", name: "" },
    { id: "sip-main", name: "duplicate" },
    { name: "no id" },
  ];
  assert.deepEqual(gatewayOptions(offered, "sip-main"), [
    { value: "", label: "None" },
    { value: "sip-main", label: "Main PBX" },
    { value: "sip-dr", label: "sip-dr" },
  ]);
  assert.deepEqual(gatewayOptions(offered, "old").at(-1), {
    value: "old",
    label: "old (not offered by the server)",
  });
  assert.deepEqual(gatewayOptions(null, "sip-main"), [
    { value: "", label: "None" },
    { value: "sip-main", label: "sip-main (current)" },
  ]);
  assert.deepEqual(gatewayOptions(null, ""), [{ value: "", label: "None" }]);
});

test("the phone regions are the ones libphonenumber-js parses", () => {
  assert.deepEqual([...PHONE_REGIONS], getCountries());
});

test("region options are named, sorted by name, and keep an unknown current value", () => {
  const options = regionOptions("en-US");
  assert.equal(options.length, PHONE_REGIONS.length);
  assert.ok(options.some((o) => o.value === "GB" && o.label === "United Kingdom (GB)"));
  const labels = options.map((o) => o.label);
  assert.deepEqual(labels, [...labels].sort(new Intl.Collator("en-US").compare));
  assert.ok(regionOptions("en", "ZZ").some((o) => o.value === "ZZ"));
  assert.equal(regionOptions("not a locale!!").length, PHONE_REGIONS.length);
});
