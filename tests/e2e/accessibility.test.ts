// axe-core on the pages of the foundation, in both themes, with the echo console idle and in use.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, type Browser } from "./browser.ts";
import { axeViolations } from "./axe.ts";
import { clickRow, waitForRow } from "./inspector-lane.ts";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(["light", "dark"] as const)("accessibility in the %s theme", (scheme) => {
  it.each(["/", "/teachers/"])("has no axe violations on %s", async (path) => {
    const page = await browser.context.newPage();
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${baseUrl}${path}`);
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

  it("has no axe violations on lessons 4 and 5, idle and with the inspector and stepper in use", async () => {
    for (const path of ["/lessons/upgrade-handshake/", "/lessons/frames/"]) {
      const page = await browser.context.newPage();
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${baseUrl}${path}`);
      expect(await axeViolations(page), `${path} idle`).toEqual([]);

      const inspector = page.locator("sp-frame-inspector");
      await inspector.scrollIntoViewIfNeeded();
      await page.locator('sp-frame-inspector[data-ready][data-state="OPEN"]').waitFor();
      await inspector
        .locator("details")
        .evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
      await inspector.getByRole("button", { name: "Send text" }).click();
      await inspector.getByRole("button", { name: "Fragmented message" }).click();
      await waitForRow(inspector.locator(".sequence li.message").first());
      await clickRow(inspector, inspector.locator('.sequence li.dir-in button[data-opcode="1"]').first());
      await inspector.locator('[data-part=accept-check][data-result="match"]').waitFor();
      await inspector.getByRole("button", { name: "Pause" }).click();
      await inspector.getByRole("button", { name: "Step back" }).click();
      if (path === "/lessons/upgrade-handshake/") {
        const stepper = page.locator("sp-handshake-stepper");
        await stepper.scrollIntoViewIfNeeded();
        await page.locator('sp-handshake-stepper[data-ready][data-source="live"]').waitFor();
        await stepper.locator("[data-part=last]").click();
      }
      expect(await axeViolations(page), `${path} in use`).toEqual([]);
      await page.close();
    }
  });

  it("has no axe violations on lesson 2, idle and with the timeline, inspector and wire stage in use", async () => {
    const page = await browser.context.newPage();
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${baseUrl}/lessons/tcp-underneath/`);
    expect(await axeViolations(page), "idle").toEqual([]);

    const timeline = page.locator("sp-timeline").first();
    await timeline.scrollIntoViewIfNeeded();
    await page.locator("sp-timeline[data-ready]").first().waitFor();
    for (let i = 0; i < 6; i++) await timeline.locator("[data-part=next]").click();
    await timeline.locator("details").evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
    const view = page.locator("sp-wire-stage");
    await view.scrollIntoViewIfNeeded();
    await page.locator('sp-wire-stage[data-ready][data-state="OPEN"]').waitFor();
    await view.getByRole("button", { name: "Send", exact: true }).click();
    await view.getByRole("button", { name: "Lab pushes a message" }).click();
    await page.locator('sp-wire-stage[data-real-messages="3"]').waitFor();
    await view.locator("details").evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
    const inspector = page.locator("sp-frame-inspector");
    await inspector.scrollIntoViewIfNeeded();
    await page.locator('sp-frame-inspector[data-ready][data-state="OPEN"]').waitFor();
    await inspector.getByRole("button", { name: "Burst of 5" }).click();
    await waitForRow(inspector.locator(".sequence li.dir-out button").nth(4));
    expect(await axeViolations(page), "in use").toEqual([]);
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
