// The frame most browser test files share: one Chromium for the file, a fresh page per test, and
// the checks every page gets once its test is over (no page errors, no request to any other
// origin). Register it at the top of a file; open() gives the test its page.
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import type { Locator, Page } from "playwright-core";
import { foreignRequests, launchBrowser, watchPage, type Browser, type PageWatch } from "./browser.ts";

export interface PageSession {
  readonly browser: Browser;
  /** The current test's page (after open()). */
  readonly page: Page;
  readonly watch: PageWatch;
  /** A fresh page at `path` on the server under test, in the given color scheme. */
  open(path: string, scheme?: "light" | "dark"): Promise<Page>;
  /** A fresh page at `path`, scrolled to its widget `tag` once that has started (data-ready, loading note gone). */
  openWidget(path: string, tag: string, scheme?: "light" | "dark"): Promise<Locator>;
}

export function usePageSession(baseUrl: string): PageSession {
  let browser: Browser | null = null;
  let page: Page | null = null;
  let watch: PageWatch | null = null;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    if (watch) {
      expect(watch.pageErrors).toEqual([]);
      expect(foreignRequests(watch, baseUrl)).toEqual([]);
    }
    await page?.close();
    page = null;
    watch = null;
  });
  const need = <T>(value: T | null, what: string): T => {
    if (value === null) throw new Error(`${what} is not there yet: call open() first`);
    return value;
  };
  return {
    get browser() {
      return need(browser, "the browser");
    },
    get page() {
      return need(page, "the page");
    },
    get watch() {
      return need(watch, "the page's watch");
    },
    async open(path, scheme = "light") {
      page = await need(browser, "the browser").context.newPage();
      watch = watchPage(page);
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${baseUrl}${path}`);
      return page;
    },
    async openWidget(path, tag, scheme = "light") {
      const opened = await this.open(path, scheme);
      const widget = opened.locator(tag);
      await widget.scrollIntoViewIfNeeded();
      await opened.locator(`${tag}[data-ready]`).waitFor();
      expect(await widget.locator("[data-loading-note]").isVisible()).toBe(false);
      return widget;
    },
  };
}
