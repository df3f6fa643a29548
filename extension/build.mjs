// Builds the loadable extension into dist/: the manifest, icons and pages as they are, the service
// worker and the content script bundled (content scripts cannot be ES modules; the worker imports
// the web app's signaling client from outside this folder).
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
    filter: (source) => !/[/\\]src[/\\](content|background)([/\\]|$)/.test(source.slice(root.length)),
  });
}
/** Bundles one entry point for Chromium 120+. */
const bundle = (entry, outfile, format) =>
  build({
    entryPoints: [join(root, "src", ...entry)],
    bundle: true,
    format,
    target: "chrome120",
    outfile: join(dist, outfile),
    legalComments: "eof",
    logLevel: "warning",
  });

// The worker imports the web app's signaling client (one protocol implementation) from outside.
await bundle(["background", "worker.js"], "worker.js", "esm");
await bundle(["content", "main.js"], "content.js", "iife");
console.log(`extension built in ${dist}`);
