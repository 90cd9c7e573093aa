// `npm start` builds the site first when dist/ is missing or older than any source file, so a
// fresh clone needs one command. The newest modification time under the sources is compared
// with dist/index.html; the build also writes the server bundle, so a missing bundle means a
// build is due too.
import { spawn } from "node:child_process";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { SERVE_BUNDLE, SERVER_BUNDLE_DIR } from "./server-bundle.ts";

// The teacher's guide is a page of the site too (src/pages/teachers.astro renders it).
const sourcePaths = [
  "src",
  "content",
  "public",
  "docs/teachers-guide.md",
  "astro.config.mjs",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
];

async function newestMtime(path: string): Promise<number> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) {
    if (entry === "node_modules" || entry.endsWith(".test.ts")) continue;
    newest = Math.max(newest, await newestMtime(join(path, entry)));
  }
  return newest;
}

export async function isBuildStale(root: string, distDir: string): Promise<boolean> {
  let built: number;
  try {
    built = (await stat(join(distDir, "index.html"))).mtimeMs;
    await stat(join(root, SERVER_BUNDLE_DIR, SERVE_BUNDLE));
  } catch {
    return true;
  }
  const sources = await Promise.all(sourcePaths.map((p) => newestMtime(join(root, p))));
  return Math.max(...sources) > built;
}

export function runAstroBuild(root: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "node_modules", "astro", "bin", "astro.mjs"), "build"], {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" },
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`astro build exited with code ${code}`))));
  });
}
