// The extension id is derived from the manifest's public key; Keycloak's redirect URI for the
// extension client names that id, so the three must agree.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";

const read = (path) => readFileSync(new URL(path, import.meta.url), "utf8");
const manifest = JSON.parse(read("../manifest.json"));

function extensionIdOf(base64Key) {
  const digest = createHash("sha256").update(Buffer.from(base64Key, "base64")).digest("hex");
  return [...digest.slice(0, 32)].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join("");
}

test("the manifest key is a public key, never a private one", () => {
  assert.match(manifest.key, /^MIIB[A-Za-z0-9+/=]+$/);
  assert.ok(Buffer.from(manifest.key, "base64").length < 400, "an RSA-2048 SubjectPublicKeyInfo");
});

test("EXTENSION_ID is the id Chromium derives from the key", () => {
  assert.equal(read("../EXTENSION_ID").trim(), extensionIdOf(manifest.key));
});

test("the realm's extension client redirects to this extension only", () => {
  const realm = JSON.parse(read("../../keycloak-realm/vclick-realm.json"));
  const client = realm.clients.find((c) => c.clientId === "vclick-extension");
  const id = extensionIdOf(manifest.key);
  assert.deepEqual(client.redirectUris, [`https://${id}.chromiumapp.org/*`]);
  assert.deepEqual(client.webOrigins, [`chrome-extension://${id}`]);
});

test("manifest version 3 with a module service worker", () => {
  assert.equal(manifest.manifest_version, 3);
  assert.equal(manifest.background.type, "module");
});

test("Secure Edge: the bridge, then the MAIN-world wrapper, at document_start in every frame", () => {
  const [bridge, wrapper] = manifest.content_scripts;
  for (const script of [bridge, wrapper]) {
    assert.equal(script.run_at, "document_start");
    assert.equal(script.all_frames, true);
    assert.equal(script.match_about_blank, true);
    assert.equal(script.match_origin_as_fallback, true);
    assert.deepEqual(script.matches, ["<all_urls>"]);
  }
  // The wrapper's hello is answered only if the bridge is already listening (main-world/channel.js).
  assert.deepEqual([bridge.js, bridge.world ?? "ISOLATED"], [["edge-bridge.js"], "ISOLATED"]);
  assert.deepEqual([wrapper.js, wrapper.world], [["edge-wrapper.js"], "MAIN"]);
});

test("click-to-call: its page-world helper and its content script in every frame, local ones included", () => {
  const helper = manifest.content_scripts.find((s) => s.js.includes("page-definitions.js"));
  const content = manifest.content_scripts.find((s) => s.js.includes("content.js"));
  for (const script of [helper, content]) {
    assert.equal(script.all_frames, true);
    assert.equal(script.match_about_blank, true);
    assert.equal(script.match_origin_as_fallback, true);
    assert.equal(script.run_at, "document_start");
    assert.deepEqual(script.matches, ["<all_urls>"]);
  }
  assert.equal(helper.world, "MAIN");
  assert.equal(content.world ?? "ISOLATED", "ISOLATED");
});
