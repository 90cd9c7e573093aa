// `npm start`: builds the site if needed, then serves it and the lab from this process
// (options in serve.ts). Plain JavaScript on purpose, and the only such file: the process that
// serves a class runs the bundled server (dist-server/serve.mjs, written by `astro build`) and
// never loads TypeScript, whose type stripper would otherwise hold about 40 MiB for as long as
// the server runs. The build check needs the TypeScript sources, so it runs in a child process.
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const check = spawnSync(process.execPath, [join(root, "src", "server", "build-if-stale.ts")], {
  cwd: root,
  stdio: "inherit",
});
if (check.status !== 0) process.exit(check.status ?? 1);

try {
  const { serve } = await import(pathToFileURL(join(root, "dist-server", "serve.mjs")).href);
  await serve(root);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
