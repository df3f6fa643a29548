// What an icon offers (src/content/actions.js), enterprise domains (domains.js) and how the
// worker's page.config is read (click-to-call.js readConfig).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  defaultAction,
  iconTitle,
  kindsShown,
  menuItems,
  normalisePresence,
} from "../src/content/actions.js";
import { readConfig } from "../src/content/click-to-call.js";
import { isEnterpriseEmail, normaliseDomains, sameDomains } from "../src/shared/domains.js";

const ALL = { video: true, audio: true, email: true, copy: true, phone: true };
const labels = (kind, config) => menuItems(kind, config).map((i) => `${i.action}:${i.label}`);

describe("menus and the plain click", () => {
  test("every action allowed", () => {
    const config = { actions: ALL, gateway: { id: "g1", name: "Acme Voice" } };
    assert.deepEqual(labels("email", config), [
      "video:Video call",
      "audio:Audio call",
      "email:Email",
      "copy:Copy address",
    ]);
    assert.deepEqual(labels("phone", config), ["phone:Call via Acme Voice", "copy:Copy number"]);
    assert.equal(defaultAction("email", config), "video");
    assert.equal(defaultAction("phone", config), "phone");
  });

  test("in a call: 'Add to call' first, and a plain click opens the menu (no second call)", () => {
    const config = { actions: ALL, inCall: true };
    assert.deepEqual(labels("email", config), [
      "add:Add to call",
      "video:Video call",
      "audio:Audio call",
      "email:Email",
      "copy:Copy address",
    ]);
    assert.deepEqual(labels("phone", config), ["phone:Call via telephony gateway", "copy:Copy number"]);
    assert.equal(defaultAction("email", config), null);
    assert.deepEqual(
      labels("email", { actions: { ...ALL, video: false, audio: false }, inCall: true }),
      ["email:Email", "copy:Copy address"],
      "no video calls allowed here: nobody is added from this page either",
    );
    assert.equal(labels("email", { actions: ALL, inCall: "yes" })[0], "video:Video call");
  });

  test("no gateway chosen", () => {
    assert.deepEqual(labels("phone", { actions: ALL, gateway: null }), [
      "phone:Call via telephony gateway",
      "copy:Copy number",
    ]);
  });

  test("only the allowed actions appear; the click falls back or opens the menu", () => {
    const config = { actions: { ...ALL, video: false, email: false, phone: false } };
    assert.deepEqual(labels("email", config), ["audio:Audio call", "copy:Copy address"]);
    assert.deepEqual(labels("phone", config), ["copy:Copy number"]);
    assert.equal(defaultAction("email", config), "audio");
    assert.equal(defaultAction("phone", config), null);
    assert.equal(defaultAction("email", { actions: { video: false, audio: false } }), null);
  });

  test("a kind without any action gets no icons", () => {
    assert.deepEqual([...kindsShown({ actions: ALL })], ["email", "phone"]);
    assert.deepEqual([...kindsShown({ actions: { ...ALL, phone: false, copy: false } })], ["email"]);
    assert.deepEqual(
      [...kindsShown({ actions: { video: false, audio: false, email: false, copy: false } })],
      ["phone"],
    );
    assert.deepEqual([...kindsShown({})], ["email", "phone"], "unmentioned actions are allowed");
  });

  test("titles say whom the icon calls", () => {
    const alice = { kind: "email", value: "alice@acme-bank.example" };
    assert.equal(
      iconTitle(alice, { presence: "online", name: "Alice Archer" }),
      "Call Alice Archer — online",
    );
    assert.equal(iconTitle(alice, { presence: "busy" }), "Call alice@acme-bank.example — busy");
    assert.equal(iconTitle(alice), "Call alice@acme-bank.example — presence unknown");
    const phone = { kind: "phone", value: "+442079460001", text: "020 7946 0001" };
    assert.equal(
      iconTitle(phone, {}, { gateway: { name: "Acme Voice" } }),
      "Call 020 7946 0001 via Acme Voice",
    );
    assert.equal(iconTitle(phone, {}, { gateway: null }), "Call 020 7946 0001");
  });

  test("presence values", () => {
    for (const p of ["online", "busy", "offline", "unknown"]) assert.equal(normalisePresence(p), p);
    assert.equal(normalisePresence("away"), "unknown");
    assert.equal(normalisePresence(undefined), "unknown");
  });
});

describe("enterprise domains", () => {
  const domains = normaliseDomains([
    "ACME-Bank.example",
    "@acme-bank.example",
    " .corp.example. ",
    "",
    42,
    "nodot",
  ]);

  test("normalised", () => {
    assert.deepEqual(domains, ["acme-bank.example", "corp.example"]);
  });

  test("the domain and its subdomains, case-insensitively, nothing else", () => {
    assert.equal(isEnterpriseEmail("alice@acme-bank.example", domains), true);
    assert.equal(isEnterpriseEmail("Alice@ACME-BANK.example", domains), true);
    assert.equal(isEnterpriseEmail("desk@fx.trading.acme-bank.example", domains), true);
    assert.equal(isEnterpriseEmail("x@notacme-bank.example", domains), false);
    assert.equal(isEnterpriseEmail("x@acme-bank.example.evil.example", domains), false);
    assert.equal(isEnterpriseEmail("x@example.com", domains), false);
    assert.equal(isEnterpriseEmail("acme-bank.example", domains), false);
    assert.equal(isEnterpriseEmail("x@acme-bank.example", []), false);
  });

  test("sameDomains ignores order and case", () => {
    assert.equal(sameDomains(["a.example", "B.example"], ["b.example", "A.example"]), true);
    assert.equal(sameDomains(["a.example"], ["a.example", "b.example"]), false);
  });
});

describe("readConfig", () => {
  test("a full reply", () => {
    const config = readConfig({
      ok: true,
      enabled: true,
      emailDomains: ["Acme-Bank.example"],
      phoneRegion: "gb",
      actions: { ...ALL, phone: false },
      gateway: { id: "g1", name: "Acme Voice" },
      signedIn: true,
      inCall: true,
    });
    assert.deepEqual(
      { ...config, kinds: [...config.kinds] },
      {
        enabled: true,
        region: "GB",
        domains: ["acme-bank.example"],
        actions: { ...ALL, phone: false },
        gateway: { id: "g1", name: "Acme Voice" },
        signedIn: true,
        inCall: true,
        kinds: ["email", "phone"],
      },
    );
  });

  test("a refusal or a malformed reply disables the page", () => {
    assert.equal(readConfig({ ok: false, error: "forbidden", message: "Not accepted." }).enabled, false);
    assert.equal(readConfig({ ok: true, enabled: "yes" }).enabled, false);
    assert.equal(readConfig(undefined).enabled, false);
    const odd = readConfig({ ok: true, enabled: true, emailDomains: "acme", phoneRegion: "ZZ", gateway: {} });
    assert.deepEqual([odd.domains, odd.region, odd.gateway], [[], undefined, null]);
  });
});
