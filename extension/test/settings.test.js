// The settings layers (defaults < user < administrator), validation and the storage helpers,
// against in-memory fakes of chrome.storage.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import {
  DEFAULTS,
  SETTING_KEYS,
  SettingsError,
  loadSettings,
  mergeSettings,
  saveSettings,
  setSiteEnabled,
  siteEnabled,
  validateSettings,
} from "../src/shared/settings.js";

/** A fake chrome.storage: `local` in memory, `managed` a fixed object, or throwing when null. */
function storageOf({ local = {}, managed = {} } = {}) {
  const storage = {
    writes: 0,
    area: structuredClone(local),
    local: {
      async get(key) {
        return key in storage.area ? { [key]: structuredClone(storage.area[key]) } : {};
      },
      async set(items) {
        storage.writes++;
        Object.assign(storage.area, structuredClone(items));
      },
    },
    managed: {
      async get() {
        if (managed === null) throw new Error("Managed storage manifest not found");
        return structuredClone(managed);
      },
    },
  };
  return storage;
}

describe("defaults", () => {
  test("every key has a default, and the defaults are valid", () => {
    assert.deepEqual(Object.keys(DEFAULTS), SETTING_KEYS);
    assert.deepEqual(validateSettings(DEFAULTS).errors, {});
    assert.match(DEFAULTS.phoneRegion, /^[A-Z]{2}$/);
  });

  test("the defaults cannot be changed by a caller", () => {
    assert.ok(Object.isFrozen(DEFAULTS) && Object.isFrozen(DEFAULTS.actions));
    const { values } = mergeSettings({}, {});
    values.actions.video = false;
    values.emailDomains.push("x.example");
    assert.equal(DEFAULTS.actions.video, true);
    assert.deepEqual(DEFAULTS.emailDomains, []);
  });
});

describe("validateSettings", () => {
  test("normalizes valid values", () => {
    const { values, errors } = validateSettings({
      serverUrl: " https://Vclick.Acme-Bank.example:8443/ ",
      telephonyGateway: "sip-main",
      actions: { video: false, phone: true },
      emailDomains: [" ACME-bank.example ", "acme-bank.example", "", "eu.acme-bank.example"],
      phoneRegion: "gb",
      disabledSites: [
        "https://mail.example.com/inbox?x=1",
        "https://mail.example.com:443",
        "http://intra:8080",
      ],
    });
    assert.deepEqual(errors, {});
    assert.deepEqual(values, {
      serverUrl: "https://vclick.acme-bank.example:8443",
      telephonyGateway: "sip-main",
      actions: { video: false, phone: true },
      emailDomains: ["acme-bank.example", "eu.acme-bank.example"],
      phoneRegion: "GB",
      disabledSites: ["https://mail.example.com", "http://intra:8080"],
    });
  });

  test("an empty gateway means none", () => {
    assert.deepEqual(validateSettings({ telephonyGateway: "" }), {
      values: { telephonyGateway: "" },
      errors: {},
    });
  });

  const invalid = {
    serverUrl: [
      "vclick.example.com",
      "ftp://vclick.example.com",
      "https://vclick.example.com/call",
      "https://vclick.example.com/?x=1",
      "https://vclick.example.com/#top",
      "https://user:pw@vclick.example.com",
      "",
      42,
    ],
    telephonyGateway: ["has space", "x".repeat(65), 7, "-leading"],
    actions: [{ video: "yes" }, { fax: true }, [true], null],
    emailDomains: [
      ["@acme-bank.example"],
      ["https://acme-bank.example"],
      ["alice@acme-bank.example"],
      ["localhost"],
      ["10.0.0.1"],
      ["-bad.example"],
      "acme-bank.example",
      [3],
    ],
    phoneRegion: ["USA", "1", "", "u$", null],
    disabledSites: [
      ["mail.example.com"],
      ["file:///etc/passwd"],
      ["javascript:alert(1)"],
      "https://x.example",
    ],
  };
  for (const [key, values] of Object.entries(invalid)) {
    test(`refuses an invalid ${key} with a sentence`, () => {
      for (const value of values) {
        const result = validateSettings({ [key]: value });
        assert.deepEqual(result.values, {}, `${key}: ${JSON.stringify(value)}`);
        assert.match(result.errors[key] ?? "", /^\S.*\.$/, `${key}: ${JSON.stringify(value)}`);
      }
    });
  }

  test("unknown keys and non-objects are errors; undefined values are skipped", () => {
    assert.deepEqual(Object.keys(validateSettings({ colour: "red" }).errors), ["colour"]);
    assert.deepEqual(Object.keys(validateSettings(null).errors), ["settings"]);
    assert.deepEqual(validateSettings({ serverUrl: undefined }), { values: {}, errors: {} });
  });

  test("keeps valid keys next to invalid ones", () => {
    const { values, errors } = validateSettings({ phoneRegion: "de", serverUrl: "nope" });
    assert.deepEqual(values, { phoneRegion: "DE" });
    assert.deepEqual(Object.keys(errors), ["serverUrl"]);
  });
});

