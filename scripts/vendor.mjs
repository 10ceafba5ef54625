// Copies the pinned front-end libraries from node_modules/ into static/vendor/ (and axe-core into
// tests/vendor/), then writes static/vendor/MANIFEST.json with versions and sha256 values.
// Run with `npm install && npm run vendor`; the output is committed, so runtime and CI never run npm.
// Source maps are copied on purpose: collectstatic's manifest storage follows sourceMappingURL.
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const STATIC = join(ROOT, "static", "vendor");
const FILES = {
  leaflet: ["dist/leaflet.js", "dist/leaflet.js.map", "dist/leaflet.css", "dist/images", "LICENSE"],
  // Result markers clustered where dense (issue 13); its Default.css is left out: the cluster
  // icons are styled in static/css/app.css so their colours never read as a score band.
  "leaflet.markercluster": [
    "dist/leaflet.markercluster.js",
    "dist/leaflet.markercluster.js.map",
    "dist/MarkerCluster.css",
    "MIT-LICENCE.txt",
  ],
  "tom-select": [
    "dist/js/tom-select.complete.min.js",
    "dist/js/tom-select.complete.min.js.map",
    "dist/css/tom-select.min.css",
    "dist/css/tom-select.min.css.map",
    "LICENSE",
  ],
  "topojson-client": ["dist/topojson-client.min.js", "LICENSE"],
  "world-atlas": ["countries-110m.json", "LICENSE"],
};
const TEST_FILES = { "axe-core": ["axe.min.js", "LICENSE"] };  // tests only, never served

const target = (rel) => rel.replace(/^dist\/(js\/|css\/)?/, "");
const walk = (p) => (statSync(p).isDirectory() ? readdirSync(p).sort().flatMap((f) => walk(join(p, f))) : [p]);
const sha256 = (p) => createHash("sha256").update(readFileSync(p)).digest("hex");

function copy(files, destRoot, flat) {
  const out = {};
  for (const [pkg, list] of Object.entries(files)) {
    const src = join(ROOT, "node_modules", pkg);
    const version = JSON.parse(readFileSync(join(src, "package.json"), "utf8")).version;
    const dest = flat ? destRoot : join(destRoot, pkg);
    if (!flat) rmSync(dest, { recursive: true, force: true });
    mkdirSync(dest, { recursive: true });
    for (const rel of list) {
      const to = flat ? join(dest, rel === "LICENSE" ? `${pkg}.LICENSE` : basename(rel)) : join(dest, target(rel));
      cpSync(join(src, rel), to, { recursive: true });
    }
    out[pkg] = { version, files: {} };
    for (const f of flat ? list.map((rel) => join(dest, rel === "LICENSE" ? `${pkg}.LICENSE` : basename(rel))) : walk(dest)) {
      out[pkg].files[relative(destRoot, f)] = sha256(f);
    }
  }
  return out;
}

const manifest = copy(FILES, STATIC, false);
writeFileSync(join(STATIC, "MANIFEST.json"), JSON.stringify(manifest, null, 2) + "\n");
const testManifest = copy(TEST_FILES, join(ROOT, "tests", "vendor"), true);
writeFileSync(join(ROOT, "tests", "vendor", "MANIFEST.json"), JSON.stringify(testManifest, null, 2) + "\n");
console.log(Object.entries({ ...manifest, ...testManifest }).map(([k, v]) => `${k}@${v.version}`).join(" "));
