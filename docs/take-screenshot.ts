// Regenerates docs/screenshot.png for the README: lesson 0 in real Chromium against the
// production server, with the echo console connected and a few messages exchanged.
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
  await page.setViewportSize({ width: 1360, height: 860 });
  await page.goto(`http://127.0.0.1:${port}/lessons/start-here/`);
  const widget = page.locator("sp-echo-console");
  await widget.scrollIntoViewIfNeeded();
  await page.locator("sp-echo-console[data-ready]").waitFor();
  await widget.getByRole("button", { name: "Connect" }).click();
  await page.locator('sp-echo-console[data-state="OPEN"]').waitFor();
  await widget.getByRole("button", { name: "Send", exact: true }).click();
  await widget.getByLabel("Message", { exact: true }).fill("héllo");
  await widget.getByRole("button", { name: "Send", exact: true }).click();
  await widget.getByRole("radio", { name: /Binary/ }).check();
  await widget.getByRole("button", { name: "Send", exact: true }).click();
  await widget.locator('tr[data-direction="received"]').nth(2).waitFor();
  await page.evaluate(() => document.querySelector("sp-echo-console")?.scrollIntoView({ block: "center" }));
  await page.screenshot({ path: join(root, "docs", "screenshot.png") });
  console.log("Wrote docs/screenshot.png");
} finally {
  await browser.close();
  await site.close();
}