describe("mergeSettings", () => {
  test("defaults < local < managed, and managed keys are locked", () => {
    const { values, locked } = mergeSettings(
      { serverUrl: "https://user.example", phoneRegion: "GB", emailDomains: ["user.example"] },
      { serverUrl: "https://admin.example", telephonyGateway: "sip-main" },
    );
    assert.equal(values.serverUrl, "https://admin.example");
    assert.equal(values.telephonyGateway, "sip-main");
    assert.equal(values.phoneRegion, "GB");
    assert.deepEqual(values.emailDomains, ["user.example"]);
    assert.deepEqual(values.disabledSites, []);
    assert.deepEqual(locked.sort(), ["serverUrl", "telephonyGateway"]);
  });

  test("nothing stored gives the defaults, unlocked", () => {
    assert.deepEqual(mergeSettings(undefined, null), {
      values: structuredClone(DEFAULTS),
      locked: [],
      ignored: {},
    });
  });

  test("actions merge one by one; the administrator's lock only the ones set", () => {
    const { values, locked } = mergeSettings(
      { actions: { video: false, phone: false } },
      { actions: { phone: true } },
    );
    assert.deepEqual(values.actions, { video: false, audio: true, email: true, copy: true, phone: true });
    assert.deepEqual(locked, ["actions.phone"]);
  });

  test("all five actions set by the administrator lock `actions` as a whole", () => {
    const all = { video: true, audio: false, email: true, copy: true, phone: false };
    const { values, locked } = mergeSettings({ actions: { audio: true } }, { actions: all });
    assert.deepEqual(values.actions, all);
    assert.ok(locked.includes("actions") && locked.includes("actions.audio"));
  });

  test("invalid values are ignored, never thrown: the next layer down applies", () => {
    const { values, locked, ignored } = mergeSettings(
      { serverUrl: "https://user.example", phoneRegion: "Germany", colour: "red", actions: { video: 1 } },
      { serverUrl: "not a url", emailDomains: ["@bad"], phoneRegion: "FR" },
    );
    assert.equal(values.serverUrl, "https://user.example");
    assert.deepEqual(values.emailDomains, []);
    assert.equal(values.phoneRegion, "FR");
    assert.deepEqual(values.actions, DEFAULTS.actions);
    assert.deepEqual(locked, ["phoneRegion"]);
    assert.deepEqual(Object.keys(ignored).sort(), [
      "local.actions",
      "local.phoneRegion",
      "managed.emailDomains",
      "managed.serverUrl",
    ]);
  });

  test("garbage layers are ignored", () => {
    for (const garbage of ["x", 3, [1], true]) {
      assert.deepEqual(mergeSettings(garbage, garbage).values, structuredClone(DEFAULTS));
    }
  });
});

