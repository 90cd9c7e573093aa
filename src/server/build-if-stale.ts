// Run by `npm start` (start.mjs) in a child process before the server starts: builds the site,
// and with it the server bundle, if either is missing or older than the sources. In a child
// because it runs from the TypeScript sources: the type stripper Node loads for them leaves with
// the child instead of staying in the server's memory.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isBuildStale, runAstroBuild } from "./build-if-needed.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
if (await isBuildStale(root, join(root, "dist"))) {
  console.log("Building the site (dist/ or dist-server/ is missing or older than the sources)…");
  try {
    await runAstroBuild(root);
  } catch (error) {
    console.error(`Cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
}
