// Browser tests for lessons 1 and 3 against the production server: connection reuse seen with
// real fetch calls, and the push race over four real transports.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { Page } from "playwright-core";
import { foreignRequests, launchBrowser, watchPage, type Browser, type PageWatch } from "./browser.ts";
import { axeViolations } from "./axe.ts";

const baseUrl = inject("baseUrl");
let browser: Browser;
let page: Page;
let watch: PageWatch;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  expect(watch.pageErrors).toEqual([]);
  expect(watch.consoleErrors).toEqual([]);
  expect(foreignRequests(watch, baseUrl)).toEqual([]);
  await page?.close();
});

async function open(path: string, scheme: "light" | "dark" = "light"): Promise<void> {
  page = await browser.context.newPage();
  watch = watchPage(page);
  await page.emulateMedia({ colorScheme: scheme });
  await page.goto(`${baseUrl}${path}`);
}

async function connectionReuse() {
  const widget = page.locator("sp-connection-reuse");
  await widget.scrollIntoViewIfNeeded();
  await page.locator("sp-connection-reuse[data-ready]").waitFor();
  return widget;
}

async function runRace() {
  const race = page.locator("sp-push-race");
  await race.scrollIntoViewIfNeeded();
  await page.locator("sp-push-race[data-ready]").waitFor();
  await race.locator("[data-part=events]").selectOption("5");
  await race.locator("[data-part=spacing]").selectOption("500");
  await race.locator("[data-part=interval]").selectOption("500");
  await race.locator("[data-part=start]").click();
  await page.locator('sp-push-race[data-state="finished"]').waitFor({ timeout: 45_000 });
  return race;
}

describe("lesson 1: connections are reused", () => {
  it("sequential fetches share one connection; with Connection: close each gets its own", async () => {
    await open("/lessons/http-stateless/");
    const widget = await connectionReuse();
    await widget.locator("[data-part=count]").selectOption("5");
    await widget.locator("[data-part=sequential]").click();
    const first = widget.locator("[data-run]").first();
    await page.locator('sp-connection-reuse [data-run][data-requests="5"]').first().waitFor();
    expect(await first.getAttribute("data-connections")).toBe("1");
    const requestNumbers = await first.locator("[data-connection]").first().textContent();
    expect(requestNumbers).toMatch(/1[\s\S]*2[\s\S]*3[\s\S]*4[\s\S]*5/);

    await widget.locator("[data-part=close]").check();
    await widget.locator("[data-part=sequential]").click();
    await page.waitForFunction(() => document.querySelectorAll("sp-connection-reuse [data-run]").length === 2);
    const second = widget.locator("[data-run]").first();
    await page.locator('sp-connection-reuse [data-run][data-requests="5"][data-connections="5"]').first().waitFor();
    expect(await second.getAttribute("data-connections")).toBe("5");
    const ports = await second
      .locator("[data-connection]")
      .evaluateAll((groups) => groups.map((g) => (g as HTMLElement).dataset.clientPort));
    expect(new Set(ports).size).toBe(5);
  });
});

describe("lesson 3: the push race", () => {
  it("delivers every event over all four transports, and WebSocket costs fewer bytes per event than short polling", async () => {
    await open("/lessons/server-push/");
    const race = await runRace();
    for (const transport of ["short-polling", "long-polling", "sse", "websocket"]) {
      expect(
        await race.locator(`tr[data-transport="${transport}"]`).first().getAttribute("data-delivered"),
        transport,
      ).toBe("5");
    }
    const perEvent = async (transport: string) =>
      Number(
        await race
          .locator(`[data-part=measured] tr[data-transport="${transport}"]`)
          .getAttribute("data-bytes-per-event"),
      );
    expect(await perEvent("websocket")).toBeGreaterThan(0);
    expect(await perEvent("websocket")).toBeLessThan(await perEvent("short-polling"));
    const requests = async (transport: string) =>
      Number(
        await race.locator(`[data-part=measured] tr[data-transport="${transport}"]`).getAttribute("data-requests"),
      );
    expect(await requests("short-polling")).toBeGreaterThan(await requests("websocket"));
    expect(await race.locator("[data-part=chart] .mark").count()).toBe(20);
    expect(await race.locator("[data-part=simulated]").isVisible()).toBe(true);
  });
});

describe.each(["light", "dark"] as const)("accessibility of lessons 1 and 3 in the %s theme", (scheme) => {
  it("lesson 1 has no axe violations, idle and after runs", async () => {
    await open("/lessons/http-stateless/", scheme);
    expect(await axeViolations(page), "idle").toEqual([]);
    const widget = await connectionReuse();
    await widget.locator("[data-part=parallel]").click();
    await widget.locator("[data-run]").first().waitFor();
    await widget.locator("[data-part=sequential]").click();
    await page.waitForFunction(() => document.querySelectorAll("sp-connection-reuse [data-run]").length === 2);
    const timeline = page.locator("sp-timeline").first();
    await timeline.scrollIntoViewIfNeeded();
    await page.locator("sp-timeline[data-ready]").first().waitFor();
    await timeline.locator("[data-part=next]").click();
    expect(await axeViolations(page), "in use").toEqual([]);
  });

  it("lesson 3 has no axe violations, idle and after a race", async () => {
    await open("/lessons/server-push/", scheme);
    expect(await axeViolations(page), "idle").toEqual([]);
    await runRace();
    expect(await axeViolations(page), "after a race").toEqual([]);
  });
});
