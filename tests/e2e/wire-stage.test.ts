// Browser tests for the wire stage against the production server: a real frame crossing the
// stage and landing (its bytes parsed from the lab's capture), pause / step / resume live, a
// minute of sending with the newest event still in view, a deep link reopened in a fresh
// browser, every lesson's stage at phone width, and axe in both themes, idle, playing and paused.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { foreignRequests, launchBrowser, watchPage, type Browser, type PageWatch } from "./browser.ts";
import { axeViolations } from "./axe.ts";

const baseUrl = inject("baseUrl");
const LESSONS = ["start-here", "http-stateless", "tcp-underneath", "server-push", "upgrade-handshake", "frames", "classroom"];
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

async function openStage(path: string, on: Browser = browser): Promise<Locator> {
  page = await on.context.newPage();
  watch = watchPage(page);
  await page.goto(`${baseUrl}${path}`);
  const stage = page.locator("sp-wire-stage");
  await stage.scrollIntoViewIfNeeded();
  await page.locator('sp-wire-stage[data-ready][data-state="OPEN"]').waitFor();
  return stage;
}

const number = async (stage: Locator, name: string): Promise<number> => Number(await stage.getAttribute(`data-${name}`));

describe("the wire stage", () => {
  it("animates your real frame across the stage and lands it, bytes from the capture", async () => {
    const stage = await openStage("/lessons/start-here/");
    await stage.locator("[data-part=rtt]").selectOption("300");
    await stage.locator("[data-part=speed]").selectOption("0.1");
    await stage.getByRole("button", { name: "Send", exact: true }).click();
    // The masked "Hello" a browser sends is 11 bytes: a 2-byte header, a 4-byte key and 5 of text.
    const frame = stage.locator('[data-part=svg-ws] .item.from-client.kind-data').first();
    await frame.waitFor({ state: "attached" });
    // Its description comes from the captured bytes; its label may have joined a neighbour's.
    expect(await frame.locator("title").textContent()).toMatch(/“Hello” \(6-byte header, masked\), 11 B on the wire/);
    expect(await stage.locator("[data-part=svg-ws] .labels").textContent()).toMatch(/“Hello”|\+\d more/);
    const marker = frame.locator(".marker");
    const positions: number[] = [];
    for (let i = 0; i < 4; i++) {
      positions.push(Number(await marker.getAttribute("cx")));
      await page.waitForTimeout(150);
    }
    expect(new Set(positions).size).toBeGreaterThan(1);
    await stage.locator('[data-part=svg-ws] .item.from-client.kind-data.landed').first().waitFor({ state: "attached" });
    await stage.locator('[data-part=svg-ws] .item.from-server.kind-data.landed').first().waitFor({ state: "attached" });
    // The HTTP side's POST follows its TCP handshake, a round trip later (slowed 10×).
    await stage.locator("[data-part=svg-http] .item.kind-tcp").first().waitFor({ state: "attached" });
    await stage.locator("[data-part=svg-http] .item.kind-http").first().waitFor({ state: "attached" });
    await stage.getByText("Transcript (both sides, every item)").click();
    await expect.poll(() => stage.locator("[data-part=transcript]").textContent()).toMatch(/WebSocket \(real\).*11 B on the wire/);
    expect(await stage.locator("[data-part=ws-bytes]").textContent()).toMatch(/\d+ B/);
  });

  it("with reduced motion, frames appear where they land and the view holds still between events", async () => {
    const reduced = await launchBrowser({ reducedMotion: "reduce" });
    try {
      const stage = await openStage("/lessons/start-here/", reduced);
      await stage.getByRole("button", { name: "Send", exact: true }).click();
      const frame = stage.locator("[data-part=svg-ws] .item.from-client.kind-data").first();
      await frame.waitFor({ state: "attached" });
      expect(await frame.getAttribute("class")).toContain("landed");
      await page.waitForTimeout(1500);
      const svg = stage.locator("[data-part=svg-ws]");
      const before = await svg.getAttribute("viewBox");
      await page.waitForTimeout(1000);
      expect(await svg.getAttribute("viewBox")).toBe(before);
      await page.close();
    } finally {
      await reduced.close();
    }
  });

  it("pauses, steps back and forward through events, and resumes live", async () => {
    const stage = await openStage("/lessons/frames/");
    await stage.getByRole("button", { name: "Send", exact: true }).click();
    await page.locator('sp-wire-stage[data-real-messages="2"]').waitFor();
    await stage.getByRole("button", { name: "Pause" }).click();
    expect(await stage.getAttribute("data-mode")).toBe("paused");
    const pausedAt = await number(stage, "time");
    await stage.getByRole("button", { name: "Step back one event" }).click();
    const back = await number(stage, "time");
    expect(back).toBeLessThan(pausedAt);
    await stage.getByRole("button", { name: "Step back one event" }).focus();
    await page.keyboard.press("ArrowLeft");
    const backTwice = await number(stage, "time");
    expect(backTwice).toBeLessThan(back);
    await page.keyboard.press("ArrowRight");
    expect(await number(stage, "time")).toBe(back);
    await expect.poll(() => page.url()).toMatch(/#wire-step=\d+&wire-rec=/);
    await stage.getByRole("button", { name: "Back to live" }).click();
    expect(await stage.getAttribute("data-mode")).toBe("live");
    await expect.poll(async () => number(stage, "time")).toBeGreaterThan(pausedAt);
  });

  it("keeps the newest event in view after a minute of sending", { timeout: 150_000 }, async () => {
    const stage = await openStage("/lessons/start-here/");
    const send = stage.getByRole("button", { name: "Send", exact: true });
    const input = stage.locator("[data-part=message]");
    const started = Date.now();
    let sent = 0;
    while (Date.now() - started < 60_000) {
      await input.fill(`message ${++sent}`);
      await send.click();
      await page.waitForTimeout(1000);
    }
    await page.locator(`sp-wire-stage[data-real-messages="${2 * sent}"]`).waitFor();
    // Let the view catch up with the last echo, then look without scrolling anything.
    await page.waitForTimeout(1500);
    const box = await stage.locator("[data-part=side-ws]").boundingBox();
    // The newest event may be the lab's heartbeat (a ping one interval after the opening, then
    // its pong), which lands at the end of this minute: it is what must be in view then.
    const newest = stage.locator("[data-part=svg-ws] .item").last();
    await newest.waitFor({ state: "attached" });
    const item = await newest.boundingBox();
    expect(box && item).toBeTruthy();
    expect(item!.y).toBeGreaterThanOrEqual(box!.y - 1);
    expect(item!.y + item!.height).toBeLessThanOrEqual(box!.y + box!.height + 1);
    expect(await newest.locator("title").textContent()).toMatch(new RegExp(`message ${sent}”|message ${sent}|\\bping\\b|\\bpong\\b`));
    // The drawing holds what is in view, not the whole minute.
    expect(await stage.locator("[data-part=svg-ws] .item").count()).toBeLessThan(60);
  });

  it("reopens a paused step from its link in a fresh browser", async () => {
    const stage = await openStage("/lessons/frames/");
    await stage.getByRole("button", { name: "Send", exact: true }).click();
    await page.locator('sp-wire-stage[data-real-messages="2"]').waitFor();
    await page.waitForTimeout(800);
    await stage.getByRole("button", { name: "Pause" }).click();
    await stage.getByRole("button", { name: "Step back one event" }).click();
    await page.waitForFunction(() => /wire-rec=/.test(location.hash));
    const link = page.url();
    const step = await number(stage, "step");
    // "Paused at 409 ms · step 7 of 8": the same instant must come back, not just the same number.
    const instant = /at (.+) · step \d+/.exec((await stage.locator("[data-part=position]").textContent()) ?? "")?.[1];
    expect(instant).toBeTruthy();
    const fresh = await launchBrowser();
    try {
      const other = await fresh.context.newPage();
      const otherWatch = watchPage(other);
      await other.goto(link);
      const reopened = other.locator('sp-wire-stage[data-mode="paused"]');
      await reopened.waitFor();
      await expect.poll(async () => Number(await reopened.getAttribute("data-step"))).toBe(step);
      expect(await reopened.locator("[data-part=position]").textContent()).toContain(`at ${instant} · step ${step} of`);
      expect(await reopened.locator("[data-part=state]").textContent()).toBe("recording");
      expect(await reopened.locator("[data-part=svg-ws] .item.kind-handshake").count()).toBeGreaterThanOrEqual(1);
      expect(otherWatch.pageErrors).toEqual([]);
      await other.close();
    } finally {
      await fresh.close();
    }
  });
});

describe("every lesson's stage at phone width", () => {
  it("fits 390 px without horizontal overflow, on every lesson", async () => {
    for (const slug of LESSONS) {
      page = await browser.context.newPage();
      watch = watchPage(page);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${baseUrl}/lessons/${slug}/`);
      const stage = page.locator("sp-wire-stage");
      expect(await stage.count(), slug).toBe(1);
      await stage.scrollIntoViewIfNeeded();
      await page.locator("sp-wire-stage[data-ready]").waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth), slug).toBeLessThanOrEqual(390);
      await page.close();
    }
    page = await browser.context.newPage();
    watch = watchPage(page);
  });
});

describe.each(["light", "dark"] as const)("the stage's accessibility in the %s theme", (scheme) => {
  it("has no axe violations on any lesson with the stage idle, playing and paused", { timeout: 240_000 }, async () => {
    for (const slug of LESSONS) {
      page = await browser.context.newPage();
      watch = watchPage(page);
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${baseUrl}/lessons/${slug}/`);
      const stage = page.locator("sp-wire-stage");
      await stage.scrollIntoViewIfNeeded();
      await page.locator('sp-wire-stage[data-ready][data-state="OPEN"]').waitFor();
      expect(await axeViolations(page), `${slug} idle`).toEqual([]);
      const send = stage.getByRole("button", { name: "Send", exact: true });
      const push = stage.locator("[data-action=push]");
      if (await send.count()) await send.click();
      else await push.click();
      await stage.locator("[data-part=svg-ws] .item.kind-data").first().waitFor({ state: "attached" });
      await stage.locator("details").evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
      expect(await axeViolations(page), `${slug} playing`).toEqual([]);
      await stage.getByRole("button", { name: "Pause" }).click();
      await stage.getByRole("button", { name: "Step back one event" }).click();
      expect(await axeViolations(page), `${slug} paused`).toEqual([]);
      await page.close();
    }
    page = await browser.context.newPage();
    watch = watchPage(page);
  });
});