describe("storage", () => {
  test("loadSettings reads the user's and the administrator's values", async () => {
    const storage = storageOf({
      local: { settings: { phoneRegion: "GB", serverUrl: "https://user.example" } },
      managed: { serverUrl: "https://admin.example" },
    });
    const { values, locked } = await loadSettings(storage);
    assert.equal(values.phoneRegion, "GB");
    assert.equal(values.serverUrl, "https://admin.example");
    assert.deepEqual(locked, ["serverUrl"]);
  });

  test("managed storage unavailable or missing counts as nothing managed", async () => {
    for (const storage of [storageOf({ managed: null }), { local: storageOf().local }]) {
      const { values, locked } = await loadSettings(storage);
      assert.deepEqual(values, structuredClone(DEFAULTS));
      assert.deepEqual(locked, []);
    }
  });

  test("saveSettings merges into the user's values and returns the effective settings", async () => {
    const storage = storageOf({ local: { settings: { phoneRegion: "GB", actions: { copy: false } } } });
    const result = await saveSettings(
      { serverUrl: "https://vclick.example/", actions: { video: false } },
      storage,
    );
    assert.deepEqual(storage.area.settings, {
      phoneRegion: "GB",
      serverUrl: "https://vclick.example",
      actions: { copy: false, video: false },
    });
    assert.equal(result.values.serverUrl, "https://vclick.example");
    assert.deepEqual(result.values.actions, {
      video: false,
      audio: true,
      email: true,
      copy: false,
      phone: true,
    });
  });

  test("saveSettings drops the user's old invalid values", async () => {
    const storage = storageOf({ local: { settings: { phoneRegion: "Germany", colour: "red" } } });
    await saveSettings({ emailDomains: ["acme-bank.example"] }, storage);
    assert.deepEqual(storage.area.settings, { emailDomains: ["acme-bank.example"] });
  });

  test("saveSettings refuses invalid values and writes nothing", async () => {
    const storage = storageOf({ local: { settings: { phoneRegion: "GB" } } });
    await assert.rejects(saveSettings({ phoneRegion: "GB", serverUrl: "ftp://x" }, storage), (e) => {
      assert.ok(e instanceof SettingsError);
      assert.deepEqual(Object.keys(e.errors), ["serverUrl"]);
      assert.match(e.message, /https/);
      return true;
    });
    assert.equal(storage.writes, 0);
  });

  test("saveSettings refuses to change a locked key, but accepts it unchanged without storing it", async () => {
    const storage = storageOf({ managed: { serverUrl: "https://admin.example", actions: { phone: false } } });
    await assert.rejects(saveSettings({ serverUrl: "https://user.example" }, storage), (e) => {
      assert.deepEqual(e.errors, { serverUrl: "Set by your administrator." });
      return true;
    });
    await assert.rejects(saveSettings({ actions: { phone: true } }, storage), (e) => {
      assert.deepEqual(Object.keys(e.errors), ["actions"]);
      return true;
    });
    assert.equal(storage.writes, 0);

    const whole = (await loadSettings(storage)).values;
    const result = await saveSettings(
      { ...whole, phoneRegion: "DE", actions: { ...whole.actions, video: false } },
      storage,
    );
    assert.equal(result.values.phoneRegion, "DE");
    assert.equal(result.values.actions.video, false);
    assert.equal(storage.area.settings.serverUrl, undefined, "a locked value is not copied into the user's");
    assert.equal(storage.area.settings.actions.phone, undefined);
  });

  test("setSiteEnabled turns a site off and on again by origin", async () => {
    const storage = storageOf();
    let { values } = await setSiteEnabled("https://mail.example.com/inbox", false, storage);
    assert.deepEqual(values.disabledSites, ["https://mail.example.com"]);
    assert.equal(siteEnabled(values, "https://mail.example.com"), false);
    assert.equal(siteEnabled(values, "https://mail.example.com/other/page"), false);
    assert.equal(siteEnabled(values, "https://www.example.com"), true);
    assert.equal(siteEnabled(values, "http://mail.example.com"), true, "another scheme is another site");

    ({ values } = await setSiteEnabled("https://mail.example.com", false, storage));
    assert.deepEqual(values.disabledSites, ["https://mail.example.com"], "no duplicates");
    ({ values } = await setSiteEnabled("https://www.example.com", false, storage));
    ({ values } = await setSiteEnabled("https://mail.example.com", true, storage));
    assert.deepEqual(values.disabledSites, ["https://www.example.com"]);
    assert.deepEqual(storage.area.settings.disabledSites, ["https://www.example.com"]);
  });

  test("setSiteEnabled refuses non-web pages and an administrator's list", async () => {
    await assert.rejects(setSiteEnabled("chrome://settings", false, storageOf()), SettingsError);
    const storage = storageOf({ managed: { disabledSites: ["https://intra.example"] } });
    await assert.rejects(setSiteEnabled("https://www.example.com", false, storage), (e) => {
      assert.deepEqual(e.errors, { disabledSites: "Set by your administrator." });
      return true;
    });
    assert.equal(siteEnabled((await loadSettings(storage)).values, "https://intra.example"), false);
  });
});

test("managed_schema.json declares exactly the settings, in Chrome's schema dialect", () => {
  const schema = JSON.parse(readFileSync(new URL("../managed_schema.json", import.meta.url), "utf8"));
  assert.equal(schema.type, "object");
  assert.deepEqual(Object.keys(schema.properties), SETTING_KEYS);
  for (const [key, property] of Object.entries(schema.properties)) {
    assert.ok(property.description, `${key} has a description`);
    assert.ok(["string", "object", "array"].includes(property.type));
  }
  assert.deepEqual(Object.keys(schema.properties.actions.properties), Object.keys(DEFAULTS.actions));
});
