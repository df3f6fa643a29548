// Builds the loadable extension into dist/: the manifest, icons and pages as they are, the service
// worker and the content script bundled (content scripts cannot be ES modules; the worker imports
// the web app's signaling client from outside this folder). The content script is minified (it is
// injected into every frame of every page: ~297 KB → ~160 KB to parse each time), with a linked
// source map next to it (dist/content.js.map) so that DevTools shows its stack traces and sources
// as written; the worker (loaded once) stays as written.
//
//   node build.mjs          (npm run build; ./vclick run and ./vclick test call it)
import { build } from "esbuild";
import { cp, mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, "dist");

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
for (const entry of ["manifest.json", "managed_schema.json", "icons", "src"]) {
  await cp(join(root, entry), join(dist, entry), {
    recursive: true,
    // The worker and the content script reach the browser as the bundles below.
    filter: (source) =>
      !/[/\\]src[/\\](content|background|main-world)([/\\]|$)/.test(source.slice(root.length)),
  });
}
/** Bundles one entry point for Chromium 120+. */
const bundle = (entry, outfile, format, options = {}) =>
  build({
    entryPoints: [join(root, "src", ...entry)],
    bundle: true,
    format,
    target: "chrome120",
    outfile: join(dist, outfile),
    legalComments: "eof",
    logLevel: "warning",
    ...options,
  });

// The worker imports the web app's signaling client (one protocol implementation) from outside.
await bundle(["background", "worker.js"], "worker.js", "esm");
await bundle(["content", "main.js"], "content.js", "iife", { minify: true, sourcemap: "linked" });
// Click-to-call's helper in the page world (custom elements defined late; content/page-definitions.js).
await bundle(["content", "page-definitions.js"], "page-definitions.js", "iife", { minify: true });
// Secure Edge: the isolated-world bridge and the MAIN-world wrapper, both at document_start in
// every frame (small: parsed before every page's first script).
await bundle(["content", "edge-bridge.js"], "edge-bridge.js", "iife", { minify: true, sourcemap: "linked" });
await bundle(["main-world", "wrapper.js"], "edge-wrapper.js", "iife", { minify: true, sourcemap: "linked" });
console.log(`extension built in ${dist}`);
