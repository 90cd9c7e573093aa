// axe-core on the pages of the foundation, in both themes, with the echo console idle and in use.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, type Browser } from "./browser.ts";
import { axeViolations } from "./axe.ts";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(["light", "dark"] as const)("accessibility in the %s theme", (scheme) => {
  it("has no axe violations on the home page", async () => {
    const page = await browser.context.newPage();
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${baseUrl}/`);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it("has no axe violations on lesson 0, idle and with the echo console in use", async () => {
    const page = await browser.context.newPage();
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${baseUrl}/lessons/start-here/`);
    expect(await axeViolations(page)).toEqual([]);

    const widget = page.locator("sp-echo-console");
    await widget.scrollIntoViewIfNeeded();
    await page.locator("sp-echo-console[data-ready]").waitFor();
    await widget.getByRole("button", { name: "Connect" }).click();
    await page.locator('sp-echo-console[data-state="OPEN"]').waitFor();
    await widget.getByRole("button", { name: "Send", exact: true }).click();
    await widget.locator('tr[data-direction="received"]').waitFor();
    await widget.getByRole("button", { name: "Close", exact: true }).click();
    await page.locator('sp-echo-console[data-state="CLOSED"]').waitFor();
    await page.locator("sp-quiz form").first().getByRole("button", { name: "Check answer" }).click();
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it("has no axe violations on the 404 page", async () => {
    const page = await browser.context.newPage();
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${baseUrl}/no-such-page`);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
