// Launches Debian's Chromium through playwright-core (never a downloaded browser) with a fresh
// profile, and records what a page does that a test must check: console errors, uncaught
// exceptions, and every request with its URL, so a test can prove nothing left the origin.
import { mkdtemp, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser as PlaywrightBrowser, type BrowserContext, type Page } from "playwright-core";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * `trustSpki`: base64 SHA-256 hashes of public keys whose certificates Chromium accepts as if a CA
 * had signed them (the lab's own self-signed one, for its https:// side), and no others.
 */
export async function launchBrowser(
  options: { reducedMotion?: "reduce" | "no-preference"; colorScheme?: "light" | "dark"; trustSpki?: string[] } = {},
): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}. Install it with "apt-get install -y chromium" or set CHROMIUM_PATH.`,
    );
  }
  const profile = await mkdtemp(join(tmpdir(), "sp-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    reducedMotion: options.reducedMotion ?? "no-preference",
    colorScheme: options.colorScheme ?? "light",
    args: options.trustSpki
      ? [...chromiumArgs, `--ignore-certificate-errors-spki-list=${options.trustSpki.join(",")}`]
      : chromiumArgs,
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export interface PageWatch {
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
}

/** Collects errors and requests for a page from the moment it is created. */
export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { consoleErrors: [], pageErrors: [], requests: [] };
  page.on("console", (message) => {
    if (message.type() === "error") watch.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => watch.pageErrors.push(error.message));
  page.on("request", (request) => watch.requests.push(request.url()));
  page.on("websocket", (socket) => watch.requests.push(socket.url()));
  return watch;
}

/** Requests that went to a host other than the site's (data: and blob: URLs stay local). */
export function foreignRequests(watch: PageWatch, baseUrl: string): string[] {
  const own = new URL(baseUrl).host;
  return watch.requests.filter((url) => {
    const parsed = new URL(url);
    if (parsed.protocol === "data:" || parsed.protocol === "blob:") return false;
    return parsed.host !== own;
  });
}

/** One Chromium with several isolated contexts (separate storage and cookies), for the classroom. */
export async function launchContexts(count: number): Promise<{ contexts: BrowserContext[]; close(): Promise<void> }> {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}.`);
  const browser: PlaywrightBrowser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
  });
  const contexts: BrowserContext[] = [];
  for (let i = 0; i < count; i++) contexts.push(await browser.newContext({ viewport: { width: 1200, height: 900 } }));
  return {
    contexts,
    async close() {
      await browser.close();
    },
  };
}
