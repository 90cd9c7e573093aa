// The production server as plain JavaScript: `astro build` also bundles the server's TypeScript
// into dist-server/ (serve.mjs for `npm start`, site-server.mjs for the benchmark), so the
// process that serves a class loads no TypeScript tooling at all. Running the sources directly
// works too (tests do), but Node's type stripper stays in memory for the life of the process:
// about 40 MiB more resident memory than the bundle, before the first connection.
// Packages stay imports from node_modules; only this project's modules are bundled.
import { build } from "esbuild";
import { join } from "node:path";

export const SERVER_BUNDLE_DIR = "dist-server";
/** The entry `npm start` runs once the site is built. */
export const SERVE_BUNDLE = "serve.mjs";

export async function bundleServer(root: string, outDir = join(root, SERVER_BUNDLE_DIR)): Promise<string[]> {
  const entries = ["serve", "site-server"];
  await build({
    entryPoints: entries.map((name) => join(root, "src", "server", `${name}.ts`)),
    outdir: outDir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node22",
    logLevel: "warning",
  });
  return entries.map((name) => join(outDir, `${name}.mjs`));
}
