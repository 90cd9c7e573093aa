// Regenerates docs/screenshot.png for the README: lesson 2's wire stage in real Chromium against
// the production server, after a message, its echo and a push, paused.
//   node docs/take-screenshot.ts
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isBuildStale, runAstroBuild } from "../src/server/build-if-needed.ts";
import { createSiteServer } from "../src/server/site-server.ts";
import { launchBrowser } from "../tests/e2e/browser.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
if (await isBuildStale(root, dist)) await runAstroBuild(root);

const site = createSiteServer({ distDir: dist });
const { port } = await site.listen(0, "127.0.0.1");
const browser = await launchBrowser({ colorScheme: "light" });
try {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1360, height: 1000 });
  await page.goto(`http://127.0.0.1:${port}/lessons/tcp-underneath/`);
  const stage = page.locator("sp-wire-stage");
  await stage.scrollIntoViewIfNeeded();
  await page.locator('sp-wire-stage[data-ready][data-state="OPEN"]').waitFor();
  // A message and its echo, then a push: the real frames on the left, long polling on the right.
  await stage.getByRole("button", { name: "Send", exact: true }).click();
  await page.locator('sp-wire-stage[data-real-messages="2"]').waitFor();
  await page.waitForTimeout(400);
  await stage.getByRole("button", { name: "Lab pushes a message" }).click();
  await page.locator('sp-wire-stage[data-real-messages="3"][data-http-delivered="2"]').waitFor();
  await page.waitForTimeout(1200);
  await stage.getByRole("button", { name: "Pause" }).click();
  // Back to the moment the HTTP side delivered the push, so the echo above it is in view too.
  for (let i = 0; i < 2; i++) await stage.getByRole("button", { name: "Step back one event" }).click();
  await page.evaluate(() => document.querySelector("sp-wire-stage .sides")?.scrollIntoView({ block: "center" }));
  await page.screenshot({ path: join(root, "docs", "screenshot.png") });
  console.log("Wrote docs/screenshot.png");
} finally {
  await browser.close();
  await site.close();
}
